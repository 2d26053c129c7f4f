-- Booking rules: a new organisation can be booked at once; a new service is performed by every
-- active practitioner; the blocked time comes from the service's buffers whoever writes; two
-- booked appointments of one practitioner never overlap (direct inserts, updates, status
-- changes; cancelled slots free again); the RPCs validate and refuse in words; availability
-- inputs carry exactly what the slot finder needs.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
\ir _tenancy_fixture.psql
\ir _booking_fixture.psql

select plan(68);

-- ---------------------------------------------------------------------------
-- Defaults of a new organisation and a new service
-- ---------------------------------------------------------------------------

select is(
  (select array_agg(p.display_name order by p.position, p.display_name) from public.practitioners p
   where p.organisation_id = '0a000000-0000-4000-8000-00000000000a'),
  array['Clinic A', 'Dr Hale', 'Dr Spare'],
  'a new organisation gets one practitioner named after it');
select is(
  (select row(r.slot_interval_minutes, r.min_notice_minutes, r.horizon_days, r.patient_change_cutoff_hours)::text
   from public.booking_rules r where r.organisation_id = '0a000000-0000-4000-8000-00000000000a'),
  '(15,120,60,24)', 'a new organisation gets the default booking rules');
select is(
  (select array_agg(p.display_name order by p.display_name) from public.practitioner_services ps
   join public.practitioners p on p.id = ps.practitioner_id
   where ps.service_id = 'a4000000-0000-4000-8000-0000000000a4'),
  array['Clinic A', 'Dr Hale', 'Dr Spare'], 'a new service is performed by every active practitioner');

update public.practitioners set active = false where id = 'a2000000-0000-4000-8000-0000000000a2';
insert into public.services (id, organisation_id, name, duration_minutes)
  values ('ac000000-0000-4000-8000-0000000000ac', '0a000000-0000-4000-8000-00000000000a', 'Polish', 15);
select is(
  (select array_agg(p.display_name order by p.display_name) from public.practitioner_services ps
   join public.practitioners p on p.id = ps.practitioner_id
   where ps.service_id = 'ac000000-0000-4000-8000-0000000000ac'),
  array['Clinic A', 'Dr Hale'], '… but not by inactive ones');

-- ---------------------------------------------------------------------------
-- availability_inputs (Dr Spare inactive for now)
-- ---------------------------------------------------------------------------

insert into public.working_hours (organisation_id, weekday, opens, closes) values
  ('0a000000-0000-4000-8000-00000000000a', 1, '09:00', '17:00');
insert into public.closures (organisation_id, practitioner_id, starts_on, ends_on) values
  ('0a000000-0000-4000-8000-00000000000a', 'a1000000-0000-4000-8000-0000000000a1', '2030-01-09', '2030-01-10'),
  ('0a000000-0000-4000-8000-00000000000a', null, '2030-01-12', '2030-01-12'),
  ('0a000000-0000-4000-8000-00000000000a', null, '2030-02-01', '2030-02-01'),
  ('0b000000-0000-4000-8000-00000000000b', null, '2030-01-08', '2030-01-08');
-- A cancelled booking blocks nothing.
insert into public.appointments (organisation_id, practitioner_id, service_id, contact_id, starts_at, ends_at, status)
values ('0a000000-0000-4000-8000-00000000000a', 'a1000000-0000-4000-8000-0000000000a1', 'a4000000-0000-4000-8000-0000000000a4',
  'a6000000-0000-4000-8000-0000000000a6', '2030-01-08 10:00Z', '2030-01-08 10:30Z', 'cancelled');

select tests.act_as('member@a.test');
create temporary table inputs as
select public.availability_inputs('0a000000-0000-4000-8000-00000000000a', 'a4000000-0000-4000-8000-0000000000a4', '2030-01-07', '2030-01-13') as j;
select tests.stop_acting();

select is((select j ->> 'timeZone' from inputs), 'Europe/London', 'availability: the clinic''s time zone');
select is((select j -> 'rules' from inputs),
  '{"horizonDays": 60, "minNoticeMinutes": 120, "slotIntervalMinutes": 15}'::jsonb, 'availability: the booking rules');
