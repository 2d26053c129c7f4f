-- Google Calendar, connected for real: the OAuth flow's one-time states, what the connection
-- records about the grant (scopes, who connected it and when, the last error in words), the
-- connected account's calendar list, and which calendar each practitioner uses. Tokens stay
-- credentials in Vault (google_refresh_token, google_access_token), written by the
-- google-oauth function through private.store_credential.

-- ---------------------------------------------------------------------------
-- calendar_connections: what the grant covers and why it stopped working
-- ---------------------------------------------------------------------------

alter table public.calendar_connections
  add column scopes text[] not null default '{}',
  add column connected_by uuid references auth.users (id) on delete set null,
  add column connected_at timestamptz,
  add column last_error text check (char_length(last_error) <= 500);

comment on column public.calendar_connections.scopes is 'The scopes Google granted on the last connect.';
comment on column public.calendar_connections.connected_by is 'The owner or admin who last connected it.';
comment on column public.calendar_connections.last_error is
  'Why the connection stopped working, a sentence for owners (never a token).';
comment on column public.calendar_connections.calendar_id is
  'The connected account''s primary calendar (its email); practitioners without their own use it.';

create index calendar_connections_connected_by_idx on public.calendar_connections (connected_by)
  where connected_by is not null;

-- ---------------------------------------------------------------------------
-- google_calendars: the connected account's calendar list
-- ---------------------------------------------------------------------------

create table public.google_calendars (
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  calendar_id text not null check (char_length(calendar_id) between 1 and 1024),
  summary text not null default '',
  is_primary boolean not null default false,
  time_zone text,
  -- Google's accessRole: owner, writer, reader or freeBusyReader.
  access_role text not null,
  updated_at timestamptz not null default now(),
  primary key (organisation_id, calendar_id)
);

comment on table public.google_calendars is
  'The calendars of the clinic''s connected Google account, copied on connect so the practitioner picker needs no Google round trip.';

revoke all on public.google_calendars from anon, authenticated;
grant select on public.google_calendars to authenticated;
grant all on public.google_calendars to service_role;

create unique index google_calendars_one_primary_key on public.google_calendars (organisation_id)
  where is_primary;

alter table public.google_calendars enable row level security;

-- Written only by the OAuth callback (service role); members read it.
create policy "members read their Google calendars"
  on public.google_calendars for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

-- ---------------------------------------------------------------------------
-- practitioners: which calendar their appointments go to and their busy times come from
-- ---------------------------------------------------------------------------

alter table public.practitioners
  add column google_calendar_id text,
  -- A calendar the connected account no longer has falls back to the primary one.
  add constraint practitioners_google_calendar_fkey
    foreign key (organisation_id, google_calendar_id)
    references public.google_calendars (organisation_id, calendar_id)
    on delete set null (google_calendar_id);

comment on column public.practitioners.google_calendar_id is
  'The Google calendar of this practitioner; null means the connection''s primary calendar.';

grant insert (google_calendar_id), update (google_calendar_id) on public.practitioners to authenticated;

create index practitioners_google_calendar_idx on public.practitioners (organisation_id, google_calendar_id)
  where google_calendar_id is not null;

-- ---------------------------------------------------------------------------
-- OAuth states: one-time nonces binding a consent to an organisation and a user
-- ---------------------------------------------------------------------------

create table private.oauth_states (
  nonce uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null default now() + interval '10 minutes',
  used_at timestamptz
);

comment on table private.oauth_states is
  'Google consents under way: the signed state names a nonce here, usable once within 10 minutes.';

revoke all on private.oauth_states from public, anon, authenticated, service_role;
alter table private.oauth_states enable row level security;

create index oauth_states_organisation_id_idx on private.oauth_states (organisation_id);
create index oauth_states_user_id_idx on private.oauth_states (user_id);
create index oauth_states_expires_at_idx on private.oauth_states (expires_at);

-- Owners and admins start a connection (the google-oauth function calls this with their JWT,
-- which is how it learns that they may). Old states go at the same time.
create function public.begin_calendar_connection(organisation_id uuid)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_org uuid := organisation_id;
  nonce uuid;
begin
  if (select auth.uid()) is null or private.role_in_organisation(target_org) is null then
    raise exception 'You are not a member of this organisation' using errcode = '42501';
  end if;
  if private.role_in_organisation(target_org) not in ('owner', 'admin') then
    raise exception 'Only owners and admins can connect Google Calendar' using errcode = '42501';
  end if;
  delete from private.oauth_states s where s.expires_at < now() - interval '1 day';
  insert into private.oauth_states (organisation_id, user_id)
  values (target_org, (select auth.uid()))
  returning oauth_states.nonce into nonce;
  return nonce;
end
$$;

comment on function public.begin_calendar_connection(uuid) is
  'Owners and admins: a one-time nonce (10 minutes) for the Google consent the google-oauth function signs into its state.';

revoke all on function public.begin_calendar_connection(uuid) from public, anon;
grant execute on function public.begin_calendar_connection(uuid) to authenticated;

-- The callback uses a state once: unused, unexpired, for this organisation and user, and the
-- user still an owner or admin there. Used even when refused for the role, so it cannot be retried.
create function private.consume_oauth_state(nonce uuid, organisation_id uuid, user_id uuid)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  state private.oauth_states;
begin
  update private.oauth_states s set used_at = now()
  where s.nonce = consume_oauth_state.nonce
    and s.organisation_id = consume_oauth_state.organisation_id
    and s.user_id = consume_oauth_state.user_id
    and s.used_at is null
    and s.expires_at > now()
  returning * into state;
  return found and exists (
    select from public.organisation_members m
    where m.organisation_id = state.organisation_id
      and m.user_id = state.user_id
      and m.role in ('owner', 'admin')
  );
end
$$;

comment on function private.consume_oauth_state(uuid, uuid, uuid) is
  'Service code: true once for an unused, unexpired state whose user is still an owner or admin of the organisation.';

revoke all on function private.consume_oauth_state(uuid, uuid, uuid) from public;
grant execute on function private.consume_oauth_state(uuid, uuid, uuid) to service_role;
