-- Booking access: members read everything and book, cancel, reschedule and complete
-- appointments and keep contacts; only owners and admins change practitioners, who performs
-- what, their hours and the booking rules; nobody reaches another organisation; anon nothing.
-- The RPCs answer non-members with a refusal (42501) or "not found" (PT404), never a row.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
\ir _tenancy_fixture.psql
\ir _booking_fixture.psql

insert into tests.expectations
select relation, operation, statement, 'denied', outsider, member, admin, owner, other_owner, service
from (values
  ('practitioners', 'select', $$select id from public.practitioners where id = 'a1000000-0000-4000-8000-0000000000a1'$$,
   'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('practitioners', 'insert', $$insert into public.practitioners (organisation_id, display_name) values ('0a000000-0000-4000-8000-00000000000a', 'Dr New')$$,
   'denied', 'denied', 'rows:1', 'rows:1', 'denied', 'rows:1'),
  ('practitioners', 'update', $$update public.practitioners set display_name = 'Dr Renamed' where id = 'a1000000-0000-4000-8000-0000000000a1'$$,
   'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('practitioners', 'delete', $$delete from public.practitioners where id = 'a2000000-0000-4000-8000-0000000000a2'$$,
   'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('practitioner_services', 'select', $$select service_id from public.practitioner_services where practitioner_id = 'a1000000-0000-4000-8000-0000000000a1'$$,
   'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('practitioner_services', 'insert', $$insert into public.practitioner_services (organisation_id, practitioner_id, service_id) values ('0a000000-0000-4000-8000-00000000000a', 'a1000000-0000-4000-8000-0000000000a1', 'a3000000-0000-4000-8000-0000000000a3')$$,
   'denied', 'denied', 'rows:1', 'rows:1', 'denied', 'rows:1'),
  ('practitioner_services', 'update', $$update public.practitioner_services set service_id = 'a3000000-0000-4000-8000-0000000000a3' where practitioner_id = 'a1000000-0000-4000-8000-0000000000a1'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('practitioner_services', 'delete', $$delete from public.practitioner_services where practitioner_id = 'a2000000-0000-4000-8000-0000000000a2'$$,
   'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('practitioner_hours', 'select', $$select id from public.practitioner_hours where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('practitioner_hours', 'insert', $$insert into public.practitioner_hours (organisation_id, practitioner_id, weekday, opens, closes) values ('0a000000-0000-4000-8000-00000000000a', 'a1000000-0000-4000-8000-0000000000a1', 2, '09:00', '13:00')$$,
   'denied', 'denied', 'rows:1', 'rows:1', 'denied', 'rows:1'),
  ('practitioner_hours', 'update', $$update public.practitioner_hours set closes = '14:00' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('practitioner_hours', 'delete', $$delete from public.practitioner_hours where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('closures', 'insert time off', $$insert into public.closures (organisation_id, practitioner_id, starts_on, ends_on) values ('0a000000-0000-4000-8000-00000000000a', 'a1000000-0000-4000-8000-0000000000a1', '2030-01-14', '2030-01-18')$$,
   'denied', 'denied', 'rows:1', 'rows:1', 'denied', 'rows:1'),
  ('booking_rules', 'select', $$select organisation_id from public.booking_rules where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('booking_rules', 'insert', $$insert into public.booking_rules (organisation_id) values ('0a000000-0000-4000-8000-00000000000a')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'error:23505'),
  ('booking_rules', 'update', $$update public.booking_rules set slot_interval_minutes = 30 where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('booking_rules', 'delete', $$delete from public.booking_rules where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('contacts', 'select', $$select id from public.contacts where id = 'a5000000-0000-4000-8000-0000000000a5'$$,
   'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('contacts', 'insert', $$insert into public.contacts (organisation_id, name, phone) values ('0a000000-0000-4000-8000-00000000000a', 'Cy New', '+447700900099')$$,
   'denied', 'rows:1', 'rows:1', 'rows:1', 'denied', 'rows:1'),
  ('contacts', 'update', $$update public.contacts set notes = 'Prefers mornings' where id = 'a5000000-0000-4000-8000-0000000000a5'$$,
   'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('contacts', 'delete', $$delete from public.contacts where id = 'a6000000-0000-4000-8000-0000000000a6'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('appointments', 'select', $$select id from public.appointments where id = 'a7000000-0000-4000-8000-0000000000a7'$$,
   'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('appointments', 'insert', $$insert into public.appointments (organisation_id, practitioner_id, service_id, contact_id, starts_at, ends_at) values ('0a000000-0000-4000-8000-00000000000a', 'a1000000-0000-4000-8000-0000000000a1', 'a4000000-0000-4000-8000-0000000000a4', 'a6000000-0000-4000-8000-0000000000a6', '2030-01-07 11:00Z', '2030-01-07 11:30Z')$$,
   'denied', 'rows:1', 'rows:1', 'rows:1', 'denied', 'rows:1'),
  ('appointments', 'update', $$update public.appointments set status = 'cancelled', cancellation_reason = 'Ill' where id = 'a7000000-0000-4000-8000-0000000000a7'$$,
   'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('appointments', 'delete', $$delete from public.appointments where id = 'a7000000-0000-4000-8000-0000000000a7'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('book_appointment', 'call', $$select public.book_appointment('0a000000-0000-4000-8000-00000000000a', 'a4000000-0000-4000-8000-0000000000a4', 'a1000000-0000-4000-8000-0000000000a1', '2030-01-07 11:00Z', 'a6000000-0000-4000-8000-0000000000a6', 'voice')$$,
   'denied', 'rows:1', 'rows:1', 'rows:1', 'denied', 'rows:1'),
  ('cancel_appointment', 'call', $$select public.cancel_appointment('a7000000-0000-4000-8000-0000000000a7', 'Ill')$$,
   'error:PT404', 'rows:1', 'rows:1', 'rows:1', 'error:PT404', 'rows:1'),
  ('reschedule_appointment', 'call', $$select public.reschedule_appointment('a7000000-0000-4000-8000-0000000000a7', '2030-01-07 12:00Z')$$,
   'error:PT404', 'rows:1', 'rows:1', 'rows:1', 'error:PT404', 'rows:1'),
  ('set_appointment_status', 'call', $$select public.set_appointment_status('a8000000-0000-4000-8000-0000000000a8', 'completed')$$,
   'error:PT404', 'rows:1', 'rows:1', 'rows:1', 'error:PT404', 'rows:1'),
  ('find_or_create_contact', 'call', $$select public.find_or_create_contact('0a000000-0000-4000-8000-00000000000a', '+447700900077', 'Di New')$$,
   'denied', 'rows:1', 'rows:1', 'rows:1', 'denied', 'rows:1'),
  ('availability_inputs', 'call', $$select public.availability_inputs('0a000000-0000-4000-8000-00000000000a', 'a4000000-0000-4000-8000-0000000000a4', '2030-01-07', '2030-01-13')$$,
   'denied', 'rows:1', 'rows:1', 'rows:1', 'denied', 'rows:1')
) as t(relation, operation, statement, outsider, member, admin, owner, other_owner, service);

-- Writing into another organisation, or pointing at its rows, is refused even for its owner
-- next door: the policies refuse the organisation, the composite keys the borrowed rows.
insert into tests.expectations values
  ('appointments', 'insert into B', $$insert into public.appointments (organisation_id, practitioner_id, service_id, contact_id, starts_at, ends_at) values ('0b000000-0000-4000-8000-00000000000b', 'b1000000-0000-4000-8000-0000000000b1', 'b4000000-0000-4000-8000-0000000000b4', 'b5000000-0000-4000-8000-0000000000b5', '2030-01-07 12:00Z', '2030-01-07 12:30Z')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1', 'rows:1'),
  ('appointments', 'with B''s practitioner', $$insert into public.appointments (organisation_id, practitioner_id, service_id, contact_id, starts_at, ends_at) values ('0a000000-0000-4000-8000-00000000000a', 'b1000000-0000-4000-8000-0000000000b1', 'a4000000-0000-4000-8000-0000000000a4', 'a5000000-0000-4000-8000-0000000000a5', '2030-01-07 12:00Z', '2030-01-07 12:30Z')$$,
   'denied', 'denied', 'error:23503', 'error:23503', 'error:23503', 'denied', 'error:23503'),
  ('appointments', 'with B''s patient', $$insert into public.appointments (organisation_id, practitioner_id, service_id, contact_id, starts_at, ends_at) values ('0a000000-0000-4000-8000-00000000000a', 'a1000000-0000-4000-8000-0000000000a1', 'a4000000-0000-4000-8000-0000000000a4', 'b5000000-0000-4000-8000-0000000000b5', '2030-01-07 12:00Z', '2030-01-07 12:30Z')$$,
   'denied', 'denied', 'error:23503', 'error:23503', 'error:23503', 'denied', 'error:23503'),
  ('appointments', 'move to B', $$update public.appointments set organisation_id = '0b000000-0000-4000-8000-00000000000b' where id = 'a7000000-0000-4000-8000-0000000000a7'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'error:23503'),
  ('practitioner_services', 'B''s service', $$insert into public.practitioner_services (organisation_id, practitioner_id, service_id) values ('0a000000-0000-4000-8000-00000000000a', 'a1000000-0000-4000-8000-0000000000a1', 'b4000000-0000-4000-8000-0000000000b4')$$,
   'denied', 'denied', 'denied', 'error:23503', 'error:23503', 'denied', 'error:23503'),
  ('closures', 'time off for B''s practitioner', $$insert into public.closures (organisation_id, practitioner_id, starts_on, ends_on) values ('0a000000-0000-4000-8000-00000000000a', 'b1000000-0000-4000-8000-0000000000b1', '2030-01-14', '2030-01-18')$$,
   'denied', 'denied', 'denied', 'error:23503', 'error:23503', 'denied', 'error:23503'),
  ('book_appointment', 'in B', $$select public.book_appointment('0b000000-0000-4000-8000-00000000000b', 'b4000000-0000-4000-8000-0000000000b4', 'b1000000-0000-4000-8000-0000000000b1', '2030-01-07 12:00Z', 'b5000000-0000-4000-8000-0000000000b5')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1', 'rows:1'),
  ('book_appointment', 'B''s patient', $$select public.book_appointment('0a000000-0000-4000-8000-00000000000a', 'a4000000-0000-4000-8000-0000000000a4', 'a1000000-0000-4000-8000-0000000000a1', '2030-01-07 12:00Z', 'b5000000-0000-4000-8000-0000000000b5')$$,
   'denied', 'denied', 'error:PT404', 'error:PT404', 'error:PT404', 'denied', 'error:PT404'),
  ('availability_inputs', 'B''s service', $$select public.availability_inputs('0a000000-0000-4000-8000-00000000000a', 'b4000000-0000-4000-8000-0000000000b4', '2030-01-07', '2030-01-13')$$,
   'denied', 'denied', 'error:PT404', 'error:PT404', 'error:PT404', 'denied', 'error:PT404');

select plan(tests.access_matrix_size() + 2);

select * from tests.access_matrix();

-- What a refused call says, in words.
select tests.act_as('owner@b.test');
select throws_ok(
  $$select public.book_appointment('0a000000-0000-4000-8000-00000000000a', 'a4000000-0000-4000-8000-0000000000a4', 'a1000000-0000-4000-8000-0000000000a1', '2030-01-07 11:00Z', 'a6000000-0000-4000-8000-0000000000a6')$$,
  '42501', 'You are not a member of this organisation', 'booking in another organisation is refused in words');
select throws_ok(
  $$select public.cancel_appointment('a7000000-0000-4000-8000-0000000000a7')$$,
  'PT404', 'That appointment does not exist', 'another organisation''s appointment is not found, not refused (nothing of it is told)');
select tests.stop_acting();

select * from finish();
rollback;
