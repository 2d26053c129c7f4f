-- Booking RPCs every channel uses (the dashboard through PostgREST, the assistants as service
-- code): book, cancel, reschedule, mark what happened, find or create a patient by phone, and
-- read what the slot finder needs. Security invoker: the tables' row-level security decides;
-- the checks here only turn refusals into words (42501 refused, 22023 invalid, PT404 not found,
-- 23P01 taken, which PostgREST answers 403, 400, 404 and 409).

-- The exclusion constraint refused a write that raced another: the same words the trigger uses
-- when it sees the clash first. The winner has committed, so a new snapshot shows it.
create function private.raise_taken(practitioner uuid, from_time timestamptz, until_time timestamptz, except_id uuid)
returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'That time was just taken: %',
    coalesce(private.describe_clash(practitioner, from_time, until_time, except_id), 'the practitioner is booked then')
    using errcode = '23P01', hint = 'Pick another time or another practitioner.';
end
$$;

grant execute on function private.raise_taken(uuid, timestamptz, timestamptz, uuid) to authenticated, service_role;

-- A practitioner of the organisation who is active and performs the service, or a refusal.
create function private.require_bookable(target_org uuid, practitioner uuid, service public.services)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  chosen public.practitioners;
begin
  select p.* into chosen from public.practitioners p
  where p.id = practitioner and p.organisation_id = target_org;
  if not found then
    raise exception 'That practitioner does not exist in this clinic' using errcode = 'PT404';
  end if;
  if not chosen.active then
    raise exception '% is not taking bookings', chosen.display_name
      using errcode = '22023', hint = 'Pick another practitioner, or make them active again.';
  end if;
  if not exists (select from public.practitioner_services ps
                 where ps.practitioner_id = practitioner and ps.service_id = service.id) then
    raise exception '% does not perform %', chosen.display_name, service.name
      using errcode = '22023', hint = 'Pick a practitioner who performs it, or add it to theirs.';
  end if;
end
$$;

grant execute on function private.require_bookable(uuid, uuid, public.services) to authenticated, service_role;

create function private.require_future(starts_at timestamptz)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if starts_at is null or starts_at <= now() then
    raise exception 'An appointment must start in the future' using errcode = '22023';
  end if;
end
$$;

grant execute on function private.require_future(timestamptz) to authenticated, service_role;

-- The caller's appointment, locked for the change, or PT404 (also for another clinic's).
create function private.appointment_for_change(appointment uuid)
returns public.appointments
language plpgsql
set search_path = ''
as $$
declare
  found_row public.appointments;
begin
  select a.* into found_row from public.appointments a where a.id = appointment for update;
  if not found then
    raise exception 'That appointment does not exist' using errcode = 'PT404';
  end if;
  perform private.require_member(found_row.organisation_id);
  return found_row;
end
$$;

grant execute on function private.appointment_for_change(uuid) to authenticated, service_role;

-- ---------------------------------------------------------------------------

create function public.book_appointment(
  organisation_id uuid,
  service_id uuid,
  practitioner_id uuid,
  starts_at timestamptz,
  contact_id uuid,
  source public.appointment_source default 'dashboard'
)
returns public.appointments
language plpgsql
security invoker
set search_path = ''
as $$
declare
  target_org uuid := organisation_id;
  service public.services;
  booked public.appointments;
begin
  perform private.require_member(target_org);
  select s.* into service from public.services s
  where s.id = book_appointment.service_id and s.organisation_id = target_org;
  if not found then
    raise exception 'That service does not exist in this clinic' using errcode = 'PT404';
  end if;
  if not service.active then
    raise exception '% is no longer offered', service.name using errcode = '22023';
  end if;
  perform private.require_bookable(target_org, practitioner_id, service);
  if not exists (select from public.contacts c
                 where c.id = book_appointment.contact_id and c.organisation_id = target_org) then
    raise exception 'That patient does not exist in this clinic' using errcode = 'PT404';
  end if;
  perform private.require_future(starts_at);
  begin
    insert into public.appointments as a
      (organisation_id, practitioner_id, service_id, contact_id, starts_at, ends_at, source)
    values (target_org, practitioner_id, service.id, contact_id, starts_at,
      starts_at + make_interval(mins => service.duration_minutes), coalesce(source, 'dashboard'))
    returning a.* into booked;
  exception when exclusion_violation then
    perform private.raise_taken(practitioner_id,
      starts_at - make_interval(mins => service.buffer_before_minutes),
      starts_at + make_interval(mins => service.duration_minutes + service.buffer_after_minutes), null);
  end;
  return booked;
