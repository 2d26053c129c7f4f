-- Calendar push: the appointments' sync columns per role (members read them, only service code
-- writes them), the trigger that enqueues one pending push job per appointment for every change
-- Google must show (and none for other changes or while no calendar is connected), and
-- connecting a calendar enqueueing the backlog of upcoming bookings.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
\ir _tenancy_fixture.psql
\ir _booking_fixture.psql

select plan(68);

-- Pending push jobs of an appointment (the queue holds at most one while waiting).
create function tests.pending_pushes(appointment uuid)
returns bigint
language sql
as $$
  select count(*) from private.jobs j
  where j.kind = 'google.push_appointment' and j.dedupe_key = appointment::text and j.status = 'pending'
$$;

create function tests.sync_of(appointment uuid)
returns text
language sql
as $$
  select coalesce(a.calendar_sync::text, 'none') from public.appointments a where a.id = appointment
$$;

-- A worker took the waiting job (so the next change needs a new one).
create function tests.finish_pushes()
returns void
language sql
as $$
  update private.jobs set status = 'done', finished_at = now()
  where kind = 'google.push_appointment' and status = 'pending'
$$;

-- ---------------------------------------------------------------------------
-- Columns and who may write them
-- ---------------------------------------------------------------------------

select columns_are('public', 'appointments', array[
  'id', 'organisation_id', 'practitioner_id', 'service_id', 'contact_id', 'starts_at', 'ends_at',
  'blocked_from', 'blocked_until', 'status', 'source', 'created_by', 'cancellation_reason',
  'cancelled_at', 'status_changed_at', 'created_at', 'updated_at', 'calendar_sync',
  'calendar_sync_error', 'calendar_synced_at', 'calendar_event_calendar_id'],
  'appointments carry their calendar sync state');
select enum_has_labels('public', 'calendar_sync_state', array['pending', 'synced', 'failed'],
  'sync states: pending, synced, failed');

insert into tests.expectations values
  ('appointments sync state', 'select', $$select calendar_sync, calendar_sync_error, calendar_synced_at, calendar_event_calendar_id from public.appointments where id = 'a7000000-0000-4000-8000-0000000000a7'$$,
   'denied', 'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('appointments sync state', 'update calendar_sync', $$update public.appointments set calendar_sync = 'synced' where id = 'a7000000-0000-4000-8000-0000000000a7'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('appointments sync state', 'update calendar_sync_error', $$update public.appointments set calendar_sync_error = 'fine' where id = 'a7000000-0000-4000-8000-0000000000a7'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('appointments sync state', 'update calendar_synced_at', $$update public.appointments set calendar_synced_at = now() where id = 'a7000000-0000-4000-8000-0000000000a7'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('appointments sync state', 'update calendar_event_calendar_id', $$update public.appointments set calendar_event_calendar_id = 'x@a.test' where id = 'a7000000-0000-4000-8000-0000000000a7'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('appointments sync state', 'insert with a sync state', $$insert into public.appointments (organisation_id, practitioner_id, service_id, contact_id, starts_at, ends_at, calendar_sync) values ('0a000000-0000-4000-8000-00000000000a', 'a1000000-0000-4000-8000-0000000000a1', 'a4000000-0000-4000-8000-0000000000a4', 'a5000000-0000-4000-8000-0000000000a5', '2030-01-07 11:00Z', '2030-01-07 11:30Z', 'synced')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1');

select * from tests.access_matrix();   -- 42

-- ---------------------------------------------------------------------------
-- No calendar connected: no state, nothing enqueued
-- ---------------------------------------------------------------------------

select is(tests.sync_of('a7000000-0000-4000-8000-0000000000a7'), 'none',
  'without a connected calendar an appointment has no sync state');
select from tests.act_as('member@a.test');
select from public.reschedule_appointment('a7000000-0000-4000-8000-0000000000a7', '2030-01-07 10:15Z');
select from tests.stop_acting();
select is((select count(*) from private.jobs where kind = 'google.push_appointment'
  and organisation_id in ('0a000000-0000-4000-8000-00000000000a', '0b000000-0000-4000-8000-00000000000b')), 0::bigint,
  'a change while no calendar is connected enqueues nothing');

-- ---------------------------------------------------------------------------
-- Connecting enqueues the backlog: upcoming booked appointments not yet synced
-- ---------------------------------------------------------------------------

