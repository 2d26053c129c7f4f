-- Calls, the appointments they made, callback tasks and the numbers' connection to Vapi: who may
-- do what (members read calls and work tasks, service code writes), tenant-bound references,
-- the jobs that enabling, disabling and removing a voice number enqueue, the Retry RPC, and the
-- aggregated audit of decrypts.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
\ir _channels_fixture.psql
\ir _booking_fixture.psql

select plan(163);

insert into public.calls (id, organisation_id, twilio_call_sid, from_e164, to_e164, started_at, ended_at, status) values
  ('ca000000-0000-4000-8000-0000000000ca', '0a000000-0000-4000-8000-00000000000a', 'CA' || repeat('a', 32),
   '+447700900001', '+442079460001', '2030-01-01 10:00Z', '2030-01-01 10:01:35Z', 'ended'),
  ('cb000000-0000-4000-8000-0000000000cb', '0b000000-0000-4000-8000-00000000000b', 'CA' || repeat('b', 32),
   '+37120000001', '+37167000001', null, null, 'ringing');
insert into public.call_appointments (organisation_id, call_id, appointment_id, action) values
  ('0a000000-0000-4000-8000-00000000000a', 'ca000000-0000-4000-8000-0000000000ca', 'a7000000-0000-4000-8000-0000000000a7', 'booked'),
  ('0b000000-0000-4000-8000-00000000000b', 'cb000000-0000-4000-8000-0000000000cb', 'b7000000-0000-4000-8000-0000000000b7', 'booked');
insert into public.callback_tasks (id, organisation_id, call_id, kind, caller_name, callback_e164, reason) values
  ('da000000-0000-4000-8000-0000000000da', '0a000000-0000-4000-8000-00000000000a', 'ca000000-0000-4000-8000-0000000000ca',
   'message', 'Ann Lee', '+447700900001', 'Wants a call about her results'),
  ('db000000-0000-4000-8000-0000000000db', '0b000000-0000-4000-8000-00000000000b', 'cb000000-0000-4000-8000-0000000000cb',
   'voicemail', null, '+37120000001', '');

create function tests.number_of(organisation uuid)
returns uuid
language sql
as $$
  select p.id from public.phone_numbers p where p.organisation_id = organisation order by p.created_at limit 1
$$;

-- Pending jobs of a kind for a number, and the newest one's payload.
create function tests.pending_jobs(wanted text, number_id uuid)
returns bigint
language sql
as $$
  select count(*) from private.jobs j
  where j.kind = wanted and j.dedupe_key = number_id::text and j.status = 'pending'
$$;

create function tests.last_payload(wanted text, number_id uuid)
returns jsonb
language sql
as $$
  select j.payload from private.jobs j
  where j.kind = wanted and j.dedupe_key = number_id::text
  order by j.id desc limit 1
$$;

grant execute on all functions in schema tests to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------
-- Who may do what
-- ---------------------------------------------------------------------------

