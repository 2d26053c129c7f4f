-- Push sync: every booking, reschedule and cancellation reaches the clinic's Google Calendar
-- exactly once. A change of an appointment enqueues a `google.push_appointment` job (deduplicated
-- per appointment while it waits); the worker's handler (_shared/google/push.ts) writes the event
-- and records how it went in the appointment's sync columns, which the dashboard shows.

create type public.calendar_sync_state as enum ('pending', 'synced', 'failed');

-- ---------------------------------------------------------------------------
-- appointments: sync state (members read it; only service code writes it)
-- ---------------------------------------------------------------------------

alter table public.appointments
  add column calendar_sync public.calendar_sync_state,
  add column calendar_sync_error text,
  add column calendar_synced_at timestamptz,
  add column calendar_event_calendar_id text;

comment on column public.appointments.calendar_sync is
  'Whether Google Calendar shows this appointment as it is: pending (a push is waiting), synced, failed (given up; see calendar_sync_error). Null while no calendar is connected.';
comment on column public.appointments.calendar_sync_error is
  'Why the last push did not succeed, in a sentence for staff (never a token).';
comment on column public.appointments.calendar_synced_at is 'When Google last confirmed the event.';
comment on column public.appointments.calendar_event_calendar_id is
  'The Google calendar its event is in now (null: none); the push deletes it there when the practitioner''s calendar changes.';

-- Authenticated holds select on the whole table but insert/update only on the booking columns
-- (booking schema): the sync columns are written by triggers and the service role alone.

-- ---------------------------------------------------------------------------
-- Enqueue a push when what Google shows changes
-- ---------------------------------------------------------------------------

-- Before insert or update of an appointment: when its times, status (to or from cancelled),
-- practitioner, service or patient change and the clinic's calendar is connected (active or
-- waiting for re-authorisation), the appointment becomes pending and a push is enqueued (one per
-- appointment while waiting). Security definer: members fire it, and only the definer may
-- enqueue jobs. The handler's own writes of the sync columns change none of these, so they
-- enqueue nothing.
create function private.enqueue_appointment_push()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  connection public.calendar_status;
begin
  if tg_op = 'UPDATE' and new.starts_at = old.starts_at and new.ends_at = old.ends_at
     and (new.status = 'cancelled') = (old.status = 'cancelled')
     and new.practitioner_id = old.practitioner_id and new.service_id = old.service_id
     and new.contact_id = old.contact_id then
    return new;
  end if;
  select c.status into connection from public.calendar_connections c
  where c.organisation_id = new.organisation_id;
  if connection is null or connection = 'disconnected' then
    new.calendar_sync := null;
  else
    new.calendar_sync := 'pending';
    perform private.enqueue_job('google.push_appointment',
      jsonb_build_object('appointment_id', new.id), new.organisation_id, new.id::text);
  end if;
  new.calendar_sync_error := null;
  return new;
end
$$;

revoke all on function private.enqueue_appointment_push() from public;

-- Named to run after appointments_prepare (triggers run in name order): a clash it refuses
-- never enqueues.
create trigger appointments_push
  before insert or update on public.appointments
  for each row execute function private.enqueue_appointment_push();

-- ---------------------------------------------------------------------------
-- Whole sets of appointments pushed again: connecting, another calendar
-- ---------------------------------------------------------------------------

-- Makes these appointments of the organisation pending and enqueues a push for each (a push
-- already waiting is reused and made due now). For the triggers below.
create function private.enqueue_pushes(organisation uuid, appointment_ids uuid[])
returns void
language plpgsql
set search_path = ''
as $$
declare
  appointment_id uuid;
begin
  for appointment_id in
    update public.appointments a set calendar_sync = 'pending', calendar_sync_error = null
    where a.id = any(appointment_ids) and a.organisation_id = organisation
    returning a.id
  loop
    perform private.enqueue_job('google.push_appointment',
      jsonb_build_object('appointment_id', appointment_id), organisation, appointment_id::text);
  end loop;
end
$$;

revoke all on function private.enqueue_pushes(uuid, uuid[]) from public;

-- After a calendar connection changes:
-- - becoming active (connected or reconnected): every upcoming booked appointment Google does
--   not show yet is pushed;
-- - another calendar for the clinic while connected: the upcoming booked appointments of
--   practitioners without a calendar of their own move there;
-- - disconnected: no appointment has a sync state any more.
create function private.push_on_calendar_connection()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.status = 'active' and (tg_op = 'INSERT' or old.status <> 'active') then
    perform private.enqueue_pushes(new.organisation_id, array(
      select a.id from public.appointments a
      where a.organisation_id = new.organisation_id and a.status = 'booked' and a.ends_at > now()
        and a.calendar_sync is distinct from 'synced'));
  elsif tg_op = 'UPDATE' and new.status <> 'disconnected'
        and new.calendar_id is distinct from old.calendar_id then
    perform private.enqueue_pushes(new.organisation_id, array(
      select a.id from public.appointments a
      join public.practitioners p on p.id = a.practitioner_id
      where a.organisation_id = new.organisation_id and a.status = 'booked' and a.ends_at > now()
        and p.google_calendar_id is null));
  elsif tg_op = 'UPDATE' and new.status = 'disconnected' and old.status <> 'disconnected' then
    update public.appointments a set calendar_sync = null, calendar_sync_error = null
    where a.organisation_id = new.organisation_id and a.calendar_sync is not null;
  end if;
  return null;
end
$$;

revoke all on function private.push_on_calendar_connection() from public;

create trigger calendar_connections_push
  after insert or update of status, calendar_id on public.calendar_connections
  for each row execute function private.push_on_calendar_connection();

-- After a practitioner gets another Google calendar (chosen by an owner, or back to the clinic's
-- when theirs left the account): their upcoming booked appointments move there.
create function private.push_on_practitioner_calendar()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (select from public.calendar_connections c
             where c.organisation_id = new.organisation_id and c.status <> 'disconnected') then
    perform private.enqueue_pushes(new.organisation_id, array(
      select a.id from public.appointments a
      where a.practitioner_id = new.id and a.status = 'booked' and a.ends_at > now()));
  end if;
  return null;
end
$$;

revoke all on function private.push_on_practitioner_calendar() from public;

create trigger practitioners_push
  after update of google_calendar_id on public.practitioners
  for each row when (old.google_calendar_id is distinct from new.google_calendar_id)
  execute function private.push_on_practitioner_calendar();
