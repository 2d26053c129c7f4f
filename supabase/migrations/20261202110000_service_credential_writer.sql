-- Service code writes credentials too (a provider's refreshed token, the seed), without
-- pretending to be one of the clinic's owners. Staff and service code share one writer, so a
-- secret reaches Vault, the credentials row and the audit log the same way from either.

-- Stores or rotates one credential of a known target: the secret goes to Vault, the row keeps
-- its last four characters, and the audit log gets credential.set or credential.rotated with
-- the given details. Callers decide who may write; this checks only the value.
create function private.save_credential(
  target_org uuid,
  subject uuid,
  wanted public.credential_kind,
  secret text,
  expiry timestamptz,
  audit_details jsonb default '{}'::jsonb
)
returns public.credentials
language plpgsql
security definer
set search_path = ''
as $$
declare
  existing public.credentials;
  saved public.credentials;
begin
  secret := btrim(coalesce(secret, ''));
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
    perform private.write_audit(target_org, 'credential.rotated', wanted::text, subject, audit_details);
  else
    insert into public.credentials (organisation_id, kind, subject_id, vault_secret_id, last4, expires_at)
    values (
      target_org, wanted, subject,
      vault.create_secret(secret, format('%s:%s', wanted, subject), 'frontdesk credential'),
      right(secret, 4), expiry
    )
    returning * into saved;
    perform private.write_audit(target_org, 'credential.set', wanted::text, subject, audit_details);
  end if;
  saved.vault_secret_id := null;
  return saved;
end
$$;

comment on function private.save_credential(uuid, uuid, public.credential_kind, text, timestamptz, jsonb) is
  'The one way a secret is written: Vault, the credentials row (last four characters only) and the audit log. Callers check who may.';

revoke all on function private.save_credential(uuid, uuid, public.credential_kind, text, timestamptz, jsonb) from public;

-- The staff-facing writer keeps its checks (argument parsing, owner or admin of the target's
-- organisation) and hands the writing to save_credential.
create or replace function public.set_credential(json)
returns public.credentials
language plpgsql
security definer
set search_path = ''
as $$
declare
  payload jsonb;
  subject uuid;
  wanted public.credential_kind;
  expiry timestamptz;
  target_org uuid;
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
  return private.save_credential(target_org, subject, wanted, payload ->> 'secret', expiry);
end
$$;

-- Service code (edge functions through SUPABASE_DB_URL, the seed, operators) stores a secret
-- it obtained itself. The audit row's actor is "system", with the service named in its
-- details, so the log tells a refreshed token from an owner's paste.
create function private.store_credential(
  subject_id uuid,
  kind public.credential_kind,
  secret text,
  actor text,
  expires_at timestamptz default null
)
returns public.credentials
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_org uuid := private.credential_subject_organisation(subject_id, kind);
begin
  if actor is null or actor !~ '^[a-z][a-z0-9_-]{1,62}$' then
    raise exception 'actor must name the service writing the credential, e.g. google-sync'
      using errcode = '22023';
  end if;
  if target_org is null then
    raise exception 'No such % target', kind using errcode = 'PT404';
  end if;
  return private.save_credential(
    target_org, subject_id, kind, secret, expires_at, jsonb_build_object('service', actor)
  );
end
$$;

comment on function private.store_credential(uuid, public.credential_kind, text, text, timestamptz) is
  'Service code sets or rotates a secret it obtained itself (e.g. a refreshed Google token), audited as "system" with {"service": actor}. Never callable by API users.';

revoke all on function private.store_credential(uuid, public.credential_kind, text, text, timestamptz) from public;
grant execute on function private.store_credential(uuid, public.credential_kind, text, text, timestamptz) to service_role;
