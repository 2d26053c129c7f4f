-- The booking core: who can be booked (practitioners, the services they perform, their hours and
-- time off), the clinic's booking rules, its patients (contacts) and appointments. Two booked
-- appointments of one practitioner can never overlap: an exclusion constraint on the time each
-- blocks (its start and end widened by the service's buffers) holds whichever path writes.
-- Tenant rule (docs/architecture.md) for every table; composite foreign keys keep an
-- appointment's practitioner, service and contact inside its own organisation.

-- Supabase offers btree_gist; the exclusion constraint needs it for "practitioner_id with =".
create extension if not exists btree_gist with schema extensions;

create type public.appointment_status as enum ('booked', 'cancelled', 'completed', 'no_show');
create type public.appointment_source as enum ('dashboard', 'voice', 'whatsapp');

-- Targets of the composite foreign keys below.
alter table public.services add constraint services_organisation_id_id_key unique (organisation_id, id);

-- ---------------------------------------------------------------------------
-- practitioners
-- ---------------------------------------------------------------------------

create table public.practitioners (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  display_name text not null check (char_length(btrim(display_name)) between 1 and 80),
  member_user_id uuid,
  active boolean not null default true,
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organisation_id, id),
  -- A practitioner linked to a member stays when the member leaves, unlinked.
  foreign key (organisation_id, member_user_id)
    references public.organisation_members (organisation_id, user_id) on delete set null (member_user_id)
);

comment on table public.practitioners is
  'Who can be booked: a dentist, a hygienist, a room. A new organisation gets one named after it.';
comment on column public.practitioners.member_user_id is 'The member this practitioner is, if they use the dashboard.';

revoke all on public.practitioners from anon, authenticated;
grant select on public.practitioners to authenticated;
grant insert (organisation_id, display_name, member_user_id, active, position),
  update (display_name, member_user_id, active, position), delete
  on public.practitioners to authenticated;
grant all on public.practitioners to service_role;

create index practitioners_organisation_id_idx on public.practitioners (organisation_id, position);
create index practitioners_member_idx on public.practitioners (organisation_id, member_user_id)
  where member_user_id is not null;

alter table public.practitioners enable row level security;

create policy "members read their practitioners"
  on public.practitioners for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

