-- Who may do what on each tenancy table: every API role and organisation relation ×
-- select / insert / update / delete, on organisation A's rows. Each attempt is undone.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
\ir _tenancy_fixture.psql

do $$
begin
  insert into public.organisation_invitations (id, organisation_id, email, role, token_hash) values
    ('1a000000-0000-4000-8000-00000000001a', '0a000000-0000-4000-8000-00000000000a',
     'pending@a.test', 'member', extensions.digest('token-a', 'sha256')),
    ('1b000000-0000-4000-8000-00000000001b', '0b000000-0000-4000-8000-00000000000b',
     'pending@b.test', 'member', extensions.digest('token-b', 'sha256'));
end
$$;

insert into tests.expectations values
  -- organisations: members read, owners/admins update, nobody but the service role inserts or deletes
  ('organisations', 'select', $$select id from public.organisations where id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('organisations', 'insert', $$insert into public.organisations (name, slug, timezone) values ('Pirate Clinic', 'pirate-clinic', 'Europe/London')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('organisations', 'update', $$update public.organisations set name = 'Renamed' where id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('organisations', 'delete', $$delete from public.organisations where id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  -- organisation_members: members read their team; changes only through the RPCs
  ('organisation_members', 'select', $$select user_id from public.organisation_members where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:3', 'rows:3', 'rows:3', 'rows:0', 'rows:3'),
  ('organisation_members', 'insert', $$insert into public.organisation_members (organisation_id, user_id, role) values ('0a000000-0000-4000-8000-00000000000a', tests.user_id('outsider@x.test'), 'owner')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('organisation_members', 'update', $$update public.organisation_members set role = 'owner' where organisation_id = '0a000000-0000-4000-8000-00000000000a' and user_id = tests.user_id('member@a.test')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('organisation_members', 'delete', $$delete from public.organisation_members where organisation_id = '0a000000-0000-4000-8000-00000000000a' and user_id = tests.user_id('member@a.test')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  -- organisation_invitations: owners and admins read (never the token hash); changes only through the RPCs
  ('organisation_invitations', 'select', $$select id, email, role, expires_at from public.organisation_invitations where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('organisation_invitations', 'select token_hash', $$select token_hash from public.organisation_invitations where organisation_id in ('0a000000-0000-4000-8000-00000000000a', '0b000000-0000-4000-8000-00000000000b')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:2'),
  ('organisation_invitations', 'insert', $$insert into public.organisation_invitations (organisation_id, email, token_hash) values ('0a000000-0000-4000-8000-00000000000a', 'sneaky@x.test', '\x00')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('organisation_invitations', 'update', $$update public.organisation_invitations set role = 'owner' where id = '1a000000-0000-4000-8000-00000000001a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('organisation_invitations', 'delete', $$delete from public.organisation_invitations where id = '1a000000-0000-4000-8000-00000000001a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  -- profiles (the member's): the member and teammates read, only the member edits
  ('profiles', 'select', $$select id from public.profiles where id = tests.user_id('member@a.test')$$,
   'denied', 'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('profiles', 'insert', $$insert into public.profiles (id, display_name) values (tests.user_id('member@a.test'), 'Copy')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'error:23505'),
  ('profiles', 'update', $$update public.profiles set display_name = 'Renamed' where id = tests.user_id('member@a.test')$$,
   'denied', 'rows:0', 'rows:1', 'rows:0', 'rows:0', 'rows:0', 'rows:1'),
  ('profiles', 'delete', $$delete from public.profiles where id = tests.user_id('member@a.test')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1');

insert into tests.expectations values
  -- languages: one list for every clinic; signed-in users read it, only operators change it
  ('languages', 'select', $$select code from public.languages where code in ('en', 'ru')$$,
   'denied', 'rows:2', 'rows:2', 'rows:2', 'rows:2', 'rows:2', 'rows:2'),
  ('languages', 'insert', $$insert into public.languages (code, name) values ('xx', 'Pirate')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('languages', 'update', $$update public.languages set name = 'Pirate' where code = 'en'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('languages', 'delete', $$delete from public.languages where code = 'fi'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('organisations', 'update country', $$update public.organisations set country = 'IE' where id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:0', 'rows:1', 'rows:1', 'rows:0', 'rows:1');

select plan(tests.access_matrix_size());

select * from tests.access_matrix();

select * from finish();
rollback;
