-- The audit log covers team and configuration changes: who did what to which row, with a compact
-- diff of what changed (never a secret); and teammates' email addresses are readable by their
-- teammates only.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
\ir _tenancy_fixture.psql

select plan(46);

-- The latest audit row of an action in organisation A, as "actor|target type|details".
create function tests.last_audit(wanted text)
returns text
language sql
as $$
  select coalesce(a.actor_label, '?') || '|' || a.target_type || '|' || a.details::text
  from public.audit_log a
  where a.organisation_id = '0a000000-0000-4000-8000-00000000000a' and a.action = wanted
  order by a.id desc
  limit 1
$$;

create function tests.last_details(wanted text)
returns jsonb
language sql
as $$
  select a.details || jsonb_build_object('actor', a.actor_label, 'type', a.target_type)
  from public.audit_log a
  where a.organisation_id = '0a000000-0000-4000-8000-00000000000a' and a.action = wanted
  order by a.id desc
  limit 1
$$;

create function tests.audit_count(wanted text)
returns bigint
language sql
as $$
  select count(*) from public.audit_log a
  where a.organisation_id = '0a000000-0000-4000-8000-00000000000a' and a.action = wanted
$$;

update public.profiles set display_name = 'Mia Member' where id = tests.user_id('member@a.test');

-- ---------------------------------------------------------------------------
-- Team: invitations, roles, removals
-- ---------------------------------------------------------------------------

select tests.act_as('admin@a.test');
select lives_ok(
  $$select * from public.invite_member('0a000000-0000-4000-8000-00000000000a', 'new@a.test', 'member')$$,
  'an admin invites someone');
select tests.stop_acting();
select ok(
  tests.last_details('invitation.created')
    @> '{"actor": "admin@a.test", "type": "invitation", "email": "new@a.test", "role": "member"}',
  'an invitation is audited with the inviter, the address and the role');
select ok(
  (select bool_and(a.details::text !~* 'token') from public.audit_log a),
  'no audit row carries an invitation token or its hash');

select tests.act_as('admin@a.test');
select lives_ok(
  $$select * from public.invite_member('0a000000-0000-4000-8000-00000000000a', 'new@a.test', 'admin')$$,
  'the admin invites the same address again as admin');
select tests.stop_acting();
select is(tests.audit_count('invitation.revoked'), 1::bigint,
  'the replaced invitation is audited as withdrawn');
select ok(tests.last_details('invitation.created') @> '{"role": "admin"}',
  'the new invitation is audited with its role');

select tests.act_as('admin@a.test');
select lives_ok(
  $$select public.revoke_invitation((select id from public.organisation_invitations
    where email = 'new@a.test' and revoked_at is null))$$,
  'the admin withdraws it');
select tests.stop_acting();
select is(tests.audit_count('invitation.revoked'), 2::bigint, 'withdrawing is audited');
select ok(
  tests.last_details('invitation.revoked')
    @> '{"actor": "admin@a.test", "email": "new@a.test", "role": "admin"}',
  'the withdrawal names the address and its role');

-- Accepting: the invitee joins; both the acceptance and the new member are recorded.
select tests.act_as('owner@a.test');
select lives_ok(
  $$select * from public.invite_member('0a000000-0000-4000-8000-00000000000a', 'joiner@x.test', 'member')$$,
  'the owner invites an address without an account');
select tests.stop_acting();
select lives_ok($$select tests.create_user('joiner@x.test', 'Jo Joiner')$$,
  'the invited address signs up (confirmed)');
select ok(tests.last_details('invitation.accepted') @> '{"email": "joiner@x.test"}',
  'the acceptance is audited');
select ok(
  tests.last_details('member.added')
    @> '{"name": "Jo Joiner", "role": "member", "email": "joiner@x.test"}',
  'the new member is audited with name, address and role');

select tests.act_as('owner@a.test');
select lives_ok(
  $$select public.update_member_role('0a000000-0000-4000-8000-00000000000a', tests.user_id('member@a.test'), 'admin')$$,
  'the owner makes the member an admin');
select tests.stop_acting();
select is(
  (select a.actor_id || '|' || a.target_id || '|' || (a.details -> 'changes' -> 'role')::text
     || '|' || (a.details ->> 'name')
   from public.audit_log a where a.action = 'member.role_changed' order by a.id desc limit 1),
  tests.user_id('owner@a.test') || '|' || tests.user_id('member@a.test')
    || '|{"to": "admin", "from": "member"}|Mia Member',
  'a role change records who, whom (by id and name) and from which role to which');

select tests.act_as('admin@a.test');
select lives_ok(
  $$select public.remove_member('0a000000-0000-4000-8000-00000000000a', tests.user_id('joiner@x.test'))$$,
  'the admin removes the new member');
