-- availability_inputs with its busy time compact: per practitioner, [from, until] pairs in epoch
-- milliseconds instead of one object with ISO texts per range, and a calendar's mirrored Google
-- busy time merged (overlapping and touching events as one range). Building and parsing an object
-- per busy range was most of the cost of availability with 1,000 mirrored events; findSlots
-- merges busy ranges itself, so the free slots are the same.

-- Same inputs and checks as before; 'busy' is a list of
--   {"practitionerId": …, "ranges": [[from, until], …]}           booked appointments' blocked
--                                                                   ranges, each as booked (a
--                                                                   reschedule leaves its own out)
--   {"practitionerId": …, "calendar": true, "ranges": [[from, until], …]}   their Google busy time
-- with ranges in epoch ms, half-open, sorted; a practitioner without any has no entry.
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
-- One plan kept per connection: every statement here filters by the organisation and its
-- practitioners through indexes whatever the values, and planning anew on each call (what the
-- default settles on for this function) cost more than the busy time itself.
set plan_cache_mode = force_generic_plan
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
      -- Each practitioner's own calendar, else the connection's, while the connection is active
      -- or waits for reauthorisation. Materialised so the calendar id is a plain value: the
      -- index on (organisation_id, calendar_id, starts_at) then reads one calendar's blocks that
      -- start before the range ends (an expression over the outer rows would read the clinic's).
      with used as materialized (
        select p.id as practitioner_id,
          coalesce(p.google_calendar_id, c.calendar_id) as calendar_id
        from public.practitioners p
        join public.calendar_connections c
          on c.organisation_id = target_org and c.status in ('active', 'needs_reauth')
        where p.id = any (performers)
      )
      select coalesce(jsonb_agg(busy.entry order by busy.calendar, busy.practitioner_id), '[]')
      from (
        select a.practitioner_id, false as calendar,
          jsonb_build_object('practitionerId', a.practitioner_id, 'ranges', to_jsonb(array_agg(
            array[floor(extract(epoch from a.blocked_from) * 1000)::bigint,
              floor(extract(epoch from a.blocked_until) * 1000)::bigint]
            order by a.blocked_from, a.blocked_until))) as entry
        from public.appointments a
        where a.practitioner_id = any (performers) and a.status = 'booked'
          -- No booking blocks a day or more (duration and buffers are capped far below), so the
          -- lower bound on blocked_from lets the busy index scan only the range.
          and a.blocked_from > range_from - interval '1 day' and a.blocked_from < range_until
          and a.blocked_until > range_from
        group by a.practitioner_id
        union all
        select u.practitioner_id, true, jsonb_build_object('practitionerId', u.practitioner_id,
          'calendar', true, 'ranges', merged.ranges)
        from used u
        cross join lateral (
          select to_jsonb(array_agg(array[floor(extract(epoch from lower(r)) * 1000)::bigint,
              floor(extract(epoch from upper(r)) * 1000)::bigint] order by r)) as ranges
          from unnest((
            select range_agg(tstzrange(b.starts_at, b.ends_at))
            from public.calendar_busy_blocks b
            where b.organisation_id = target_org and b.calendar_id = u.calendar_id
              and b.starts_at < range_until and b.ends_at > range_from)) r
        ) merged
        where merged.ranges is not null
      ) busy)
  );
end
$$;

comment on function public.availability_inputs(uuid, uuid, date, date) is
  'What the slot finder needs for a service between two local dates: zone, rules, hours, practitioners performing it, closures and busy ranges (per practitioner, epoch ms pairs; their Google busy time merged). Members.';
