-- What a security review found, one block per finding (numbered as the review numbered them):
-- invitations only for proven addresses (1), replacing an invitation needs the right to
-- withdraw it (5), channel uniqueness told only to those who may write there (6), a JWT
-- without an email accepts nothing (7), "not found" is a 4xx (8), and a credential's value is
-- never parsed outside set_credential (9). The last-owner rule under concurrency (4) needs
-- parallel connections: supabase/tests/api/last_owner_concurrency_test.ts.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
\ir _channels_fixture.psql

select plan(31);

-- ---------------------------------------------------------------------------
-- 1. Invitations are accepted only for an address proven by confirmation
-- ---------------------------------------------------------------------------

do $$
begin
  -- Signed up, not confirmed: GoTrue keeps email_confirmed_at null until the link is opened.
  insert into auth.users (instance_id, id, aud, role, email, raw_user_meta_data, created_at, updated_at)
  values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated',
          'authenticated', 'unproven@a.test', '{}', now(), now());
  insert into public.organisation_invitations (organisation_id, email, role, token_hash) values
    ('0a000000-0000-4000-8000-00000000000a', 'unproven@a.test', 'owner',
     extensions.digest('token-unproven', 'sha256')),
    ('0a000000-0000-4000-8000-00000000000a', 'changed@a.test', 'owner',
     extensions.digest('token-changed', 'sha256'));
end
$$;
select is(
  (select count(*)::int from public.organisation_members where user_id = tests.user_id('unproven@a.test')),
  0, 'signing up with an invited address joins nothing before it is confirmed');
select tests.act_as('unproven@a.test');
select throws_ok($$select public.accept_invitation('token-unproven')$$, '42501',
  'Confirm your email address first', 'nor can an unconfirmed account accept with the link');
select tests.stop_acting();

-- A confirmed account whose address is changed (GoTrue keeps the old confirmation time) to
-- an invited one has not proven the new address: a later save of the row accepts nothing.
update auth.users set email = 'changed@a.test' where email = 'outsider@x.test';
update auth.users set email_confirmed_at = email_confirmed_at where email = 'changed@a.test';
select is(
  (select count(*)::int from public.organisation_members where user_id = tests.user_id('changed@a.test')),
  0, 'an email change with the old confirmation time accepts no invitation');

update auth.users set email_confirmed_at = now() where email = 'unproven@a.test';
select is(
  (select role::text from public.organisation_members
   where organisation_id = '0a000000-0000-4000-8000-00000000000a' and user_id = tests.user_id('unproven@a.test')),
  'owner', 'confirming the address accepts the invitation');
update auth.users set email = 'outsider@x.test' where email = 'changed@a.test';

-- ---------------------------------------------------------------------------
-- 5. Replacing an invitation needs the rights to withdraw it, and says what it replaced
-- ---------------------------------------------------------------------------

select tests.act_as('owner@a.test');
create temporary table owner_invite on commit drop as
  select * from public.invite_member('0a000000-0000-4000-8000-00000000000a', 'next-owner@a.test', 'owner');
select is((select replaced_role from owner_invite), null, 'a first invitation replaces nothing');
select tests.act_as('admin@a.test');
select throws_ok(
  $$select * from public.invite_member('0a000000-0000-4000-8000-00000000000a', 'next-owner@a.test', 'member')$$,
  '42501', 'next-owner@a.test has a pending invitation to become an owner, which only owners can replace',
  'an admin cannot withdraw an owner invitation by re-inviting the address');
select tests.stop_acting();
select is(
  (select role::text || '/' || (revoked_at is null)::text from public.organisation_invitations
   where id = (select invitation_id from owner_invite)),
  'owner/true', 'the owner invitation is still pending');
select tests.act_as('admin@a.test');
select is(
  (select replaced_role::text || ' -> ' || invited_role::text from public.invite_member(
    '0a000000-0000-4000-8000-00000000000a', 'helper@a.test', 'member')),
  null, 'an admin invites a new address');
select is(
  (select replaced_role::text || ' -> ' || invited_role::text from public.invite_member(
    '0a000000-0000-4000-8000-00000000000a', 'helper@a.test', 'admin')),
  'member -> admin', 'an admin replaces a member invitation and is told its role');
select tests.act_as('owner@a.test');
select is(
  (select replaced_role::text || ' -> ' || invited_role::text from public.invite_member(
    '0a000000-0000-4000-8000-00000000000a', 'next-owner@a.test', 'member')),
  'owner -> member', 'an owner may replace an owner invitation');