create policy "owners and admins add practitioners"
  on public.practitioners for insert
  to authenticated
  with check (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "owners and admins change practitioners"
  on public.practitioners for update
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "owners and admins remove practitioners"
  on public.practitioners for delete
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create function private.trim_practitioner_name()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.display_name := btrim(new.display_name);
  return new;
end
$$;

create trigger practitioners_trim_name
  before insert or update on public.practitioners
  for each row execute function private.trim_practitioner_name();

create trigger practitioners_touch_updated_at
  before update on public.practitioners
  for each row execute function private.touch_updated_at();

-- ---------------------------------------------------------------------------
-- practitioner_services: who performs what
-- ---------------------------------------------------------------------------

create table public.practitioner_services (
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  practitioner_id uuid not null,
  service_id uuid not null,
  primary key (practitioner_id, service_id),
  foreign key (organisation_id, practitioner_id)
    references public.practitioners (organisation_id, id) on delete cascade,
  foreign key (organisation_id, service_id)
    references public.services (organisation_id, id) on delete cascade
);

comment on table public.practitioner_services is
  'Which practitioner performs which service. A new service is performed by every active practitioner.';

revoke all on public.practitioner_services from anon, authenticated;
grant select, insert (organisation_id, practitioner_id, service_id), delete
  on public.practitioner_services to authenticated;
grant all on public.practitioner_services to service_role;

create index practitioner_services_service_idx
  on public.practitioner_services (organisation_id, service_id, practitioner_id);
create index practitioner_services_practitioner_idx
  on public.practitioner_services (organisation_id, practitioner_id);

alter table public.practitioner_services enable row level security;

create policy "members read who performs which service"
  on public.practitioner_services for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

create policy "owners and admins assign services"
  on public.practitioner_services for insert
  to authenticated
  with check (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "owners and admins unassign services"
  on public.practitioner_services for delete
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

-- After insert (the row passed RLS): rows of the same organisation only.
create function private.assign_new_service()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.practitioner_services (organisation_id, practitioner_id, service_id)
  select new.organisation_id, p.id, new.id
  from public.practitioners p
  where p.organisation_id = new.organisation_id and p.active;
  return null;
end
$$;

create trigger services_assign_practitioners
  after insert on public.services
  for each row execute function private.assign_new_service();

-- ---------------------------------------------------------------------------
-- practitioner_hours: a practitioner's own week (none = the clinic's working hours)
-- ---------------------------------------------------------------------------

create table public.practitioner_hours (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  practitioner_id uuid not null,
  weekday smallint not null check (weekday between 1 and 7),
  opens time not null,
  -- As working_hours: closes <= opens runs past midnight.
  closes time not null,
  constraint practitioner_hours_not_empty check (opens <> closes),
  foreign key (organisation_id, practitioner_id)
    references public.practitioners (organisation_id, id) on delete cascade
);

comment on table public.practitioner_hours is
  'A practitioner''s working intervals per ISO weekday (1 = Monday), local time. None: the clinic''s working hours apply.';

revoke all on public.practitioner_hours from anon, authenticated;
grant select on public.practitioner_hours to authenticated;
grant insert (organisation_id, practitioner_id, weekday, opens, closes),
  update (weekday, opens, closes), delete
  on public.practitioner_hours to authenticated;
grant all on public.practitioner_hours to service_role;

create index practitioner_hours_organisation_id_idx
  on public.practitioner_hours (organisation_id, practitioner_id, weekday, opens);

alter table public.practitioner_hours enable row level security;

create policy "members read practitioners' hours"
  on public.practitioner_hours for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

create policy "owners and admins add practitioners' hours"
  on public.practitioner_hours for insert
  to authenticated
  with check (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "owners and admins change practitioners' hours"
  on public.practitioner_hours for update
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "owners and admins remove practitioners' hours"
  on public.practitioner_hours for delete
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

-- One overlap check for the clinic's hours and a practitioner's (replaces the working_hours
-- version of 20261201140000): intervals of the same organisation, or of the same practitioner.
-- Locked per organisation and table, so concurrent writes are checked one after the other.
create or replace function private.validate_working_hours()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  practitioner uuid := (to_jsonb(new) ->> 'practitioner_id')::uuid;
  clash record;
begin
  perform private.lock_organisation_rows(new.organisation_id, tg_table_name);
  select w.weekday, w.opens, w.closes into clash
  from (
    select w.id, w.weekday, w.opens, w.closes from public.working_hours w
    where tg_table_name = 'working_hours' and w.organisation_id = new.organisation_id
    union all
    select h.id, h.weekday, h.opens, h.closes from public.practitioner_hours h
    where tg_table_name = 'practitioner_hours' and h.practitioner_id = practitioner
  ) w
  cross join lateral unnest(private.week_minutes(w.weekday, w.opens, w.closes)) theirs
  cross join lateral unnest(private.week_minutes(new.weekday, new.opens, new.closes)) ours
  where w.id <> new.id and theirs && ours
  limit 1;
  if found then
    raise exception 'These hours overlap %–% on %', to_char(clash.opens, 'HH24:MI'),
      to_char(clash.closes, 'HH24:MI'),
      (array['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'])
        [clash.weekday]
      using errcode = '23P01', hint = 'Change or remove the other interval first.';
  end if;
  return new;
end
$$;

create trigger practitioner_hours_validate
  before insert or update on public.practitioner_hours
  for each row execute function private.validate_working_hours();

-- ---------------------------------------------------------------------------
-- closures: optionally one practitioner's time off
-- ---------------------------------------------------------------------------

alter table public.closures add column practitioner_id uuid;
alter table public.closures add foreign key (organisation_id, practitioner_id)
  references public.practitioners (organisation_id, id) on delete cascade;
comment on column public.closures.practitioner_id is
  'Null: the whole clinic is closed. Otherwise: this practitioner''s time off.';
grant insert (practitioner_id), update (practitioner_id) on public.closures to authenticated;
create index closures_practitioner_idx on public.closures (organisation_id, practitioner_id, starts_on)
  where practitioner_id is not null;

-- Closures overlap-check within their own kind: the clinic's closures among themselves, a
-- practitioner's time off among theirs (two practitioners may be away on the same days, and
-- time off may fall on a clinic holiday). Otherwise as in 20261201140000.
create or replace function private.validate_closure()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  clash record;
  timezone text;
  today date;
  what text := case when new.practitioner_id is null then 'closure' else 'time off' end;
begin
  perform private.check_length(new.reason, 200, 'the reason');
  if new.ends_on < new.starts_on then
    raise exception 'The last day (%) is before the first (%)', to_char(new.ends_on, 'FMDD Mon YYYY'),
      to_char(new.starts_on, 'FMDD Mon YYYY')
      using errcode = '22023', hint = 'For a single day, make the first and the last the same.';
  end if;
  timezone := (select o.timezone from public.organisations o where o.id = new.organisation_id);
  if current_user in ('authenticated', 'service_role') and timezone is not null
     and (tg_op = 'INSERT' or (new.starts_on, new.ends_on) is distinct from (old.starts_on, old.ends_on)) then
    today := (now() at time zone timezone)::date;
    if new.ends_on < today then
      raise exception 'This % (%) is over: today is % in %', what,
        private.describe_days(new.starts_on, new.ends_on), to_char(today, 'FMDD Mon YYYY'), timezone
        using errcode = '22023', hint = 'Choose today or a later day.';
    end if;
  end if;
  perform private.lock_organisation_rows(new.organisation_id, 'closures');
  select c.starts_on, c.ends_on, c.reason into clash
  from public.closures c
  where c.organisation_id = new.organisation_id and c.id <> new.id
    and c.practitioner_id is not distinct from new.practitioner_id
    and daterange(c.starts_on, c.ends_on, '[]') && daterange(new.starts_on, new.ends_on, '[]')
  order by c.starts_on
  limit 1;
  if found then
    raise exception 'This % overlaps the % %', what, what,
      private.describe_days(clash.starts_on, clash.ends_on)
        || case when clash.reason <> '' then format(' (%s)', clash.reason) else '' end
      using errcode = '23P01', hint = 'Change the days, or delete the other ' || what || ' first.';
  end if;
  return new;
end
$$;

-- ---------------------------------------------------------------------------
-- booking_rules: one row per organisation, created with it
-- ---------------------------------------------------------------------------

create table public.booking_rules (
  organisation_id uuid primary key references public.organisations (id) on delete cascade,
  slot_interval_minutes integer not null default 15
    constraint booking_rules_slot_interval_range check (slot_interval_minutes between 5 and 240),
  min_notice_minutes integer not null default 120
    constraint booking_rules_min_notice_range check (min_notice_minutes between 0 and 20160),
  horizon_days integer not null default 60
    constraint booking_rules_horizon_range check (horizon_days between 1 and 730),
  patient_change_cutoff_hours integer not null default 24
    constraint booking_rules_cutoff_range check (patient_change_cutoff_hours between 0 and 720),
  updated_at timestamptz not null default now()
);

comment on table public.booking_rules is
  'How the clinic books: slot grid, minimum notice, how far ahead, and how late a patient may cancel or move by themselves.';

revoke all on public.booking_rules from anon, authenticated;
grant select on public.booking_rules to authenticated;
grant update (slot_interval_minutes, min_notice_minutes, horizon_days, patient_change_cutoff_hours)
  on public.booking_rules to authenticated;
grant all on public.booking_rules to service_role;

alter table public.booking_rules enable row level security;

create policy "members read their booking rules"
  on public.booking_rules for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

create policy "owners and admins change their booking rules"
  on public.booking_rules for update
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])))
  with check (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create trigger booking_rules_touch_updated_at
  before update on public.booking_rules
  for each row execute function private.touch_updated_at();

-- A new organisation can be booked at once: default rules and one practitioner named after it.
create function private.create_booking_defaults()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.booking_rules (organisation_id) values (new.id);
  insert into public.practitioners (organisation_id, display_name) values (new.id, new.name);
  return new;
end
$$;

create trigger organisations_create_booking_defaults
  after insert on public.organisations
  for each row execute function private.create_booking_defaults();

insert into public.booking_rules (organisation_id)
select o.id from public.organisations o
on conflict (organisation_id) do nothing;

with created as (
  insert into public.practitioners (organisation_id, display_name)
  select o.id, o.name from public.organisations o
  where not exists (select from public.practitioners p where p.organisation_id = o.id)
  returning organisation_id, id
)
insert into public.practitioner_services (organisation_id, practitioner_id, service_id)
select c.organisation_id, c.id, s.id
from created c join public.services s on s.organisation_id = c.organisation_id;

-- ---------------------------------------------------------------------------
-- contacts: the clinic's patients, one per phone number
-- ---------------------------------------------------------------------------

create table public.contacts (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  name text check (char_length(btrim(name)) between 1 and 120),
  phone text not null,
  email text check (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and char_length(email) <= 254),
  preferred_language text references public.languages (code),
  notes text not null default '' check (char_length(notes) <= 4000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organisation_id, phone),
  unique (organisation_id, id)
);

comment on table public.contacts is
  'The clinic''s patients. One per phone number (E.164), so calls, chats and appointments share one timeline.';

revoke all on public.contacts from anon, authenticated;
grant select on public.contacts to authenticated;
grant insert (organisation_id, name, phone, email, preferred_language, notes),
  update (name, phone, email, preferred_language, notes)
  on public.contacts to authenticated;
grant all on public.contacts to service_role;

create index contacts_preferred_language_idx on public.contacts (preferred_language);

alter table public.contacts enable row level security;

create policy "members read their contacts"
  on public.contacts for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

create policy "members add contacts"
  on public.contacts for insert
  to authenticated
  with check (organisation_id in (select private.organisation_ids_for_current_user()));

create policy "members change contacts"
  on public.contacts for update
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()))
  with check (organisation_id in (select private.organisation_ids_for_current_user()));

