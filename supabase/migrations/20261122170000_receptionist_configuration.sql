-- What makes each clinic's assistant that clinic's: assistant settings, the shared voice
-- catalog, intents, FAQ and canned replies, working hours, closures and services.
-- Members read; owners and admins write (the tenant rule in docs/architecture.md).

create type public.assistant_tone as enum ('professional', 'friendly', 'warm', 'concise');
create type public.after_hours_behaviour as enum ('take_message', 'transfer', 'book_only');
create type public.intent_action as enum ('answer', 'book', 'cancel', 'transfer', 'take_message');
create type public.faq_kind as enum ('faq', 'canned_reply');

-- Checks a {language: text} map against the organisation's languages, with a clear error.
-- Runs as the caller (before RLS checks the row): an organisation the caller cannot see is
-- refused without naming anything of it.
create function private.check_language_map(
  organisation_id uuid,
  texts jsonb,
  what text
)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  offered text[] := (select o.languages from public.organisations o where o.id = organisation_id);
  lang text;
begin
  if offered is null then
    raise exception 'You can only change the configuration of your own organisations'
      using errcode = '42501';
  end if;
  if jsonb_typeof(texts) <> 'object' then
    raise exception '% must be an object of language → text', what using errcode = '22023';
  end if;
  for lang in select jsonb_object_keys(texts) loop
    if not lang = any (offered) then
      raise exception '% in "%", which is not one of the clinic''s languages (%)', what, lang,
        array_to_string(offered, ', ')
        using errcode = '22023', hint = 'Add the language to the clinic first.';
    end if;
    if jsonb_typeof(texts -> lang) <> 'string' or char_length(btrim(texts ->> lang)) = 0 then
      raise exception '% in "%" is empty', what, lang using errcode = '22023';
    end if;
  end loop;
end
$$;

-- Called by the validation triggers below, which run as the writing user.
grant execute on function private.check_language_map(uuid, jsonb, text) to authenticated, service_role;

-- ---------------------------------------------------------------------------
-- voice_agents: a platform-wide catalog, changed only by operators
-- ---------------------------------------------------------------------------

create table public.voice_agents (
  id text primary key check (id ~ '^[a-z0-9-]{2,40}$'),
  display_name text not null,
  provider text not null check (provider in ('11labs', 'azure', 'openai', 'cartesia', 'playht')),
  provider_voice_id text not null,
  languages text[] not null check (cardinality(languages) > 0),
  sample_greeting text not null,
  active boolean not null default true
);

comment on table public.voice_agents is
  'Voices a clinic can pick for its phone assistant. Shared by all organisations; operators maintain it.';

revoke all on public.voice_agents from anon, authenticated;
grant select on public.voice_agents to authenticated;
grant all on public.voice_agents to service_role;

alter table public.voice_agents enable row level security;

create policy "signed-in users read the active voice catalog"
  on public.voice_agents for select
  to authenticated
  using (active);

insert into public.voice_agents (id, display_name, provider, provider_voice_id, languages, sample_greeting) values
  ('emma-en', 'Emma — calm, British English', 'azure', 'en-GB-SoniaNeural', array['en'],
   'Good morning, you''re through to the clinic. How can I help?'),
  ('oliver-en', 'Oliver — warm, British English', 'azure', 'en-GB-RyanNeural', array['en'],
   'Hello, thanks for calling. What can I do for you today?'),
  ('ava-en', 'Ava — friendly, American English', '11labs', 'EXAVITQu4vr4xnSDxMaL', array['en'],
   'Hi there! Thanks for calling, how can I help?'),
  ('svetlana-ru', 'Svetlana — Russian and English', 'azure', 'ru-RU-SvetlanaNeural', array['ru', 'en'],
   'Здравствуйте! Чем могу помочь?'),
  ('nova-multi', 'Nova — multilingual', 'openai', 'nova', array['en', 'ru', 'lv', 'de', 'fr', 'es'],
   'Hello! I can help in several languages. How can I help?');

-- ---------------------------------------------------------------------------
-- assistant_settings: one row per organisation, created with it
-- ---------------------------------------------------------------------------

create table public.assistant_settings (
  organisation_id uuid primary key references public.organisations (id) on delete cascade,
  assistant_name text not null default 'Reception' check (char_length(btrim(assistant_name)) between 1 and 60),
  greetings jsonb not null default '{}'::jsonb,
  tone public.assistant_tone not null default 'friendly',
  extra_instructions text not null default '' check (char_length(extra_instructions) <= 4000),
  voice_agent_id text references public.voice_agents (id) on delete set null,
  bot_enabled boolean not null default true,
  ai_replies_enabled boolean not null default true,
  max_messages_per_hour integer not null default 200
    constraint assistant_settings_max_messages_range check (max_messages_per_hour between 1 and 10000),
  escalation_phone text,
  after_hours public.after_hours_behaviour not null default 'take_message',
  updated_at timestamptz not null default now()
);

comment on table public.assistant_settings is
  'How the clinic''s assistant presents itself and behaves. The answer language defaults to organisations.default_language.';