select tests.stop_acting();

-- ---------------------------------------------------------------------------
-- 6. Channel uniqueness is told only to those who may write to the target organisation
-- ---------------------------------------------------------------------------

-- The same statement with a taken value and with a fresh one must fail alike for everyone
-- who may not write there; only owners and admins of A learn that the value is taken.
create temporary table probes (what text, taken text, fresh text) on commit drop;
insert into probes values
  ('Twilio Account SID',
   $$insert into public.twilio_accounts (organisation_id, account_sid) values ('0a000000-0000-4000-8000-00000000000a', 'AC' || repeat('b', 32))$$,
   $$insert into public.twilio_accounts (organisation_id, account_sid) values ('0a000000-0000-4000-8000-00000000000a', 'AC' || repeat('f', 32))$$),
  ('phone number',
   $$insert into public.phone_numbers (organisation_id, twilio_account_id, e164) values ('0a000000-0000-4000-8000-00000000000a', '2a000000-0000-4000-8000-00000000002a', '+37167000001')$$,
   $$insert into public.phone_numbers (organisation_id, twilio_account_id, e164) values ('0a000000-0000-4000-8000-00000000000a', '2a000000-0000-4000-8000-00000000002a', '+37167000999')$$),
  ('Meta phone number id',
   $$insert into public.whatsapp_channels (organisation_id, provider, meta_phone_number_id) values ('0a000000-0000-4000-8000-00000000000a', 'meta', '2000000002')$$,
   $$insert into public.whatsapp_channels (organisation_id, provider, meta_phone_number_id) values ('0a000000-0000-4000-8000-00000000000a', 'meta', '2000000999')$$);

-- Runs one statement as `who` and undoes it: 'ok', or the SQLSTATE and message it failed with.
create function pg_temp.outcome(who text, statement text)
returns text
language plpgsql
as $$
declare
  outcome text;
begin
  perform tests.act_as(who);
  begin
    execute statement;
    -- Undo whatever it did, so every probe meets the same rows.
    raise exception using errcode = 'TSTRB';
  exception
    when sqlstate 'TSTRB' then outcome := 'ok';
    when others then outcome := sqlstate || ' ' || sqlerrm;
  end;
  perform tests.stop_acting();
  return outcome;
end
$$;

select is(
  array(select pg_temp.outcome(w.who, p.taken) from probes p cross join (values
    ('outsider@x.test'), ('member@a.test'), ('owner@b.test')) w(who) order by p.what, w.who),
  array(select pg_temp.outcome(w.who, p.fresh) from probes p cross join (values
    ('outsider@x.test'), ('member@a.test'), ('owner@b.test')) w(who) order by p.what, w.who),
  'non-writers get the same answer for a taken and a fresh value');
select is(
  pg_temp.outcome('owner@b.test', (select taken from probes where what = 'Twilio Account SID')),
  '42501 Only owners and admins of a clinic can change its channels',
  'and that answer is a refusal that names nothing');
select is(
  array(select split_part(pg_temp.outcome('admin@a.test', p.taken), ' ', 1) from probes p order by p.what),
  array['23505', '23505', '23505'],
  'an admin of the clinic learns that the value is taken');
select is(
  array(select pg_temp.outcome('admin@a.test', p.fresh) from probes p order by p.what),
  array['ok', 'ok', 'ok'], 'and may add a fresh one');

-- ---------------------------------------------------------------------------
-- 7. accept_invitation treats a JWT without an email as a mismatch
-- ---------------------------------------------------------------------------

do $$
begin
  perform tests.create_user('no-claim@b.test');
  insert into public.organisation_invitations (organisation_id, email, role, token_hash) values
    ('0b000000-0000-4000-8000-00000000000b', 'no-claim@b.test', 'owner',
     extensions.digest('token-no-claim', 'sha256'));
end
$$;
select tests.act_as('no-claim@b.test');
select set_config('request.jwt.claims', json_build_object(
  'sub', tests.user_id('no-claim@b.test'), 'role', 'authenticated')::text, true);
select throws_ok($$select public.accept_invitation('token-no-claim')$$, '42501',
  'This invitation was sent to another email address', 'a JWT without an email accepts nothing');
select tests.act_as('outsider@x.test');
select set_config('request.jwt.claims', json_build_object(
  'sub', tests.user_id('outsider@x.test'), 'role', 'authenticated', 'email', 'no-claim@b.test')::text, true);