create function private.validate_contact()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.phone := private.normalise_e164(new.phone);
  new.name := nullif(btrim(new.name), '');
  new.email := nullif(lower(btrim(new.email)), '');
  return new;
end
$$;

create trigger contacts_validate
  before insert or update on public.contacts
  for each row execute function private.validate_contact();

create trigger contacts_touch_updated_at
  before update on public.contacts
  for each row execute function private.touch_updated_at();

-- ---------------------------------------------------------------------------
-- appointments
-- ---------------------------------------------------------------------------

create table public.appointments (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  practitioner_id uuid not null,
  service_id uuid not null,
  contact_id uuid not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  -- Set by the trigger below from the service's buffers; never from what a writer sends.
  blocked_from timestamptz not null,
  blocked_until timestamptz not null,
  status public.appointment_status not null default 'booked',
  source public.appointment_source not null default 'dashboard',
  created_by uuid references auth.users (id) on delete set null,
  cancellation_reason text check (char_length(cancellation_reason) <= 500),
  cancelled_at timestamptz,
  status_changed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint appointments_times_in_order check (ends_at > starts_at),
  -- Past appointments are kept: deactivate a practitioner or service instead of deleting it.
  foreign key (organisation_id, practitioner_id) references public.practitioners (organisation_id, id),
  foreign key (organisation_id, service_id) references public.services (organisation_id, id),
  foreign key (organisation_id, contact_id) references public.contacts (organisation_id, id),
  constraint appointments_no_double_booking exclude using gist (
    practitioner_id with =, tstzrange(blocked_from, blocked_until) with &&
  ) where (status = 'booked')
);