end
$$;

comment on function public.book_appointment(uuid, uuid, uuid, timestamptz, uuid, public.appointment_source) is
  'Books a patient with a practitioner for a service at a future start; refuses a taken time in words (23P01). Members.';

create function public.cancel_appointment(appointment_id uuid, reason text default '')
returns public.appointments
language plpgsql
security invoker
set search_path = ''
as $$
declare
  appointment public.appointments := private.appointment_for_change(appointment_id);
begin
  if appointment.status <> 'booked' then
    raise exception 'This appointment is % already', replace(appointment.status::text, '_', '-')
      using errcode = '22023';
  end if;
  update public.appointments a
  set status = 'cancelled', cancellation_reason = nullif(btrim(reason), '')
  where a.id = appointment.id
  returning a.* into appointment;
  return appointment;
end
$$;

comment on function public.cancel_appointment(uuid, text) is
  'Cancels a booked appointment with an optional reason; its time is free again. Members.';

-- One row moved in place: its old time is released only if the new one could be booked.
create function public.reschedule_appointment(
  appointment_id uuid,
  starts_at timestamptz,
  practitioner_id uuid default null
)
returns public.appointments
language plpgsql
security invoker
set search_path = ''
as $$
declare
  appointment public.appointments := private.appointment_for_change(appointment_id);
  service public.services;
  new_practitioner uuid := coalesce(practitioner_id, appointment.practitioner_id);
  new_end timestamptz := starts_at + (appointment.ends_at - appointment.starts_at);
begin
  if appointment.status <> 'booked' then
    raise exception 'Only a booked appointment can be moved; this one is %',
      replace(appointment.status::text, '_', '-') using errcode = '22023';
  end if;
  perform private.require_future(starts_at);
  select s.* into service from public.services s where s.id = appointment.service_id;
  if new_practitioner <> appointment.practitioner_id then
    perform private.require_bookable(appointment.organisation_id, new_practitioner, service);
  end if;
  begin
    update public.appointments a
    set starts_at = reschedule_appointment.starts_at, ends_at = new_end,
      practitioner_id = new_practitioner
    where a.id = appointment.id
    returning a.* into appointment;
  exception when exclusion_violation then
    perform private.raise_taken(new_practitioner,
      starts_at - make_interval(mins => service.buffer_before_minutes),
      new_end + make_interval(mins => service.buffer_after_minutes), appointment.id);
  end;
  return appointment;
end
$$;

comment on function public.reschedule_appointment(uuid, timestamptz, uuid) is
  'Moves a booked appointment to a new future start (and optionally another practitioner) atomically. Members.';

create function public.set_appointment_status(
  appointment_id uuid,
  status public.appointment_status
)
returns public.appointments
language plpgsql
security invoker
set search_path = ''
as $$
declare
  appointment public.appointments := private.appointment_for_change(appointment_id);
  wanted public.appointment_status := status;
begin
  if wanted is null or wanted = 'cancelled' then
    raise exception 'Cancel an appointment with cancel_appointment, which records the reason'
      using errcode = '22023';
  end if;
  if appointment.status = 'cancelled' then
    raise exception 'A cancelled appointment cannot be changed' using errcode = '22023',
      hint = 'Book a new appointment instead.';
  end if;
  if wanted <> 'booked' and appointment.starts_at > now() then
    raise exception 'An appointment can be marked % only once it has started',
      replace(wanted::text, '_', '-') using errcode = '22023';
  end if;
  begin
    update public.appointments a set status = wanted
    where a.id = appointment.id
    returning a.* into appointment;
  exception when exclusion_violation then
    perform private.raise_taken(appointment.practitioner_id, appointment.blocked_from,
      appointment.blocked_until, appointment.id);
  end;
  return appointment;