-- A second upcoming one that Google already shows, and a cancelled upcoming one.
insert into public.appointments (id, organisation_id, practitioner_id, service_id, contact_id, starts_at, ends_at, status) values
  ('ad000000-0000-4000-8000-0000000000ad', '0a000000-0000-4000-8000-00000000000a', 'a2000000-0000-4000-8000-0000000000a2',
   'a4000000-0000-4000-8000-0000000000a4', 'a6000000-0000-4000-8000-0000000000a6', '2030-01-08 10:00Z', '2030-01-08 10:30Z', 'booked'),
  ('ae000000-0000-4000-8000-0000000000ae', '0a000000-0000-4000-8000-00000000000a', 'a2000000-0000-4000-8000-0000000000a2',
   'a4000000-0000-4000-8000-0000000000a4', 'a6000000-0000-4000-8000-0000000000a6', '2030-01-09 10:00Z', '2030-01-09 10:30Z', 'cancelled');
update public.appointments set calendar_sync = 'synced' where id = 'ad000000-0000-4000-8000-0000000000ad';

insert into public.calendar_connections (id, organisation_id, account_email, calendar_id, status)
  values ('4a000000-0000-4000-8000-00000000004a', '0a000000-0000-4000-8000-00000000000a', 'desk@a.test', 'desk@a.test', 'active');

select results_eq(
  $$select dedupe_key, organisation_id, payload from private.jobs where kind = 'google.push_appointment'
    and organisation_id in ('0a000000-0000-4000-8000-00000000000a', '0b000000-0000-4000-8000-00000000000b')$$,
  $$values ('a7000000-0000-4000-8000-0000000000a7', '0a000000-0000-4000-8000-00000000000a'::uuid,
            '{"appointment_id": "a7000000-0000-4000-8000-0000000000a7"}'::jsonb)$$,
  'connecting pushes the upcoming booked appointment not yet synced (not the past, synced, cancelled or other clinic''s ones)');
select is(tests.sync_of('a7000000-0000-4000-8000-0000000000a7'), 'pending', '… which is now pending');
select is(tests.sync_of('a8000000-0000-4000-8000-0000000000a8'), 'none', '… the past one keeps no state');

-- ---------------------------------------------------------------------------
-- Each change Google must show enqueues one push per appointment
-- ---------------------------------------------------------------------------

select from tests.finish_pushes();
update public.appointments set calendar_sync = 'synced', calendar_sync_error = null, calendar_synced_at = now(),
  calendar_event_calendar_id = 'desk@a.test' where id = 'a7000000-0000-4000-8000-0000000000a7';
select is(tests.pending_pushes('a7000000-0000-4000-8000-0000000000a7'), 0::bigint,
  'recording the sync state enqueues nothing');

select from tests.act_as('member@a.test');
create temporary table booked on commit drop as
  select (public.book_appointment('0a000000-0000-4000-8000-00000000000a', 'a4000000-0000-4000-8000-0000000000a4',
    'a1000000-0000-4000-8000-0000000000a1', '2030-01-14 10:00Z', 'a6000000-0000-4000-8000-0000000000a6')).id;
select from tests.stop_acting();
select is(tests.pending_pushes((select id from booked)), 1::bigint, 'a booking enqueues a push');
select is(tests.sync_of((select id from booked)), 'pending', '… and is pending');

select from tests.act_as('member@a.test');
select from public.reschedule_appointment((select id from booked), '2030-01-14 11:00Z');
select from public.reschedule_appointment((select id from booked), '2030-01-14 11:30Z');
select from tests.stop_acting();
select is(tests.pending_pushes((select id from booked)), 1::bigint,
  'changes while its push waits share that one job');
select is((select run_after <= now() from private.jobs where dedupe_key = (select id::text from booked) and status = 'pending'),
  true, '… which is due');

select from tests.act_as('member@a.test');
select from public.reschedule_appointment('a7000000-0000-4000-8000-0000000000a7', '2030-01-07 10:30Z');
select from tests.stop_acting();
select is(tests.pending_pushes('a7000000-0000-4000-8000-0000000000a7'), 1::bigint, 'a reschedule enqueues a push');
select is(tests.sync_of('a7000000-0000-4000-8000-0000000000a7'), 'pending', '… and the synced appointment is pending again');

select from tests.finish_pushes();
select from tests.act_as('member@a.test');
select from public.reschedule_appointment('a7000000-0000-4000-8000-0000000000a7', '2030-01-07 10:30Z', 'a2000000-0000-4000-8000-0000000000a2');
select from tests.stop_acting();
select is(tests.pending_pushes('a7000000-0000-4000-8000-0000000000a7'), 1::bigint, 'a change of practitioner enqueues a push');