select is((select j -> 'service' from inputs),
  '{"id": "a4000000-0000-4000-8000-0000000000a4", "name": "Check-up", "durationMinutes": 30, "bufferAfterMinutes": 10, "bufferBeforeMinutes": 5}'::jsonb,
  'availability: the service''s duration and buffers');
select is((select j -> 'clinicHours' from inputs),
  '[{"opens": "09:00", "closes": "17:00", "weekday": 1}]'::jsonb, 'availability: the clinic''s hours');
select is((select jsonb_path_query_array(j, '$.practitioners[*].name') from inputs),
  '["Clinic A", "Dr Hale"]'::jsonb, 'availability: the active practitioners performing the service');
select is((select jsonb_path_query_array(j, '$.practitioners[*].hours') from inputs),
  '[null, [{"opens": "09:00", "closes": "13:00", "weekday": 1}]]'::jsonb,
  'availability: a practitioner''s own hours, null for one who keeps the clinic''s');
select is((select j -> 'closures' from inputs),
  '[{"endsOn": "2030-01-10", "startsOn": "2030-01-09", "practitionerId": "a1000000-0000-4000-8000-0000000000a1"},
    {"endsOn": "2030-01-12", "startsOn": "2030-01-12", "practitionerId": null}]'::jsonb,
  'availability: the clinic''s closures and time off in the range, not another clinic''s');
select is(
  (select array_agg(b.practitioner_id || ' ' || b.busy::text) from inputs, tests.busy_of(j) b),
  array['a1000000-0000-4000-8000-0000000000a1 ' || tstzrange('2030-01-07 09:55Z', '2030-01-07 10:40Z')::text],
  'availability: busy is the booked blocked ranges (not cancelled ones, not another clinic''s)');
select tests.act_as('member@a.test');
select throws_ok(
  $$select public.availability_inputs('0a000000-0000-4000-8000-00000000000a', 'a4000000-0000-4000-8000-0000000000a4', '2030-01-13', '2030-01-07')$$,
  '22023', 'Ask for a range of at most a year, from one date to a later one', 'availability: a backwards range is refused in words');
select tests.stop_acting();

update public.practitioners set active = true where id = 'a2000000-0000-4000-8000-0000000000a2';

-- ---------------------------------------------------------------------------
-- Practitioners' hours and time off overlap only with their own
-- ---------------------------------------------------------------------------

select throws_ok($$insert into public.practitioner_hours (organisation_id, practitioner_id, weekday, opens, closes)
  values ('0a000000-0000-4000-8000-00000000000a', 'a1000000-0000-4000-8000-0000000000a1', 1, '12:00', '14:00')$$,
  '23P01', 'These hours overlap 09:00–13:00 on Monday', 'a practitioner''s overlapping hours are refused in words');
select lives_ok($$insert into public.practitioner_hours (organisation_id, practitioner_id, weekday, opens, closes)
  values ('0a000000-0000-4000-8000-00000000000a', 'a2000000-0000-4000-8000-0000000000a2', 1, '12:00', '14:00')$$,
  'another practitioner may work the same hours');
select throws_ok($$insert into public.closures (organisation_id, practitioner_id, starts_on, ends_on, reason)
  values ('0a000000-0000-4000-8000-00000000000a', 'a1000000-0000-4000-8000-0000000000a1', '2030-01-10', '2030-01-11', 'Course')$$,
  '23P01', 'This time off overlaps the time off 9 Jan 2030 – 10 Jan 2030', 'a practitioner''s overlapping time off is refused in words');
select lives_ok($$insert into public.closures (organisation_id, practitioner_id, starts_on, ends_on)
  values ('0a000000-0000-4000-8000-00000000000a', 'a2000000-0000-4000-8000-0000000000a2', '2030-01-09', '2030-01-12')$$,
  'two practitioners may be away on the same days, also over a clinic closure');
select throws_ok($$insert into public.closures (organisation_id, starts_on, ends_on)
  values ('0a000000-0000-4000-8000-00000000000a', '2030-01-12', '2030-01-13')$$,
  '23P01', 'This closure overlaps the closure 12 Jan 2030', 'the clinic''s closures still may not overlap');

-- ---------------------------------------------------------------------------
-- Blocked time and the exclusion constraint, whichever path writes
-- ---------------------------------------------------------------------------

