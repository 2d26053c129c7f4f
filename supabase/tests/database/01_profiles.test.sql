-- Profiles: created for every new auth user; each user reads and edits only their own.
begin;
create extension if not exists pgtap with schema extensions;
select plan(9);

insert into auth.users (id, instance_id, aud, role, email, raw_user_meta_data, created_at, updated_at)
values
  ('11111111-1111-4111-8111-111111111111', '00000000-0000-0000-0000-000000000000',
   'authenticated', 'authenticated', 'ana@profiles.test', '{"display_name":"Ana"}', now(), now()),
  ('22222222-2222-4222-8222-222222222222', '00000000-0000-0000-0000-000000000000',
   'authenticated', 'authenticated', 'ben@profiles.test', '{}', now(), now());

select is(
  (select display_name from public.profiles where id = '11111111-1111-4111-8111-111111111111'),
  'Ana', 'a new user gets a profile named from their sign-up metadata'
);
select is(
  (select display_name from public.profiles where id = '22222222-2222-4222-8222-222222222222'),
  'ben', 'without a name the profile falls back to the email''s local part'
);

set local role authenticated;
set local request.jwt.claims to '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}';
select results_eq('select id from public.profiles',
  $$values ('11111111-1111-4111-8111-111111111111'::uuid)$$, 'a user sees only their own profile');
select lives_ok($$update public.profiles set display_name = 'Ana M.' where id = '11111111-1111-4111-8111-111111111111'$$,
  'a user renames themselves');
update public.profiles set display_name = 'hacked' where id = '22222222-2222-4222-8222-222222222222';
select throws_ok($$insert into public.profiles (id) values ('33333333-3333-4333-8333-333333333333')$$,
  '42501', null, 'users cannot create profiles directly');
select throws_ok($$delete from public.profiles$$, '42501', null, 'users cannot delete profiles');
reset role;

select is(
  (select display_name from public.profiles where id = '22222222-2222-4222-8222-222222222222'),
  'ben', 'a user cannot rename someone else'
);
select is(
  (select display_name from public.profiles where id = '11111111-1111-4111-8111-111111111111'),
  'Ana M.', 'the own rename was saved'
);

set local role anon;
select throws_ok('select * from public.profiles', '42501', null, 'anon cannot read profiles');
reset role;

select * from finish();
rollback;
