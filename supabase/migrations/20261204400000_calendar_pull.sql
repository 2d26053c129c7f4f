-- Pull from Google: the busy time of each connected calendar, mirrored so availability never
-- waits for Google. The worker's google.pull_calendar job replaces a calendar's rows from
-- events.list (refreshed by push notifications through the google-calendar-webhook function,
-- and by a backstop every few minutes); availability_inputs reads them as busy ranges of the
-- practitioners using that calendar, and a booking over one is refused in words.

-- ---------------------------------------------------------------------------
-- calendar_busy_blocks: when each calendar is busy, and nothing else
-- ---------------------------------------------------------------------------

create table public.calendar_busy_blocks (
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  calendar_id text not null check (char_length(calendar_id) between 1 and 1024),
  -- Google's event id (an instance id for a repeating event); events frontdesk created for its
  -- own appointments are never here.
  event_id text not null check (char_length(event_id) between 1 and 1024),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  primary key (organisation_id, calendar_id, event_id),
  check (ends_at > starts_at)
);

comment on table public.calendar_busy_blocks is
  'Busy time of the clinic''s Google calendars (staff events; no titles or attendees), mirrored by the worker. Members read it; service code writes it.';

-- Availability reads one calendar's blocks that start before the end of the range asked for.
create index calendar_busy_blocks_time_idx
  on public.calendar_busy_blocks (organisation_id, calendar_id, starts_at);

revoke all on public.calendar_busy_blocks from anon, authenticated;
grant select on public.calendar_busy_blocks to authenticated;
grant all on public.calendar_busy_blocks to service_role;

alter table public.calendar_busy_blocks enable row level security;

create policy "members read their calendars' busy time"
  on public.calendar_busy_blocks for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

-- ---------------------------------------------------------------------------
-- private.calendar_pulls: per calendar, its watch channel and when it was last pulled
-- ---------------------------------------------------------------------------

create table private.calendar_pulls (
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  calendar_id text not null,
  -- The push channel Google notifies (events.watch); the token itself is never stored.
  channel_id uuid unique,
  resource_id text,
  channel_token_sha256 bytea check (octet_length(channel_token_sha256) = 32),
  channel_expires_at timestamptz,
  last_pulled_at timestamptz,
  last_error text check (char_length(last_error) <= 500),
  updated_at timestamptz not null default now(),
  primary key (organisation_id, calendar_id)
);

comment on table private.calendar_pulls is
  'Each mirrored Google calendar''s push channel (id, resource, SHA-256 of its token, expiry) and last pull. Service code only.';

revoke all on private.calendar_pulls from public, anon, authenticated;
grant all on private.calendar_pulls to service_role;

create index calendar_pulls_channel_expiry_idx on private.calendar_pulls (channel_expires_at);

-- ---------------------------------------------------------------------------
-- Which calendars to mirror, and the jobs that do it
-- ---------------------------------------------------------------------------

-- The calendars an organisation's active practitioners use (their own, else the connection's),
-- while its connection is active.
create function private.used_calendars(target_org uuid)
returns setof text
language sql
stable
set search_path = ''
as $$
  select distinct coalesce(p.google_calendar_id, c.calendar_id)
  from public.calendar_connections c
  join public.practitioners p on p.organisation_id = c.organisation_id and p.active
  where c.organisation_id = target_org and c.status = 'active'
$$;

-- Enqueues a pull (and, with watch, a new push channel) for each calendar the organisation
-- uses. Dedupe keys "<org>:<calendar>": a calendar never has two of a kind waiting.
create function private.enqueue_calendar_pulls(target_org uuid, watch boolean)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  calendar text;
begin
  for calendar in select private.used_calendars(target_org) loop
    if watch then
      perform private.enqueue_job('google.watch_calendar', jsonb_build_object('calendar_id', calendar),
        target_org, target_org::text || ':' || calendar);
    end if;
    perform private.enqueue_job('google.pull_calendar', jsonb_build_object('calendar_id', calendar),
      target_org, target_org::text || ':' || calendar);
  end loop;
end
$$;

