-- A receptionist configuration that cannot work is refused with a message a person can act on
-- (first-time users could save such setups and were never told): intents need an example
-- phrase and, to answer, a response in the clinic's default language; texts have clear limits
-- (a greeting is spoken, so short); the escalation phone is E.164 as the dashboard writes it;
-- closures neither overlap nor lie wholly in the past. The limits here are the ones the
-- dashboard's forms show.

-- Refuses a text longer than `max` characters, naming it and its limit.
create function private.check_length(value text, max integer, what text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if char_length(value) > max then
    raise exception 'Too long (% characters): % can have at most %', char_length(value), what, max
      using errcode = '22023', hint = 'Shorten it.';
  end if;
end
$$;

-- Called by the validation triggers below, which run as the writing user.
grant execute on function private.check_length(text, integer, text) to authenticated, service_role;

-- Refuses any text of a {language: text} map longer than `max` characters, naming its language.
create function private.check_language_map_lengths(texts jsonb, max integer, what text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  lang text;
begin
  for lang in select jsonb_object_keys(texts) loop
    perform private.check_length(texts ->> lang, max, format('%s in "%s"', what, lang));
  end loop;
end
$$;

grant execute on function private.check_language_map_lengths(jsonb, integer, text)
  to authenticated, service_role;

-- Serialises the writes of one organisation's rows of one table for the rest of the transaction,
-- so a rule that compares a row with its siblings (no overlaps) holds under concurrent writes.
create function private.lock_organisation_rows(organisation_id uuid, relation text)
returns void
language sql
set search_path = ''
as $$
  select pg_advisory_xact_lock(hashtextextended(relation || ' ' || organisation_id::text, 0))
$$;

grant execute on function private.lock_organisation_rows(uuid, text) to authenticated, service_role;

-- ---------------------------------------------------------------------------
-- assistant_settings
-- ---------------------------------------------------------------------------

create or replace function private.validate_assistant_settings()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform private.check_language_map(new.organisation_id, new.greetings, 'A greeting');
  -- Spoken before the caller says a word: a few sentences at most.
  perform private.check_language_map_lengths(new.greetings, 500, 'the greeting');
  perform private.check_length(new.extra_instructions, 4000, 'the extra instructions');
  if char_length(btrim(new.assistant_name)) = 0 then
    raise exception 'The assistant needs a name' using errcode = '22023';
  end if;
  perform private.check_length(new.assistant_name, 60, 'the assistant''s name');
  -- The dashboard parses what is typed in the clinic's country and writes E.164; anything else
  -- (spaces, a national number) would be dialled wrongly by the telephony provider.
  if new.escalation_phone !~ '^\+[1-9][0-9]{6,14}$' then
    raise exception '"%" is not a phone number in E.164 format', new.escalation_phone
      using errcode = '22023',
        hint = 'Write + and the country code, then the number without spaces, e.g. +442079460000.';
  end if;
  return new;
end
$$;

-- ---------------------------------------------------------------------------
-- intents
-- ---------------------------------------------------------------------------

create or replace function private.validate_intent()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  default_language text := (
    select o.default_language from public.organisations o where o.id = new.organisation_id
  );
  phrase text;
begin
  new.name := btrim(new.name);
  new.example_phrases := array(
    select btrim(p) from unnest(new.example_phrases) p where btrim(p) <> ''
  );
  perform private.check_language_map(new.organisation_id, new.responses, 'A response');
  perform private.check_language_map_lengths(new.responses, 1000, 'the response');
  foreach phrase in array new.example_phrases loop
    perform private.check_length(phrase, 300, format('the example phrase "%s…"', left(phrase, 30)));
  end loop;
  -- Reordering or renaming aside, an intent must be one the assistant can use. Rows saved before
  -- this rule can still be moved; they are checked when their content changes.
  if tg_op = 'UPDATE'
     and (new.example_phrases, new.responses, new.action, new.active)
       is not distinct from (old.example_phrases, old.responses, old.action, old.active) then
    return new;
  end if;
  if cardinality(new.example_phrases) = 0 then
    raise exception 'The intent "%" needs at least one example phrase', new.name
      using errcode = '22023',
        hint = 'Add a way people ask for it, e.g. "Can I book a check-up?".';
  end if;
  -- "Just answer" is nothing but its response; the other actions do something, and the
  -- assistant words that itself when no response is given.
  if new.action = 'answer' and not new.responses ? default_language then
    raise exception 'The intent "%" needs a response in the default language (%)', new.name,
      default_language
      using errcode = '22023',
        hint = 'Write what the assistant answers, or choose what it does instead of just answering.';
  end if;
  return new;
end
$$;

-- ---------------------------------------------------------------------------
-- faq_entries
-- ---------------------------------------------------------------------------

create or replace function private.validate_faq_entry()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform private.check_language_map(
    new.organisation_id, jsonb_build_object(new.language, new.answer), 'An answer');
  if char_length(btrim(new.question)) = 0 then
    raise exception 'The question is empty' using errcode = '22023';
  end if;
  perform private.check_length(new.question, 500, 'the question');
  -- Read out on the phone and sent as one WhatsApp message.
  perform private.check_length(new.answer, 1000, 'the answer');
  perform private.check_length(new.category, 60, 'the category');
  return new;
end
$$;

-- ---------------------------------------------------------------------------
-- working_hours: the overlap check holds under concurrent writes too
-- ---------------------------------------------------------------------------

create or replace function private.validate_working_hours()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  clash record;
begin
  perform private.lock_organisation_rows(new.organisation_id, 'working_hours');
  select w.weekday, w.opens, w.closes into clash
  from public.working_hours w
  cross join lateral unnest(private.week_minutes(w.weekday, w.opens, w.closes)) theirs
  cross join lateral unnest(private.week_minutes(new.weekday, new.opens, new.closes)) ours
  where w.organisation_id = new.organisation_id and w.id <> new.id and theirs && ours
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

-- ---------------------------------------------------------------------------
-- closures: no overlaps, none wholly in the past
-- ---------------------------------------------------------------------------

-- "24 Dec 2026" or "24 Dec 2026 – 28 Dec 2026": a closure's days, as its messages name them.
create function private.describe_days(starts_on date, ends_on date)
returns text
language sql
immutable
set search_path = ''
as $$
  select case when starts_on = ends_on then to_char(starts_on, 'FMDD Mon YYYY')
    else to_char(starts_on, 'FMDD Mon YYYY') || ' – ' || to_char(ends_on, 'FMDD Mon YYYY') end
$$;

grant execute on function private.describe_days(date, date) to authenticated, service_role;

create function private.validate_closure()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  clash record;
  timezone text;
  today date;
begin
  perform private.check_length(new.reason, 200, 'the reason');
  if new.ends_on < new.starts_on then
    raise exception 'The last day (%) is before the first (%)', to_char(new.ends_on, 'FMDD Mon YYYY'),
      to_char(new.starts_on, 'FMDD Mon YYYY')
      using errcode = '22023', hint = 'For a single day, make the first and the last the same.';
  end if;
  timezone := (select o.timezone from public.organisations o where o.id = new.organisation_id);
  -- People write closures for days to come; a past one changes nothing and hides a typo (a wrong
  -- year). Operators (the postgres role) may still record past ones, as the demo data does.
  if current_user in ('authenticated', 'service_role') and timezone is not null
     and (tg_op = 'INSERT' or (new.starts_on, new.ends_on) is distinct from (old.starts_on, old.ends_on)) then
    today := (now() at time zone timezone)::date;
    if new.ends_on < today then
      raise exception 'This closure (%) is over: today is % in %',
        private.describe_days(new.starts_on, new.ends_on), to_char(today, 'FMDD Mon YYYY'), timezone
        using errcode = '22023', hint = 'Choose today or a later day.';
    end if;
  end if;
  perform private.lock_organisation_rows(new.organisation_id, 'closures');
  select c.starts_on, c.ends_on, c.reason into clash
  from public.closures c
  where c.organisation_id = new.organisation_id and c.id <> new.id
    and daterange(c.starts_on, c.ends_on, '[]') && daterange(new.starts_on, new.ends_on, '[]')
  order by c.starts_on
  limit 1;
  if found then
    raise exception 'This closure overlaps the closure %',
      private.describe_days(clash.starts_on, clash.ends_on)
        || case when clash.reason <> '' then format(' (%s)', clash.reason) else '' end
      using errcode = '23P01', hint = 'Change the days, or delete the other closure first.';
  end if;
  return new;
end
$$;

create trigger closures_validate
  before insert or update on public.closures
  for each row execute function private.validate_closure();
