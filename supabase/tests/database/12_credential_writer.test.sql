-- Service code stores credentials through private.store_credential: only the service role may
-- call it, it is audited like an owner's set_credential (as "system", naming the service), and
-- the secret is readable by nobody but Vault's own decryption.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
\ir _channels_fixture.psql

insert into public.meta_apps (id, organisation_id, label) values
  ('5b000000-0000-4000-8000-00000000005b', '0b000000-0000-4000-8000-00000000000b', 'B app');

select plan(17);

-- Who may call it.
select ok(
  has_function_privilege('service_role', 'private.store_credential(uuid, public.credential_kind, text, text, timestamptz)', 'execute'),
  'the service role may store a credential');
select ok(
  not has_function_privilege('authenticated', 'private.store_credential(uuid, public.credential_kind, text, text, timestamptz)', 'execute'),
  'signed-in users may not');
select ok(
  not has_function_privilege('anon', 'private.store_credential(uuid, public.credential_kind, text, text, timestamptz)', 'execute'),
  'anon may not');
select ok(
  not has_function_privilege('service_role', 'private.save_credential(uuid, uuid, public.credential_kind, text, timestamptz, jsonb)', 'execute')
    and not has_function_privilege('authenticated', 'private.save_credential(uuid, uuid, public.credential_kind, text, timestamptz, jsonb)', 'execute'),
  'the shared writer beneath both is callable by no API role (it checks no caller)');
select is(
  tests.attempt('owner@a.test', $$select private.store_credential('4a000000-0000-4000-8000-00000000004a', 'google_refresh_token', 'demo-secret-owner-bypass', 'google-sync')$$),
  'denied', 'an owner cannot use it to skip set_credential''s checks');
select is(
  tests.attempt('anon', $$select private.store_credential('4a000000-0000-4000-8000-00000000004a', 'google_refresh_token', 'demo-secret-anon-bypass', 'google-sync')$$),
  'denied', 'anon cannot use it');

-- A refreshed token, rotated by service code.
select tests.act_as('service_role');
select is(
  (select s.last4 || '|' || (s.vault_secret_id is null)::text
   from private.store_credential('4a000000-0000-4000-8000-00000000004a', 'google_refresh_token',
     'demo-secret-google-refreshed-8888', 'google-sync', now() + interval '1 hour') s),
  '8888|true',
  'the service role rotates a token; the answer holds its last four characters and no Vault id');
select lives_ok(
  $$select private.store_credential('2b000000-0000-4000-8000-00000000002b', 'twilio_auth_token', 'demo-secret-twilio-b-rotated-6666', 'twilio-sync')$$,
  'it writes to any organisation: service code acts for the platform');
select lives_ok(
  $$select private.store_credential('5b000000-0000-4000-8000-00000000005b', 'meta_app_secret', 'demo-secret-meta-app-b-7777', 'meta-sync')$$,
  'a credential not set before is created');
select tests.stop_acting();

select is(
  (select a.actor_label || '|' || coalesce(a.actor_id::text, 'no user') || '|' || a.target_type || '|' || a.details::text
   from public.audit_log a
   where a.organisation_id = '0a000000-0000-4000-8000-00000000000a'
     and a.action = 'credential.rotated' and a.target_id = '4a000000-0000-4000-8000-00000000004a'
   order by a.id desc limit 1),
  'system|no user|google_refresh_token|{"service": "google-sync"}',
  'a rotation is audited as the owner''s would be, by "system" naming the service');
select is(
  (select count(*)::int from public.audit_log a
   where a.action = 'credential.set' and a.target_id = '5b000000-0000-4000-8000-00000000005b'
     and a.details = '{"service": "meta-sync"}'),
  1,
  'a new credential is audited as set');

-- The secret is in Vault and nowhere else.
select is(
  (select d.decrypted_secret from vault.decrypted_secrets d
   join public.credentials c on c.vault_secret_id = d.id
   where c.subject_id = '4a000000-0000-4000-8000-00000000004a' and c.kind = 'google_refresh_token'),
  'demo-secret-google-refreshed-8888',
  'Vault holds the new value');
select ok(
  not exists (select from public.credentials c where to_jsonb(c)::text like '%refreshed-8888%')
    and not exists (select from public.audit_log a where to_jsonb(a)::text like '%refreshed%'),
  'neither the credentials row nor the audit log holds the secret');
select is(
  tests.attempt('owner@a.test', $$select * from vault.decrypted_secrets$$),
  'denied', 'an owner cannot read Vault');
select is(
  tests.attempt('service_role', $$select * from vault.decrypted_secrets$$),
  'denied', 'the service role reads a secret only through decrypt_credential, which audits it');

-- Bad input: named without the value.
select throws_ok(
  $$select private.store_credential('4a000000-0000-4000-8000-00000000004a', 'google_refresh_token', 'demo-secret-no-actor', '')$$,
  '22023', 'actor must name the service writing the credential, e.g. google-sync',
  'the service must name itself');
select throws_ok(
  $$select private.store_credential(gen_random_uuid(), 'google_refresh_token', 'demo-secret-no-target', 'google-sync')$$,
  'PT404', 'No such google_refresh_token target',
  'an unknown target is not found');

select * from finish();
rollback;