select tests.act_as('service_role');
select lives_ok($$
  insert into public.appointments (id, organisation_id, practitioner_id, service_id, contact_id, starts_at, ends_at, blocked_from, blocked_until)
  values ('ad000000-0000-4000-8000-0000000000ad', '0a000000-0000-4000-8000-00000000000a', 'a2000000-0000-4000-8000-0000000000a2',
    'a4000000-0000-4000-8000-0000000000a4', 'a6000000-0000-4000-8000-0000000000a6', '2030-01-07 10:00Z', '2030-01-07 10:30Z',
    '2030-01-07 10:00Z', '2030-01-07 10:00:01Z')
  $$, 'another practitioner can be booked at the same time');
select tests.stop_acting();
select is(
  (select tstzrange(a.blocked_from, a.blocked_until)::text from public.appointments a where a.id = 'ad000000-0000-4000-8000-0000000000ad'),
  tstzrange('2030-01-07 09:55Z', '2030-01-07 10:40Z')::text,
  'the blocked time is the start and end widened by the service''s buffers, whatever the writer sent');

update public.services set buffer_after_minutes = 30 where id = 'a4000000-0000-4000-8000-0000000000a4';
select is(
  (select a.blocked_until from public.appointments a where a.id = 'a7000000-0000-4000-8000-0000000000a7'),
  '2030-01-07 10:40Z'::timestamptz, 'changing a service''s buffers later leaves existing bookings as booked');
update public.services set buffer_after_minutes = 10 where id = 'a4000000-0000-4000-8000-0000000000a4';

-- Dr Hale is booked 10:00–10:30, blocking 09:55–10:40; a Check-up blocks 5 minutes before it starts.
prepare direct_insert(uuid, timestamptz) as
  insert into public.appointments (id, organisation_id, practitioner_id, service_id, contact_id, starts_at, ends_at)
  values ($1, '0a000000-0000-4000-8000-00000000000a', 'a1000000-0000-4000-8000-0000000000a1', 'a4000000-0000-4000-8000-0000000000a4',
    'a6000000-0000-4000-8000-0000000000a6', $2, $2 + interval '30 minutes');
select throws_ok($$execute direct_insert(gen_random_uuid(), '2030-01-07 10:15Z')$$, '23P01',
  'That time was just taken: Dr Hale is booked 10:00–10:30', 'an overlapping direct insert is refused, in words');
select throws_ok($$execute direct_insert(gen_random_uuid(), '2030-01-07 10:44Z')$$, '23P01',
  'That time was just taken: Dr Hale is booked 10:00–10:30', 'buffers count: 10:44 would block from 10:39, inside 10:40');
select throws_ok($$execute direct_insert(gen_random_uuid(), '2030-01-07 09:25Z')$$, '23P01',
  'That time was just taken: Dr Hale is booked 10:00–10:30', 'buffers count: ending 09:55 would block until 10:05');
select lives_ok($$execute direct_insert('ae000000-0000-4000-8000-0000000000ae', '2030-01-07 10:45Z')$$,
  'back to back with the buffers kept is allowed');

select throws_ok(
  $$update public.appointments set starts_at = '2030-01-07 10:20Z', ends_at = '2030-01-07 10:50Z' where id = 'ae000000-0000-4000-8000-0000000000ae'$$,
  '23P01', 'That time was just taken: Dr Hale is booked 10:00–10:30', 'moving a booking onto another is refused');
update public.appointments set status = 'cancelled' where id = 'a7000000-0000-4000-8000-0000000000a7';
select lives_ok($$execute direct_insert('af000000-0000-4000-8000-0000000000af', '2030-01-07 10:00Z')$$,
  'a cancelled booking''s time is free again');
select throws_ok(
  $$update public.appointments set status = 'booked' where id = 'a7000000-0000-4000-8000-0000000000a7'$$,
  '23P01', 'That time was just taken: Dr Hale is booked 10:00–10:30', 'a cancelled booking cannot be put back over a new one');
select is(
  (select row(a.status, a.cancelled_at is not null, a.status_changed_at is not null)::text
   from public.appointments a where a.id = 'a7000000-0000-4000-8000-0000000000a7'),
  '(cancelled,t,t)', 'cancelling records when');

