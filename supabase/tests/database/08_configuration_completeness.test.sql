-- A configuration that cannot work is refused with a clear message: intents need an
-- example phrase and, to just answer, a response in the default language; texts have limits;
-- closures neither overlap nor lie wholly in the past (in the clinic's time zone).
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
\ir _tenancy_fixture.psql

select plan(19);

select tests.act_as('owner@a.test');

-- Intents
select throws_ok(
  $$insert into public.intents (organisation_id, name) values ('0a000000-0000-4000-8000-00000000000a', 'Parking')$$,
  '22023', 'The intent "Parking" needs at least one example phrase',
  'an intent with only a name is refused');
select throws_ok(
  $$insert into public.intents (organisation_id, name, example_phrases) values ('0a000000-0000-4000-8000-00000000000a', 'Parking', '{"  "}')$$,
  '22023', 'The intent "Parking" needs at least one example phrase',
  'blank example phrases do not count');
select throws_ok(
  $$insert into public.intents (organisation_id, name, example_phrases, responses) values ('0a000000-0000-4000-8000-00000000000a', 'Parking', '{"Where can I park?"}', '{"ru": "За зданием."}')$$,
  '22023', 'The intent "Parking" needs a response in the default language (en)',
  'an intent that just answers needs a response in the default language');
select lives_ok(
  $$insert into public.intents (organisation_id, name, example_phrases, responses) values ('0a000000-0000-4000-8000-00000000000a', 'Parking', '{"Where can I park?"}', '{"en": "Behind the building."}')$$,
  'a phrase and a response in the default language make an intent');
select lives_ok(
  $$insert into public.intents (organisation_id, name, example_phrases, action) values ('0a000000-0000-4000-8000-00000000000a', 'Speak to someone', '{"Can I talk to a person?"}', 'transfer')$$,
  'an intent that hands over needs no response');
select throws_ok(
  $$update public.intents set action = 'answer' where name = 'Speak to someone'$$,
  '22023', 'The intent "Speak to someone" needs a response in the default language (en)',
  'switching an intent to just answering needs the response too');
select throws_ok(
  format($$insert into public.intents (organisation_id, name, example_phrases, responses) values ('0a000000-0000-4000-8000-00000000000a', 'Long', '{"Hi"}', '{"en": "%s"}')$$, repeat('a', 1001)),
  '22023', 'Too long (1001 characters): the response in "en" can have at most 1000',
  'a response has a clear limit');

-- Assistant settings
select throws_ok(
  format($$update public.assistant_settings set greetings = '{"en": "%s"}' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$, repeat('a', 3000)),
  '22023', 'Too long (3000 characters): the greeting in "en" can have at most 500',
  'a 3,000-character greeting is refused');
select lives_ok(
  format($$update public.assistant_settings set greetings = '{"en": "%s"}' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$, repeat('a', 500)),
  'a 500-character greeting is accepted');
select throws_ok(
  format($$update public.assistant_settings set extra_instructions = '%s' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$, repeat('a', 4001)),
  '22023', 'Too long (4001 characters): the extra instructions can have at most 4000',
  'extra instructions have a clear limit');
select throws_ok(
  $$update public.assistant_settings set escalation_phone = '07946 000000' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
  '22023', '"07946 000000" is not a phone number in E.164 format',
  'a national number is refused: the dashboard writes E.164');

-- FAQ
select throws_ok(
  format($$insert into public.faq_entries (organisation_id, question, answer, language) values ('0a000000-0000-4000-8000-00000000000a', 'Q?', '%s', 'en')$$, repeat('a', 1001)),
  '22023', 'Too long (1001 characters): the answer can have at most 1000',
  'an FAQ answer has a clear limit');

-- Closures, in Clinic A's zone (Europe/London)
select lives_ok(
  $$insert into public.closures (organisation_id, starts_on, ends_on, reason) values ('0a000000-0000-4000-8000-00000000000a', '2030-12-24', '2030-12-28', 'Christmas')$$,
  'a closure to come is accepted');
select throws_ok(
  $$insert into public.closures (organisation_id, starts_on, ends_on) values ('0a000000-0000-4000-8000-00000000000a', '2030-12-28', '2030-12-29')$$,
  '23P01', 'This closure overlaps the closure 24 Dec 2030 – 28 Dec 2030 (Christmas)',
  'an overlapping closure is refused, naming the other one''s days');
select throws_ok(
  $$insert into public.closures (organisation_id, starts_on, ends_on) values ('0a000000-0000-4000-8000-00000000000a', '2030-12-01', '2030-12-31')$$,
  '23P01', 'This closure overlaps the closure 24 Dec 2030 – 28 Dec 2030 (Christmas)',
  'a closure around another is refused');
select lives_ok(
  $$insert into public.closures (organisation_id, starts_on, ends_on) values ('0a000000-0000-4000-8000-00000000000a', '2030-12-29', '2030-12-29')$$,
  'the day after is a closure of its own');
select throws_ok(
  $$insert into public.closures (organisation_id, starts_on, ends_on) values ('0a000000-0000-4000-8000-00000000000a', '2020-01-01', '2020-01-02')$$,
  '22023', format('This closure (1 Jan 2020 – 2 Jan 2020) is over: today is %s in Europe/London',
    to_char((now() at time zone 'Europe/London')::date, 'FMDD Mon YYYY')),
  'a closure wholly in the past is refused');
select lives_ok(
  format($$insert into public.closures (organisation_id, starts_on, ends_on) values ('0a000000-0000-4000-8000-00000000000a', '%s', '%s')$$,
    (now() at time zone 'Europe/London')::date - 3, (now() at time zone 'Europe/London')::date),
  'a closure that ends today (the clinic''s today) is accepted');
select tests.stop_acting();
select lives_ok(
  $$insert into public.closures (organisation_id, starts_on, ends_on) values ('0b000000-0000-4000-8000-00000000000b', '2030-12-24', '2030-12-28')$$,
  'another clinic''s closures never clash with ours');

select * from finish();
rollback;