comment on column public.assistant_settings.greetings is 'First words per language: {"en": "...", "ru": "..."}.';

revoke all on public.assistant_settings from anon, authenticated;
grant select on public.assistant_settings to authenticated;
grant update (
  assistant_name, greetings, tone, extra_instructions, voice_agent_id, bot_enabled,
  ai_replies_enabled, max_messages_per_hour, escalation_phone, after_hours
) on public.assistant_settings to authenticated;
grant all on public.assistant_settings to service_role;

create index assistant_settings_voice_agent_id_idx on public.assistant_settings (voice_agent_id);

alter table public.assistant_settings enable row level security;

create policy "members read their assistant settings"
  on public.assistant_settings for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

create policy "owners and admins change their assistant settings"
  on public.assistant_settings for update
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])))
  with check (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create function private.validate_assistant_settings()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform private.check_language_map(new.organisation_id, new.greetings, 'A greeting');
  if new.escalation_phone is not null then
    new.escalation_phone := private.normalise_e164(new.escalation_phone);
  end if;
  return new;
end
$$;

create trigger assistant_settings_validate
  before insert or update on public.assistant_settings
  for each row execute function private.validate_assistant_settings();

create trigger assistant_settings_touch_updated_at
  before update on public.assistant_settings
  for each row execute function private.touch_updated_at();

create function private.create_assistant_settings()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.assistant_settings (organisation_id) values (new.id);
  return new;
end
$$;

create trigger organisations_create_assistant_settings
  after insert on public.organisations
  for each row execute function private.create_assistant_settings();

insert into public.assistant_settings (organisation_id)
select o.id from public.organisations o
on conflict (organisation_id) do nothing;

-- ---------------------------------------------------------------------------
-- intents
-- ---------------------------------------------------------------------------

create table public.intents (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 80),
  example_phrases text[] not null default '{}'
    check (cardinality(example_phrases) <= 50 and array_position(example_phrases, null) is null),
  responses jsonb not null default '{}'::jsonb,
  action public.intent_action not null default 'answer',
  active boolean not null default true,
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organisation_id, name)
);

comment on table public.intents is
  'What callers and patients ask for, how to recognise it, what to answer per language, and what to do.';

revoke all on public.intents from anon, authenticated;
grant select on public.intents to authenticated;
grant insert (organisation_id, name, example_phrases, responses, action, active, position),
  update (name, example_phrases, responses, action, active, position), delete
  on public.intents to authenticated;
grant all on public.intents to service_role;

alter table public.intents enable row level security;

create policy "members read their intents"
  on public.intents for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

