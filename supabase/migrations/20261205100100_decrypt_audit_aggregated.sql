-- Decrypts are audited per credential and hour with a count: the Twilio webhooks decrypt a
-- clinic's auth token for every request, and one audit row each would bury every other change.
-- The first decrypt of an hour writes the row ({"count": 1}); later ones in the same hour raise
-- its count. That count is the only change the append-only audit log accepts.

create or replace function private.forbid_audit_changes()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'DELETE'
    and not exists (select from public.organisations o where o.id = old.organisation_id) then
    return old; -- the organisation itself is being deleted
  end if;
  if tg_op = 'UPDATE' and old.action = 'credential.decrypted'
    and to_jsonb(new) - 'details' = to_jsonb(old) - 'details'
    and new.details - 'count' = old.details - 'count'
    and (new.details ->> 'count')::bigint > coalesce((old.details ->> 'count')::bigint, 1) then
    return new; -- one more decrypt in the row's hour
  end if;
  raise exception 'The audit log cannot be changed' using errcode = '42501';
end
$$;

-- One more decrypt of this credential: counted in this hour's row, or a new row for the hour.
-- Serialised per credential, so concurrent first decrypts of an hour write one row.
create function private.audit_decrypt(organisation_id uuid, kind public.credential_kind, subject_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform pg_advisory_xact_lock(hashtextextended('credential.decrypted:' || subject_id || ':' || kind, 0));
  update public.audit_log a
  set details = jsonb_set(a.details, '{count}', to_jsonb(coalesce((a.details ->> 'count')::bigint, 1) + 1))
  where a.organisation_id = audit_decrypt.organisation_id
    and a.action = 'credential.decrypted'
    and a.target_type = kind::text
    and a.target_id = audit_decrypt.subject_id
    and a.created_at >= date_trunc('hour', now());
  if not found then
    perform private.write_audit(audit_decrypt.organisation_id, 'credential.decrypted', kind::text,
      audit_decrypt.subject_id, '{"count": 1}'::jsonb);
  end if;
end
$$;

comment on function private.audit_decrypt(uuid, public.credential_kind, uuid) is
  'Counts a decrypt in the credential''s audit row of this hour (created by the first one).';
revoke all on function private.audit_decrypt(uuid, public.credential_kind, uuid) from public;

create or replace function private.decrypt_credential(subject_id uuid, kind public.credential_kind)
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
  perform private.audit_decrypt(found_credential.organisation_id, kind, subject_id);
  return plain;
end
$$;
