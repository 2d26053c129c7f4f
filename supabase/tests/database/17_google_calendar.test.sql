-- Google Calendar: who may do what with the connection's new columns, the account's calendar
-- list, each practitioner's calendar and the OAuth states; the one-time state rules
-- (begin_calendar_connection, consume_oauth_state); audit without tokens.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
\ir _channels_fixture.psql

insert into public.google_calendars (organisation_id, calendar_id, summary, is_primary, time_zone, access_role) values
  ('0a000000-0000-4000-8000-00000000000a', 'desk@a.test', 'desk@a.test', true, 'Europe/London', 'owner'),
  ('0a000000-0000-4000-8000-00000000000a', 'hygiene@group.calendar.google.com', 'Hygiene', false, 'Europe/London', 'writer'),
  ('0b000000-0000-4000-8000-00000000000b', 'desk@b.test', 'desk@b.test', true, 'Europe/Riga', 'owner');

insert into tests.expectations values
  ('google_calendars', 'select', $$select calendar_id from public.google_calendars where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:2', 'rows:2', 'rows:2', 'rows:0', 'rows:2'),
  ('google_calendars', 'insert', $$insert into public.google_calendars (organisation_id, calendar_id, access_role) values ('0a000000-0000-4000-8000-00000000000a', 'x@group.calendar.google.com', 'reader')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('google_calendars', 'update', $$update public.google_calendars set summary = 'x' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:2'),
  ('google_calendars', 'delete', $$delete from public.google_calendars where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:2'),
  ('calendar_connections', 'select grant columns', $$select scopes, connected_by, connected_at, last_error from public.calendar_connections where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('calendar_connections', 'update scopes', $$update public.calendar_connections set scopes = '{x}' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('calendar_connections', 'update connected_by', $$update public.calendar_connections set connected_by = null, connected_at = now() where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('calendar_connections', 'update last_error', $$update public.calendar_connections set last_error = null where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('practitioners', 'update google_calendar_id', $$update public.practitioners set google_calendar_id = 'hygiene@group.calendar.google.com' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('practitioners', 'update google_calendar_id to another clinic''s calendar', $$update public.practitioners set google_calendar_id = 'desk@b.test' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:0', 'error:23503', 'error:23503', 'rows:0', 'error:23503'),
  ('oauth_states', 'select', $$select nonce from private.oauth_states$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied'),
  ('oauth_states', 'insert', $$insert into private.oauth_states (organisation_id, user_id) values ('0a000000-0000-4000-8000-00000000000a', tests.user_id('owner@a.test'))$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied'),
  ('rpc', 'begin_calendar_connection', $$select public.begin_calendar_connection('0a000000-0000-4000-8000-00000000000a')$$,
   'denied', 'denied', 'denied', 'rows:1', 'rows:1', 'denied', 'denied'),
  ('rpc', 'consume_oauth_state', $$select private.consume_oauth_state(gen_random_uuid(), '0a000000-0000-4000-8000-00000000000a', tests.user_id('owner@a.test'))$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1');

select plan(tests.access_matrix_size() + 16);

select * from tests.access_matrix();

-- ---------------------------------------------------------------------------
-- One-time states
-- ---------------------------------------------------------------------------

select tests.act_as('owner@a.test');
select public.begin_calendar_connection('0a000000-0000-4000-8000-00000000000a') as owner_nonce \gset
select public.begin_calendar_connection('0a000000-0000-4000-8000-00000000000a') as again_nonce \gset
select public.begin_calendar_connection('0a000000-0000-4000-8000-00000000000a') as expired_nonce \gset
select tests.act_as('admin@a.test');
select public.begin_calendar_connection('0a000000-0000-4000-8000-00000000000a') as admin_nonce \gset
select tests.stop_acting();

select is(
  (select s.organisation_id::text || ' ' || (s.user_id = tests.user_id('owner@a.test'))::text || ' '
     || (s.expires_at - s.created_at)::text || ' ' || (s.used_at is null)::text
   from private.oauth_states s where s.nonce = :'owner_nonce'),
  '0a000000-0000-4000-8000-00000000000a true 00:10:00 true',
  'a state names the organisation and the user, lasts 10 minutes and is unused');

select tests.act_as('service_role');
select is(private.consume_oauth_state(:'owner_nonce',
  '0a000000-0000-4000-8000-00000000000a', tests.user_id('owner@a.test')), true,
  'the callback uses a fresh state once');
select is(private.consume_oauth_state(:'owner_nonce',
  '0a000000-0000-4000-8000-00000000000a', tests.user_id('owner@a.test')), false,
  'a replayed state is refused');
select is(private.consume_oauth_state(:'again_nonce',
  '0b000000-0000-4000-8000-00000000000b', tests.user_id('owner@a.test')), false,
  'a state is refused for another organisation than it was issued for');
select is(private.consume_oauth_state(:'again_nonce',
  '0a000000-0000-4000-8000-00000000000a', tests.user_id('admin@a.test')), false,
  'a state is refused for another user than it was issued to');
select is(private.consume_oauth_state(:'again_nonce',
  '0a000000-0000-4000-8000-00000000000a', tests.user_id('owner@a.test')), true,
  'refusals for the wrong organisation or user do not use it up for the right one');
select tests.stop_acting();

update private.oauth_states set expires_at = now() - interval '1 second'
where nonce = :'expired_nonce';
select tests.act_as('service_role');
select is(private.consume_oauth_state(:'expired_nonce',
  '0a000000-0000-4000-8000-00000000000a', tests.user_id('owner@a.test')), false,
  'an expired state is refused');
select tests.stop_acting();

update public.organisation_members set role = 'member'
where organisation_id = '0a000000-0000-4000-8000-00000000000a' and user_id = tests.user_id('admin@a.test');
select tests.act_as('service_role');
select is(private.consume_oauth_state(:'admin_nonce',
  '0a000000-0000-4000-8000-00000000000a', tests.user_id('admin@a.test')), false,
  'a state is refused once its user is no longer an owner or admin there');
select tests.stop_acting();
select isnt((select used_at from private.oauth_states where nonce = :'admin_nonce'), null,
  '… and is used up, so being promoted again does not revive it');

select throws_ok(
  $$select tests.act_as('admin@a.test'); select public.begin_calendar_connection('0a000000-0000-4000-8000-00000000000a')$$,
  '42501', 'Only owners and admins can connect Google Calendar',
  'a member is told that only owners and admins connect');
select tests.stop_acting();

update private.oauth_states set expires_at = now() - interval '2 days'
where nonce = :'expired_nonce';
select tests.act_as('owner@a.test');
select from public.begin_calendar_connection('0a000000-0000-4000-8000-00000000000a');
select tests.stop_acting();
select is((select count(*)::int from private.oauth_states where nonce = :'expired_nonce'), 0,
  'starting a connection clears states expired more than a day ago');

-- ---------------------------------------------------------------------------
-- Calendars per practitioner
-- ---------------------------------------------------------------------------

update public.practitioners set google_calendar_id = 'hygiene@group.calendar.google.com'
where organisation_id = '0a000000-0000-4000-8000-00000000000a';
select is(
  (select a.details -> 'changes' -> 'google_calendar_id' ->> 'to' from public.audit_log a
   where a.organisation_id = '0a000000-0000-4000-8000-00000000000a' and a.action = 'practitioner.updated'
   order by a.id desc limit 1),
  'hygiene@group.calendar.google.com',
  'choosing a practitioner''s calendar is audited');
delete from public.google_calendars where calendar_id = 'hygiene@group.calendar.google.com';
select is(
  (select count(*)::int from public.practitioners
   where organisation_id = '0a000000-0000-4000-8000-00000000000a' and google_calendar_id is null),
  (select count(*)::int from public.practitioners where organisation_id = '0a000000-0000-4000-8000-00000000000a'),
  'a calendar the account no longer has sends its practitioners back to the primary one');
select is(
  (select count(*)::int from public.google_calendars where organisation_id = '0a000000-0000-4000-8000-00000000000a' and is_primary),
  1, 'the fixture has one primary calendar');
select throws_ok(
  $$insert into public.google_calendars (organisation_id, calendar_id, is_primary, access_role) values ('0a000000-0000-4000-8000-00000000000a', 'second@a.test', true, 'owner')$$,
  '23505', null, 'an account has one primary calendar');

-- ---------------------------------------------------------------------------
-- The connection's audit carries no token
-- ---------------------------------------------------------------------------

select tests.act_as('service_role');
select from private.store_credential('4a000000-0000-4000-8000-00000000004a', 'google_access_token',
  'ya29.demo-secret-access-token-9999', 'google-oauth', now() + interval '1 hour');
update public.calendar_connections
set status = 'needs_reauth', last_error = 'Google no longer accepts Frontdesk''s access.'
where id = '4a000000-0000-4000-8000-00000000004a';
select tests.stop_acting();
select is(
  (select count(*)::int from public.audit_log a
   where a.organisation_id = '0a000000-0000-4000-8000-00000000000a'
     and (a.details::text like '%demo-secret-%' or a.details::text like '%ya29%')),
  0, 'neither the token writes nor the connection''s changes put a token in the audit log');

select * from finish();
rollback;
