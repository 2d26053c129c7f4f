-- Receptionist configuration: every invalid value gets a clear database error.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
\ir _tenancy_fixture.psql

select plan(20);

select is(
  (select assistant_name || '/' || max_messages_per_hour || '/' || after_hours
   from public.assistant_settings where organisation_id = '0a000000-0000-4000-8000-00000000000a'),
  'Reception/200/take_message', 'every organisation gets assistant settings with defaults');

select lives_ok(
  $$update public.assistant_settings set greetings = '{"en": "Hello!", "ru": "Здравствуйте!"}',
    escalation_phone = '+442079460000', voice_agent_id = 'svetlana-ru'
    where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
  'greetings in the clinic''s languages, an E.164 phone and a voice are accepted');
select throws_ok(
  $$update public.assistant_settings set escalation_phone = '+44 (20) 7946-0000' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
  '22023', '"+44 (20) 7946-0000" is not a phone number in E.164 format',
  'the escalation phone must be E.164 (the dashboard parses what is typed)');
select throws_ok(
  $$update public.assistant_settings set greetings = '{"de": "Hallo"}' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
  '22023', 'A greeting in "de", which is not one of the clinic''s languages (en, ru)',
  'a greeting in an unknown language is refused clearly');
select throws_ok(
  $$update public.assistant_settings set greetings = '{"en": "  "}' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
  '22023', 'A greeting in "en" is empty', 'an empty greeting is refused clearly');
select throws_ok(
  $$update public.assistant_settings set escalation_phone = '12345' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
  '22023', '"12345" is not a phone number in E.164 format', 'a bad phone is refused clearly');
select throws_ok(
  $$update public.assistant_settings set max_messages_per_hour = 0 where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
  '23514', null, 'the message cap must be positive');
select throws_ok(
  $$update public.assistant_settings set voice_agent_id = 'no-such-voice' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
  '23503', null, 'the voice must come from the catalog');

select throws_ok(
  $$insert into public.intents (organisation_id, name, example_phrases, responses) values ('0a000000-0000-4000-8000-00000000000a', 'Prices', '{"How much?"}', '{"fr": "Voir le site"}')$$,
  '22023', 'A response in "fr", which is not one of the clinic''s languages (en, ru)',
  'an intent response in an unknown language is refused clearly');
select tests.act_as('owner@b.test');
select throws_ok(
  $$insert into public.faq_entries (organisation_id, question, answer, language) values ('0a000000-0000-4000-8000-00000000000a', 'Q', 'A', 'lv')$$,
  '42501', 'You can only change the configuration of your own organisations',
  'writing into another organisation reveals nothing of it (not even its languages)');
select tests.stop_acting();
select throws_ok(
  $$insert into public.faq_entries (organisation_id, question, answer, language) values ('0a000000-0000-4000-8000-00000000000a', 'Q', 'A', 'lv')$$,
  '22023', 'An answer in "lv", which is not one of the clinic''s languages (en, ru)',
  'an FAQ entry in an unknown language is refused clearly');

-- Working hours: several intervals a day, no overlaps, not empty, across midnight too.
insert into public.working_hours (organisation_id, weekday, opens, closes) values
  ('0a000000-0000-4000-8000-00000000000a', 2, '08:30', '12:30'),
  ('0a000000-0000-4000-8000-00000000000a', 2, '13:30', '18:00'),
  ('0a000000-0000-4000-8000-00000000000a', 5, '22:00', '02:00'),
  ('0a000000-0000-4000-8000-00000000000a', 7, '23:00', '01:00');
select is(
  (select count(*)::int from public.working_hours where organisation_id = '0a000000-0000-4000-8000-00000000000a'),
  4, 'split shifts and overnight intervals are accepted');
select throws_ok(
  $$insert into public.working_hours (organisation_id, weekday, opens, closes) values ('0a000000-0000-4000-8000-00000000000a', 2, '12:00', '14:00')$$,
  '23P01', 'These hours overlap 08:30–12:30 on Tuesday', 'an overlapping interval is refused clearly');
select throws_ok(
  $$insert into public.working_hours (organisation_id, weekday, opens, closes) values ('0a000000-0000-4000-8000-00000000000a', 6, '01:00', '03:00')$$,
  '23P01', 'These hours overlap 22:00–02:00 on Friday', 'an overnight interval blocks the next morning');
select throws_ok(
  $$insert into public.working_hours (organisation_id, weekday, opens, closes) values ('0a000000-0000-4000-8000-00000000000a', 1, '00:30', '02:00')$$,
  '23P01', 'These hours overlap 23:00–01:00 on Sunday', 'Sunday night runs into Monday morning');
select throws_ok(
  $$insert into public.working_hours (organisation_id, weekday, opens, closes) values ('0a000000-0000-4000-8000-00000000000a', 3, '09:00', '09:00')$$,
  '23514', null, 'an empty interval is refused');
select lives_ok(
  $$insert into public.working_hours (organisation_id, weekday, opens, closes) values ('0b000000-0000-4000-8000-00000000000b', 2, '08:30', '12:30')$$,
  'another organisation''s hours never clash with ours');

select throws_ok(
  $$insert into public.closures (organisation_id, starts_on, ends_on) values ('0a000000-0000-4000-8000-00000000000a', '2026-12-26', '2026-12-25')$$,
  '22023', 'The last day (25 Dec 2026) is before the first (26 Dec 2026)', 'a closure must end after it starts');
select throws_ok(
  $$insert into public.services (organisation_id, name, duration_minutes) values ('0a000000-0000-4000-8000-00000000000a', 'Instant', -5)$$,
  '23514', 'new row for relation "services" violates check constraint "services_duration_positive"',
  'a negative duration is refused');
select throws_ok(
  $$insert into public.services (organisation_id, name, duration_minutes, buffer_after_minutes) values ('0a000000-0000-4000-8000-00000000000a', 'Clean', 30, -1)$$,
  '23514', 'new row for relation "services" violates check constraint "services_buffer_after_range"',
  'a negative buffer is refused');

select * from finish();
rollback;
