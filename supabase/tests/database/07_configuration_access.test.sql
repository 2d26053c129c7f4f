-- Receptionist configuration: members read, owners and admins write, nobody else sees
-- anything; the voice catalog is read-only for everyone but the service role.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
\ir _tenancy_fixture.psql

do $$
begin
  insert into public.intents (id, organisation_id, name, example_phrases, responses) values
    ('5a000000-0000-4000-8000-00000000005a', '0a000000-0000-4000-8000-00000000000a', 'Opening hours', '{"When are you open?"}', '{"en": "We open at 8."}'),
    ('5b000000-0000-4000-8000-00000000005b', '0b000000-0000-4000-8000-00000000000b', 'Opening hours', '{"When are you open?"}', '{"en": "We open at 9."}');
  insert into public.faq_entries (organisation_id, question, answer, language) values
    ('0a000000-0000-4000-8000-00000000000a', 'Parking?', 'Behind the building.', 'en'),
    ('0b000000-0000-4000-8000-00000000000b', 'Parking?', 'On the street.', 'en');
  insert into public.working_hours (organisation_id, weekday, opens, closes) values
    ('0a000000-0000-4000-8000-00000000000a', 1, '09:00', '17:00'),
    ('0b000000-0000-4000-8000-00000000000b', 1, '09:00', '17:00');
  insert into public.closures (organisation_id, starts_on, ends_on, reason) values
    ('0a000000-0000-4000-8000-00000000000a', '2026-12-25', '2026-12-26', 'Christmas'),
    ('0b000000-0000-4000-8000-00000000000b', '2026-12-25', '2026-12-26', 'Christmas');
  insert into public.services (organisation_id, name, duration_minutes) values
    ('0a000000-0000-4000-8000-00000000000a', 'Check-up', 30),
    ('0b000000-0000-4000-8000-00000000000b', 'Check-up', 30);
end
$$;

insert into tests.expectations
select relation, operation, statement, 'denied', outsider, member, admin, owner, other_owner, service
from (values
  ('assistant_settings', 'select', $$select organisation_id from public.assistant_settings where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('assistant_settings', 'insert', $$insert into public.assistant_settings (organisation_id) values ('0a000000-0000-4000-8000-00000000000a')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'error:23505'),
  ('assistant_settings', 'update', $$update public.assistant_settings set assistant_name = 'Ana' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('assistant_settings', 'delete', $$delete from public.assistant_settings where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('intents', 'select', $$select id from public.intents where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('intents', 'insert', $$insert into public.intents (organisation_id, name, example_phrases, action) values ('0a000000-0000-4000-8000-00000000000a', 'Parking', '{"Where can I park?"}', 'take_message')$$,
   'denied', 'denied', 'rows:1', 'rows:1', 'denied', 'rows:1'),
  ('intents', 'update', $$update public.intents set active = false where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('intents', 'delete', $$delete from public.intents where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('faq_entries', 'select', $$select id from public.faq_entries where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('faq_entries', 'insert', $$insert into public.faq_entries (organisation_id, question, answer, language) values ('0a000000-0000-4000-8000-00000000000a', 'Wifi?', 'Yes.', 'en')$$,
   'denied', 'denied', 'rows:1', 'rows:1', 'denied', 'rows:1'),
  ('faq_entries', 'update', $$update public.faq_entries set active = false where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('faq_entries', 'delete', $$delete from public.faq_entries where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('working_hours', 'select', $$select id from public.working_hours where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('working_hours', 'insert', $$insert into public.working_hours (organisation_id, weekday, opens, closes) values ('0a000000-0000-4000-8000-00000000000a', 2, '09:00', '12:00')$$,
   'denied', 'denied', 'rows:1', 'rows:1', 'denied', 'rows:1'),
  ('working_hours', 'update', $$update public.working_hours set closes = '18:00' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('working_hours', 'delete', $$delete from public.working_hours where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('closures', 'select', $$select id from public.closures where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('closures', 'insert', $$insert into public.closures (organisation_id, starts_on, ends_on) values ('0a000000-0000-4000-8000-00000000000a', '2027-01-01', '2027-01-01')$$,
   'denied', 'denied', 'rows:1', 'rows:1', 'denied', 'rows:1'),
  ('closures', 'update', $$update public.closures set reason = 'Holiday' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('closures', 'delete', $$delete from public.closures where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('services', 'select', $$select id from public.services where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('services', 'insert', $$insert into public.services (organisation_id, name, duration_minutes) values ('0a000000-0000-4000-8000-00000000000a', 'Whitening', 60)$$,
   'denied', 'denied', 'rows:1', 'rows:1', 'denied', 'rows:1'),
  ('services', 'update', $$update public.services set duration_minutes = 45 where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('services', 'delete', $$delete from public.services where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('voice_agents', 'select', $$select id from public.voice_agents where id = 'emma-en'$$,
   'rows:1', 'rows:1', 'rows:1', 'rows:1', 'rows:1', 'rows:1'),
  ('voice_agents', 'insert', $$insert into public.voice_agents (id, display_name, provider, provider_voice_id, languages, sample_greeting) values ('x-voice', 'X', 'azure', 'x', array['en'], 'Hi')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('voice_agents', 'update', $$update public.voice_agents set display_name = 'Hacked' where id = 'emma-en'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('voice_agents', 'delete', $$delete from public.voice_agents where id = 'emma-en'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1')
) as t(relation, operation, statement, outsider, member, admin, owner, other_owner, service);

-- Writing into another organisation is refused even for owners and admins.
insert into tests.expectations values
  ('intents', 'insert into B', $$insert into public.intents (organisation_id, name, example_phrases, action) values ('0b000000-0000-4000-8000-00000000000b', 'Sneaky', '{"Let me in"}', 'transfer')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1', 'rows:1'),
  ('intents', 'move to B', $$update public.intents set organisation_id = '0b000000-0000-4000-8000-00000000000b' where id = '5a000000-0000-4000-8000-00000000005a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'error:23505');

select plan(tests.access_matrix_size());

select * from tests.access_matrix();

select * from finish();
rollback;
