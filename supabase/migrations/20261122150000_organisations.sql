-- Tenancy: organisations (clinics), their members with roles, and invitations.
--
-- The tenant boundary for every later table: `organisation_id uuid not null references
-- public.organisations (id) on delete cascade`, an index on it, and RLS policies that
-- decide through private.organisation_ids_for_current_user() (see docs/architecture.md).
-- Writes that need rules beyond "a member may" go through the RPCs at the end, which
-- check the caller's role themselves and raise errors a person can act on.

create type public.organisation_role as enum ('owner', 'admin', 'member');
comment on type public.organisation_role is
  'owner: everything incl. roles and deletion; admin: settings, channels, invitations (never owners); member: reads and works conversations.';

-- ---------------------------------------------------------------------------
-- organisations
-- ---------------------------------------------------------------------------

create table public.organisations (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(btrim(name)) between 1 and 120),
  slug text not null unique
    check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and char_length(slug) between 2 and 63),
  timezone text not null default 'UTC',
  languages text[] not null default array['en']
    check (cardinality(languages) between 1 and 10 and array_position(languages, null) is null),
  default_language text not null default 'en',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint organisations_default_language_offered check (default_language = any (languages))
);

comment on table public.organisations is
  'A tenant: one clinic or business. Every tenant-owned row references it.';
comment on column public.organisations.timezone is 'IANA zone name; opening hours are read in it.';
comment on column public.organisations.languages is 'Languages the assistant speaks, as ISO 639-1 codes (optionally with a region).';

revoke all on public.organisations from anon, authenticated;
grant select on public.organisations to authenticated;
grant update (name, slug, timezone, languages, default_language) on public.organisations
  to authenticated;
grant all on public.organisations to service_role;

alter table public.organisations enable row level security;

-- ---------------------------------------------------------------------------
-- organisation_members
-- ---------------------------------------------------------------------------

create table public.organisation_members (
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role public.organisation_role not null default 'member',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (organisation_id, user_id),
  -- Lets the Data API embed teammates' names: organisation_members?select=role,profiles(display_name)
  foreign key (user_id) references public.profiles (id) on delete cascade
);

comment on table public.organisation_members is
  'Who belongs to which organisation, with which role. Changed only through the RPCs.';

revoke all on public.organisation_members from anon, authenticated;
grant select on public.organisation_members to authenticated;
grant all on public.organisation_members to service_role;

-- The primary key serves lookups by organisation; this one serves "my organisations".
create index organisation_members_user_id_idx
  on public.organisation_members (user_id, organisation_id, role);

alter table public.organisation_members enable row level security;

-- ---------------------------------------------------------------------------
-- organisation_invitations
-- ---------------------------------------------------------------------------