-- The constraint, not the trigger, is the guarantee (two writers that both checked first).
alter table public.appointments disable trigger appointments_prepare;
select throws_ok($$
  insert into public.appointments (organisation_id, practitioner_id, service_id, contact_id, starts_at, ends_at, blocked_from, blocked_until)
  values ('0a000000-0000-4000-8000-00000000000a', 'a1000000-0000-4000-8000-0000000000a1', 'a4000000-0000-4000-8000-0000000000a4',
    'a6000000-0000-4000-8000-0000000000a6', '2030-01-07 10:10Z', '2030-01-07 10:20Z', '2030-01-07 10:10Z', '2030-01-07 10:20Z')
  $$, '23P01', 'conflicting key value violates exclusion constraint "appointments_no_double_booking"',
  'the exclusion constraint refuses an overlap on its own');
alter table public.appointments enable trigger appointments_prepare;

-- ---------------------------------------------------------------------------
-- book_appointment
-- ---------------------------------------------------------------------------

select tests.act_as('member@a.test');
prepare book(uuid, uuid, timestamptz, uuid) as
  select * from public.book_appointment('0a000000-0000-4000-8000-00000000000a', $1, $2, $3, $4, 'voice');
create temporary table booked as
  execute book('a4000000-0000-4000-8000-0000000000a4', 'a1000000-0000-4000-8000-0000000000a1', '2030-01-07 11:30Z', 'a5000000-0000-4000-8000-0000000000a5');
select is(
  (select row(b.ends_at, b.blocked_from, b.blocked_until, b.source, b.status, b.created_by = tests.user_id('member@a.test'))::text from booked b),
  row('2030-01-07 12:00Z'::timestamptz, '2030-01-07 11:25Z'::timestamptz, '2030-01-07 12:10Z'::timestamptz, 'voice', 'booked', true)::text,
  'a member books: the end from the service''s duration, the blocked time, the source and who booked');
select throws_ok($$execute book('a4000000-0000-4000-8000-0000000000a4', 'a1000000-0000-4000-8000-0000000000a1', '2030-01-07 11:00Z', 'a5000000-0000-4000-8000-0000000000a5')$$,
  '23P01', 'That time was just taken: Dr Hale is booked 10:45–11:15', 'a taken time is refused naming the booking, in the clinic''s time');
select throws_ok($$execute book('a4000000-0000-4000-8000-0000000000a4', 'a1000000-0000-4000-8000-0000000000a1', now() - interval '1 minute', 'a5000000-0000-4000-8000-0000000000a5')$$,
  '22023', 'An appointment must start in the future', 'a start in the past is refused');
select throws_ok($$execute book('a3000000-0000-4000-8000-0000000000a3', 'a1000000-0000-4000-8000-0000000000a1', '2030-01-08 11:00Z', 'a5000000-0000-4000-8000-0000000000a5')$$,
  '22023', 'Dr Hale does not perform X-ray', 'a practitioner who does not perform the service is refused');
select throws_ok($$execute book('b4000000-0000-4000-8000-0000000000b4', 'a1000000-0000-4000-8000-0000000000a1', '2030-01-08 11:00Z', 'a5000000-0000-4000-8000-0000000000a5')$$,
  'PT404', 'That service does not exist in this clinic', 'another clinic''s service is not found');
select throws_ok($$execute book('a4000000-0000-4000-8000-0000000000a4', 'b1000000-0000-4000-8000-0000000000b1', '2030-01-08 11:00Z', 'a5000000-0000-4000-8000-0000000000a5')$$,
  'PT404', 'That practitioner does not exist in this clinic', 'another clinic''s practitioner is not found');
select throws_ok($$execute book('a4000000-0000-4000-8000-0000000000a4', 'a1000000-0000-4000-8000-0000000000a1', '2030-01-08 11:00Z', 'b5000000-0000-4000-8000-0000000000b5')$$,
  'PT404', 'That patient does not exist in this clinic', 'another clinic''s patient is not found');
select tests.stop_acting();
update public.practitioners set active = false where id = 'a2000000-0000-4000-8000-0000000000a2';
update public.services set active = false where id = 'ac000000-0000-4000-8000-0000000000ac';
select tests.act_as('member@a.test');
select throws_ok($$execute book('a4000000-0000-4000-8000-0000000000a4', 'a2000000-0000-4000-8000-0000000000a2', '2030-01-08 11:00Z', 'a5000000-0000-4000-8000-0000000000a5')$$,
  '22023', 'Dr Spare is not taking bookings', 'an inactive practitioner is refused');