comment on table public.appointments is
  'A patient booked with a practitioner for a service. Booked ones of a practitioner never overlap (buffers included).';
comment on column public.appointments.blocked_from is 'starts_at minus the service''s buffer before, fixed when booked.';
comment on column public.appointments.blocked_until is 'ends_at plus the service''s buffer after, fixed when booked.';

revoke all on public.appointments from anon, authenticated;
grant select on public.appointments to authenticated;
grant insert (organisation_id, practitioner_id, service_id, contact_id, starts_at, ends_at, source),
  update (practitioner_id, starts_at, ends_at, status, cancellation_reason)
  on public.appointments to authenticated;
grant all on public.appointments to service_role;

-- The agenda (an organisation's range of days) and a practitioner's busy times.
create index appointments_organisation_id_idx on public.appointments (organisation_id, starts_at);
create index appointments_practitioner_idx on public.appointments (organisation_id, practitioner_id, starts_at);
create index appointments_practitioner_busy_idx on public.appointments (practitioner_id, blocked_from)
  where status = 'booked';
create index appointments_contact_idx on public.appointments (organisation_id, contact_id, starts_at);
create index appointments_service_idx on public.appointments (organisation_id, service_id);
create index appointments_created_by_idx on public.appointments (created_by);

alter table public.appointments enable row level security;

create policy "members read their appointments"
  on public.appointments for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

create policy "members book appointments"
  on public.appointments for insert
  to authenticated
  with check (organisation_id in (select private.organisation_ids_for_current_user()));

create policy "members change appointments"
  on public.appointments for update
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()))
  with check (organisation_id in (select private.organisation_ids_for_current_user()));

