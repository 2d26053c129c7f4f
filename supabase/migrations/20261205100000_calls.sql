-- The voice receptionist's records and the connection of numbers to Vapi.
-- - calls: one row per phone call, created by whichever of Twilio's CallSid and Vapi's call id
--   reaches us first (service code: _shared/io/calls.ts); members read them.
-- - call_appointments: the appointments a call booked, moved or cancelled.
-- - callback_tasks: messages taken by the assistant and voicemails, for staff to call back;
--   members read them and mark them done or assign them.
-- - phone_numbers: the number's connection to Vapi (imported with our server URL, Twilio's voice
--   fallback and status callback set to our twilio-voice function). Enabling voice enqueues the
--   vapi.connect_number job, disabling or removing the number vapi.disconnect_number
--   (_shared/jobs/vapi_numbers.ts); owners and admins retry a failed connection.

create type public.call_status as enum ('ringing', 'in_progress', 'forwarding', 'ended');
comment on type public.call_status is
  'A call''s lifecycle; it only moves forward, and an ended call stays ended.';

create type public.call_outcome as enum (
  'booked', 'rescheduled', 'cancelled', 'message_taken', 'transferred', 'answered', 'abandoned'
);
comment on type public.call_outcome is 'What a call achieved, for the calls list.';

create type public.callback_task_status as enum ('open', 'done');
create type public.callback_urgency as enum ('normal', 'urgent');
create type public.voice_connection_state as enum ('pending', 'connected', 'failed', 'disconnected');
comment on type public.voice_connection_state is
  'A number''s import into Vapi: pending (a job is on it), connected, failed (see the error; Retry), disconnected (voice off).';

-- Composite keys so rows below can only point at rows of their own organisation.
alter table public.phone_numbers
  add constraint phone_numbers_organisation_id_id_key unique (organisation_id, id);
alter table public.appointments
  add constraint appointments_organisation_id_id_key unique (organisation_id, id);

-- ---------------------------------------------------------------------------
-- calls
-- ---------------------------------------------------------------------------

create table public.calls (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  phone_number_id uuid,
  contact_id uuid,
  twilio_call_sid text unique check (char_length(twilio_call_sid) between 1 and 64),
  vapi_call_id text unique check (char_length(vapi_call_id) between 1 and 100),
  from_e164 text check (char_length(from_e164) <= 64),
  to_e164 text check (char_length(to_e164) <= 64),
  direction text not null default 'inbound' check (direction in ('inbound', 'outbound')),
  status public.call_status not null default 'ringing',
  answered_by text check (answered_by in ('assistant', 'fallback')),
  started_at timestamptz,
  ended_at timestamptz,
  duration_seconds integer generated always as (
    case when started_at is not null and ended_at is not null
      then greatest(0, round(extract(epoch from ended_at - started_at)))::integer
    end
  ) stored,
  ended_reason text check (char_length(ended_reason) <= 200),
  language text check (char_length(language) <= 35),
  -- [{"role": "assistant"|"user"|"tool", "text": "...", "seconds_from_start": 1.5}, ...]
  transcript jsonb not null default '[]'::jsonb check (jsonb_typeof(transcript) = 'array'),
  summary text check (char_length(summary) <= 10000),
  recording_url text check (char_length(recording_url) <= 2000),
  cost numeric(10, 4) check (cost >= 0),
  outcome public.call_outcome,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organisation_id, id),
  check (twilio_call_sid is not null or vapi_call_id is not null),
  foreign key (organisation_id, phone_number_id)
    references public.phone_numbers (organisation_id, id) on delete set null (phone_number_id),
  foreign key (organisation_id, contact_id)
    references public.contacts (organisation_id, id) on delete set null (contact_id)
);

comment on table public.calls is
  'One row per phone call: created by whichever of the Twilio CallSid and the Vapi call id arrives first, filled in by the other. Written by service code only.';
comment on column public.calls.answered_by is 'assistant: Vapi answered; fallback: our twilio-voice fallback did (Vapi unreachable).';
comment on column public.calls.transcript is 'Messages in order: [{role: assistant|user|tool, text, seconds_from_start}].';