select throws_ok($$execute book('ac000000-0000-4000-8000-0000000000ac', 'a1000000-0000-4000-8000-0000000000a1', '2030-01-08 11:00Z', 'a5000000-0000-4000-8000-0000000000a5')$$,
  '22023', 'Polish is no longer offered', 'an inactive service is refused');

-- ---------------------------------------------------------------------------
-- cancel, reschedule, status
-- ---------------------------------------------------------------------------

select is(
  (select row(c.status, c.cancellation_reason)::text from public.cancel_appointment((select b.id from booked b), '  Feeling better ') c),
  '(cancelled,"Feeling better")', 'a member cancels with a reason');
select throws_ok($$select public.cancel_appointment((select b.id from booked b))$$,
  '22023', 'This appointment is cancelled already', 'cancelling twice is refused in words');
select lives_ok($$execute book('a4000000-0000-4000-8000-0000000000a4', 'a1000000-0000-4000-8000-0000000000a1', '2030-01-07 11:30Z', 'a6000000-0000-4000-8000-0000000000a6')$$,
  'the cancelled time can be booked again');
select throws_ok($$select public.reschedule_appointment((select b.id from booked b), '2030-01-08 09:00Z')$$,
  '22023', 'Only a booked appointment can be moved; this one is cancelled', 'a cancelled appointment cannot be moved');

select is(
  (select tstzrange(r.starts_at, r.ends_at)::text || ' ' || tstzrange(r.blocked_from, r.blocked_until)::text
   from public.reschedule_appointment('ae000000-0000-4000-8000-0000000000ae', '2030-01-08 09:00Z') r),
  tstzrange('2030-01-08 09:00Z', '2030-01-08 09:30Z')::text || ' ' || tstzrange('2030-01-08 08:55Z', '2030-01-08 09:40Z')::text,
  'rescheduling moves the one row and its blocked time');
select lives_ok($$select public.reschedule_appointment('ae000000-0000-4000-8000-0000000000ae', '2030-01-08 09:10Z')$$,
  'a booking can move over its own old time');
select throws_ok($$select public.reschedule_appointment('ae000000-0000-4000-8000-0000000000ae', '2030-01-07 10:20Z')$$,
  '23P01', 'That time was just taken: Dr Hale is booked 10:00–10:30', 'moving onto a taken time is refused in words');
select is((select a.starts_at from public.appointments a where a.id = 'ae000000-0000-4000-8000-0000000000ae'),
  '2030-01-08 09:10Z'::timestamptz, '… and the booking keeps its time');
select throws_ok($$select public.reschedule_appointment('ae000000-0000-4000-8000-0000000000ae', '2030-01-08 09:10Z', 'a2000000-0000-4000-8000-0000000000a2')$$,
  '22023', 'Dr Spare is not taking bookings', 'moving to an inactive practitioner is refused');
select lives_ok($$select public.reschedule_appointment('ae000000-0000-4000-8000-0000000000ae', '2030-01-07 10:05Z', (select p.id from public.practitioners p where p.organisation_id = '0a000000-0000-4000-8000-00000000000a' and p.display_name = 'Clinic A'))$$,
  'a booking can move to another practitioner at a time taken only for the first');
select throws_ok($$select public.reschedule_appointment('ae000000-0000-4000-8000-0000000000ae', now() - interval '1 hour')$$,
  '22023', 'An appointment must start in the future', 'moving into the past is refused');

select is((select s.status::text from public.set_appointment_status('a8000000-0000-4000-8000-0000000000a8', 'completed') s),
  'completed', 'a member marks a past appointment completed');
select is((select s.status::text from public.set_appointment_status('a8000000-0000-4000-8000-0000000000a8', 'no_show') s),
  'no_show', '… or no-show');
select is((select s.status::text from public.set_appointment_status('a8000000-0000-4000-8000-0000000000a8', 'booked') s),
  'booked', '… or back to booked');
select throws_ok($$select public.set_appointment_status('ae000000-0000-4000-8000-0000000000ae', 'no_show')$$,
  '22023', 'An appointment can be marked no-show only once it has started', 'a future appointment cannot be a no-show');