revoke all on function private.used_calendars(uuid), private.enqueue_calendar_pulls(uuid, boolean)
  from public, anon, authenticated;
grant execute on function private.used_calendars(uuid), private.enqueue_calendar_pulls(uuid, boolean)
  to service_role;

-- A connection that becomes active (connected or reconnected, or its calendar changed) is
-- watched and pulled at once; one that is disconnected forgets its mirror.
create function private.calendar_connection_pull()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.status = 'active' and (tg_op = 'INSERT' or old.status <> 'active'
     or old.calendar_id <> new.calendar_id) then
    perform private.enqueue_calendar_pulls(new.organisation_id, true);
  elsif new.status = 'disconnected' and tg_op = 'UPDATE' and old.status <> 'disconnected' then
    delete from public.calendar_busy_blocks b where b.organisation_id = new.organisation_id;
    delete from private.calendar_pulls p where p.organisation_id = new.organisation_id;
  end if;
  return null;
end
$$;

create trigger calendar_connections_pull
  after insert or update of status, calendar_id on public.calendar_connections
  for each row execute function private.calendar_connection_pull();

-- A practitioner moved to another calendar: watch and pull it (already-known ones dedupe).
create function private.practitioner_calendar_pull()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.enqueue_calendar_pulls(new.organisation_id, true);
  return null;
end
$$;

create trigger practitioners_calendar_pull
  after update of google_calendar_id, active on public.practitioners
  for each row
  when (old.google_calendar_id is distinct from new.google_calendar_id or old.active <> new.active)
  execute function private.practitioner_calendar_pull();

revoke all on function private.calendar_connection_pull(), private.practitioner_calendar_pull()
  from public, anon, authenticated;

-- The backstop (pg_cron, every minute): a calendar not pulled for 5 minutes is pulled, and one
-- whose push channel is missing or expires within a day gets a new one. A seeded or restored
-- connection (no trigger fired) is thus mirrored within a minute.
create function private.enqueue_calendar_backstop()
returns int
language plpgsql
security definer
set search_path = ''
as $$
declare
  due record;
  enqueued int := 0;
begin
  for due in
    select c.organisation_id, u.calendar_id, p.last_pulled_at, p.channel_expires_at
    from public.calendar_connections c
    cross join lateral private.used_calendars(c.organisation_id) as u(calendar_id)
    left join private.calendar_pulls p
      on p.organisation_id = c.organisation_id and p.calendar_id = u.calendar_id
    where c.status = 'active'
      and (p.last_pulled_at is null or p.last_pulled_at < now() - interval '5 minutes'
        or p.channel_expires_at is null or p.channel_expires_at < now() + interval '1 day')
  loop
    if due.channel_expires_at is null or due.channel_expires_at < now() + interval '1 day' then
      perform private.enqueue_job('google.watch_calendar',
        jsonb_build_object('calendar_id', due.calendar_id), due.organisation_id,
        due.organisation_id::text || ':' || due.calendar_id);
    end if;
    if due.last_pulled_at is null or due.last_pulled_at < now() - interval '5 minutes' then
      perform private.enqueue_job('google.pull_calendar',
        jsonb_build_object('calendar_id', due.calendar_id), due.organisation_id,
        due.organisation_id::text || ':' || due.calendar_id);
    end if;
    enqueued := enqueued + 1;
  end loop;
  return enqueued;
end
$$;

revoke all on function private.enqueue_calendar_backstop() from public, anon, authenticated;
grant execute on function private.enqueue_calendar_backstop() to service_role;