-- Refuses a signed-in user who is not a member of the organisation (service code passes).
create function private.require_member(target_org uuid)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  -- Two statements, not one condition: PostgreSQL checks the right to execute every function
  -- of an expression when it starts it, and service_role may not execute role_in_organisation.
  if coalesce(current_setting('role', true), 'none') in ('anon', 'authenticated') then
    if private.role_in_organisation(target_org) is null then
      raise exception 'You are not a member of this organisation' using errcode = '42501';
    end if;
  end if;
end
$$;

grant execute on function private.require_member(uuid) to authenticated, service_role;

-- The booking that blocks [blocked_from, blocked_until) for a practitioner, in words:
-- "Dr Hale is booked 10:00–10:30" in the clinic's time. Runs as the caller, so it names only
-- bookings the caller may read. Null when nothing clashes.
create function private.describe_clash(
  practitioner uuid,
  from_time timestamptz,
  until_time timestamptz,
  except_id uuid
)
returns text
language sql
stable
set search_path = ''
as $$
  select format('%s is booked %s–%s', p.display_name,
    to_char(a.starts_at at time zone o.timezone, 'HH24:MI'),
    to_char(a.ends_at at time zone o.timezone, 'HH24:MI'))
    || case when (a.starts_at at time zone o.timezone)::date <> (from_time at time zone o.timezone)::date
      then to_char(a.starts_at at time zone o.timezone, ' "on" FMDay FMDD FMMonth') else '' end
  from public.appointments a
  join public.practitioners p on p.id = a.practitioner_id
  join public.organisations o on o.id = a.organisation_id
  where a.practitioner_id = practitioner and a.status = 'booked'
    and a.id is distinct from except_id
    and tstzrange(a.blocked_from, a.blocked_until) && tstzrange(from_time, until_time)
  order by a.blocked_from
  limit 1
$$;

grant execute on function private.describe_clash(uuid, timestamptz, timestamptz, uuid)
  to authenticated, service_role;