revoke all on public.calls from anon, authenticated;
grant select on public.calls to authenticated;
grant all on public.calls to service_role;

-- The calls list: newest first per clinic; a contact's calls; the number's calls.
create index calls_organisation_id_created_at_idx on public.calls (organisation_id, created_at desc);
create index calls_contact_idx on public.calls (organisation_id, contact_id, created_at desc)
  where contact_id is not null;
create index calls_phone_number_idx on public.calls (organisation_id, phone_number_id)
  where phone_number_id is not null;

alter table public.calls enable row level security;

create policy "members read their calls"
  on public.calls for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

create trigger calls_touch_updated_at
  before update on public.calls
  for each row execute function private.touch_updated_at();

-- ---------------------------------------------------------------------------
-- call_appointments
-- ---------------------------------------------------------------------------

create table public.call_appointments (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  call_id uuid not null,
  appointment_id uuid not null,
  action public.call_outcome not null check (action in ('booked', 'rescheduled', 'cancelled')),
  created_at timestamptz not null default now(),
  unique (call_id, appointment_id, action),
  foreign key (organisation_id, call_id) references public.calls (organisation_id, id) on delete cascade,
  foreign key (organisation_id, appointment_id)
    references public.appointments (organisation_id, id) on delete cascade
);

comment on table public.call_appointments is
  'The appointments a call booked, rescheduled or cancelled. Written by service code only.';

revoke all on public.call_appointments from anon, authenticated;
grant select on public.call_appointments to authenticated;
grant all on public.call_appointments to service_role;

create index call_appointments_appointment_idx on public.call_appointments (organisation_id, appointment_id);
create index call_appointments_call_idx on public.call_appointments (organisation_id, call_id);

alter table public.call_appointments enable row level security;

create policy "members read their calls' appointments"
  on public.call_appointments for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

-- ---------------------------------------------------------------------------
-- callback_tasks
-- ---------------------------------------------------------------------------

create table public.callback_tasks (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  call_id uuid,
  contact_id uuid,
  kind text not null check (kind in ('message', 'voicemail')),
  caller_name text check (char_length(caller_name) <= 120),
  callback_e164 text check (char_length(callback_e164) <= 64),
  reason text not null default '' check (char_length(reason) <= 2000),
  urgency public.callback_urgency not null default 'normal',
  recording_url text check (char_length(recording_url) <= 2000),
  status public.callback_task_status not null default 'open',
  assigned_to uuid references auth.users (id) on delete set null,
  done_by uuid references auth.users (id) on delete set null,
  done_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- One message and one voicemail per call at most: replayed webhooks add nothing.
  unique (call_id, kind),
  foreign key (organisation_id, call_id)
    references public.calls (organisation_id, id) on delete set null (call_id),
  foreign key (organisation_id, contact_id)
    references public.contacts (organisation_id, id) on delete set null (contact_id),
  check ((status = 'done') = (done_at is not null))
);

comment on table public.callback_tasks is
  'Messages taken by phone and voicemails, for staff to call back. Created by service code; members assign them and mark them done.';
comment on column public.callback_tasks.done_by is 'Who marked it done; set by a trigger from the caller, never by the writer.';

revoke all on public.callback_tasks from anon, authenticated;
grant select on public.callback_tasks to authenticated;
grant update (status, assigned_to) on public.callback_tasks to authenticated;
grant all on public.callback_tasks to service_role;

-- Open tasks first per clinic (Calls page, Home), "assigned to me", per contact.
create index callback_tasks_organisation_status_idx
  on public.callback_tasks (organisation_id, status, created_at desc);
create index callback_tasks_assigned_to_idx on public.callback_tasks (assigned_to) where assigned_to is not null;
create index callback_tasks_done_by_idx on public.callback_tasks (done_by) where done_by is not null;
create index callback_tasks_contact_idx on public.callback_tasks (organisation_id, contact_id)
  where contact_id is not null;
create index callback_tasks_call_idx on public.callback_tasks (organisation_id, call_id)
  where call_id is not null;