-- pg_cron as Supabase enables it (the jobs migration's worker schedule uses it too).
create extension if not exists pg_cron with schema pg_catalog;

select cron.schedule('frontdesk-calendar-pull', '* * * * *',
  'select private.enqueue_calendar_backstop()');

-- ---------------------------------------------------------------------------
-- Availability and booking read the mirror
-- ---------------------------------------------------------------------------

-- A practitioner's mirrored Google commitment over [from_time, until_time), in words:
-- "Dr Hale has another commitment in Google Calendar at 10:00–10:30" in the clinic's time
-- (with the day when it is another, "all day" for whole days). Runs as the caller. Null when
-- their calendar is free then or not connected.
create function private.describe_commitment(
  practitioner uuid,
  from_time timestamptz,
  until_time timestamptz
)
returns text
language sql
stable
set search_path = ''
as $$
  select format('%s has another commitment in Google Calendar %s', p.display_name,
    case
      when (b.starts_at at time zone o.timezone)::time = '00:00'
        and (b.ends_at at time zone o.timezone)::time = '00:00'
      then to_char(greatest(b.starts_at, from_time) at time zone o.timezone, '"all day on" FMDay FMDD FMMonth')
      else 'at ' || to_char(b.starts_at at time zone o.timezone, 'HH24:MI') || '–'
        || to_char(b.ends_at at time zone o.timezone, 'HH24:MI')
        || case when (b.starts_at at time zone o.timezone)::date <> (from_time at time zone o.timezone)::date
          then to_char(b.starts_at at time zone o.timezone, ' "on" FMDay FMDD FMMonth') else '' end
    end)
  from public.practitioners p
  join public.organisations o on o.id = p.organisation_id
  join public.calendar_connections c
    on c.organisation_id = p.organisation_id and c.status in ('active', 'needs_reauth')
  join public.calendar_busy_blocks b
    on b.organisation_id = p.organisation_id
    and b.calendar_id = coalesce(p.google_calendar_id, c.calendar_id)
  where p.id = practitioner
    and b.starts_at < until_time and b.ends_at > from_time
  order by b.starts_at
  limit 1
$$;

grant execute on function private.describe_commitment(uuid, timestamptz, timestamptz)
  to authenticated, service_role;

-- The booking RPCs' refusal after a failed write (exclusion violation, or the commitment
-- check below): the booking that holds the time, else the Google commitment, in words.
create or replace function private.raise_taken(practitioner uuid, from_time timestamptz, until_time timestamptz, except_id uuid)
returns void
language plpgsql
set search_path = ''
as $$
declare
  clash text := private.describe_clash(practitioner, from_time, until_time, except_id);
  commitment text;
begin
  if clash is null then
    commitment := private.describe_commitment(practitioner, from_time, until_time);
    if commitment is not null then
      raise exception '%', commitment
        using errcode = '23P01', hint = 'Pick another time or another practitioner.';
    end if;
  end if;
  raise exception 'That time was just taken: %', coalesce(clash, 'the practitioner is booked then')
    using errcode = '23P01', hint = 'Pick another time or another practitioner.';
end
$$;

-- A booking, or a move to another time or practitioner, over the practitioner's Google
-- commitment is refused (23P01, as a clash). Runs after appointments_prepare (names sort),
-- which fixed the blocked time. Appointments already there when staff add an event stay:
-- changing their status or notes is not refused.
create function private.respect_calendar_commitments()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  commitment text;
begin
  if new.status = 'booked' and (tg_op = 'INSERT' or old.status <> 'booked'
     or new.practitioner_id <> old.practitioner_id or new.blocked_from <> old.blocked_from
     or new.blocked_until <> old.blocked_until) then
    commitment := private.describe_commitment(new.practitioner_id, new.blocked_from, new.blocked_until);
    if commitment is not null then
      raise exception '%', commitment
        using errcode = '23P01', hint = 'Pick another time or another practitioner.';
    end if;
  end if;
  return new;
end
$$;

create trigger appointments_respect_calendar
  before insert or update on public.appointments
  for each row execute function private.respect_calendar_commitments();

revoke all on function private.respect_calendar_commitments() from public, anon, authenticated;

-- availability_inputs as before, and each practitioner's mirrored Google busy time (their own
-- calendar, else the connection's; while the connection is active or waits for reauthorisation)
-- among the busy ranges, marked "calendar": true.
create or replace function public.availability_inputs(
  organisation_id uuid,
  service_id uuid,
  from_date date,
  to_date date
)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  target_org uuid := organisation_id;
  org public.organisations;
  service public.services;
  rules public.booking_rules;
  performers uuid[];
  range_from timestamptz;
  range_until timestamptz;