create table public.organisation_invitations (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  email text not null check (email = lower(btrim(email)) and email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  role public.organisation_role not null default 'member',
  token_hash bytea not null unique,
  expires_at timestamptz not null default now() + interval '7 days',
  invited_by uuid references auth.users (id) on delete set null,
  accepted_at timestamptz,
  accepted_by uuid references auth.users (id) on delete set null,
  revoked_at timestamptz,
  created_at timestamptz not null default now(),
  constraint organisation_invitations_settled_once
    check (accepted_at is null or revoked_at is null)
);

comment on table public.organisation_invitations is
  'An email invited into an organisation with a role. Only a SHA-256 hash of the token is kept.';
comment on column public.organisation_invitations.token_hash is
  'sha256 of the token sent in the invitation link; the token itself is shown once, to the inviter.';

revoke all on public.organisation_invitations from anon, authenticated;
grant select (
  id, organisation_id, email, role, expires_at, invited_by, accepted_at, accepted_by,
  revoked_at, created_at
) on public.organisation_invitations to authenticated;
grant all on public.organisation_invitations to service_role;

create index organisation_invitations_organisation_id_idx
  on public.organisation_invitations (organisation_id, created_at desc);
-- One open invitation per address and organisation; also finds them at sign-up.
create unique index organisation_invitations_pending_email_key
  on public.organisation_invitations (email, organisation_id)
  where accepted_at is null and revoked_at is null;
create index organisation_invitations_invited_by_idx
  on public.organisation_invitations (invited_by);
create index organisation_invitations_accepted_by_idx
  on public.organisation_invitations (accepted_by);

alter table public.organisation_invitations enable row level security;

-- ---------------------------------------------------------------------------
-- Membership helpers for RLS (private: not exposed through the Data API)
-- ---------------------------------------------------------------------------

-- Policies call the helpers below, so the API roles need the schema (never exposed by
-- PostgREST). Functions are not executable by everyone by default any more: each one is
-- granted to the roles that call it (RPCs to authenticated, helpers case by case).
grant usage on schema private to authenticated, service_role;
alter default privileges for role postgres revoke execute on functions from public;
revoke execute on all functions in schema private from public;

-- Security definer so policies on organisation_members can use it without recursing
-- into their own RLS. Policies call it as `in (select ...)`: evaluated once per query.
create function private.organisation_ids_for_current_user(
  with_roles public.organisation_role[] default null
)
returns setof uuid
language sql
stable
security definer
set search_path = ''
rows 10 -- a user belongs to a few organisations; the default estimate (1000) misleads plans
as $$
  select m.organisation_id
  from public.organisation_members m
  where m.user_id = (select auth.uid())
    and (with_roles is null or m.role = any (with_roles))
$$;

comment on function private.organisation_ids_for_current_user(public.organisation_role[]) is
  'Organisations the signed-in user belongs to (optionally only with one of the given roles).';
revoke all on function private.organisation_ids_for_current_user(public.organisation_role[])
  from public;
grant execute on function private.organisation_ids_for_current_user(public.organisation_role[])
  to authenticated;

create function private.role_in_organisation(target_organisation uuid)
returns public.organisation_role
language sql
stable
security definer
set search_path = ''
as $$
  select m.role
  from public.organisation_members m
  where m.organisation_id = target_organisation and m.user_id = (select auth.uid())
$$;

revoke all on function private.role_in_organisation(uuid) from public;
grant execute on function private.role_in_organisation(uuid) to authenticated;

-- ---------------------------------------------------------------------------
-- Policies
-- ---------------------------------------------------------------------------

create policy "members read their organisations"
  on public.organisations for select
  to authenticated
  using (id in (select private.organisation_ids_for_current_user()));

create policy "owners and admins update their organisation"
  on public.organisations for update
  to authenticated
  using (id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])))
  with check (id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "members read their teammates"
  on public.organisation_members for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

create policy "owners and admins read invitations"
  on public.organisation_invitations for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

-- The signed-in user and everyone who shares an organisation with them. One set, so the
-- profiles policy below probes profiles_pkey instead of scanning every profile.
create function private.teammate_ids_for_current_user()
returns setof uuid
language sql
stable
security definer
set search_path = ''
rows 100
as $$
  select (select auth.uid())
  union
  select theirs.user_id
  from public.organisation_members mine
  join public.organisation_members theirs on theirs.organisation_id = mine.organisation_id
  where mine.user_id = (select auth.uid())
$$;

revoke all on function private.teammate_ids_for_current_user() from public;
grant execute on function private.teammate_ids_for_current_user() to authenticated;

-- Teammates see each other's names: replace the own-profile-only policy of 20261122140000.
drop policy "users read their own profile" on public.profiles;
create policy "users read their own and their teammates' profiles"
  on public.profiles for select
  to authenticated
  using (id in (select private.teammate_ids_for_current_user()));

-- ---------------------------------------------------------------------------
-- Triggers
-- ---------------------------------------------------------------------------

create trigger organisations_touch_updated_at
  before update on public.organisations
  for each row execute function private.touch_updated_at();

create trigger organisation_members_touch_updated_at
  before update on public.organisation_members
  for each row execute function private.touch_updated_at();

create function private.validate_organisation()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  lang text;
begin
  new.name := btrim(new.name);
  if char_length(new.name) not between 1 and 120 then
    raise exception 'A clinic name needs 1 to 120 characters' using errcode = '22023';
  end if;
  if new.slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$' or char_length(new.slug) not between 2 and 63 then
    raise exception 'The address "%" may only use lower-case letters, digits and single dashes (2–63 characters)', new.slug
      using errcode = '22023';
  end if;
  if cardinality(new.languages) not between 1 and 10 then
    raise exception 'Choose between 1 and 10 languages' using errcode = '22023';
  end if;
  if not exists (select from pg_catalog.pg_timezone_names where name = new.timezone) then
    raise exception 'Unknown time zone "%"', new.timezone
      using errcode = '22023', hint = 'Use an IANA name such as Europe/London.';
  end if;
  foreach lang in array new.languages loop
    if lang !~ '^[a-z]{2}(-[A-Z]{2})?$' then
      raise exception 'Unknown language code "%"', lang
        using errcode = '22023', hint = 'Use ISO 639-1 codes such as en or ru.';
    end if;
  end loop;
  if not new.default_language = any (new.languages) then
    raise exception 'The default language "%" is not one of the organisation''s languages', new.default_language
      using errcode = '22023';
  end if;
  return new;
end
$$;

create trigger organisations_validate
  before insert or update on public.organisations
  for each row execute function private.validate_organisation();

-- An organisation always keeps an owner. Deleting the organisation itself is the exception
-- (its members go with it).
create function private.keep_an_owner()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if old.role <> 'owner' or (tg_op = 'UPDATE' and new.role = 'owner') then
    return coalesce(new, old);
  end if;
  if not exists (select from public.organisations o where o.id = old.organisation_id) then
    return old;
  end if;
  if not exists (
    select from public.organisation_members m
    where m.organisation_id = old.organisation_id
      and m.role = 'owner'
      and m.user_id <> old.user_id
  ) then
    raise exception 'An organisation must keep at least one owner'
      using errcode = '23514', hint = 'Make another member an owner first, or delete the organisation.';
  end if;
  return coalesce(new, old);
end
$$;

create trigger organisation_members_keep_an_owner
  before update of role or delete on public.organisation_members
  for each row execute function private.keep_an_owner();

-- ---------------------------------------------------------------------------
-- RPCs (PostgREST: POST /rest/v1/rpc/<name>)
-- ---------------------------------------------------------------------------

create function private.slugify(value text)
returns text
language sql
immutable
set search_path = ''
as $$
  select btrim(regexp_replace(lower(value), '[^a-z0-9]+', '-', 'g'), '-')
$$;

create function public.create_organisation(
  name text,
  timezone text default 'UTC',
  languages text[] default array['en'],
  default_language text default null,
  slug text default null
)
returns public.organisations
language plpgsql
security definer
set search_path = ''
as $$
declare
  caller uuid := (select auth.uid());
  base_slug text := coalesce(nullif(slug, ''), private.slugify(name));
  chosen_slug text := base_slug;
  attempt int := 1;
  created public.organisations;
begin
  if caller is null then
    raise exception 'Sign in to create an organisation' using errcode = '42501';
  end if;
  if char_length(coalesce(base_slug, '')) < 2 then
    base_slug := 'clinic';
    chosen_slug := base_slug;
  end if;
  -- A slug the caller did not choose gets a numeric suffix instead of failing.
  while slug is null and exists (select from public.organisations o where o.slug = chosen_slug) loop
    attempt := attempt + 1;
    chosen_slug := left(base_slug, 58) || '-' || attempt;
  end loop;
  if exists (select from public.organisations o where o.slug = chosen_slug) then
    raise exception 'The address "%" is already taken', chosen_slug
      using errcode = '23505', hint = 'Choose another slug.';
  end if;
  insert into public.organisations (name, slug, timezone, languages, default_language)
  values (name, chosen_slug, timezone, languages, coalesce(default_language, languages[1]))
  returning * into created;
  insert into public.organisation_members (organisation_id, user_id, role)
  values (created.id, caller, 'owner');
  return created;
end
$$;

comment on function public.create_organisation(text, text, text[], text, text) is
  'Onboarding: creates an organisation; the caller becomes its owner.';

create function public.invite_member(
  organisation_id uuid,
  email text,
  role public.organisation_role default 'member'
)
returns table (
  invitation_id uuid,
  invited_email text,
  invited_role public.organisation_role,
  expires_at timestamptz,
  token text
)
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_org uuid := organisation_id;
  caller_role public.organisation_role := private.role_in_organisation(target_org);
  normalised text := lower(btrim(email));
  plain_token text := encode(extensions.gen_random_bytes(24), 'hex');
  invitation public.organisation_invitations;
begin
  if caller_role is null or caller_role = 'member' then
    raise exception 'Only owners and admins can invite people' using errcode = '42501';
  end if;
  if role = 'owner' and caller_role <> 'owner' then
    raise exception 'Only owners can invite owners' using errcode = '42501';
  end if;
  if normalised !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' then
    raise exception '"%" is not an email address', email using errcode = '22023';
  end if;
  if exists (
    select from public.organisation_members m
    join auth.users u on u.id = m.user_id
    where m.organisation_id = target_org and lower(u.email) = normalised
  ) then
    raise exception '% is already a member', normalised using errcode = '23505';
  end if;
  -- Inviting the same address again replaces the open invitation (a fresh link).
  update public.organisation_invitations i
  set revoked_at = now()
  where i.organisation_id = target_org and i.email = normalised
    and i.accepted_at is null and i.revoked_at is null;
  insert into public.organisation_invitations (organisation_id, email, role, token_hash, invited_by)
  values (target_org, normalised, role, extensions.digest(plain_token, 'sha256'), (select auth.uid()))
  returning * into invitation;
  return query select invitation.id, invitation.email, invitation.role, invitation.expires_at, plain_token;
end
$$;

comment on function public.invite_member(uuid, text, public.organisation_role) is
  'Owners and admins invite an email address; returns the plain token once, for the link.';

create function private.join_from_invitation(
  invitation public.organisation_invitations,
  joining_user uuid
)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.organisation_members (organisation_id, user_id, role)
  values (invitation.organisation_id, joining_user, invitation.role)
  on conflict (organisation_id, user_id) do nothing;
  update public.organisation_invitations
  set accepted_at = now(), accepted_by = joining_user
  where id = invitation.id;
end
$$;

revoke all on function private.join_from_invitation(public.organisation_invitations, uuid)
  from public;

create function public.accept_invitation(token text)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  caller uuid := (select auth.uid());
  invitation public.organisation_invitations;
begin
  if caller is null then
    raise exception 'Sign in to accept an invitation' using errcode = '42501';
  end if;
  select * into invitation
  from public.organisation_invitations i
  where i.token_hash = extensions.digest(token, 'sha256')
  for update;
  if not found or invitation.revoked_at is not null then
    raise exception 'This invitation is not valid (it may have been withdrawn)'
      using errcode = 'P0002';
  end if;
  if invitation.accepted_at is not null then
    -- Accepted at sign-up already (the trigger below) or a double click: not an error.
    if invitation.accepted_by = caller then
      return invitation.organisation_id;
    end if;
    raise exception 'This invitation has already been used' using errcode = '22023';
  end if;
  if invitation.expires_at <= now() then
    raise exception 'This invitation has expired' using errcode = '22023',
      hint = 'Ask the clinic for a new invitation.';
  end if;
  if invitation.email <> lower((select auth.email())) then
    raise exception 'This invitation was sent to another email address' using errcode = '42501',
      hint = 'Sign in with the address the invitation was sent to.';
  end if;
  perform private.join_from_invitation(invitation, caller);
  return invitation.organisation_id;
end
$$;

comment on function public.accept_invitation(text) is
  'The invited user joins with the invitation''s role; once, before expiry, matching email only.';

create function public.revoke_invitation(invitation_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  invitation public.organisation_invitations;
  caller_role public.organisation_role;
begin
  select * into invitation from public.organisation_invitations i where i.id = invitation_id;
  caller_role := private.role_in_organisation(invitation.organisation_id);
  if invitation.id is null or caller_role is null or caller_role = 'member' then
    raise exception 'Only owners and admins can withdraw invitations' using errcode = '42501';
  end if;
  if invitation.role = 'owner' and caller_role <> 'owner' then
    raise exception 'Only owners can withdraw an invitation to become an owner'
      using errcode = '42501';
  end if;
  if invitation.accepted_at is not null then
    raise exception 'This invitation was already accepted' using errcode = '22023';
  end if;
  update public.organisation_invitations i
  set revoked_at = coalesce(i.revoked_at, now())
  where i.id = invitation_id;
end
$$;

create function public.update_member_role(
  organisation_id uuid,
  user_id uuid,
  role public.organisation_role
)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_org uuid := organisation_id;
  target_user uuid := user_id;
begin
  if private.role_in_organisation(target_org) is distinct from 'owner' then
    raise exception 'Only owners can change roles' using errcode = '42501';
  end if;
  update public.organisation_members m
  set role = update_member_role.role
  where m.organisation_id = target_org and m.user_id = target_user;
  if not found then
    raise exception 'That person is not a member of this organisation' using errcode = 'P0002';
  end if;
end
$$;

create function public.remove_member(organisation_id uuid, user_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_org uuid := organisation_id;
  target_user uuid := user_id;
  caller_role public.organisation_role := private.role_in_organisation(target_org);
  target_role public.organisation_role;
begin
  if caller_role is null then
    raise exception 'You are not a member of this organisation' using errcode = '42501';
  end if;
  select m.role into target_role
  from public.organisation_members m
  where m.organisation_id = target_org and m.user_id = target_user;
  if target_role is null then
    raise exception 'That person is not a member of this organisation' using errcode = 'P0002';
  end if;
  -- Anyone may leave; owners remove anyone; admins remove members and admins.
  if target_user <> (select auth.uid()) then
    if caller_role = 'member' then
      raise exception 'Only owners and admins can remove people' using errcode = '42501';
    end if;
    if caller_role = 'admin' and target_role = 'owner' then
      raise exception 'Admins cannot remove an owner' using errcode = '42501';
    end if;
  end if;
  delete from public.organisation_members m
  where m.organisation_id = target_org and m.user_id = target_user;
end
$$;

create function public.delete_organisation(organisation_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_org uuid := organisation_id;
begin
  if private.role_in_organisation(target_org) is distinct from 'owner' then
    raise exception 'Only owners can delete an organisation' using errcode = '42501';
  end if;
  delete from public.organisations o where o.id = target_org;
end
$$;

-- RPCs are for signed-in users only.
revoke all on function public.create_organisation(text, text, text[], text, text) from public, anon;
revoke all on function public.invite_member(uuid, text, public.organisation_role) from public, anon;
revoke all on function public.accept_invitation(text) from public, anon;
revoke all on function public.revoke_invitation(uuid) from public, anon;
revoke all on function public.update_member_role(uuid, uuid, public.organisation_role) from public, anon;
revoke all on function public.remove_member(uuid, uuid) from public, anon;
revoke all on function public.delete_organisation(uuid) from public, anon;
grant execute on function public.create_organisation(text, text, text[], text, text) to authenticated;
grant execute on function public.invite_member(uuid, text, public.organisation_role) to authenticated;
grant execute on function public.accept_invitation(text) to authenticated;
grant execute on function public.revoke_invitation(uuid) to authenticated;
grant execute on function public.update_member_role(uuid, uuid, public.organisation_role) to authenticated;
grant execute on function public.remove_member(uuid, uuid) to authenticated;
grant execute on function public.delete_organisation(uuid) to authenticated;

-- ---------------------------------------------------------------------------
-- Pending invitations are accepted when their address signs up and is confirmed
-- ---------------------------------------------------------------------------

create function private.accept_pending_invitations()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  invitation public.organisation_invitations;
begin
  for invitation in
    select * from public.organisation_invitations i
    where i.email = lower(new.email)
      and i.accepted_at is null and i.revoked_at is null and i.expires_at > now()
    for update
  loop
    perform private.join_from_invitation(invitation, new.id);
  end loop;
  return new;
end
$$;

-- Only a confirmed address proves the invitee owns it. Triggers fire in name order: this one
-- must come after on_auth_user_created_create_profile (memberships reference profiles).
create trigger on_auth_user_email_confirmed_accept_invitations
  after insert or update of email_confirmed_at on auth.users
  for each row
  when (new.email_confirmed_at is not null and new.email is not null)
  execute function private.accept_pending_invitations();