alter table public.callback_tasks enable row level security;

create policy "members read their callback tasks"
  on public.callback_tasks for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

create policy "members work their callback tasks"
  on public.callback_tasks for update
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()))
  with check (organisation_id in (select private.organisation_ids_for_current_user()));

-- done_by/done_at follow the status (the caller marks it done); a task is assigned only to a
-- member of its clinic. Security definer: the membership check reads other members' rows.
create function private.prepare_callback_task()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.status = 'done' and (tg_op = 'INSERT' or old.status <> 'done') then
    new.done_at := now();
    new.done_by := (select auth.uid());
  elsif new.status = 'open' then
    new.done_at := null;
    new.done_by := null;
  end if;
  if new.assigned_to is not null and (tg_op = 'INSERT' or new.assigned_to is distinct from old.assigned_to)
     and not exists (
       select from public.organisation_members m
       where m.organisation_id = new.organisation_id and m.user_id = new.assigned_to
     ) then
    raise exception 'A task can only be assigned to a member of the clinic' using errcode = '22023';
  end if;
  return new;
end
$$;

revoke all on function private.prepare_callback_task() from public;

create trigger callback_tasks_prepare
  before insert or update on public.callback_tasks
  for each row execute function private.prepare_callback_task();

create trigger callback_tasks_touch_updated_at
  before update on public.callback_tasks
  for each row execute function private.touch_updated_at();

-- ---------------------------------------------------------------------------
-- phone_numbers: connection to Vapi
-- ---------------------------------------------------------------------------

alter table public.phone_numbers
  add column vapi_phone_number_id text check (char_length(vapi_phone_number_id) <= 100),
  add column twilio_number_sid text check (char_length(twilio_number_sid) <= 64),
  add column voice_connection public.voice_connection_state not null default 'disconnected',
  add column voice_connection_error text check (char_length(voice_connection_error) <= 500);

comment on column public.phone_numbers.vapi_phone_number_id is 'The number''s id in Vapi once imported.';
comment on column public.phone_numbers.twilio_number_sid is 'Twilio''s IncomingPhoneNumber SID (PN…), found when connecting.';
comment on column public.phone_numbers.voice_connection is 'Import into Vapi: pending, connected, failed (with voice_connection_error), disconnected.';
comment on column public.phone_numbers.voice_connection_error is 'Why connecting failed, in a sentence for the clinic; never a secret.';

create unique index phone_numbers_vapi_phone_number_id_key
  on public.phone_numbers (vapi_phone_number_id) where vapi_phone_number_id is not null;

-- What the disconnect job needs to undo both sides, even when the row is gone.
create function private.voice_disconnect_payload(number public.phone_numbers)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'phone_number_id', number.id,
    'e164', number.e164,
    'twilio_account_id', number.twilio_account_id,
    'account_sid', (select t.account_sid from public.twilio_accounts t where t.id = number.twilio_account_id),
    'vapi_phone_number_id', number.vapi_phone_number_id,
    'twilio_number_sid', number.twilio_number_sid
  )
$$;

revoke all on function private.voice_disconnect_payload(public.phone_numbers) from public;

-- Before insert or update: a number that answers calls (active, voice on) becomes pending and
-- vapi.connect_number is enqueued (one per number while waiting); one that stops answering calls
-- is disconnected on both sides. A new number or account for a connected number is disconnected
-- under the old one and connected under the new one. The jobs' own writes (connection columns)
-- change none of these and enqueue nothing. Security definer: members fire it, and only the
-- definer may enqueue jobs. Named to run after phone_numbers_validate (which normalises e164).
create function private.enqueue_voice_connection()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  wants_voice boolean := new.active and new.voice_enabled;
  wanted_voice boolean := tg_op = 'UPDATE' and old.active and old.voice_enabled;
  moved boolean := tg_op = 'UPDATE'
    and (new.e164 <> old.e164 or new.twilio_account_id <> old.twilio_account_id);
