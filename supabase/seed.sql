-- Demo data for the local stack only (never run against production). Applied once to a fresh
-- database by `supabase db push --include-seed` (`deno task dev` on first start, `deno task
-- reset`). Written as a hosted Supabase seed would be: users are inserted into GoTrue's own
-- tables with bcrypt passwords and an email identity, so the same file works with real Auth.
--
-- Logins (password `frontdesk-demo` for all):
--   owner@northside.test  Olivia Bennett  Northside Dental  owner
--   admin@northside.test  Marcus Reid     Northside Dental  admin
--   staff@northside.test  Priya Shah      Northside Dental  member
--   owner@riverside.test  Līga Ozola      Riverside Physio  owner
-- Pending invitations (open the link, sign up with the address; or it is accepted on sign-up):
--   reception@northside.test  member of Northside Dental  /#/invitations/demo-invite-northside
--   therapist@riverside.test  member of Riverside Physio  /#/invitations/demo-invite-riverside
--   Both expire 7 days after the seed ran (`deno task reset` makes fresh ones).
--
-- Fixed ids, for later seeds and tests to refer to:
--   organisations  10000000-0000-4000-8000-00000000000{1 Northside, 2 Riverside}
--   users          20000000-0000-4000-8000-00000000000{1 owner@northside, 2 admin@northside,
--                                                      3 staff@northside, 4 owner@riverside}
--   identities     40000000-0000-4000-8000-00000000000{1..4}, one per user, same order
--   invitations    30000000-0000-4000-8000-00000000000{1 reception@northside, 2 therapist@riverside}

-- ---------------------------------------------------------------------------
-- Users (profiles are created by the trigger on auth.users from display_name)
-- ---------------------------------------------------------------------------

insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  confirmation_token, recovery_token, email_change_token_new, email_change,
  email_change_token_current, phone_change, phone_change_token, reauthentication_token,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at
)
select
  '00000000-0000-0000-0000-000000000000',
  demo.id,
  'authenticated',
  'authenticated',
  demo.email,
  extensions.crypt('frontdesk-demo', extensions.gen_salt('bf', 10)),
  now(),
  '', '', '', '', '', '', '', '',
  '{"provider":"email","providers":["email"]}'::jsonb,
  jsonb_build_object('display_name', demo.display_name),
  now(),
  now()
from (values
  ('20000000-0000-4000-8000-000000000001'::uuid, 'owner@northside.test', 'Olivia Bennett'),
  ('20000000-0000-4000-8000-000000000002'::uuid, 'admin@northside.test', 'Marcus Reid'),
  ('20000000-0000-4000-8000-000000000003'::uuid, 'staff@northside.test', 'Priya Shah'),
  ('20000000-0000-4000-8000-000000000004'::uuid, 'owner@riverside.test', 'Līga Ozola')
) as demo (id, email, display_name);

insert into auth.identities (
  id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at
)
select
  ('40000000-0000-4000-8000-00000000000' || right(u.id::text, 1))::uuid,
  u.id::text,
  u.id,
  jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', true),
  'email',
  null,
  now(),
  now()
from auth.users u
where u.id in (
  '20000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000002',
  '20000000-0000-4000-8000-000000000003', '20000000-0000-4000-8000-000000000004'
);

-- ---------------------------------------------------------------------------
-- Clinics and their teams
-- ---------------------------------------------------------------------------

insert into public.organisations (id, name, slug, timezone, languages, default_language)
values
  ('10000000-0000-4000-8000-000000000001', 'Northside Dental', 'northside-dental',
    'Europe/London', array['en'], 'en'),
  ('10000000-0000-4000-8000-000000000002', 'Riverside Physio', 'riverside-physio',
    'Europe/Riga', array['en', 'ru'], 'en');

insert into public.organisation_members (organisation_id, user_id, role)
values
  ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', 'owner'),
  ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000002', 'admin'),
  ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003', 'member'),
  ('10000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000004', 'owner');

-- Known demo tokens; only their SHA-256 is stored, as for every invitation.
insert into public.organisation_invitations (id, organisation_id, email, role, token_hash, invited_by)
values
  ('30000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001',
    'reception@northside.test', 'member',
    extensions.digest('demo-invite-northside', 'sha256'), '20000000-0000-4000-8000-000000000001'),
  ('30000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000002',
    'therapist@riverside.test', 'member',
    extensions.digest('demo-invite-riverside', 'sha256'), '20000000-0000-4000-8000-000000000004');
