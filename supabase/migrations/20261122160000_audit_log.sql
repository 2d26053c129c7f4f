-- Audit log: who changed or decrypted what, per organisation. Rows are written only by
-- security-definer functions, never contain a secret, and can be neither changed nor
-- deleted (except together with their organisation, when a tenant is offboarded).

create table public.audit_log (
  id bigint generated always as identity primary key,
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  actor_id uuid references auth.users (id) on delete set null,
  actor_label text not null,
  action text not null check (action ~ '^[a-z_]+\.[a-z_]+$'),
  target_type text not null,
  target_id uuid,
  details jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);

comment on table public.audit_log is
  'Append-only record of credential and channel changes and of every decryption. Never holds a secret.';
comment on column public.audit_log.actor_label is
  'The acting user''s email at the time, or "system" for service code (webhooks).';

revoke all on public.audit_log from anon, authenticated, service_role;
grant select on public.audit_log to authenticated, service_role;

create index audit_log_organisation_id_created_at_idx
  on public.audit_log (organisation_id, created_at desc);
-- The dashboard filters by action prefix ("credential.%"), newest first.
create index audit_log_organisation_id_action_idx
  on public.audit_log (organisation_id, action text_pattern_ops, created_at desc);
create index audit_log_actor_id_idx on public.audit_log (actor_id);

alter table public.audit_log enable row level security;

create policy "owners and admins read their organisation's audit log"
  on public.audit_log for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create function private.forbid_audit_changes()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'DELETE'
    and not exists (select from public.organisations o where o.id = old.organisation_id) then
    return old; -- the organisation itself is being deleted
  end if;
  raise exception 'The audit log cannot be changed' using errcode = '42501';
end
$$;

create trigger audit_log_append_only
  before update or delete on public.audit_log
  for each row execute function private.forbid_audit_changes();

create function private.write_audit(
  organisation_id uuid,
  action text,
  target_type text,
  target_id uuid,
  details jsonb default '{}'::jsonb
)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  actor uuid := (select auth.uid());
begin
  insert into public.audit_log (organisation_id, actor_id, actor_label, action, target_type, target_id, details)
  values (
    write_audit.organisation_id,
    actor,
    coalesce((select u.email from auth.users u where u.id = actor), 'system'),
    write_audit.action,
    write_audit.target_type,
    write_audit.target_id,
    coalesce(write_audit.details, '{}'::jsonb)
  );
end
$$;

comment on function private.write_audit(uuid, text, text, uuid, jsonb) is
  'Appends an audit row for the current actor (the JWT''s user, else "system").';