select tests.stop_acting();
select ok(
  tests.last_details('member.removed')
    @> '{"actor": "admin@a.test", "type": "member", "name": "Jo Joiner", "role": "member"}',
  'a removal is audited with the removed person''s name');

-- ---------------------------------------------------------------------------
-- Configuration: organisation settings, assistant, intents, FAQ, hours, closures, services
-- ---------------------------------------------------------------------------

select tests.act_as('owner@a.test');
update public.organisations set timezone = 'Europe/Paris', name = 'Clinic A'
  where id = '0a000000-0000-4000-8000-00000000000a';
select tests.stop_acting();
select is(
  (select (a.details -> 'changes')::text from public.audit_log a
   where a.action = 'organisation.updated' order by a.id desc limit 1),
  '{"timezone": {"to": "Europe/Paris", "from": "Europe/London"}}',
  'a settings change records only the fields that changed, from and to');

select tests.act_as('admin@a.test');
update public.organisations set name = 'Clinic A' where id = '0a000000-0000-4000-8000-00000000000a';
select tests.stop_acting();
select is(tests.audit_count('organisation.updated'), 1::bigint, 'a save that changes nothing is not audited');

select tests.act_as('admin@a.test');
update public.assistant_settings set assistant_name = 'Anna', tone = 'warm',
  greetings = '{"en": "Hello"}'
  where organisation_id = '0a000000-0000-4000-8000-00000000000a';
select tests.stop_acting();
select is(
  (select a.actor_label || '|' || a.target_type || '|' || (a.details -> 'changes' -> 'assistant_name')::text
     || '|' || (a.details -> 'changes' ? 'tone') || '|' || (a.details -> 'changes' -> 'greetings' ->> 'to')
   from public.audit_log a where a.action = 'assistant_settings.updated' order by a.id desc limit 1),
  'admin@a.test|assistant_settings|{"to": "Anna", "from": "Reception"}|true|{"en": "Hello"}',
  'assistant settings changes are audited field by field');

select tests.act_as('admin@a.test');
update public.assistant_settings set extra_instructions = repeat('x', 3000)
  where organisation_id = '0a000000-0000-4000-8000-00000000000a';
select tests.stop_acting();
select cmp_ok(
  (select char_length(a.details::text) from public.audit_log a
   where a.action = 'assistant_settings.updated' order by a.id desc limit 1),
  '<', 600, 'a long text is shortened in the audit log');

select tests.act_as('admin@a.test');
insert into public.intents (organisation_id, name, example_phrases, responses)
  values ('0a000000-0000-4000-8000-00000000000a', 'Prices', array['How much is it?'], '{"en": "See the list"}');
update public.intents set active = false where name = 'Prices';
delete from public.intents where name = 'Prices';
select tests.stop_acting();
select ok(tests.last_audit('intent.created') like 'admin@a.test|intent|%"name": "Prices"%', 'adding an intent is audited');
select is(
  (select a.details::text from public.audit_log a where a.action = 'intent.updated' order by a.id desc limit 1),
  '{"name": "Prices", "changes": {"active": {"to": false, "from": true}}}',
  'changing an intent is audited with its name and the change');
select ok(tests.last_audit('intent.deleted') like '%"name": "Prices"%', 'removing an intent is audited');

select tests.act_as('owner@a.test');
insert into public.faq_entries (organisation_id, question, answer, language)
  values ('0a000000-0000-4000-8000-00000000000a', 'Parking?', 'Behind the building', 'en');
update public.faq_entries set answer = 'Across the road' where question = 'Parking?';
delete from public.faq_entries where question = 'Parking?';
select tests.stop_acting();
select ok(tests.last_audit('faq_entry.created') like 'owner@a.test|faq_entry|%"question": "Parking?"%', 'adding an FAQ entry is audited');
select ok(
  tests.last_audit('faq_entry.updated') like '%"answer": {"to": "Across the road", "from": "Behind the building"}%"question": "Parking?"%',
  'changing an answer is audited with the question');
select ok(tests.last_audit('faq_entry.deleted') like '%"question": "Parking?"%', 'removing an FAQ entry is audited');

select tests.act_as('admin@a.test');
insert into public.working_hours (organisation_id, weekday, opens, closes)
  values ('0a000000-0000-4000-8000-00000000000a', 2, '09:00', '17:00');
