-- Credentials stay secret and audited; channels are unique platform-wide and validated.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
\ir _channels_fixture.psql

select plan(38);

-- Nothing an API role can reach carries a secret.
select tests.act_as('owner@a.test');
select is(
  (select count(*)::int from public.credentials c
   where concat_ws(' ', c.id, c.kind, c.subject_id, c.last4, c.set_at, c.rotated_at, c.expires_at) like '%demo-secret-%'),
  0, 'credential metadata carries no secret');
select is(
  (select last4 from public.credentials where kind = 'meta_access_token'
   and subject_id = '3a000000-0000-4000-8000-00000000003a'),
  '2222', 'only the last four characters are shown');
select is(
  (select s.vault_secret_id from public.set_credential(json_build_object('subject_id', '3a000000-0000-4000-8000-00000000003a', 'kind', 'meta_access_token', 'secret', 'demo-secret-meta-a-rotated-7777')) s),
  null, 'setting a credential returns metadata only');
select throws_ok(
  $$select public.set_credential(json_build_object('subject_id', '3a000000-0000-4000-8000-00000000003a', 'kind', 'meta_access_token', 'secret', 'short'))$$,
  '22023', 'A credential must be 8 to 4096 characters long',
  'a bad value is refused without echoing it');
select throws_ok(
  $$select public.set_credential(json_build_object('subject_id', '3b000000-0000-4000-8000-00000000003b', 'kind', 'meta_access_token', 'secret', 'demo-secret-hijack-0000'))$$,
  'PT404', 'No such meta_access_token target in your organisations',
  'another organisation''s channel cannot be targeted');
select throws_ok(
  $$select public.set_credential(json_build_object('subject_id', '2a000000-0000-4000-8000-00000000002a', 'kind', 'meta_access_token', 'secret', 'demo-secret-wrong-kind'))$$,
  'PT404', 'No such meta_access_token target in your organisations',
  'a secret must match its target''s kind');
select is(
  (select count(*)::int from public.audit_log a where a::text like '%demo-secret-%'),
  0, 'the audit log carries no secret');
select tests.stop_acting();

-- Rotation keeps one Vault secret and records when.
select is(
  (select count(*)::int from vault.secrets s
   join public.credentials c on c.vault_secret_id = s.id
   where c.subject_id = '3a000000-0000-4000-8000-00000000003a'),
  1, 'rotating replaces the Vault secret in place');
select isnt(
  (select rotated_at from public.credentials where subject_id = '3a000000-0000-4000-8000-00000000003a'),
  null, 'the rotation time is recorded');
select is(
  (select array_agg(action order by id) from public.audit_log
   where target_id = '3a000000-0000-4000-8000-00000000003a' and action like 'credential.%'),
  array['credential.set', 'credential.rotated'], 'set and rotation are audited');
select is(
  (select actor_label from public.audit_log
   where action = 'credential.rotated' and target_id = '3a000000-0000-4000-8000-00000000003a'),
  'owner@a.test', 'with the acting user');

-- Only service code decrypts, and that is audited as "system".
select tests.act_as('service_role');
select is(
  private.decrypt_credential('3a000000-0000-4000-8000-00000000003a', 'meta_access_token'),
  'demo-secret-meta-a-rotated-7777', 'the service role decrypts the current secret');
select is(
  private.decrypt_credential('3a000000-0000-4000-8000-00000000003a', 'meta_app_secret'),
  null, 'a credential that was never set decrypts to null');
select tests.stop_acting();
select is(
  (select actor_label || ' ' || action from public.audit_log
   where target_id = '3a000000-0000-4000-8000-00000000003a' order by id desc limit 1),
  'system credential.decrypted', 'the decryption is audited as system');

-- The audit log is append-only, even for the table owner.
select throws_ok($$update public.audit_log set actor_label = 'nobody'$$, '42501',
  'The audit log cannot be changed', 'audit rows cannot be edited');
select throws_ok($$delete from public.audit_log$$, '42501',
  'The audit log cannot be changed', 'audit rows cannot be deleted');

-- Clearing and deleting take the Vault secret with them.
select tests.act_as('admin@a.test');
select lives_ok(
  $$select public.clear_credential('3a000000-0000-4000-8000-00000000003a', 'meta_access_token')$$,
  'an admin clears a credential');
select tests.stop_acting();
select is(
  (select count(*)::int from vault.decrypted_secrets where decrypted_secret like 'demo-secret-meta-a-%'),
  0, 'clearing removes the secret from Vault');
delete from public.twilio_accounts where id = '2a000000-0000-4000-8000-00000000002a';
select is(
  (select count(*)::int from vault.decrypted_secrets where decrypted_secret = 'demo-secret-twilio-a-1111'),
  0, 'deleting a Twilio account removes its secret from Vault');
select is(
  (select count(*)::int from public.phone_numbers where organisation_id = '0a000000-0000-4000-8000-00000000000a'),
  0, 'and its numbers');

-- Platform-wide uniqueness and validation.
select throws_ok(
  $$insert into public.twilio_accounts (organisation_id, account_sid) values ('0a000000-0000-4000-8000-00000000000a', 'AC' || repeat('b', 32))$$,
  '23505', 'This Twilio account is already connected to a clinic', 'an Account SID belongs to one organisation');
select throws_ok(
  $$insert into public.twilio_accounts (organisation_id, account_sid) values ('0a000000-0000-4000-8000-00000000000a', 'AC123')$$,
  '22023', 'An Account SID is AC followed by 32 hexadecimal characters',
  'an Account SID must be AC and 32 hex digits');