-- Fixes the blocked time from the service's buffers when an appointment is booked or moved,
-- keeps the status timestamps, and words a clash before the constraint would (the constraint
-- stays the guarantee under concurrency; the RPCs word that case too). Runs as the writer:
-- a service it cannot read is refused as unknown.
create function private.prepare_appointment()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  service public.services;
  clash text;
begin
  -- Before RLS would: a non-member learns nothing of the organisation's services or bookings.
  perform private.require_member(new.organisation_id);
  if tg_op = 'INSERT' then
    new.created_by := coalesce(new.created_by, (select auth.uid()));
    new.status_changed_at := now();
  end if;
  if tg_op = 'INSERT' or new.service_id <> old.service_id or new.starts_at <> old.starts_at
     or new.ends_at <> old.ends_at then
    select s.* into service from public.services s
    where s.id = new.service_id and s.organisation_id = new.organisation_id;
    if not found then
      raise exception 'That service does not exist in this clinic' using errcode = '22023';
    end if;
    new.blocked_from := new.starts_at - make_interval(mins => service.buffer_before_minutes);
    new.blocked_until := new.ends_at + make_interval(mins => service.buffer_after_minutes);
  elsif tg_op = 'UPDATE' then
    new.blocked_from := old.blocked_from;
    new.blocked_until := old.blocked_until;
  end if;
  if tg_op = 'UPDATE' and new.status <> old.status then
    new.status_changed_at := now();
    new.cancelled_at := case when new.status = 'cancelled' then now() end;
  end if;
  if new.status = 'booked' then
    clash := private.describe_clash(new.practitioner_id, new.blocked_from, new.blocked_until, new.id);
    if clash is not null then
      raise exception 'That time was just taken: %', clash
        using errcode = '23P01', hint = 'Pick another time or another practitioner.';
    end if;
  end if;
  return new;
end
$$;

create trigger appointments_prepare
  before insert or update on public.appointments
  for each row execute function private.prepare_appointment();

create trigger appointments_touch_updated_at
  before update on public.appointments
  for each row execute function private.touch_updated_at();

-- A service or practitioner with appointments stays (their history is the clinic's record):
-- the foreign key would refuse the delete anyway, this says so in words. Skipped while the
-- whole organisation is being deleted (its row is gone before the cascade reaches these).
create function private.keep_booked()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  what text := case tg_table_name when 'services' then 'service' else 'practitioner' end;
begin
  if exists (select from public.organisations o where o.id = old.organisation_id)
     and exists (select from public.appointments a
                 where a.organisation_id = old.organisation_id
                   and (case tg_table_name when 'services' then a.service_id else a.practitioner_id end) = old.id) then
    raise exception 'This % has appointments on record and cannot be removed', what
      using errcode = '23503', hint = 'Make it inactive instead: nobody can book it then.';
  end if;
  return old;
end
$$;

create trigger services_keep_booked
  before delete on public.services
  for each row execute function private.keep_booked();
create trigger practitioners_keep_booked
  before delete on public.practitioners
  for each row execute function private.keep_booked();

-- ---------------------------------------------------------------------------
-- Audit: who can be booked and the rules are configuration
-- ---------------------------------------------------------------------------

-- The practitioner a new organisation gets comes with it (inserted by its trigger, depth 1),
-- like its booking rules: only practitioners someone adds later are worth a row.
create trigger practitioners_audit_added
  after insert on public.practitioners
  for each row when (pg_trigger_depth() = 0)
  execute function private.audit_configuration_change('practitioner', 'id', 'display_name');
create trigger practitioners_audit
  after update or delete on public.practitioners
  for each row execute function private.audit_configuration_change('practitioner', 'id', 'display_name');
-- Inserted with defaults together with the organisation: only changes are worth a row.
create trigger booking_rules_audit
  after update on public.booking_rules
  for each row execute function private.audit_configuration_change('booking_rules', 'organisation_id', '');
