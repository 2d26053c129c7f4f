-- Channels and their credentials: Twilio accounts, phone numbers, WhatsApp channels and
-- the Google Calendar connection. Every token lives in Supabase Vault; tables keep only
-- the secret's id (hidden from the API roles) and harmless metadata. Staff set, rotate
-- or clear a credential through RPCs and can never read one back; only service code
-- decrypts, through private.decrypt_credential, and every decryption is audited.

create type public.whatsapp_provider as enum ('meta', 'twilio');
create type public.calendar_status as enum ('active', 'needs_reauth', 'disconnected');
create type public.credential_kind as enum (
  'twilio_auth_token',
  'meta_access_token',
  'meta_app_secret',
  'google_refresh_token',
  'google_access_token'
);

-- E.164 from what people type: spaces, dots, dashes and brackets go, a leading 00 becomes +.
create function private.normalise_e164(value text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  cleaned text := regexp_replace(coalesce(value, ''), '[\s().-]', '', 'g');
begin
  if cleaned like '00%' then
    cleaned := '+' || substr(cleaned, 3);
  end if;
  if cleaned !~ '^\+[1-9][0-9]{6,14}$' then
    raise exception '"%" is not a phone number in international format', value
      using errcode = '22023', hint = 'Write it with the country code, e.g. +44 20 7946 0000.';
  end if;
  return cleaned;
end
$$;

-- Called by the triggers below, which run as the writing user.
grant execute on function private.normalise_e164(text) to authenticated, service_role;

-- ---------------------------------------------------------------------------
-- twilio_accounts
-- ---------------------------------------------------------------------------

create table public.twilio_accounts (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  account_sid text not null unique
    constraint twilio_accounts_account_sid_format check (account_sid ~ '^AC[0-9a-f]{32}$'),
  label text not null default '' check (char_length(label) <= 80),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, organisation_id)
);

comment on table public.twilio_accounts is
  'A Twilio account or subaccount a clinic uses; its auth token is a credential in Vault.';

revoke all on public.twilio_accounts from anon, authenticated;
grant select on public.twilio_accounts to authenticated;
grant insert (organisation_id, account_sid, label), update (label), delete
  on public.twilio_accounts to authenticated;
grant all on public.twilio_accounts to service_role;

create index twilio_accounts_organisation_id_idx on public.twilio_accounts (organisation_id);

alter table public.twilio_accounts enable row level security;

create policy "members read their Twilio accounts"
  on public.twilio_accounts for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