create policy "owners and admins add intents"
  on public.intents for insert
  to authenticated
  with check (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "owners and admins change intents"
  on public.intents for update
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "owners and admins remove intents"
  on public.intents for delete
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create function private.validate_intent()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.name := btrim(new.name);
  perform private.check_language_map(new.organisation_id, new.responses, 'A response');
  return new;
end
$$;

create trigger intents_validate
  before insert or update on public.intents
  for each row execute function private.validate_intent();

create trigger intents_touch_updated_at
  before update on public.intents
  for each row execute function private.touch_updated_at();

-- ---------------------------------------------------------------------------
-- faq_entries: FAQ answers and canned replies
-- ---------------------------------------------------------------------------

create table public.faq_entries (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  kind public.faq_kind not null default 'faq',
  question text not null check (char_length(btrim(question)) between 1 and 500),
  answer text not null check (char_length(btrim(answer)) between 1 and 4000),
  category text not null default 'general' check (char_length(category) between 1 and 60),
  language text not null,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.faq_entries is
  'Questions the clinic answers the same way every time; canned replies are sent verbatim on WhatsApp.';

revoke all on public.faq_entries from anon, authenticated;
grant select on public.faq_entries to authenticated;
grant insert (organisation_id, kind, question, answer, category, language, active),
  update (kind, question, answer, category, language, active), delete
  on public.faq_entries to authenticated;
grant all on public.faq_entries to service_role;

create index faq_entries_organisation_id_idx on public.faq_entries (organisation_id, language, category);

alter table public.faq_entries enable row level security;

create policy "members read their FAQ"
  on public.faq_entries for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

create policy "owners and admins add FAQ entries"
  on public.faq_entries for insert
  to authenticated
  with check (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "owners and admins change FAQ entries"
  on public.faq_entries for update
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "owners and admins remove FAQ entries"
  on public.faq_entries for delete
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create function private.validate_faq_entry()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform private.check_language_map(
    new.organisation_id, jsonb_build_object(new.language, new.answer), 'An answer');
  return new;
end
$$;

create trigger faq_entries_validate
  before insert or update on public.faq_entries
  for each row execute function private.validate_faq_entry();

create trigger faq_entries_touch_updated_at
  before update on public.faq_entries
  for each row execute function private.touch_updated_at();

-- ---------------------------------------------------------------------------
-- working_hours: several intervals per weekday, in the organisation's timezone
-- ---------------------------------------------------------------------------

create table public.working_hours (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  weekday smallint not null check (weekday between 1 and 7),
  opens time not null,
  -- closes <= opens: the interval runs past midnight into the next day.
  closes time not null,
  constraint working_hours_not_empty check (opens <> closes)
);

comment on table public.working_hours is
  'Opening intervals per ISO weekday (1 = Monday) in the organisation''s local time.';
comment on column public.working_hours.closes is
  'Local closing time; earlier than opens means the next morning (e.g. 22:00–02:00).';

revoke all on public.working_hours from anon, authenticated;
grant select on public.working_hours to authenticated;
grant insert (organisation_id, weekday, opens, closes), update (weekday, opens, closes), delete
  on public.working_hours to authenticated;
grant all on public.working_hours to service_role;

create index working_hours_organisation_id_idx on public.working_hours (organisation_id, weekday, opens);

alter table public.working_hours enable row level security;

create policy "members read their working hours"
  on public.working_hours for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

create policy "owners and admins add working hours"
  on public.working_hours for insert
  to authenticated
  with check (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "owners and admins change working hours"
  on public.working_hours for update
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "owners and admins remove working hours"
  on public.working_hours for delete
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

-- Minutes since Monday 00:00 covered by an interval, as one or two ranges (an interval
-- that runs past Sunday midnight wraps to Monday).
create function private.week_minutes(weekday smallint, opens time, closes time)
returns int4range[]
language sql
immutable
set search_path = ''
as $$
  with bounds as (
    select (weekday - 1) * 1440 + extract(epoch from opens)::int / 60 as start_minute,
           (weekday - 1) * 1440 + extract(epoch from closes)::int / 60
             + case when closes <= opens then 1440 else 0 end as end_minute
  )
  select case
    when end_minute <= 10080 then array[int4range(start_minute, end_minute)]
    else array[int4range(start_minute, 10080), int4range(0, end_minute - 10080)]
  end
  from bounds
$$;

grant execute on function private.week_minutes(smallint, time, time) to authenticated, service_role;

create function private.validate_working_hours()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  clash record;
begin
  select w.weekday, w.opens, w.closes into clash
  from public.working_hours w
  cross join lateral unnest(private.week_minutes(w.weekday, w.opens, w.closes)) theirs
  cross join lateral unnest(private.week_minutes(new.weekday, new.opens, new.closes)) ours
  where w.organisation_id = new.organisation_id and w.id <> new.id and theirs && ours
  limit 1;
  if found then
    raise exception 'These hours overlap %–% on day %', to_char(clash.opens, 'HH24:MI'),
      to_char(clash.closes, 'HH24:MI'), clash.weekday
      using errcode = '23P01', hint = 'Change or remove the other interval first.';
  end if;
  return new;
end
$$;

create trigger working_hours_validate
  before insert or update on public.working_hours
  for each row execute function private.validate_working_hours();

-- ---------------------------------------------------------------------------
-- closures: holidays and other days the clinic is shut
-- ---------------------------------------------------------------------------

create table public.closures (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  starts_on date not null,
  ends_on date not null,
  reason text not null default '' check (char_length(reason) <= 200),
  created_at timestamptz not null default now(),
  constraint closures_dates_in_order check (ends_on >= starts_on)
);

comment on table public.closures is 'Whole local days the clinic is closed (inclusive range).';

revoke all on public.closures from anon, authenticated;
grant select on public.closures to authenticated;
grant insert (organisation_id, starts_on, ends_on, reason), update (starts_on, ends_on, reason), delete
  on public.closures to authenticated;
grant all on public.closures to service_role;

create index closures_organisation_id_idx on public.closures (organisation_id, starts_on);

alter table public.closures enable row level security;

create policy "members read their closures"
  on public.closures for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

create policy "owners and admins add closures"
  on public.closures for insert
  to authenticated
  with check (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "owners and admins change closures"
  on public.closures for update
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "owners and admins remove closures"
  on public.closures for delete
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

-- ---------------------------------------------------------------------------
-- services: what can be booked
-- ---------------------------------------------------------------------------

create table public.services (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 80),
  duration_minutes integer not null
    constraint services_duration_positive check (duration_minutes between 5 and 600),
  buffer_before_minutes integer not null default 0
    constraint services_buffer_before_range check (buffer_before_minutes between 0 and 240),
  buffer_after_minutes integer not null default 0
    constraint services_buffer_after_range check (buffer_after_minutes between 0 and 240),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organisation_id, name)
);

comment on table public.services is 'Appointment types: how long each takes and the gap kept around it.';

revoke all on public.services from anon, authenticated;
grant select on public.services to authenticated;
grant insert (organisation_id, name, duration_minutes, buffer_before_minutes, buffer_after_minutes, active),
  update (name, duration_minutes, buffer_before_minutes, buffer_after_minutes, active), delete
  on public.services to authenticated;
grant all on public.services to service_role;

alter table public.services enable row level security;

create policy "members read their services"
  on public.services for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

create policy "owners and admins add services"
  on public.services for insert
  to authenticated
  with check (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "owners and admins change services"
  on public.services for update
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "owners and admins remove services"
  on public.services for delete
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create trigger services_touch_updated_at
  before update on public.services
  for each row execute function private.touch_updated_at();