begin
  perform private.require_member(target_org);
  select o.* into org from public.organisations o where o.id = target_org;
  if not found then
    raise exception 'That organisation does not exist' using errcode = 'PT404';
  end if;
  select s.* into service from public.services s
  where s.id = availability_inputs.service_id and s.organisation_id = target_org;
  if not found then
    raise exception 'That service does not exist in this clinic' using errcode = 'PT404';
  end if;
  if from_date is null or to_date is null or to_date < from_date or to_date - from_date > 366 then
    raise exception 'Ask for a range of at most a year, from one date to a later one'
      using errcode = '22023';
  end if;
  select r.* into rules from public.booking_rules r where r.organisation_id = target_org;
  select coalesce(array_agg(p.id), '{}') into performers
  from public.practitioners p
  join public.practitioner_services ps on ps.practitioner_id = p.id and ps.service_id = service.id
  where p.organisation_id = target_org and p.active;
  range_from := (from_date - 1)::timestamp at time zone org.timezone;
  range_until := (to_date + 2)::timestamp at time zone org.timezone;

  return jsonb_build_object(
    'timeZone', org.timezone,
    'rules', jsonb_build_object(
      'slotIntervalMinutes', rules.slot_interval_minutes,
      'minNoticeMinutes', rules.min_notice_minutes,
      'horizonDays', rules.horizon_days),
    'service', jsonb_build_object(
      'id', service.id, 'name', service.name, 'durationMinutes', service.duration_minutes,
      'bufferBeforeMinutes', service.buffer_before_minutes,
      'bufferAfterMinutes', service.buffer_after_minutes),
    'clinicHours', (
      select coalesce(jsonb_agg(jsonb_build_object('weekday', w.weekday,
        'opens', to_char(w.opens, 'HH24:MI'), 'closes', to_char(w.closes, 'HH24:MI'))
        order by w.weekday, w.opens), '[]')
      from public.working_hours w where w.organisation_id = target_org),
    'practitioners', (
      select coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'name', p.display_name,
        'hours', (select jsonb_agg(jsonb_build_object('weekday', h.weekday,
            'opens', to_char(h.opens, 'HH24:MI'), 'closes', to_char(h.closes, 'HH24:MI'))
            order by h.weekday, h.opens)
          from public.practitioner_hours h where h.practitioner_id = p.id))
        order by p.position, p.display_name), '[]')
      from public.practitioners p where p.id = any (performers)),
    'closures', (
      select coalesce(jsonb_agg(jsonb_build_object('startsOn', c.starts_on, 'endsOn', c.ends_on,
        'practitionerId', c.practitioner_id) order by c.starts_on), '[]')
      from public.closures c
      where c.organisation_id = target_org and c.starts_on <= to_date and c.ends_on >= from_date
        and (c.practitioner_id is null or c.practitioner_id = any (performers))),
    'busy', (
      select coalesce(jsonb_agg(busy.range order by busy.starts), '[]')
      from (
        select a.blocked_from as starts, jsonb_build_object('practitionerId', a.practitioner_id,
          'from', a.blocked_from, 'until', a.blocked_until) as range
        from public.appointments a
        where a.practitioner_id = any (performers) and a.status = 'booked'
          -- No booking blocks a day or more (duration and buffers are capped far below), so the
          -- lower bound on blocked_from lets the busy index scan only the range.
          and a.blocked_from > range_from - interval '1 day' and a.blocked_from < range_until
          and a.blocked_until > range_from
        union all
        select b.starts_at, jsonb_build_object('practitionerId', p.id,
          'from', b.starts_at, 'until', b.ends_at, 'calendar', true)
        from public.practitioners p
        join public.calendar_connections c
          on c.organisation_id = p.organisation_id and c.status in ('active', 'needs_reauth')
        join public.calendar_busy_blocks b
          on b.organisation_id = p.organisation_id
          and b.calendar_id = coalesce(p.google_calendar_id, c.calendar_id)
        where p.id = any (performers)
          and b.starts_at < range_until and b.ends_at > range_from
      ) busy)
  );
end
$$;
