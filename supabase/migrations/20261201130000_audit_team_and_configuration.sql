-- The audit log covers team and configuration changes too: invitations, roles and
-- removals; the clinic's settings, assistant, intents, FAQ, opening hours, closures and
-- services. Each row names the actor (private.write_audit), the action, the target and a
-- compact diff of what changed, never a secret (invitation token hashes are left out).
--
-- Also: teammates read each other's email addresses (the Team page shows them), through an
-- RPC that answers only for the caller's own organisations.

comment on table public.audit_log is
  'Append-only record of team, configuration, channel and credential changes and of every decryption. Never holds a secret.';

-- ---------------------------------------------------------------------------
-- Diff helpers
-- ---------------------------------------------------------------------------

-- Long texts (instructions, FAQ answers, greetings) are shortened: the log says what changed,
-- it is not a copy of the configuration.
create function private.audit_compact(value jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  return case jsonb_typeof(value)
    when 'string' then
      case when char_length(value #>> '{}') > 200
        then to_jsonb(left(value #>> '{}', 200) || '…')
        else value end
    when 'object' then
      (select coalesce(jsonb_object_agg(e.key, private.audit_compact(e.value)), '{}'::jsonb)
       from jsonb_each(value) e)
    when 'array' then
      (select coalesce(jsonb_agg(private.audit_compact(a.value) order by a.n), '[]'::jsonb)
       from jsonb_array_elements(value) with ordinality a(value, n))
    else value
  end;
end
$$;

comment on function private.audit_compact(jsonb) is
  'A value for the audit log: strings longer than 200 characters shortened, at any depth.';

-- {"field": {"from": old, "to": new}} for every field whose value differs.
create function private.audit_diff(old_row jsonb, new_row jsonb)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select coalesce(jsonb_object_agg(n.key, jsonb_build_object(
    'from', private.audit_compact(o.value), 'to', private.audit_compact(n.value))), '{}'::jsonb)
  from jsonb_each(new_row) n
  join jsonb_each(old_row) o on o.key = n.key
  where o.value is distinct from n.value
$$;

comment on function private.audit_diff(jsonb, jsonb) is
  'The fields that differ between two versions of a row, each as {"from": …, "to": …}.';

-- ---------------------------------------------------------------------------
-- Configuration: one trigger function for every configuration table
-- ---------------------------------------------------------------------------

-- Trigger arguments: the target type (also the action's prefix), the column holding the
-- target's id, and the columns that name the row in an update's details (its name, weekday…),
-- so "changed the duration" can say of which service.
create function private.audit_configuration_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_type text := tg_argv[0];
  old_row jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) end;
  new_row jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) end;
  row_data jsonb := coalesce(new_row, old_row);
  -- Bookkeeping columns say nothing a person changed.
  hidden text[] := array['id', 'organisation_id', 'created_at', 'updated_at'];
  org uuid := coalesce(row_data ->> 'organisation_id', row_data ->> 'id')::uuid;
  details jsonb;
  changes jsonb;
begin
  -- A whole organisation being deleted leaves no audit trail to write into.
  if not exists (select from public.organisations o where o.id = org) then
    return null;
  end if;
  if tg_op = 'UPDATE' then
    changes := private.audit_diff(old_row - hidden, new_row - hidden);
    if changes = '{}'::jsonb then
      return null; -- a save that changed nothing
    end if;
    details := jsonb_build_object('changes', changes);
    if tg_argv[2] <> '' then
      details := details || private.audit_compact(
        (select jsonb_object_agg(k, new_row -> k) from unnest(string_to_array(tg_argv[2], ',')) k));
    end if;
  else
    details := private.audit_compact(row_data - hidden);
  end if;
  perform private.write_audit(
    org,
    target_type || case tg_op when 'INSERT' then '.created' when 'UPDATE' then '.updated' else '.deleted' end,
    target_type,
    (row_data ->> tg_argv[1])::uuid,
    details
  );
  return null;
end
$$;

comment on function private.audit_configuration_change() is
  'Audits a configuration row''s insert, update (changed fields only) or delete. Arguments: target type, id column, naming columns.';

create trigger organisations_audit
  after update on public.organisations
  for each row execute function private.audit_configuration_change('organisation', 'id', '');
-- Inserted with defaults together with the organisation: only changes are worth a row.
create trigger assistant_settings_audit
  after update on public.assistant_settings
  for each row execute function private.audit_configuration_change('assistant_settings', 'organisation_id', '');
create trigger intents_audit
  after insert or update or delete on public.intents
  for each row execute function private.audit_configuration_change('intent', 'id', 'name');
create trigger faq_entries_audit
  after insert or update or delete on public.faq_entries
  for each row execute function private.audit_configuration_change('faq_entry', 'id', 'question');
create trigger working_hours_audit
  after insert or update or delete on public.working_hours
  for each row execute function private.audit_configuration_change('working_hours', 'id', 'weekday,opens,closes');
create trigger closures_audit
  after insert or update or delete on public.closures
  for each row execute function private.audit_configuration_change('closure', 'id', 'starts_on,ends_on');
create trigger services_audit
  after insert or update or delete on public.services
  for each row execute function private.audit_configuration_change('service', 'id', 'name');

-- ---------------------------------------------------------------------------
-- Team: members and invitations
-- ---------------------------------------------------------------------------

-- The member is named as they were at the time (name and address), so the entry still reads
-- well after they left or changed their name.
create function private.audit_membership_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  member public.organisation_members := coalesce(new, old);
  person jsonb;
begin
  if not exists (select from public.organisations o where o.id = member.organisation_id) then
    return null;
  end if;
  if tg_op = 'UPDATE' and old.role = new.role then
    return null;
  end if;
  person := jsonb_strip_nulls(jsonb_build_object(
    'name', (select nullif(p.display_name, '') from public.profiles p where p.id = member.user_id),
    'email', (select u.email from auth.users u where u.id = member.user_id)));
  perform private.write_audit(
    member.organisation_id,
    case tg_op when 'INSERT' then 'member.added' when 'UPDATE' then 'member.role_changed' else 'member.removed' end,
    'member',
    member.user_id,
    person || case tg_op
      when 'UPDATE' then jsonb_build_object('changes', private.audit_diff(
        jsonb_build_object('role', old.role), jsonb_build_object('role', new.role)))
      else jsonb_build_object('role', member.role)
    end
  );
  return null;
end
$$;

comment on function private.audit_membership_change() is
  'Audits a member joining, changing role or leaving/being removed, naming them as they were then.';

create trigger organisation_members_audit
  after insert or update or delete on public.organisation_members
  for each row execute function private.audit_membership_change();

create function private.audit_invitation_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  action text;
  changes jsonb;
begin
  if tg_op = 'INSERT' then
    action := 'invitation.created';
  elsif old.revoked_at is null and new.revoked_at is not null then
    action := 'invitation.revoked';
  elsif old.accepted_at is null and new.accepted_at is not null then
    action := 'invitation.accepted';
  else
    -- The token hash is a secret's fingerprint: never in the log.
    changes := private.audit_diff(
      to_jsonb(old) - 'token_hash' - 'created_at', to_jsonb(new) - 'token_hash' - 'created_at');
    if changes = '{}'::jsonb then
      return null;
    end if;
    action := 'invitation.updated';
  end if;
  perform private.write_audit(
    new.organisation_id,
    action,
    'invitation',
    new.id,
    jsonb_build_object('email', new.email, 'role', new.role, 'expires_at', new.expires_at)
      || case when changes is null then '{}'::jsonb else jsonb_build_object('changes', changes) end
  );
  return null;
end
$$;

comment on function private.audit_invitation_change() is
  'Audits an invitation being sent, withdrawn, accepted or changed; never its token.';

-- Invitations are deleted only with their organisation: nothing to audit then.
create trigger organisation_invitations_audit
  after insert or update on public.organisation_invitations
  for each row execute function private.audit_invitation_change();

-- ---------------------------------------------------------------------------
-- Teammates' email addresses
-- ---------------------------------------------------------------------------

-- Security definer to read auth.users, which no API role may; it answers only for an
-- organisation the caller belongs to, and only that organisation's members.
create function public.organisation_member_emails(organisation_id uuid)
returns table (user_id uuid, email text)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if private.role_in_organisation(organisation_member_emails.organisation_id) is null then
    raise exception 'Only members of a clinic can see its team''s addresses' using errcode = '42501';
  end if;
  return query
    select m.user_id, u.email::text
    from public.organisation_members m
    join auth.users u on u.id = m.user_id
    where m.organisation_id = organisation_member_emails.organisation_id;
end
$$;

comment on function public.organisation_member_emails(uuid) is
  'The email address of every member of one of the caller''s organisations (the Team page).';

revoke all on function public.organisation_member_emails(uuid) from public, anon;
grant execute on function public.organisation_member_emails(uuid) to authenticated;