create policy "owners and admins add Twilio accounts"
  on public.twilio_accounts for insert
  to authenticated
  with check (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "owners and admins update Twilio accounts"
  on public.twilio_accounts for update
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "owners and admins remove Twilio accounts"
  on public.twilio_accounts for delete
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

-- Clear errors for what people get wrong; the constraints stay as the last line of defence.
-- Security definer: uniqueness is platform-wide, beyond what the caller may read.
create function private.validate_twilio_account()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  new.account_sid := btrim(new.account_sid);
  if new.account_sid !~ '^AC[0-9a-f]{32}$' then
    raise exception 'An Account SID is AC followed by 32 hexadecimal characters'
      using errcode = '22023', hint = 'Copy it from the Twilio console''s account dashboard.';
  end if;
  if exists (select from public.twilio_accounts t where t.account_sid = new.account_sid and t.id <> new.id) then
    raise exception 'This Twilio account is already connected to a clinic' using errcode = '23505';
  end if;
  return new;
end
$$;

create trigger twilio_accounts_validate
  before insert or update of account_sid on public.twilio_accounts
  for each row execute function private.validate_twilio_account();

create trigger twilio_accounts_touch_updated_at
  before update on public.twilio_accounts
  for each row execute function private.touch_updated_at();

-- ---------------------------------------------------------------------------
-- phone_numbers
-- ---------------------------------------------------------------------------

create table public.phone_numbers (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  twilio_account_id uuid not null,
  e164 text not null check (e164 ~ '^\+[1-9][0-9]{6,14}$'),
  label text not null default '' check (char_length(label) <= 80),
  voice_enabled boolean not null default true,
  messaging_enabled boolean not null default false,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- The account must belong to the same organisation.
  foreign key (twilio_account_id, organisation_id)
    references public.twilio_accounts (id, organisation_id) on delete cascade
);

comment on table public.phone_numbers is
  'Numbers callers dial. An active number belongs to exactly one organisation platform-wide.';

revoke all on public.phone_numbers from anon, authenticated;
grant select on public.phone_numbers to authenticated;
grant insert (organisation_id, twilio_account_id, e164, label, voice_enabled, messaging_enabled, active),
  update (label, voice_enabled, messaging_enabled, active), delete
  on public.phone_numbers to authenticated;
grant all on public.phone_numbers to service_role;

create index phone_numbers_organisation_id_idx on public.phone_numbers (organisation_id);
create index phone_numbers_twilio_account_id_idx on public.phone_numbers (twilio_account_id, organisation_id);
-- Routing looks numbers up by e164 (active or not, to tell "inactive" from "unknown").
create index phone_numbers_e164_idx on public.phone_numbers (e164);
create unique index phone_numbers_active_e164_key on public.phone_numbers (e164) where active;

alter table public.phone_numbers enable row level security;

create policy "members read their phone numbers"
  on public.phone_numbers for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

create policy "owners and admins add phone numbers"
  on public.phone_numbers for insert
  to authenticated
  with check (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "owners and admins update phone numbers"
  on public.phone_numbers for update
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "owners and admins remove phone numbers"
  on public.phone_numbers for delete
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create function private.validate_phone_number()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  new.e164 := private.normalise_e164(new.e164);
  if new.active and exists (
    select from public.phone_numbers p where p.e164 = new.e164 and p.active and p.id <> new.id
  ) then
    raise exception '% is already active in a clinic', new.e164
      using errcode = '23505', hint = 'Deactivate it there first (a number answers for one clinic).';
  end if;
  return new;
end
$$;

create trigger phone_numbers_validate
  before insert or update of e164, active on public.phone_numbers
  for each row execute function private.validate_phone_number();

create trigger phone_numbers_touch_updated_at
  before update on public.phone_numbers
  for each row execute function private.touch_updated_at();

-- ---------------------------------------------------------------------------
-- whatsapp_channels
-- ---------------------------------------------------------------------------

create table public.whatsapp_channels (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  provider public.whatsapp_provider not null,
  label text not null default '' check (char_length(label) <= 80),
  meta_phone_number_id text check (meta_phone_number_id ~ '^[0-9]{5,30}$'),
  meta_waba_id text check (meta_waba_id ~ '^[0-9]{5,30}$'),
  display_phone_number text,
  twilio_account_id uuid,
  twilio_sender text check (twilio_sender ~ '^\+[1-9][0-9]{6,14}$'),
  -- Our side of Meta's webhook handshake; shown to owners and admins through an RPC.
  webhook_verify_token text not null default encode(extensions.gen_random_bytes(24), 'hex'),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (twilio_account_id, organisation_id)
    references public.twilio_accounts (id, organisation_id) on delete cascade,
  constraint whatsapp_channels_provider_fields check (
    case provider
      when 'meta' then meta_phone_number_id is not null and twilio_account_id is null and twilio_sender is null
      when 'twilio' then twilio_account_id is not null and twilio_sender is not null and meta_phone_number_id is null
    end
  )
);

comment on table public.whatsapp_channels is
  'WhatsApp senders: Meta Cloud API phone numbers or Twilio WhatsApp senders.';

revoke all on public.whatsapp_channels from anon, authenticated;
grant select (
  id, organisation_id, provider, label, meta_phone_number_id, meta_waba_id, display_phone_number,
  twilio_account_id, twilio_sender, active, created_at, updated_at
) on public.whatsapp_channels to authenticated;
grant insert (
  organisation_id, provider, label, meta_phone_number_id, meta_waba_id, display_phone_number,
  twilio_account_id, twilio_sender, active
), update (label, display_phone_number, meta_waba_id, active), delete
  on public.whatsapp_channels to authenticated;
grant all on public.whatsapp_channels to service_role;

create index whatsapp_channels_organisation_id_idx on public.whatsapp_channels (organisation_id);
create unique index whatsapp_channels_meta_phone_number_id_key
  on public.whatsapp_channels (meta_phone_number_id) where provider = 'meta';
create unique index whatsapp_channels_twilio_sender_key
  on public.whatsapp_channels (twilio_account_id, twilio_sender) where provider = 'twilio';
create index whatsapp_channels_twilio_account_id_idx
  on public.whatsapp_channels (twilio_account_id, organisation_id);

alter table public.whatsapp_channels enable row level security;

create policy "members read their WhatsApp channels"
  on public.whatsapp_channels for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

create policy "owners and admins add WhatsApp channels"
  on public.whatsapp_channels for insert
  to authenticated
  with check (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "owners and admins update WhatsApp channels"
  on public.whatsapp_channels for update
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "owners and admins remove WhatsApp channels"
  on public.whatsapp_channels for delete
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create function private.validate_whatsapp_channel()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.twilio_sender is not null then
    new.twilio_sender := private.normalise_e164(new.twilio_sender);
  end if;
  new.meta_phone_number_id := nullif(btrim(new.meta_phone_number_id), '');
  new.meta_waba_id := nullif(btrim(new.meta_waba_id), '');
  if new.provider = 'meta' and (new.meta_phone_number_id is null or new.meta_phone_number_id !~ '^[0-9]{5,30}$') then
    raise exception 'A WhatsApp phone number ID is the long number Meta shows for the sender'
      using errcode = '22023', hint = 'WhatsApp Manager → API setup → Phone number ID (digits only).';
  end if;
  if new.meta_waba_id is not null and new.meta_waba_id !~ '^[0-9]{5,30}$' then
    raise exception 'A WhatsApp Business Account ID is digits only' using errcode = '22023';
  end if;
  if new.provider = 'meta' and exists (
    select from public.whatsapp_channels w
    where w.provider = 'meta' and w.meta_phone_number_id = new.meta_phone_number_id and w.id <> new.id
  ) then
    raise exception 'This WhatsApp number is already connected to a clinic' using errcode = '23505';
  end if;
  if new.provider = 'twilio' and exists (
    select from public.whatsapp_channels w
    where w.provider = 'twilio' and w.twilio_account_id = new.twilio_account_id
      and w.twilio_sender = new.twilio_sender and w.id <> new.id
  ) then
    raise exception '% is already a WhatsApp sender of this Twilio account', new.twilio_sender
      using errcode = '23505';
  end if;
  return new;
end
$$;

create trigger whatsapp_channels_validate
  before insert or update on public.whatsapp_channels
  for each row execute function private.validate_whatsapp_channel();

create trigger whatsapp_channels_touch_updated_at
  before update on public.whatsapp_channels
  for each row execute function private.touch_updated_at();

-- ---------------------------------------------------------------------------
-- calendar_connections
-- ---------------------------------------------------------------------------

create table public.calendar_connections (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null unique references public.organisations (id) on delete cascade,
  provider text not null default 'google' check (provider = 'google'),
  account_email text,
  calendar_id text not null default 'primary',
  status public.calendar_status not null default 'disconnected',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.calendar_connections is
  'The organisation''s Google Calendar; tokens are credentials in Vault. Written by the OAuth flow.';

revoke all on public.calendar_connections from anon, authenticated;
grant select on public.calendar_connections to authenticated;
grant update (calendar_id, status) on public.calendar_connections to authenticated;
grant all on public.calendar_connections to service_role;

alter table public.calendar_connections enable row level security;

create policy "members read their calendar connection"
  on public.calendar_connections for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

create policy "owners and admins change their calendar connection"
  on public.calendar_connections for update
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create trigger calendar_connections_touch_updated_at
  before update on public.calendar_connections
  for each row execute function private.touch_updated_at();

-- ---------------------------------------------------------------------------
-- credentials: metadata of every secret; the secret itself is in Vault
-- ---------------------------------------------------------------------------

create table public.credentials (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  kind public.credential_kind not null,
  -- The Twilio account, WhatsApp channel or calendar connection the secret belongs to.
  subject_id uuid not null,
  vault_secret_id uuid not null,
  last4 text not null,
  set_at timestamptz not null default now(),
  rotated_at timestamptz,
  expires_at timestamptz,
  unique (subject_id, kind)
);

comment on table public.credentials is
  'Which secrets exist, ending in what, set when and expiring when. The secret is only in Vault.';
comment on column public.credentials.vault_secret_id is 'vault.secrets id; hidden from the API roles.';

revoke all on public.credentials from anon, authenticated, service_role;
grant select (id, organisation_id, kind, subject_id, last4, set_at, rotated_at, expires_at)
  on public.credentials to authenticated, service_role;

create index credentials_organisation_id_idx on public.credentials (organisation_id, kind);

alter table public.credentials enable row level security;

create policy "members read their credentials' metadata"
  on public.credentials for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

-- Which kinds of secret each subject takes, and which organisation the subject is in.
create function private.credential_subject_organisation(
  subject_id uuid,
  kind public.credential_kind
)
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select case
    when kind = 'twilio_auth_token' then
      (select t.organisation_id from public.twilio_accounts t where t.id = subject_id)
    when kind in ('meta_access_token', 'meta_app_secret') then
      (select w.organisation_id from public.whatsapp_channels w
       where w.id = subject_id and w.provider = 'meta')
    when kind in ('google_refresh_token', 'google_access_token') then
      (select c.organisation_id from public.calendar_connections c where c.id = subject_id)
  end
$$;

create function public.set_credential(
  subject_id uuid,
  kind public.credential_kind,
  secret text,
  expires_at timestamptz default null
)
returns public.credentials
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_org uuid := private.credential_subject_organisation(subject_id, kind);
  existing public.credentials;
  saved public.credentials;
  secret_name text := format('%s:%s', kind, subject_id);
begin
  if target_org is null or private.role_in_organisation(target_org) is null then
    raise exception 'No such % target in your organisations', kind using errcode = 'P0002';
  end if;
  if private.role_in_organisation(target_org) not in ('owner', 'admin') then
    raise exception 'Only owners and admins can change credentials' using errcode = '42501';
  end if;
  secret := btrim(coalesce(secret, ''));
  -- Never echo the value: errors and logs must not carry a secret.
  if char_length(secret) < 8 or char_length(secret) > 4096 then
    raise exception 'A credential must be 8 to 4096 characters long' using errcode = '22023';
  end if;
  select * into existing from public.credentials c
  where c.subject_id = set_credential.subject_id and c.kind = set_credential.kind
  for update;
  if found then
    perform vault.update_secret(existing.vault_secret_id, secret);
    update public.credentials c
    set last4 = right(secret, 4), rotated_at = now(), expires_at = set_credential.expires_at
    where c.id = existing.id
    returning * into saved;
    perform private.write_audit(target_org, 'credential.rotated', kind::text, subject_id);
  else
    insert into public.credentials (organisation_id, kind, subject_id, vault_secret_id, last4, expires_at)
    values (
      target_org, kind, subject_id,
      vault.create_secret(secret, secret_name, 'frontdesk credential'),
      right(secret, 4), set_credential.expires_at
    )
    returning * into saved;
    perform private.write_audit(target_org, 'credential.set', kind::text, subject_id);
  end if;
  saved.vault_secret_id := null;
  return saved;
end
$$;

comment on function public.set_credential(uuid, public.credential_kind, text, timestamptz) is
  'Owners and admins set or rotate a secret; it goes to Vault and is never readable again.';

create function public.clear_credential(subject_id uuid, kind public.credential_kind)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_org uuid := private.credential_subject_organisation(subject_id, kind);
begin
  if target_org is null or private.role_in_organisation(target_org) is null then
    raise exception 'No such % target in your organisations', kind using errcode = 'P0002';
  end if;
  if private.role_in_organisation(target_org) not in ('owner', 'admin') then
    raise exception 'Only owners and admins can change credentials' using errcode = '42501';
  end if;
  delete from public.credentials c
  where c.subject_id = clear_credential.subject_id and c.kind = clear_credential.kind;
  if found then
    perform private.write_audit(target_org, 'credential.cleared', kind::text, subject_id);
  end if;
end
$$;

-- A credential's Vault secret goes with it, and a deleted channel takes its credentials.
create function private.delete_credential_secret()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from vault.secrets s where s.id = old.vault_secret_id;
  return old;
end
$$;

create trigger credentials_delete_secret
  after delete on public.credentials
  for each row execute function private.delete_credential_secret();

create function private.delete_subject_credentials()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from public.credentials c where c.subject_id = old.id;
  return old;
end
$$;

create trigger twilio_accounts_delete_credentials
  after delete on public.twilio_accounts
  for each row execute function private.delete_subject_credentials();
create trigger whatsapp_channels_delete_credentials
  after delete on public.whatsapp_channels
  for each row execute function private.delete_subject_credentials();
create trigger calendar_connections_delete_credentials
  after delete on public.calendar_connections
  for each row execute function private.delete_subject_credentials();

-- The only way to read a secret: service code (webhooks) through a direct database
-- connection acting as service_role. Audited as "system".
create function private.decrypt_credential(subject_id uuid, kind public.credential_kind)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  found_credential public.credentials;
  plain text;
begin
  select * into found_credential from public.credentials c
  where c.subject_id = decrypt_credential.subject_id and c.kind = decrypt_credential.kind;
  if not found then
    return null;
  end if;
  select d.decrypted_secret into plain from vault.decrypted_secrets d
  where d.id = found_credential.vault_secret_id;
  perform private.write_audit(found_credential.organisation_id, 'credential.decrypted', kind::text, subject_id);
  return plain;
end
$$;

revoke all on function private.decrypt_credential(uuid, public.credential_kind) from public;
grant execute on function private.decrypt_credential(uuid, public.credential_kind) to service_role;

-- Owners and admins need the webhook URL's verify token to paste into Meta's console.
create function public.whatsapp_webhook_verify_token(channel_id uuid)
returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  channel public.whatsapp_channels;
begin
  select * into channel from public.whatsapp_channels w where w.id = channel_id;
  if not found or private.role_in_organisation(channel.organisation_id) is null then
    raise exception 'No such WhatsApp channel in your organisations' using errcode = 'P0002';
  end if;
  if private.role_in_organisation(channel.organisation_id) not in ('owner', 'admin') then
    raise exception 'Only owners and admins can see the webhook verify token' using errcode = '42501';
  end if;
  return channel.webhook_verify_token;
end
$$;

-- Disconnecting drops Google's tokens too, so the clinic's calendar is really out of reach.
create function public.disconnect_calendar(organisation_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_org uuid := organisation_id;
  connection public.calendar_connections;
begin
  if private.role_in_organisation(target_org) is null then
    raise exception 'You are not a member of this organisation' using errcode = '42501';
  end if;
  if private.role_in_organisation(target_org) not in ('owner', 'admin') then
    raise exception 'Only owners and admins can disconnect the calendar' using errcode = '42501';
  end if;
  update public.calendar_connections c set status = 'disconnected'
  where c.organisation_id = target_org
  returning * into connection;
  if found then
    delete from public.credentials c
    where c.subject_id = connection.id and c.kind in ('google_refresh_token', 'google_access_token');
    perform private.write_audit(target_org, 'credential.cleared', 'google_tokens', connection.id);
  end if;
end
$$;

revoke all on function public.disconnect_calendar(uuid) from public, anon;
grant execute on function public.disconnect_calendar(uuid) to authenticated;

revoke all on function public.set_credential(uuid, public.credential_kind, text, timestamptz) from public, anon;
revoke all on function public.clear_credential(uuid, public.credential_kind) from public, anon;
revoke all on function public.whatsapp_webhook_verify_token(uuid) from public, anon;
grant execute on function public.set_credential(uuid, public.credential_kind, text, timestamptz) to authenticated;
grant execute on function public.clear_credential(uuid, public.credential_kind) to authenticated;
grant execute on function public.whatsapp_webhook_verify_token(uuid) to authenticated;

-- ---------------------------------------------------------------------------
-- Audit of channel changes (credentials audit themselves above)
-- ---------------------------------------------------------------------------

create function private.audit_channel_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  row_data jsonb := to_jsonb(coalesce(new, old)) - 'webhook_verify_token';
begin
  -- A whole organisation being deleted leaves no audit trail to write into.
  if not exists (select from public.organisations o where o.id = (row_data ->> 'organisation_id')::uuid) then
    return null;
  end if;
  perform private.write_audit(
    (row_data ->> 'organisation_id')::uuid,
    tg_argv[0] || case tg_op when 'INSERT' then '.created' when 'UPDATE' then '.updated' else '.deleted' end,
    tg_argv[0],
    (row_data ->> 'id')::uuid,
    row_data - 'organisation_id' - 'id' - 'created_at' - 'updated_at'
  );
  return null;
end
$$;

create trigger twilio_accounts_audit
  after insert or update or delete on public.twilio_accounts
  for each row execute function private.audit_channel_change('twilio_account');
create trigger phone_numbers_audit
  after insert or update or delete on public.phone_numbers
  for each row execute function private.audit_channel_change('phone_number');
create trigger whatsapp_channels_audit
  after insert or update or delete on public.whatsapp_channels
  for each row execute function private.audit_channel_change('whatsapp_channel');
create trigger calendar_connections_audit
  after insert or update or delete on public.calendar_connections
  for each row execute function private.audit_channel_change('calendar_connection');

-- ---------------------------------------------------------------------------
-- Rotation report: credentials expiring within 14 days or set more than 90 days ago
-- ---------------------------------------------------------------------------

create view public.credential_rotation_report
with (security_invoker = true)
as
select
  c.organisation_id,
  c.id as credential_id,
  c.kind,
  c.subject_id,
  c.last4,
  coalesce(c.rotated_at, c.set_at) as last_set_at,
  c.expires_at,
  case
    when c.expires_at is not null and c.expires_at <= now() then 'expired'
    when c.expires_at is not null and c.expires_at <= now() + interval '14 days' then 'expires_soon'
    else 'stale'
  end as reason
from public.credentials c
-- Google access tokens live an hour and are refreshed by the service itself.
where c.kind <> 'google_access_token'
  and ((c.expires_at is not null and c.expires_at <= now() + interval '14 days')
    or coalesce(c.rotated_at, c.set_at) <= now() - interval '90 days');

comment on view public.credential_rotation_report is
  'Credentials to rotate: expired, expiring within 14 days, or last set more than 90 days ago (not the self-refreshing Google access token).';

revoke all on public.credential_rotation_report from anon, authenticated, service_role;
grant select on public.credential_rotation_report to authenticated, service_role;
