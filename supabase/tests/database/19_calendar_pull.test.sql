-- Pull from Google: the mirrored busy time is read by members and written only by service code;
-- the watch state is service-only; availability_inputs counts each practitioner's own calendar
-- (else the connection's) while connected, never another calendar or organisation's; booking or
-- moving over a Google commitment is refused in words; connecting enqueues a watch and a pull per
-- calendar used, the backstop only what is due; the cron job is scheduled.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
\ir _tenancy_fixture.psql
\ir _booking_fixture.psql

-- A is connected (its account's primary calendar clinic-a@gmail.test); Dr Hale uses his own
-- calendar, Dr Spare and the default practitioner the connection's. B is connected too.
-- Monday 7 January 2030, London (UTC in January): Dr Hale has a meeting 11:00–11:30, the
-- clinic calendar a lunch 12:00–12:30; a calendar nobody uses is busy 09:00–09:30; B is busy
-- 14:00–14:30. Tuesday 8 January is a whole-day event in Dr Hale's calendar.
do $$
begin
  insert into public.calendar_connections (organisation_id, account_email, calendar_id, status) values
    ('0a000000-0000-4000-8000-00000000000a', 'clinic-a@gmail.test', 'clinic-a@gmail.test', 'active'),
    ('0b000000-0000-4000-8000-00000000000b', 'clinic-b@gmail.test', 'clinic-b@gmail.test', 'active');
  insert into public.google_calendars (organisation_id, calendar_id, summary, is_primary, time_zone, access_role) values
    ('0a000000-0000-4000-8000-00000000000a', 'clinic-a@gmail.test', 'Clinic A', true, 'Europe/London', 'owner'),
    ('0a000000-0000-4000-8000-00000000000a', 'hale@gmail.test', 'Dr Hale', false, 'Europe/London', 'writer'),
    ('0a000000-0000-4000-8000-00000000000a', 'unused@gmail.test', 'Unused', false, 'Europe/London', 'writer');
  update public.practitioners set google_calendar_id = 'hale@gmail.test'
  where id = 'a1000000-0000-4000-8000-0000000000a1';
  insert into public.calendar_busy_blocks (organisation_id, calendar_id, event_id, starts_at, ends_at) values
    ('0a000000-0000-4000-8000-00000000000a', 'hale@gmail.test', 'meeting', '2030-01-07 11:00Z', '2030-01-07 11:30Z'),
    ('0a000000-0000-4000-8000-00000000000a', 'hale@gmail.test', 'away', '2030-01-08 00:00Z', '2030-01-09 00:00Z'),
    ('0a000000-0000-4000-8000-00000000000a', 'clinic-a@gmail.test', 'lunch', '2030-01-07 12:00Z', '2030-01-07 12:30Z'),
    ('0a000000-0000-4000-8000-00000000000a', 'unused@gmail.test', 'elsewhere', '2030-01-07 09:00Z', '2030-01-07 09:30Z'),
    ('0b000000-0000-4000-8000-00000000000b', 'clinic-b@gmail.test', 'b-event', '2030-01-07 14:00Z', '2030-01-07 14:30Z');
  insert into private.calendar_pulls (organisation_id, calendar_id, channel_id, resource_id, channel_token_sha256, channel_expires_at, last_pulled_at) values
    ('0a000000-0000-4000-8000-00000000000a', 'hale@gmail.test', 'c0000000-0000-4000-8000-0000000000c0', 'resource',
     sha256('token'), now() + interval '3 days', now());
end
$$;

insert into tests.expectations
select relation, operation, statement, 'denied', outsider, member, admin, owner, other_owner, service
from (values
  ('calendar_busy_blocks', 'select', $$select event_id from public.calendar_busy_blocks where event_id = 'meeting'$$,
   'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('calendar_busy_blocks', 'insert', $$insert into public.calendar_busy_blocks (organisation_id, calendar_id, event_id, starts_at, ends_at) values ('0a000000-0000-4000-8000-00000000000a', 'hale@gmail.test', 'forged', '2030-01-07 15:00Z', '2030-01-07 16:00Z')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('calendar_busy_blocks', 'update', $$update public.calendar_busy_blocks set ends_at = '2030-01-07 18:00Z' where event_id = 'meeting'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('calendar_busy_blocks', 'delete', $$delete from public.calendar_busy_blocks where event_id = 'meeting'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('calendar_pulls', 'select', $$select channel_token_sha256 from private.calendar_pulls where calendar_id = 'hale@gmail.test'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('calendar_pulls', 'update', $$update private.calendar_pulls set channel_token_sha256 = sha256('mine') where calendar_id = 'hale@gmail.test'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('enqueue_calendar_backstop', 'call', $$select private.enqueue_calendar_backstop()$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('enqueue_calendar_pulls', 'call', $$select private.enqueue_calendar_pulls('0a000000-0000-4000-8000-00000000000a', true)$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1')
) as t(relation, operation, statement, outsider, member, admin, owner, other_owner, service);

-- The busy time availability_inputs gives `who` for 7–8 January 2030: each (calendar or
-- booked) range, named by practitioner, as "DD HH:MI–DD HH:MI" in UTC.
create function tests.busy_ranges(who text, from_calendar boolean) returns setof text
language plpgsql as $$
declare
  inputs jsonb;
begin
  perform tests.act_as(who);
  inputs := public.availability_inputs('0a000000-0000-4000-8000-00000000000a',
    'a4000000-0000-4000-8000-0000000000a4', '2030-01-07', '2030-01-08');
  perform tests.stop_acting();
  return query
    select format('%s %s–%s', p.display_name, to_char(lower(b.busy) at time zone 'UTC', 'DD HH24:MI'),
      to_char(upper(b.busy) at time zone 'UTC', 'DD HH24:MI'))
    from tests.busy_of(inputs) b
    join public.practitioners p on p.id = b.practitioner_id
    where b.calendar = from_calendar
    order by 1;
end
$$;

select plan(tests.access_matrix_size() + 20);

select * from tests.access_matrix();

-- Availability
select results_eq(
  $$select * from tests.busy_ranges('member@a.test', true)$$,
  $$values ('Clinic A 07 12:00–07 12:30'), ('Dr Hale 07 11:00–07 11:30'), ('Dr Hale 08 00:00–09 00:00'),
    ('Dr Spare 07 12:00–07 12:30')$$,
  'availability counts each practitioner''s own calendar, else the connection''s; no unused calendar, no other clinic''s');
select results_eq(
  $$select * from tests.busy_ranges('member@a.test', false)$$,
  $$values ('Dr Hale 07 09:55–07 10:40')$$, 'the clinic''s own booking is still busy, once');

update public.calendar_connections set status = 'needs_reauth' where organisation_id = '0a000000-0000-4000-8000-00000000000a';
select is((select count(*)::int from tests.busy_ranges('member@a.test', true)), 4,
  'while Google waits for reauthorisation the mirror still counts');
update public.calendar_connections set status = 'active' where organisation_id = '0a000000-0000-4000-8000-00000000000a';

-- Dr Hale's calendar also has a stand-up touching the meeting, a call overlapping the stand-up
-- (ending on a half minute), preparation just before his booking, and events outside the days
-- asked (with the day either side: 6–9 January).
insert into public.calendar_busy_blocks (organisation_id, calendar_id, event_id, starts_at, ends_at) values
  ('0a000000-0000-4000-8000-00000000000a', 'hale@gmail.test', 'stand-up', '2030-01-07 11:30Z', '2030-01-07 11:45Z'),
  ('0a000000-0000-4000-8000-00000000000a', 'hale@gmail.test', 'call', '2030-01-07 11:40Z', '2030-01-07 12:05:30Z'),
  ('0a000000-0000-4000-8000-00000000000a', 'hale@gmail.test', 'prep', '2030-01-07 09:30Z', '2030-01-07 09:55Z'),
  ('0a000000-0000-4000-8000-00000000000a', 'hale@gmail.test', 'before', '2030-01-05 09:00Z', '2030-01-06 00:00Z'),
  ('0a000000-0000-4000-8000-00000000000a', 'hale@gmail.test', 'after', '2030-01-10 00:00Z', '2030-01-10 01:00Z');
select results_eq(
  $$select * from tests.busy_ranges('member@a.test', true)$$,
  $$values ('Clinic A 07 12:00–07 12:30'), ('Dr Hale 07 09:30–07 09:55'), ('Dr Hale 07 11:00–07 12:05'),
    ('Dr Hale 08 00:00–09 00:00'), ('Dr Spare 07 12:00–07 12:30')$$,
  'a calendar''s overlapping and touching events come as one range; events outside the days asked not at all');
select results_eq(
  $$select * from tests.busy_ranges('member@a.test', false)$$,
  $$values ('Dr Hale 07 09:55–07 10:40')$$,
  'a booking stays its own range beside calendar time touching it (a move leaves out exactly its own)');
select tests.act_as('member@a.test');
select is(
  (select r from jsonb_array_elements(public.availability_inputs('0a000000-0000-4000-8000-00000000000a',
      'a4000000-0000-4000-8000-0000000000a4', '2030-01-07', '2030-01-08') -> 'busy') e,
    jsonb_array_elements(e -> 'ranges') r
   where e ->> 'practitionerId' = 'a1000000-0000-4000-8000-0000000000a1' and e ? 'calendar'
     and (r ->> 0)::bigint = 1894014000000),
  '[1894014000000, 1894017930000]'::jsonb,
  'busy ranges are [from, until) in exact epoch milliseconds (11:00 to 12:05:30)');
select tests.stop_acting();
delete from public.calendar_busy_blocks where event_id in ('stand-up', 'call', 'prep', 'before', 'after');

-- Booking over a commitment
select tests.act_as('member@a.test');
select throws_ok(
  $$select public.book_appointment('0a000000-0000-4000-8000-00000000000a', 'a4000000-0000-4000-8000-0000000000a4', 'a1000000-0000-4000-8000-0000000000a1', '2030-01-07 11:15Z', 'a6000000-0000-4000-8000-0000000000a6')$$,
  '23P01', 'Dr Hale has another commitment in Google Calendar at 11:00–11:30',
  'booking over a Google event is refused in words a person can act on');
select throws_ok(
  $$select public.book_appointment('0a000000-0000-4000-8000-00000000000a', 'a4000000-0000-4000-8000-0000000000a4', 'a1000000-0000-4000-8000-0000000000a1', '2030-01-07 11:34Z', 'a6000000-0000-4000-8000-0000000000a6')$$,
  '23P01', 'Dr Hale has another commitment in Google Calendar at 11:00–11:30',
  'the buffer before counts: 11:34 needs Dr Hale from 11:29');
select throws_ok(
  $$select public.book_appointment('0a000000-0000-4000-8000-00000000000a', 'a4000000-0000-4000-8000-0000000000a4', 'a1000000-0000-4000-8000-0000000000a1', '2030-01-08 10:00Z', 'a6000000-0000-4000-8000-0000000000a6')$$,
  '23P01', 'Dr Hale has another commitment in Google Calendar all day on Tuesday 8 January',
  'a whole-day event is worded as a day');
select throws_ok(
  $$select public.reschedule_appointment('a7000000-0000-4000-8000-0000000000a7', '2030-01-07 11:00Z')$$,
  '23P01', 'Dr Hale has another commitment in Google Calendar at 11:00–11:30',
  'moving onto a Google event is refused the same way');
select lives_ok(
  $$select public.book_appointment('0a000000-0000-4000-8000-00000000000a', 'a4000000-0000-4000-8000-0000000000a4', 'a1000000-0000-4000-8000-0000000000a1', '2030-01-07 11:35Z', 'a6000000-0000-4000-8000-0000000000a6')$$,
  'right after the event (buffer included) books');
select lives_ok(
  $$select public.book_appointment('0a000000-0000-4000-8000-00000000000a', 'a4000000-0000-4000-8000-0000000000a4', 'a2000000-0000-4000-8000-0000000000a2', '2030-01-07 11:00Z', 'a6000000-0000-4000-8000-0000000000a6')$$,
  'another practitioner, whose calendar is free then, books');
select tests.stop_acting();
-- Staff add an event over an existing booking: it stays, and can still be cancelled.
insert into public.calendar_busy_blocks (organisation_id, calendar_id, event_id, starts_at, ends_at) values
  ('0a000000-0000-4000-8000-00000000000a', 'hale@gmail.test', 'late-addition', '2030-01-07 10:00Z', '2030-01-07 10:30Z');
select tests.act_as('member@a.test');
select lives_ok($$select public.cancel_appointment('a7000000-0000-4000-8000-0000000000a7', 'Dentist away')$$,
  'an appointment under a later Google event can still be cancelled');
select tests.stop_acting();

-- Jobs: connecting enqueues a watch and a pull per calendar used (dedupe: once each)
select results_eq(
  $$select kind, payload->>'calendar_id', dedupe_key from private.jobs
    where organisation_id = '0a000000-0000-4000-8000-00000000000a' and kind like 'google.%_calendar'
    order by 1, 2$$,
  $$values ('google.pull_calendar', 'clinic-a@gmail.test', '0a000000-0000-4000-8000-00000000000a:clinic-a@gmail.test'),
    ('google.pull_calendar', 'hale@gmail.test', '0a000000-0000-4000-8000-00000000000a:hale@gmail.test'),
    ('google.watch_calendar', 'clinic-a@gmail.test', '0a000000-0000-4000-8000-00000000000a:clinic-a@gmail.test'),
    ('google.watch_calendar', 'hale@gmail.test', '0a000000-0000-4000-8000-00000000000a:hale@gmail.test')$$,
  'connecting (and reconnecting) enqueues a watch and a pull for each calendar in use, once');

update public.practitioners set google_calendar_id = 'unused@gmail.test'
where id = 'a2000000-0000-4000-8000-0000000000a2';
select is((select count(*)::int from private.jobs where kind like 'google.%_calendar'
  and payload->>'calendar_id' = 'unused@gmail.test'), 2,
  'a practitioner moved to another calendar: it is watched and pulled');

-- The backstop, for clinic A (other clinics, e.g. the seed's, may be due too).
create function tests.a_jobs() returns setof text language sql as $$
  select kind || ' ' || (payload->>'calendar_id') from private.jobs
  where organisation_id = '0a000000-0000-4000-8000-00000000000a' order by 1
$$;
delete from private.jobs;
do $$ begin perform private.enqueue_calendar_backstop(); end $$;
select results_eq('select * from tests.a_jobs()',
  $$values ('google.pull_calendar clinic-a@gmail.test'), ('google.pull_calendar unused@gmail.test'),
    ('google.watch_calendar clinic-a@gmail.test'), ('google.watch_calendar unused@gmail.test')$$,
  'the backstop pulls and watches the calendars never pulled, and leaves one pulled just now with a live channel alone');
do $$ begin perform private.enqueue_calendar_backstop(); end $$;
select is((select count(*)::int from tests.a_jobs()), 4, 'run again, nothing piles up (dedupe keys)');

update private.calendar_pulls set last_pulled_at = now() - interval '6 minutes', channel_expires_at = now() + interval '2 hours';
delete from private.jobs;
do $$ begin perform private.enqueue_calendar_backstop(); end $$;
select results_eq(
  $$select * from tests.a_jobs() a where a like '%hale@gmail.test'$$,
  $$values ('google.pull_calendar hale@gmail.test'), ('google.watch_calendar hale@gmail.test')$$,
  'a stale pull is repeated and a channel expiring within a day renewed');

select is((select schedule from cron.job where jobname = 'frontdesk-calendar-pull'), '* * * * *',
  'the backstop is scheduled every minute');

-- Disconnecting forgets the mirror.
update public.calendar_connections set status = 'disconnected' where organisation_id = '0a000000-0000-4000-8000-00000000000a';
select is((select count(*)::int from public.calendar_busy_blocks where organisation_id = '0a000000-0000-4000-8000-00000000000a'), 0,
  'a disconnected clinic''s mirrored busy time is deleted');

select * from finish();
rollback;
