-- Channels, closed where a security review and a first-time user found gaps:
--
-- * The validation triggers check the caller's right to write to the target organisation
--   before anything else. They run before row-level security, so a signed-in user of any
--   clinic (or none) used to learn from "already connected to a clinic" whether an Account
--   SID, number or WhatsApp id was in use. Unique indexes are checked after RLS, so their
--   errors reach only those who may write there anyway.
-- * Numbers are stored in E.164 everywhere (the WhatsApp display number was kept as typed),
--   and a number must answer calls, SMS or both.
-- * set_credential takes its arguments as one JSON object, parsed inside the function: a
--   malformed value (a \u0000 in a string) used to fail in PostgREST's argument parsing, whose
--   error context, with the secret in it, went to the database log.
-- * "Not found" is SQLSTATE PT404, which PostgREST answers with HTTP 404 (P0002 was a 500).

-- Whether the current caller may change the organisation's channels: service code and
-- operators always; an API user (anon, authenticated) only as one of its owners or admins.
-- The role setting is the API role even inside security definer functions.
create function private.may_change_organisation(target_org uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(current_setting('role', true), 'none') not in ('anon', 'authenticated')
    or exists (
      select from public.organisation_members m
      where m.organisation_id = target_org
        and m.user_id = (select auth.uid())
        and m.role in ('owner', 'admin')
    )
$$;

comment on function private.may_change_organisation(uuid) is
  'Service code and operators, or an owner or admin of the organisation: who may change its channels.';
revoke all on function private.may_change_organisation(uuid) from public;

create function private.require_channel_access(target_org uuid)
returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if not private.may_change_organisation(target_org) then
    raise exception 'Only owners and admins of a clinic can change its channels'
      using errcode = '42501';
  end if;
end
$$;

revoke all on function private.require_channel_access(uuid) from public;

create or replace function private.validate_twilio_account()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_channel_access(new.organisation_id);
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

create or replace function private.validate_phone_number()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_channel_access(new.organisation_id);
  new.e164 := private.normalise_e164(new.e164);
  if not (new.voice_enabled or new.messaging_enabled) then
    raise exception 'A number must answer calls, SMS or both'
      using errcode = '22023', hint = 'Turn on calls or SMS, or remove the number.';
  end if;
  if new.active and exists (
    select from public.phone_numbers p where p.e164 = new.e164 and p.active and p.id <> new.id
  ) then
    raise exception '% is already active in a clinic', new.e164
      using errcode = '23505', hint = 'Deactivate it there first (a number answers for one clinic).';
  end if;
  return new;
end
$$;

drop trigger phone_numbers_validate on public.phone_numbers;
create trigger phone_numbers_validate
  before insert or update of e164, active, voice_enabled, messaging_enabled on public.phone_numbers
  for each row execute function private.validate_phone_number();

create or replace function private.validate_whatsapp_channel()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_channel_access(new.organisation_id);
  if new.twilio_sender is not null then
    new.twilio_sender := private.normalise_e164(new.twilio_sender);
  end if;
  new.display_phone_number := nullif(btrim(new.display_phone_number), '');
  if new.display_phone_number is not null then
    new.display_phone_number := private.normalise_e164(new.display_phone_number);
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

-- Display numbers typed before this migration, in E.164 (those that are numbers at all).
update public.whatsapp_channels w
set display_phone_number = regexp_replace(
  regexp_replace(w.display_phone_number, '[\s().-]', '', 'g'), '^00', '+')
where w.display_phone_number is not null
  and regexp_replace(regexp_replace(w.display_phone_number, '[\s().-]', '', 'g'), '^00', '+')
    ~ '^\+[1-9][0-9]{6,14}$';

-- ---------------------------------------------------------------------------
-- Credentials
-- ---------------------------------------------------------------------------

drop function public.set_credential(uuid, public.credential_kind, text, timestamptz);

-- One unnamed json parameter: PostgREST hands the request body over as it is, so a value
-- that cannot be read fails here, where the error names the field and never the value.
create function public.set_credential(json)
returns public.credentials
language plpgsql
security definer
set search_path = ''
as $$
declare
  payload jsonb;
  subject uuid;
  wanted public.credential_kind;
  secret text;
  expiry timestamptz;
  target_org uuid;
  existing public.credentials;
  saved public.credentials;
begin
  -- jsonb refuses a \u0000 anywhere in the body; json (the parameter's type) keeps it.
  begin
    payload := $1::jsonb;
  exception when others then
    raise exception 'The request holds a character a credential cannot contain (\u0000)'
      using errcode = '22023', hint = 'Paste the credential again as the provider shows it.';
  end;
  if jsonb_typeof(payload) is distinct from 'object' then
    raise exception 'set_credential takes one object: {subject_id, kind, secret, expires_at}'
      using errcode = '22023';
  end if;
  begin
    subject := (payload ->> 'subject_id')::uuid;
  exception when others then
    raise exception 'subject_id must be the id of a Twilio account, WhatsApp channel or calendar connection'
      using errcode = '22023';
  end;
  begin
    wanted := (payload ->> 'kind')::public.credential_kind;
  exception when others then
    raise exception 'kind must be one of %', array_to_string(enum_range(null::public.credential_kind)::text[], ', ')
      using errcode = '22023';
  end;
  secret := btrim(coalesce(payload ->> 'secret', ''));
  begin
    expiry := (payload ->> 'expires_at')::timestamptz;
  exception when others then
    raise exception 'expires_at must be a date and time' using errcode = '22023',
      hint = 'For example 2027-01-31T12:00:00Z.';
  end;
  if subject is null or wanted is null then
    raise exception 'subject_id and kind are required' using errcode = '22023';
  end if;
  target_org := private.credential_subject_organisation(subject, wanted);
  if target_org is null or private.role_in_organisation(target_org) is null then
    raise exception 'No such % target in your organisations', wanted using errcode = 'PT404';
  end if;
  if private.role_in_organisation(target_org) not in ('owner', 'admin') then
    raise exception 'Only owners and admins can change credentials' using errcode = '42501';
  end if;
  -- Never echo the value: errors and logs must not carry a secret.
  if char_length(secret) < 8 or char_length(secret) > 4096 then
    raise exception 'A credential must be 8 to 4096 characters long' using errcode = '22023';
  end if;
  select * into existing from public.credentials c
  where c.subject_id = subject and c.kind = wanted
  for update;
  if found then
    perform vault.update_secret(existing.vault_secret_id, secret);
    update public.credentials c
    set last4 = right(secret, 4), rotated_at = now(), expires_at = expiry
    where c.id = existing.id
    returning * into saved;
    perform private.write_audit(target_org, 'credential.rotated', wanted::text, subject);
  else
    insert into public.credentials (organisation_id, kind, subject_id, vault_secret_id, last4, expires_at)
    values (
      target_org, wanted, subject,
      vault.create_secret(secret, format('%s:%s', wanted, subject), 'frontdesk credential'),
      right(secret, 4), expiry
    )
    returning * into saved;
    perform private.write_audit(target_org, 'credential.set', wanted::text, subject);
  end if;
  saved.vault_secret_id := null;
  return saved;
end
$$;

comment on function public.set_credential(json) is
  'Owners and admins set or rotate a secret: {subject_id, kind, secret, expires_at?}. It goes to Vault and is never readable again.';

revoke all on function public.set_credential(json) from public, anon;
grant execute on function public.set_credential(json) to authenticated;

create or replace function public.clear_credential(subject_id uuid, kind public.credential_kind)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_org uuid := private.credential_subject_organisation(subject_id, kind);
begin
  if target_org is null or private.role_in_organisation(target_org) is null then
    raise exception 'No such % target in your organisations', kind using errcode = 'PT404';
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

create or replace function public.whatsapp_webhook_verify_token(channel_id uuid)
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
    raise exception 'No such WhatsApp channel in your organisations' using errcode = 'PT404';
  end if;
  if private.role_in_organisation(channel.organisation_id) not in ('owner', 'admin') then
    raise exception 'Only owners and admins can see the webhook verify token' using errcode = '42501';
  end if;
  return channel.webhook_verify_token;
end
$$;