insert into public.twilio_accounts (id, organisation_id, account_sid)
values ('2c000000-0000-4000-8000-00000000002c', '0a000000-0000-4000-8000-00000000000a', 'AC' || repeat('e', 32));
select throws_ok(
  $$insert into public.phone_numbers (organisation_id, twilio_account_id, e164) values ('0a000000-0000-4000-8000-00000000000a', '2c000000-0000-4000-8000-00000000002c', '00371 6700 0001')$$,
  '23505', '+37167000001 is already active in a clinic', 'an active number belongs to one organisation');
select lives_ok(
  $$insert into public.phone_numbers (organisation_id, twilio_account_id, e164, active) values ('0a000000-0000-4000-8000-00000000000a', '2c000000-0000-4000-8000-00000000002c', '+371 6700 0001', false)$$,
  'an inactive copy of a number may exist (a number moving between clinics)');
select is(
  (select e164 from public.phone_numbers where twilio_account_id = '2c000000-0000-4000-8000-00000000002c'),
  '+37167000001', 'numbers are normalised to E.164');
select throws_ok(
  $$insert into public.phone_numbers (organisation_id, twilio_account_id, e164) values ('0a000000-0000-4000-8000-00000000000a', '2c000000-0000-4000-8000-00000000002c', 'call me maybe')$$,
  '22023', '"call me maybe" is not a phone number in international format',
  'a malformed number is refused clearly');
select throws_ok(
  $$insert into public.phone_numbers (organisation_id, twilio_account_id, e164) values ('0a000000-0000-4000-8000-00000000000a', '2b000000-0000-4000-8000-00000000002b', '+442079460555')$$,
  '23503', null, 'a number cannot use another organisation''s Twilio account');
select throws_ok(
  $$insert into public.whatsapp_channels (organisation_id, provider, meta_phone_number_id) values ('0a000000-0000-4000-8000-00000000000a', 'meta', '+44 7700 900123')$$,
  '22023', 'A WhatsApp phone number ID is the long number Meta shows for the sender',
  'a display number where the phone number ID belongs is refused clearly');
select throws_ok(
  $$insert into public.whatsapp_channels (organisation_id, provider, meta_phone_number_id) values ('0a000000-0000-4000-8000-00000000000a', 'meta', '2000000002')$$,
  '23505', 'This WhatsApp number is already connected to a clinic',
  'a Meta phone_number_id belongs to one organisation');

-- A number that answers nothing is refused; every number is stored in E.164.
select throws_ok(
  $$insert into public.phone_numbers (organisation_id, twilio_account_id, e164, voice_enabled, messaging_enabled) values ('0a000000-0000-4000-8000-00000000000a', '2c000000-0000-4000-8000-00000000002c', '+442079460777', false, false)$$,
  '22023', 'A number must answer calls, SMS or both', 'a number with neither calls nor SMS is refused');
insert into public.phone_numbers (id, organisation_id, twilio_account_id, e164, voice_enabled)
values ('6c000000-0000-4000-8000-00000000006c', '0a000000-0000-4000-8000-00000000000a', '2c000000-0000-4000-8000-00000000002c', '+442079460778', true);
select throws_ok(
  $$update public.phone_numbers set voice_enabled = false where id = '6c000000-0000-4000-8000-00000000006c'$$,
  '22023', 'A number must answer calls, SMS or both', 'nor can its last use be switched off');
select is(
  (select display_phone_number from public.whatsapp_channels where id = '3a000000-0000-4000-8000-00000000003a'),
  '+442079460001', 'a WhatsApp display number is stored in E.164');
select throws_ok(
  $$update public.whatsapp_channels set display_phone_number = '07700 900123' where id = '3a000000-0000-4000-8000-00000000003a'$$,
  '22023', '"07700 900123" is not a phone number in international format',
  'a display number in national format is refused clearly');
select lives_ok(
  $$update public.whatsapp_channels set display_phone_number = '  ' where id = '3a000000-0000-4000-8000-00000000003a'$$,
  'a blank display number means none');

-- The rotation report flags what expires within 14 days or was set 90+ days ago.
update public.credentials set set_at = now() - interval '100 days'
where subject_id = '2b000000-0000-4000-8000-00000000002b';
select is(
  (select array_agg(kind::text || ':' || reason order by kind) from public.credential_rotation_report
   where organisation_id in ('0a000000-0000-4000-8000-00000000000a', '0b000000-0000-4000-8000-00000000000b')),
  array['twilio_auth_token:stale', 'google_refresh_token:expires_soon'],
  'the rotation report lists stale and expiring credentials');

select tests.act_as('owner@a.test');
select lives_ok($$select public.disconnect_calendar('0a000000-0000-4000-8000-00000000000a')$$,
  'an owner disconnects the calendar');
select tests.stop_acting();
select is(
  (select status::text from public.calendar_connections where id = '4a000000-0000-4000-8000-00000000004a')
    || '/' || (select count(*) from public.credentials where subject_id = '4a000000-0000-4000-8000-00000000004a')
    || '/' || (select count(*) from vault.decrypted_secrets where decrypted_secret = 'demo-secret-google-a-3333'),
  'disconnected/0/0', 'disconnecting drops Google''s tokens from Vault');

-- Offboarding an organisation removes its secrets and its audit trail.
delete from public.organisations where id = '0b000000-0000-4000-8000-00000000000b';
select is(
  (select count(*)::int from vault.decrypted_secrets where decrypted_secret like 'demo-secret-%-b-%'),
  0, 'a deleted organisation leaves no secret in Vault');

select * from finish();
rollback;