insert into tests.expectations values
  ('calls', 'select', $$select id from public.calls where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('calls', 'insert', $$insert into public.calls (organisation_id, vapi_call_id) values ('0a000000-0000-4000-8000-00000000000a', 'vapi-x')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('calls', 'update', $$update public.calls set summary = 'x' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('calls', 'delete', $$delete from public.calls where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('call_appointments', 'select', $$select id from public.call_appointments where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('call_appointments', 'insert', $$insert into public.call_appointments (organisation_id, call_id, appointment_id, action) values ('0a000000-0000-4000-8000-00000000000a', 'ca000000-0000-4000-8000-0000000000ca', 'a8000000-0000-4000-8000-0000000000a8', 'cancelled')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('call_appointments', 'delete', $$delete from public.call_appointments where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('callback_tasks', 'select', $$select id from public.callback_tasks where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('callback_tasks', 'insert', $$insert into public.callback_tasks (organisation_id, kind) values ('0a000000-0000-4000-8000-00000000000a', 'message')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('callback_tasks', 'update status', $$update public.callback_tasks set status = 'done' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('callback_tasks', 'update assigned_to', $$update public.callback_tasks set assigned_to = tests.user_id('member@a.test') where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('callback_tasks', 'update done_by', $$update public.callback_tasks set done_by = null where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('callback_tasks', 'update reason', $$update public.callback_tasks set reason = 'x' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('callback_tasks', 'delete', $$delete from public.callback_tasks where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('phone_numbers', 'select connection', $$select voice_connection, voice_connection_error, vapi_phone_number_id from public.phone_numbers where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('phone_numbers', 'update connection', $$update public.phone_numbers set voice_connection = 'connected', vapi_phone_number_id = 'v' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('rpc', 'retry_voice_connection', $$select public.retry_voice_connection(tests.number_of('0a000000-0000-4000-8000-00000000000a'))$$,
   'denied', 'error:PT404', 'denied', 'rows:1', 'rows:1', 'error:PT404', 'error:PT404');

select * from tests.access_matrix();

-- ---------------------------------------------------------------------------
-- Calls, their appointments and tasks stay in their organisation
-- ---------------------------------------------------------------------------

select is((select duration_seconds from public.calls where id = 'ca000000-0000-4000-8000-0000000000ca'), 95,
  'a call''s duration is computed from its start and end');
select throws_ok(
  $$insert into public.calls (organisation_id) values ('0a000000-0000-4000-8000-00000000000a')$$,
  '23514', null, 'a call has a Twilio CallSid or a Vapi call id');
select throws_ok(
  $$insert into public.calls (organisation_id, vapi_call_id) values ('0b000000-0000-4000-8000-00000000000b', 'v-1'), ('0a000000-0000-4000-8000-00000000000a', 'v-1')$$,
  '23505', null, 'a Vapi call id belongs to one call');
select throws_ok(
  $$insert into public.calls (organisation_id, vapi_call_id, contact_id) values ('0a000000-0000-4000-8000-00000000000a', 'v-2', 'b5000000-0000-4000-8000-0000000000b5')$$,
  '23503', null, 'a call cannot name another clinic''s contact');
select throws_ok(
  $$insert into public.calls (organisation_id, vapi_call_id, phone_number_id) values ('0a000000-0000-4000-8000-00000000000a', 'v-3', tests.number_of('0b000000-0000-4000-8000-00000000000b'))$$,
  '23503', null, 'a call cannot name another clinic''s number');
select throws_ok(
  $$insert into public.call_appointments (organisation_id, call_id, appointment_id, action) values ('0a000000-0000-4000-8000-00000000000a', 'ca000000-0000-4000-8000-0000000000ca', 'b7000000-0000-4000-8000-0000000000b7', 'booked')$$,
  '23503', null, 'a call cannot be linked to another clinic''s appointment');
select throws_ok(
  $$insert into public.call_appointments (organisation_id, call_id, appointment_id, action) values ('0a000000-0000-4000-8000-00000000000a', 'ca000000-0000-4000-8000-0000000000ca', 'a7000000-0000-4000-8000-0000000000a7', 'message_taken')$$,
  '23514', null, 'a call''s appointment was booked, rescheduled or cancelled, nothing else');
select throws_ok(
  $$insert into public.callback_tasks (organisation_id, call_id, kind) values ('0a000000-0000-4000-8000-00000000000a', 'ca000000-0000-4000-8000-0000000000ca', 'message')$$,
  '23505', null, 'one message per call');
select throws_ok(
  $$insert into public.callback_tasks (organisation_id, call_id, kind) values ('0a000000-0000-4000-8000-00000000000a', 'cb000000-0000-4000-8000-0000000000cb', 'message')$$,
  '23503', null, 'a task cannot name another clinic''s call');

update public.calls set contact_id = 'a6000000-0000-4000-8000-0000000000a6' where id = 'ca000000-0000-4000-8000-0000000000ca';
delete from public.contacts where id = 'a6000000-0000-4000-8000-0000000000a6';
select is((select contact_id from public.calls where id = 'ca000000-0000-4000-8000-0000000000ca'), null,
  'a removed contact leaves the call, without its contact');

-- ---------------------------------------------------------------------------
-- Working a task: done by whom and when comes from the caller
-- ---------------------------------------------------------------------------

select tests.act_as('member@a.test');
update public.callback_tasks set status = 'done' where id = 'da000000-0000-4000-8000-0000000000da';
select tests.stop_acting();
select is(
  (select done_by from public.callback_tasks where id = 'da000000-0000-4000-8000-0000000000da'),
  tests.user_id('member@a.test'), 'marking a task done records who did it');
select isnt((select done_at from public.callback_tasks where id = 'da000000-0000-4000-8000-0000000000da'), null,
  '… and when');
select tests.act_as('admin@a.test');
update public.callback_tasks set assigned_to = tests.user_id('admin@a.test') where id = 'da000000-0000-4000-8000-0000000000da';
select tests.stop_acting();
select is(
  (select done_by from public.callback_tasks where id = 'da000000-0000-4000-8000-0000000000da'),
  tests.user_id('member@a.test'), 'assigning a done task keeps who did it');
select tests.act_as('admin@a.test');
update public.callback_tasks set status = 'open' where id = 'da000000-0000-4000-8000-0000000000da';
select tests.stop_acting();
select is(
  (select row(done_by, done_at)::text from public.callback_tasks where id = 'da000000-0000-4000-8000-0000000000da'),
  row(null::uuid, null::timestamptz)::text, 'reopening a task clears who did it and when');
select is(
  tests.attempt('admin@a.test', $$update public.callback_tasks set assigned_to = tests.user_id('owner@b.test') where id = 'da000000-0000-4000-8000-0000000000da'$$),
  'error:22023', 'a task is assigned only to a member of its clinic');

-- ---------------------------------------------------------------------------
-- Connecting numbers: the triggers enqueue the jobs
-- ---------------------------------------------------------------------------

select is(
  (select voice_connection::text from public.phone_numbers where id = tests.number_of('0a000000-0000-4000-8000-00000000000a')),
  'pending', 'a new voice number is pending');
select is(tests.pending_jobs('vapi.connect_number', tests.number_of('0a000000-0000-4000-8000-00000000000a')), 1::bigint,
  '… with a connect job');
select is(tests.last_payload('vapi.connect_number', tests.number_of('0a000000-0000-4000-8000-00000000000a')),
  jsonb_build_object('phone_number_id', tests.number_of('0a000000-0000-4000-8000-00000000000a')),
  '… naming the number');

-- The job's own writes enqueue nothing.
update public.phone_numbers
set voice_connection = 'connected', vapi_phone_number_id = 'vapi-a', twilio_number_sid = 'PN' || repeat('a', 32)
where organisation_id = '0a000000-0000-4000-8000-00000000000a';
update private.jobs set status = 'done', finished_at = now() where kind like 'vapi.%';
select is((select count(*) from private.jobs where kind like 'vapi.%' and status = 'pending'), 0::bigint,
  'recording a connection enqueues nothing');

select tests.act_as('admin@a.test');
update public.phone_numbers set voice_enabled = false, messaging_enabled = true
where organisation_id = '0a000000-0000-4000-8000-00000000000a';
update public.phone_numbers set label = 'Front desk' where organisation_id = '0a000000-0000-4000-8000-00000000000a';
select tests.stop_acting();
select is(tests.pending_jobs('vapi.disconnect_number', tests.number_of('0a000000-0000-4000-8000-00000000000a')), 1::bigint,
  'turning calls off enqueues a disconnect job (and a new label nothing more)');
select is(tests.last_payload('vapi.disconnect_number', tests.number_of('0a000000-0000-4000-8000-00000000000a')),
  jsonb_build_object(
    'phone_number_id', tests.number_of('0a000000-0000-4000-8000-00000000000a'), 'e164', '+442079460001',
    'twilio_account_id', '2a000000-0000-4000-8000-00000000002a', 'account_sid', 'AC' || repeat('a', 32),
    'vapi_phone_number_id', 'vapi-a', 'twilio_number_sid', 'PN' || repeat('a', 32)),
  '… carrying what undoing both sides needs');
select is(
  (select row(voice_connection, vapi_phone_number_id, twilio_number_sid)::text from public.phone_numbers
   where organisation_id = '0a000000-0000-4000-8000-00000000000a'),
  row('disconnected'::public.voice_connection_state, null::text, null::text)::text,
  '… and the number is disconnected');
select is(tests.pending_jobs('vapi.connect_number', tests.number_of('0a000000-0000-4000-8000-00000000000a')), 0::bigint,
  '… with no connect job');

select tests.act_as('owner@a.test');
update public.phone_numbers set voice_enabled = true where organisation_id = '0a000000-0000-4000-8000-00000000000a';
update public.phone_numbers set voice_enabled = false where organisation_id = '0a000000-0000-4000-8000-00000000000a';
update public.phone_numbers set voice_enabled = true where organisation_id = '0a000000-0000-4000-8000-00000000000a';
select tests.stop_acting();
select is(tests.pending_jobs('vapi.connect_number', tests.number_of('0a000000-0000-4000-8000-00000000000a')), 1::bigint,
  'turning calls on again and again enqueues one connect job');
select is(
  (select voice_connection::text from public.phone_numbers where organisation_id = '0a000000-0000-4000-8000-00000000000a'),
  'pending', '… and the number is pending');

-- Another number for a connected row (operators change it): disconnected under the old,
-- connected under the new.
update private.jobs set status = 'done', finished_at = now() where kind like 'vapi.%';
update public.phone_numbers set voice_connection = 'connected', vapi_phone_number_id = 'vapi-a'
where organisation_id = '0a000000-0000-4000-8000-00000000000a';
update public.phone_numbers set e164 = '+44 20 7946 0002' where organisation_id = '0a000000-0000-4000-8000-00000000000a';
select is(
  (select payload ->> 'e164' || ' ' || (payload ->> 'vapi_phone_number_id') from private.jobs
   where kind = 'vapi.disconnect_number' and status = 'pending'),
  '+442079460001 vapi-a', 'a changed number disconnects the old one');
select is(tests.pending_jobs('vapi.connect_number', tests.number_of('0a000000-0000-4000-8000-00000000000a')), 1::bigint,
  '… and connects the new one');

-- Retry: owners and admins, only for a number that answers calls.
update private.jobs set status = 'done', finished_at = now() where kind like 'vapi.%';
update public.phone_numbers set voice_connection = 'failed', voice_connection_error = 'Vapi did not answer'
where organisation_id = '0a000000-0000-4000-8000-00000000000a';
select tests.act_as('admin@a.test');
select is(
  (select row(voice_connection, voice_connection_error)::text
   from public.retry_voice_connection(tests.number_of('0a000000-0000-4000-8000-00000000000a'))),
  row('pending'::public.voice_connection_state, null::text)::text, 'Retry makes a failed number pending again');
select tests.stop_acting();
select is(tests.pending_jobs('vapi.connect_number', tests.number_of('0a000000-0000-4000-8000-00000000000a')), 1::bigint,
  '… with a connect job');
select tests.act_as('owner@a.test');
update public.phone_numbers set voice_enabled = false, messaging_enabled = true where organisation_id = '0a000000-0000-4000-8000-00000000000a';
select throws_ok(
  $$select public.retry_voice_connection(tests.number_of('0a000000-0000-4000-8000-00000000000a'))$$,
  '22023', '+442079460002 does not answer calls', 'Retry refuses a number with calls off');
select tests.stop_acting();

-- A new escalation phone reaches Vapi: connected numbers are connected again.
update private.jobs set status = 'done', finished_at = now() where kind like 'vapi.%';
select tests.act_as('owner@b.test');
update public.assistant_settings set escalation_phone = '+37120000009' where organisation_id = '0b000000-0000-4000-8000-00000000000b';
select tests.stop_acting();
select is(tests.pending_jobs('vapi.connect_number', tests.number_of('0b000000-0000-4000-8000-00000000000b')), 1::bigint,
  'a new escalation phone connects the clinic''s voice numbers again');
select is(tests.pending_jobs('vapi.connect_number', tests.number_of('0a000000-0000-4000-8000-00000000000a')), 0::bigint,
  '… and no other clinic''s');

-- Removing a number, or its whole organisation, disconnects it.
update private.jobs set status = 'done', finished_at = now() where kind like 'vapi.%';
update public.phone_numbers set vapi_phone_number_id = 'vapi-b', voice_connection = 'connected'
where organisation_id = '0b000000-0000-4000-8000-00000000000b';
insert into public.twilio_accounts (id, organisation_id, account_sid) values
  ('2c000000-0000-4000-8000-00000000002c', '0c000000-0000-4000-8000-00000000000c', 'AC' || repeat('c', 32));
insert into public.phone_numbers (organisation_id, twilio_account_id, e164) values
  ('0c000000-0000-4000-8000-00000000000c', '2c000000-0000-4000-8000-00000000002c', '+442079460099');
create temp table removed_c as select tests.number_of('0c000000-0000-4000-8000-00000000000c') as id;
select tests.act_as('owner@b.test');
delete from public.phone_numbers where organisation_id = '0b000000-0000-4000-8000-00000000000b';
select tests.stop_acting();
select is(
  (select organisation_id::text || ' ' || (payload ->> 'vapi_phone_number_id') from private.jobs
   where kind = 'vapi.disconnect_number' and status = 'pending' and payload ->> 'e164' = '+37167000001'),
  '0b000000-0000-4000-8000-00000000000b vapi-b', 'removing a number disconnects it');
delete from public.organisations where id = '0c000000-0000-4000-8000-00000000000c';
select is(
  (select coalesce(organisation_id::text, 'no clinic') || ' ' || (payload ->> 'e164') from private.jobs
   where kind = 'vapi.disconnect_number' and dedupe_key = (select id::text from removed_c)),
  'no clinic +442079460099', 'removing an organisation disconnects its numbers');

-- A rotated Twilio token reaches Vapi; a first one connects what is not connected yet.
update public.phone_numbers set voice_enabled = true where organisation_id = '0a000000-0000-4000-8000-00000000000a';
update private.jobs set status = 'done', finished_at = now() where kind like 'vapi.%';
update public.phone_numbers set voice_connection = 'connected', vapi_phone_number_id = 'vapi-a'
where organisation_id = '0a000000-0000-4000-8000-00000000000a';
select tests.act_as('owner@a.test');
select from public.set_credential(json_build_object('subject_id', '2a000000-0000-4000-8000-00000000002a', 'kind', 'twilio_auth_token', 'secret', 'demo-secret-twilio-a-rotated'));
select tests.stop_acting();
select is(
  (select voice_connection::text from public.phone_numbers where organisation_id = '0a000000-0000-4000-8000-00000000000a'),
  'pending', 'a rotated Twilio token connects the account''s numbers again');
select is(tests.pending_jobs('vapi.connect_number', tests.number_of('0a000000-0000-4000-8000-00000000000a')), 1::bigint,
  '… with a connect job');

update private.jobs set status = 'done', finished_at = now() where kind like 'vapi.%';
insert into public.twilio_accounts (id, organisation_id, account_sid) values
  ('2d000000-0000-4000-8000-00000000002d', '0a000000-0000-4000-8000-00000000000a', 'AC' || repeat('d', 32));
insert into public.phone_numbers (organisation_id, twilio_account_id, e164) values
  ('0a000000-0000-4000-8000-00000000000a', '2d000000-0000-4000-8000-00000000002d', '+442079460111');
insert into public.phone_numbers (organisation_id, twilio_account_id, e164, vapi_phone_number_id, voice_connection) values
  ('0a000000-0000-4000-8000-00000000000a', '2d000000-0000-4000-8000-00000000002d', '+442079460112', 'vapi-d', 'connected');
update private.jobs set status = 'done', finished_at = now() where kind like 'vapi.%';
update public.phone_numbers set voice_connection = 'failed', voice_connection_error = 'no auth token'
where e164 = '+442079460111';
select tests.act_as('owner@a.test');
select from public.set_credential(json_build_object('subject_id', '2d000000-0000-4000-8000-00000000002d', 'kind', 'twilio_auth_token', 'secret', 'demo-secret-twilio-d-first'));
select tests.stop_acting();
select is(
  (select string_agg(e164 || ' ' || voice_connection, ', ' order by e164) from public.phone_numbers
   where twilio_account_id = '2d000000-0000-4000-8000-00000000002d'),
  '+442079460111 pending, +442079460112 connected',
  'a first Twilio token connects the account''s numbers that are not connected');
select is(
  (select count(*) from private.jobs where kind = 'vapi.connect_number' and status = 'pending'),
  1::bigint, '… one connect job');

-- ---------------------------------------------------------------------------
-- Decrypts are audited per credential and hour, with a count
-- ---------------------------------------------------------------------------

select tests.act_as('service_role');
select is(
  (select count(private.decrypt_credential('2a000000-0000-4000-8000-00000000002a', 'twilio_auth_token'))
   from generate_series(1, 50)),
  50::bigint, 'the service decrypts a token 50 times');
select tests.stop_acting();
select is(
  (select array_agg(details ->> 'count') from public.audit_log
   where action = 'credential.decrypted' and target_id = '2a000000-0000-4000-8000-00000000002a'),
  array['50'], '50 decrypts in an hour are one audit row with the count 50');
select is(
  (select actor_label || ' ' || target_type from public.audit_log
   where action = 'credential.decrypted' and target_id = '2a000000-0000-4000-8000-00000000002a'),
  'system twilio_auth_token', '… naming the service and the kind of secret');
select throws_ok(
  $$update public.audit_log set details = '{"count": 7}' where action = 'credential.decrypted'$$,
  '42501', 'The audit log cannot be changed', 'a decrypt count cannot go down');
select throws_ok(
  $$update public.audit_log set actor_label = 'x', details = '{"count": 99}' where action = 'credential.decrypted'$$,
  '42501', 'The audit log cannot be changed', 'nothing but the count of a decrypt row changes');
select throws_ok(
  $$update public.audit_log set details = details || '{"count": 99}' where action <> 'credential.decrypted'$$,
  '42501', 'The audit log cannot be changed', 'no other row takes a count');

select * from finish();
rollback;