select from tests.finish_pushes();
update public.appointments set calendar_sync = 'synced' where id = 'a8000000-0000-4000-8000-0000000000a8';
select from tests.act_as('member@a.test');
select from public.set_appointment_status('a8000000-0000-4000-8000-0000000000a8', 'completed');
update public.appointments set cancellation_reason = 'note' where id = 'a8000000-0000-4000-8000-0000000000a8';
select from tests.stop_acting();
select is(tests.pending_pushes('a8000000-0000-4000-8000-0000000000a8'), 0::bigint,
  'completing an appointment (or any change Google does not show) enqueues nothing');
select is(tests.sync_of('a8000000-0000-4000-8000-0000000000a8'), 'synced', '… and keeps its state');

select from tests.act_as('member@a.test');
select from public.cancel_appointment('a7000000-0000-4000-8000-0000000000a7', 'Patient is away');
select from tests.stop_acting();
select is(tests.pending_pushes('a7000000-0000-4000-8000-0000000000a7'), 1::bigint, 'a cancellation enqueues a push');

-- ---------------------------------------------------------------------------
-- Waiting for re-authorisation still enqueues; disconnected does not
-- ---------------------------------------------------------------------------

select from tests.finish_pushes();
update public.calendar_connections set status = 'needs_reauth' where organisation_id = '0a000000-0000-4000-8000-00000000000a';
select from tests.act_as('member@a.test');
select from public.reschedule_appointment((select id from booked), '2030-01-14 12:00Z');
select from tests.stop_acting();
select is(tests.pending_pushes((select id from booked)), 1::bigint,
  'a change while the connection needs re-authorisation is enqueued (it waits, nothing is dropped)');

select from tests.finish_pushes();
update public.calendar_connections set status = 'disconnected' where organisation_id = '0a000000-0000-4000-8000-00000000000a';
select is(tests.sync_of((select id from booked)), 'none', 'disconnecting clears the sync state');
select from tests.act_as('member@a.test');
select from public.reschedule_appointment((select id from booked), '2030-01-14 12:30Z');
select from tests.stop_acting();
select is(tests.pending_pushes((select id from booked)), 0::bigint, 'a change while disconnected enqueues nothing');

update public.calendar_connections set status = 'active' where organisation_id = '0a000000-0000-4000-8000-00000000000a';
select set_eq(
  $$select dedupe_key from private.jobs where kind = 'google.push_appointment' and status = 'pending'
    and organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
  $$select id::text from booked union all values ('ad000000-0000-4000-8000-0000000000ad')$$,
  'reconnecting pushes every upcoming booked appointment Google may not show');

-- ---------------------------------------------------------------------------
-- Another calendar: a practitioner's own, or the clinic's
-- ---------------------------------------------------------------------------

select from tests.finish_pushes();
insert into public.google_calendars (organisation_id, calendar_id, summary, access_role)
  values ('0a000000-0000-4000-8000-00000000000a', 'spare@group.calendar.google.com', 'Dr Spare', 'owner');
update public.practitioners set google_calendar_id = 'spare@group.calendar.google.com'
  where id = 'a2000000-0000-4000-8000-0000000000a2';
select set_eq(
  $$select dedupe_key from private.jobs where kind = 'google.push_appointment' and status = 'pending'
    and organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
  $$values ('ad000000-0000-4000-8000-0000000000ad')$$,
  'a practitioner''s own calendar pushes their upcoming booked appointments (not cancelled or others'' ones)');
select is(tests.sync_of('ad000000-0000-4000-8000-0000000000ad'), 'pending', '… which are pending again');

select from tests.finish_pushes();
update public.calendar_connections set calendar_id = 'other@a.test'
  where organisation_id = '0a000000-0000-4000-8000-00000000000a';
select set_eq(
  $$select dedupe_key from private.jobs where kind = 'google.push_appointment' and status = 'pending'
    and organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
  $$select id::text from booked$$,
  'another calendar for the clinic pushes the upcoming appointments of practitioners without their own');

select from tests.finish_pushes();
delete from public.google_calendars where calendar_id = 'spare@group.calendar.google.com';
select is(tests.pending_pushes('ad000000-0000-4000-8000-0000000000ad'), 1::bigint,
  'a practitioner''s calendar leaving the account moves their appointments back to the clinic''s');

select * from finish();
rollback;