select throws_ok($$select public.set_appointment_status('ae000000-0000-4000-8000-0000000000ae', 'cancelled')$$,
  '22023', 'Cancel an appointment with cancel_appointment, which records the reason', 'cancelling goes through cancel_appointment');
select throws_ok($$select public.set_appointment_status('a7000000-0000-4000-8000-0000000000a7', 'booked')$$,
  '22023', 'A cancelled appointment cannot be changed', 'a cancelled appointment stays cancelled');
select throws_ok($$select public.set_appointment_status(gen_random_uuid(), 'completed')$$,
  'PT404', 'That appointment does not exist', 'an unknown appointment is not found');

-- ---------------------------------------------------------------------------
-- find_or_create_contact
-- ---------------------------------------------------------------------------

select is(
  (select row(c.id, c.name, c.email)::text from public.find_or_create_contact('0a000000-0000-4000-8000-00000000000a', '0044 7700 900001', 'Someone Else', ' Ann@Example.test ') c),
  row('a5000000-0000-4000-8000-0000000000a5'::uuid, 'Ann Lee', 'ann@example.test')::text,
  'the same number written differently finds the patient; a missing email is filled in, the name kept');
select is(
  (select row(c.phone, c.name, c.preferred_language)::text from public.find_or_create_contact('0a000000-0000-4000-8000-00000000000a', '+44 (20) 7946-0000', 'Cy New', null, 'ru') c),
  '(+442079460000,"Cy New",ru)', 'a new number creates the patient, in E.164');
select is((select count(*) from public.contacts c where c.phone = '+442079460000'), 1::bigint, '… once');
select throws_ok($$select public.find_or_create_contact('0a000000-0000-4000-8000-00000000000a', '12')$$,
  '22023', '"12" is not a phone number in international format', 'a number that is not one is refused in words');
select throws_ok($$select public.find_or_create_contact('0a000000-0000-4000-8000-00000000000a', '+447700900055', null, null, 'xx')$$,
  '22023', '"xx" is not a supported language', 'an unknown language is refused in words');
select throws_ok($$insert into public.contacts (organisation_id, phone) values ('0a000000-0000-4000-8000-00000000000a', '+44 7700 900 001')$$,
  '23505', null, 'one patient per number and clinic');
select tests.stop_acting();

-- ---------------------------------------------------------------------------
-- History stays: a booked service or practitioner is deactivated, not deleted
-- ---------------------------------------------------------------------------

select tests.act_as('admin@a.test');
select throws_ok($$delete from public.services where id = 'a4000000-0000-4000-8000-0000000000a4'$$,
  '23503', 'This service has appointments on record and cannot be removed', 'a booked service cannot be deleted, in words');
select throws_ok($$delete from public.practitioners where id = 'a1000000-0000-4000-8000-0000000000a1'$$,
  '23503', 'This practitioner has appointments on record and cannot be removed', 'a booked practitioner cannot be deleted, in words');
select tests.stop_acting();

-- ---------------------------------------------------------------------------
-- Audit: practitioners and booking rules are configuration
-- ---------------------------------------------------------------------------

select tests.act_as('admin@a.test');
insert into public.practitioners (organisation_id, display_name) values ('0a000000-0000-4000-8000-00000000000a', 'Dr Audit');
update public.booking_rules set min_notice_minutes = 60 where organisation_id = '0a000000-0000-4000-8000-00000000000a';
select tests.stop_acting();
select is(
  (select array_agg(a.details ->> 'display_name' order by a.id) from public.audit_log a
   where a.action = 'practitioner.created' and a.organisation_id = '0a000000-0000-4000-8000-00000000000a'),
  array['Dr Hale', 'Dr Spare', 'Dr Audit'], 'adding a practitioner is audited (the organisation''s own first one is not)');
select is(
  (select a.details -> 'changes' from public.audit_log a where a.action = 'booking_rules.updated' and a.organisation_id = '0a000000-0000-4000-8000-00000000000a'),
  '{"min_notice_minutes": {"to": 60, "from": 120}}'::jsonb, 'changing the booking rules is audited');

delete from public.organisations where id = '0a000000-0000-4000-8000-00000000000a';
select is((select count(*) from public.appointments a where a.organisation_id = '0a000000-0000-4000-8000-00000000000a'),
  0::bigint, 'deleting an organisation deletes its appointments, practitioners and services with it');

select * from finish();
rollback;