end
$$;

comment on function public.set_appointment_status(uuid, public.appointment_status) is
  'Marks an appointment completed or no-show once it has started, or back to booked. Members.';

-- The patient with this phone number (normalised to E.164), created if new. Details given
-- fill in what is missing and never overwrite what the clinic has.
create function public.find_or_create_contact(
  organisation_id uuid,
  phone text,
  name text default null,
  email text default null,
  preferred_language text default null
)
returns public.contacts
language plpgsql
security invoker
set search_path = ''
as $$
declare
  target_org uuid := organisation_id;
  number text := private.normalise_e164(phone);
  contact public.contacts;
begin
  perform private.require_member(target_org);
  if preferred_language is not null
     and not exists (select from public.languages l where l.code = preferred_language) then
    raise exception '"%" is not a supported language', preferred_language using errcode = '22023';
  end if;
  insert into public.contacts as c (organisation_id, phone, name, email, preferred_language)
  values (target_org, number, nullif(btrim(name), ''), nullif(btrim(email), ''), preferred_language)
  on conflict on constraint contacts_organisation_id_phone_key do update
  set name = coalesce(c.name, excluded.name),
    email = coalesce(c.email, excluded.email),
    preferred_language = coalesce(c.preferred_language, excluded.preferred_language)
  where (c.name is null and excluded.name is not null)
     or (c.email is null and excluded.email is not null)
     or (c.preferred_language is null and excluded.preferred_language is not null)
  returning c.* into contact;
  if contact.id is null then
    select c.* into contact from public.contacts c
    where c.organisation_id = target_org and c.phone = number;
  end if;
  return contact;
end
$$;

comment on function public.find_or_create_contact(uuid, text, text, text, text) is
  'The clinic''s patient with this phone number, created if new; given details fill in only what is missing. Members.';

-- Everything findSlots (supabase/functions/_shared/domain/slots.ts) needs for a service and a
-- range of local dates, in one call. Busy ranges are read a day either side of the range so a
-- zone's offset never hides one.
create function public.availability_inputs(
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
      select coalesce(jsonb_agg(jsonb_build_object('practitionerId', a.practitioner_id,
        'from', a.blocked_from, 'until', a.blocked_until) order by a.blocked_from), '[]')
      from public.appointments a
      where a.practitioner_id = any (performers) and a.status = 'booked'
        -- No booking blocks a day or more (duration and buffers are capped far below), so the
        -- lower bound on blocked_from lets the busy index scan only the range.
        and a.blocked_from > range_from - interval '1 day' and a.blocked_from < range_until
        and a.blocked_until > range_from)
  );
end
$$;

comment on function public.availability_inputs(uuid, uuid, date, date) is
  'What the slot finder needs for a service between two local dates: zone, rules, hours, practitioners performing it, closures and busy ranges. Members.';

revoke all on function
  public.book_appointment(uuid, uuid, uuid, timestamptz, uuid, public.appointment_source),
  public.cancel_appointment(uuid, text),
  public.reschedule_appointment(uuid, timestamptz, uuid),
  public.set_appointment_status(uuid, public.appointment_status),
  public.find_or_create_contact(uuid, text, text, text, text),
  public.availability_inputs(uuid, uuid, date, date)
  from public, anon;
grant execute on function
  public.book_appointment(uuid, uuid, uuid, timestamptz, uuid, public.appointment_source),
  public.cancel_appointment(uuid, text),
  public.reschedule_appointment(uuid, timestamptz, uuid),
  public.set_appointment_status(uuid, public.appointment_status),
  public.find_or_create_contact(uuid, text, text, text, text),
  public.availability_inputs(uuid, uuid, date, date)
  to authenticated, service_role;
