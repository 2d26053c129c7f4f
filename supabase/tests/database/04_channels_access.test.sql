-- Channels and credentials: who may do what on each table (every API role × operation),
-- with organisation A's rows as the target. Each attempt is undone.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
\ir _channels_fixture.psql

create temporary table expectations (
  relation text, operation text, statement text,
  anon text, outsider text, member text, admin text, owner text, other_owner text, service text
) on commit drop;

insert into expectations values
  ('twilio_accounts', 'select', $$select id from public.twilio_accounts where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('twilio_accounts', 'insert', $$insert into public.twilio_accounts (organisation_id, account_sid) values ('0a000000-0000-4000-8000-00000000000a', 'AC' || repeat('c', 32))$$,
   'denied', 'denied', 'denied', 'rows:1', 'rows:1', 'denied', 'rows:1'),
  ('twilio_accounts', 'update', $$update public.twilio_accounts set label = 'x' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('twilio_accounts', 'update account_sid', $$update public.twilio_accounts set account_sid = 'AC' || repeat('d', 32) where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('twilio_accounts', 'delete', $$delete from public.twilio_accounts where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('phone_numbers', 'select', $$select id from public.phone_numbers where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('phone_numbers', 'insert', $$insert into public.phone_numbers (organisation_id, twilio_account_id, e164) values ('0a000000-0000-4000-8000-00000000000a', '2a000000-0000-4000-8000-00000000002a', '+442000000999')$$,
   'denied', 'denied', 'denied', 'rows:1', 'rows:1', 'denied', 'rows:1'),
  ('phone_numbers', 'update', $$update public.phone_numbers set active = false where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('phone_numbers', 'delete', $$delete from public.phone_numbers where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('whatsapp_channels', 'select', $$select id, label from public.whatsapp_channels where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('whatsapp_channels', 'select verify token', $$select webhook_verify_token from public.whatsapp_channels$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:2'),
  ('whatsapp_channels', 'insert', $$insert into public.whatsapp_channels (organisation_id, provider, meta_phone_number_id) values ('0a000000-0000-4000-8000-00000000000a', 'meta', '99999999')$$,
   'denied', 'denied', 'denied', 'rows:1', 'rows:1', 'denied', 'rows:1'),
  ('whatsapp_channels', 'update', $$update public.whatsapp_channels set active = false where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('whatsapp_channels', 'delete', $$delete from public.whatsapp_channels where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('calendar_connections', 'select', $$select id from public.calendar_connections where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('calendar_connections', 'insert', $$insert into public.calendar_connections (organisation_id) values ('0c000000-0000-4000-8000-00000000000c')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('calendar_connections', 'update', $$update public.calendar_connections set status = 'disconnected' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('calendar_connections', 'delete', $$delete from public.calendar_connections where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('credentials', 'select metadata', $$select kind, last4, set_at, expires_at from public.credentials where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:3', 'rows:3', 'rows:3', 'rows:0', 'rows:3'),
  ('credentials', 'select vault_secret_id', $$select vault_secret_id from public.credentials$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied'),
  ('credentials', 'insert', $$insert into public.credentials (organisation_id, kind, subject_id, vault_secret_id, last4) values ('0a000000-0000-4000-8000-00000000000a', 'twilio_auth_token', gen_random_uuid(), gen_random_uuid(), '1234')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied'),
  ('credentials', 'update', $$update public.credentials set last4 = '0000'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied'),
  ('credentials', 'delete', $$delete from public.credentials$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied'),
  ('credential_rotation_report', 'select', $$select credential_id from public.credential_rotation_report where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('audit_log', 'select', $$select id from public.audit_log where organisation_id = '0a000000-0000-4000-8000-00000000000a' and action = 'credential.set'$$,
   'denied', 'rows:0', 'rows:0', 'rows:3', 'rows:3', 'rows:0', 'rows:3'),
  ('audit_log', 'insert', $$insert into public.audit_log (organisation_id, actor_label, action, target_type) values ('0a000000-0000-4000-8000-00000000000a', 'x', 'fake.entry', 'x')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied'),
  ('audit_log', 'update', $$update public.audit_log set actor_label = 'someone else'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied'),
  ('audit_log', 'delete', $$delete from public.audit_log$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied'),
  ('vault', 'decrypted_secrets', $$select decrypted_secret from vault.decrypted_secrets$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied'),
  ('vault', 'secrets', $$select secret from vault.secrets$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied'),
  ('rpc', 'decrypt_credential', $$select private.decrypt_credential('2a000000-0000-4000-8000-00000000002a', 'twilio_auth_token')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('rpc', 'set_credential', $$select public.set_credential('3a000000-0000-4000-8000-00000000003a', 'meta_access_token', 'EAAG-rotated-token-9876')$$,
   'denied', 'error:P0002', 'denied', 'rows:1', 'rows:1', 'error:P0002', 'error:P0002'),
  ('rpc', 'clear_credential', $$select public.clear_credential('3a000000-0000-4000-8000-00000000003a', 'meta_access_token')$$,
   'denied', 'error:P0002', 'denied', 'rows:1', 'rows:1', 'error:P0002', 'error:P0002'),
  ('rpc', 'whatsapp_webhook_verify_token', $$select public.whatsapp_webhook_verify_token('3a000000-0000-4000-8000-00000000003a')$$,
   'denied', 'error:P0002', 'denied', 'rows:1', 'rows:1', 'error:P0002', 'error:P0002');

select plan((select count(*)::int * 7 from expectations));

select is(
  tests.attempt(a.who, e.statement),
  a.expected,
  format('%s %s as %s', e.relation, e.operation, a.label)
)
from expectations e
cross join lateral (values
  ('anon', 'anon', e.anon),
  ('outsider@x.test', 'a signed-in non-member', e.outsider),
  ('member@a.test', 'a member', e.member),
  ('admin@a.test', 'an admin', e.admin),
  ('owner@a.test', 'an owner', e.owner),
  ('owner@b.test', 'the owner of another organisation', e.other_owner),
  ('service_role', 'the service role', e.service)
) as a(who, label, expected)
order by e.relation, e.operation, a.label;

select * from finish();
rollback;