select throws_ok($$select public.accept_invitation('token-no-claim')$$, '42501',
  'This invitation was sent to another email address',
  'the account''s own address counts, not only the claim');
select tests.act_as('no-claim@b.test');
select is(public.accept_invitation('token-no-claim'), '0b000000-0000-4000-8000-00000000000b'::uuid,
  'with the matching claim and address it is accepted');
select tests.stop_acting();

-- ---------------------------------------------------------------------------
-- 8. "Not found" is PT404 (HTTP 404), never P0002 (HTTP 500)
-- ---------------------------------------------------------------------------

select tests.act_as('owner@a.test');
select throws_ok($$select public.accept_invitation('no-such-token')$$, 'PT404',
  'This invitation is not valid (it may have been withdrawn)', 'an unknown invitation is a 404');
select throws_ok(
  $$select public.update_member_role('0a000000-0000-4000-8000-00000000000a', gen_random_uuid(), 'admin')$$,
  'PT404', 'That person is not a member of this organisation', 'changing a non-member''s role is a 404');
select throws_ok(
  $$select public.remove_member('0a000000-0000-4000-8000-00000000000a', gen_random_uuid())$$,
  'PT404', 'That person is not a member of this organisation', 'removing a non-member is a 404');
select throws_ok(
  $$select public.clear_credential(gen_random_uuid(), 'twilio_auth_token')$$,
  'PT404', 'No such twilio_auth_token target in your organisations', 'clearing an unknown credential is a 404');
select throws_ok(
  $$select public.take_over_conversation(gen_random_uuid())$$,
  'PT404', 'No such conversation in your organisations', 'an unknown conversation is a 404');
select throws_ok(
  $$select public.set_credential(json_build_object('subject_id', gen_random_uuid(), 'kind', 'twilio_auth_token', 'secret', 'long-enough-secret'))$$,
  'PT404', 'No such twilio_auth_token target in your organisations', 'setting an unknown credential is a 404');
select tests.stop_acting();
select is(
  array(
    select distinct m[1]
    from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    cross join lateral regexp_matches(p.prosrc, 'errcode\s*=\s*''([0-9A-Z]{5})''', 'g') m
    where n.nspname in ('public', 'private') and m[1] ~ '^(P0|XX|5|F0|HV|2D|38|39|3B|40|53|54|55|57|58)'
  ),
  array[]::text[], 'no function of ours raises an error PostgREST answers with a 5xx');

-- ---------------------------------------------------------------------------
-- 9. set_credential parses its own argument: nothing of a bad value reaches an error
-- ---------------------------------------------------------------------------

select tests.act_as('owner@a.test');
select throws_ok(
  $$select public.set_credential('{"subject_id": "2a000000-0000-4000-8000-00000000002a", "kind": "twilio_auth_token", "secret": "demo-secret-nul\u0000-9999"}'::json)$$,
  '22023', 'The request holds a character a credential cannot contain (\u0000)',
  'a NUL in the secret is refused without echoing it');
select throws_ok(
  $$select public.set_credential('{"subject_id": "2a000000-0000-4000-8000-00000000002a", "kind": "twilio_auth_token", "secret": "demo-secret-date-9999", "expires_at": "soon"}'::json)$$,
  '22023', 'expires_at must be a date and time', 'a malformed expiry names the field, not the value');
select throws_ok(
  $$select public.set_credential('{"subject_id": "demo-secret-in-the-id", "kind": "twilio_auth_token", "secret": "x"}'::json)$$,
  '22023', 'subject_id must be the id of a Twilio account, WhatsApp channel or calendar connection',
  'a malformed id is refused without echoing it');
select throws_ok(
  $$select public.set_credential('["demo-secret-array"]'::json)$$,
  '22023', 'set_credential takes one object: {subject_id, kind, secret, expires_at}',
  'anything but an object is refused');
select is(
  (select last4 from public.set_credential(
    '{"subject_id": "2a000000-0000-4000-8000-00000000002a", "kind": "twilio_auth_token", "secret": "  demo-secret-rotated-4321  "}'::json)),
  '4321', 'a well-formed object sets the credential (trimmed)');
select tests.stop_acting();
select is(
  (select count(*)::int from public.audit_log a where a::text like '%demo-secret-%'),
  0, 'the audit log carries no secret');
select is(
  (select count(*)::int from vault.decrypted_secrets where decrypted_secret like 'demo-secret-%nul%'
     or decrypted_secret like 'demo-secret-date%'),
  0, 'refused values reach Vault nowhere');

select * from finish();
rollback;