update public.working_hours set closes = '18:00' where weekday = 2;
delete from public.working_hours where weekday = 2;
select tests.stop_acting();
select ok(tests.last_audit('working_hours.created') like 'admin@a.test|working_hours|%"weekday": 2%', 'adding opening hours is audited with the weekday');
select is(
  (select a.details::text from public.audit_log a where a.action = 'working_hours.updated' order by a.id desc limit 1),
  '{"opens": "09:00:00", "closes": "18:00:00", "changes": {"closes": {"to": "18:00:00", "from": "17:00:00"}}, "weekday": 2}',
  'changing opening hours is audited with the weekday, the interval and the change');
select ok(tests.last_audit('working_hours.deleted') like '%"weekday": 2%', 'removing opening hours is audited');

select tests.act_as('admin@a.test');
insert into public.closures (organisation_id, starts_on, ends_on, reason)
  values ('0a000000-0000-4000-8000-00000000000a', '2027-12-24', '2027-12-26', 'Christmas');
update public.closures set ends_on = '2027-12-27' where reason = 'Christmas';
delete from public.closures where reason = 'Christmas';
select tests.stop_acting();
select ok(tests.last_audit('closure.created') like 'admin@a.test|closure|%"reason": "Christmas"%', 'adding a closure is audited');
select ok(tests.last_audit('closure.updated') like '%"ends_on": {"to": "2027-12-27", "from": "2027-12-26"}%', 'changing a closure is audited');
select ok(tests.last_audit('closure.deleted') like '%"starts_on": "2027-12-24"%', 'removing a closure is audited');

select tests.act_as('admin@a.test');
insert into public.services (organisation_id, name, duration_minutes)
  values ('0a000000-0000-4000-8000-00000000000a', 'Check-up', 30);
update public.services set duration_minutes = 45 where name = 'Check-up';
delete from public.services where name = 'Check-up';
select tests.stop_acting();
select ok(tests.last_audit('service.created') like 'admin@a.test|service|%"name": "Check-up"%', 'adding a service is audited');
select is(
  (select a.details::text from public.audit_log a where a.action = 'service.updated' order by a.id desc limit 1),
  '{"name": "Check-up", "changes": {"duration_minutes": {"to": 45, "from": 30}}}',
  'changing a service is audited with its name and the change');
select ok(tests.last_audit('service.deleted') like '%"name": "Check-up"%', 'removing a service is audited');

-- Each row is audited in its own organisation and read only there.
select is(
  (select count(*) from public.audit_log a
   where a.organisation_id = '0b000000-0000-4000-8000-00000000000b'
     and a.action not in ('member.added')),
  0::bigint, 'nothing of A''s changes lands in B''s log');
select tests.act_as('owner@b.test');
select is((select count(*) from public.audit_log where organisation_id = '0a000000-0000-4000-8000-00000000000a'),
  0::bigint, 'the owner of another clinic reads none of it');
select tests.stop_acting();

-- Deleting a whole organisation writes nothing and is not refused.
select lives_ok(
  $$delete from public.organisations where id = '0b000000-0000-4000-8000-00000000000b'$$,
  'deleting an organisation with members and settings works (nothing left to audit into)');

-- ---------------------------------------------------------------------------
-- Teammates' email addresses
-- ---------------------------------------------------------------------------

select tests.act_as('member@a.test');
select is(
  (select string_agg(e.email, ',' order by e.email)
   from public.organisation_member_emails('0a000000-0000-4000-8000-00000000000a') e),
  'admin@a.test,member@a.test,owner@a.test',
  'a member reads the addresses of their teammates');
select is(
  (select count(*) from public.organisation_member_emails('0a000000-0000-4000-8000-00000000000a') e
   where e.user_id = tests.user_id('owner@a.test')),
  1::bigint, 'addresses come with the user id they belong to');
select tests.stop_acting();

select tests.act_as('owner@b.test');
select throws_ok(
  $$select * from public.organisation_member_emails('0a000000-0000-4000-8000-00000000000a')$$,
  '42501', 'Only members of a clinic can see its team''s addresses',
  'the owner of another clinic reads no addresses of it');
select tests.stop_acting();
select tests.act_as('outsider@x.test');
select throws_ok(
  $$select * from public.organisation_member_emails('0a000000-0000-4000-8000-00000000000a')$$,
  '42501', null, 'a signed-in non-member reads no addresses');
select throws_ok(
  $$select * from public.organisation_member_emails(gen_random_uuid())$$,
  '42501', null, 'an organisation that does not exist answers the same');
select tests.stop_acting();
select is(tests.attempt('anon', $$select * from public.organisation_member_emails('0a000000-0000-4000-8000-00000000000a')$$),
  'denied', 'anon may not call it');
select is(
  (select p.prosecdef and p.proconfig @> array['search_path=""']
   from pg_proc p where p.proname = 'organisation_member_emails'),
  true, 'it reads auth.users as definer with an empty search path');

select * from finish();
rollback;