begin
  -- Rows written with their connection already made (the seed, service code) are left alone.
  if tg_op = 'INSERT' and new.vapi_phone_number_id is not null then
    return new;
  end if;
  if tg_op = 'UPDATE' and wants_voice = wanted_voice and not moved then
    return new;
  end if;
  if wanted_voice and (not wants_voice or moved) then
    perform private.enqueue_job('vapi.disconnect_number', private.voice_disconnect_payload(old),
      old.organisation_id, old.id::text);
    new.vapi_phone_number_id := null;
    new.twilio_number_sid := null;
  end if;
  if wants_voice then
    new.voice_connection := 'pending';
    perform private.enqueue_job('vapi.connect_number', jsonb_build_object('phone_number_id', new.id),
      new.organisation_id, new.id::text);
  else
    new.voice_connection := 'disconnected';
  end if;
  new.voice_connection_error := null;
  return new;
end
$$;

revoke all on function private.enqueue_voice_connection() from public;

create trigger phone_numbers_voice_connection
  before insert or update of active, voice_enabled, e164, twilio_account_id on public.phone_numbers
  for each row execute function private.enqueue_voice_connection();

-- A removed number that was imported (or on its way) is disconnected on both sides, also when
-- its whole organisation goes (the job is then no clinic's: the organisation row is gone).
create function private.enqueue_voice_disconnect_on_delete()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if (old.active and old.voice_enabled) or old.vapi_phone_number_id is not null then
    perform private.enqueue_job('vapi.disconnect_number', private.voice_disconnect_payload(old),
      (select o.id from public.organisations o where o.id = old.organisation_id), old.id::text);
  end if;
  return null;
end
$$;

revoke all on function private.enqueue_voice_disconnect_on_delete() from public;

create trigger phone_numbers_voice_disconnect
  after delete on public.phone_numbers
  for each row execute function private.enqueue_voice_disconnect_on_delete();

-- A new escalation phone is the connected numbers' new fallback destination in Vapi:
-- connecting again updates the imported number.
create function private.reconnect_voice_on_escalation_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  number_id uuid;
begin
  if new.escalation_phone is not distinct from old.escalation_phone then
    return null;
  end if;
  for number_id in
    update public.phone_numbers p set voice_connection = 'pending', voice_connection_error = null
    where p.organisation_id = new.organisation_id and p.active and p.voice_enabled
    returning p.id
  loop
    perform private.enqueue_job('vapi.connect_number', jsonb_build_object('phone_number_id', number_id),
      new.organisation_id, number_id::text);
  end loop;
  return null;
end
$$;

revoke all on function private.reconnect_voice_on_escalation_change() from public;

create trigger assistant_settings_reconnect_voice
  after update of escalation_phone on public.assistant_settings
  for each row execute function private.reconnect_voice_on_escalation_change();

-- Owners and admins try a number's connection again (the Channels page's Retry).
create function public.retry_voice_connection(phone_number_id uuid)
returns public.phone_numbers
language plpgsql
security definer
set search_path = ''
as $$
declare
  number public.phone_numbers;
begin
  select * into number from public.phone_numbers p where p.id = retry_voice_connection.phone_number_id;
  if not found or private.role_in_organisation(number.organisation_id) is null then
    raise exception 'No such phone number in your organisations' using errcode = 'PT404';
  end if;
  if private.role_in_organisation(number.organisation_id) not in ('owner', 'admin') then
    raise exception 'Only owners and admins can connect numbers' using errcode = '42501';
  end if;
  if not (number.active and number.voice_enabled) then
    raise exception '% does not answer calls', number.e164
      using errcode = '22023', hint = 'Turn on calls for the number first.';
  end if;
  update public.phone_numbers p set voice_connection = 'pending', voice_connection_error = null
  where p.id = number.id
  returning * into number;
  perform private.enqueue_job('vapi.connect_number', jsonb_build_object('phone_number_id', number.id),
    number.organisation_id, number.id::text);
  return number;
end
$$;

comment on function public.retry_voice_connection(uuid) is
  'Owners and admins: connect an active voice number to the assistant again (pending until the job has run).';
revoke all on function public.retry_voice_connection(uuid) from public, anon;
grant execute on function public.retry_voice_connection(uuid) to authenticated;
