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
--   Twilio accounts    50000000-0000-4000-8000-00000000000{1 Northside, 2 Riverside}
--   phone numbers      60000000-0000-4000-8000-00000000000{1 Northside, 2 Riverside}
--   WhatsApp channels  70000000-0000-4000-8000-00000000000{1 Northside Meta, 2 Riverside Meta,
--                                                          3 Riverside Twilio sender}
--   Meta apps          a0000000-0000-4000-8000-000000000001 (Northside's own; Riverside's
--                                                          number uses the platform's app)
--   calendar           80000000-0000-4000-8000-000000000001 (Northside; Riverside has none)
--   calls              92000000-0000-4000-8000-0000000000{01..07 Northside, 11..16 Riverside}
--   callback tasks     93000000-0000-4000-8000-0000000000{01, 02 Northside, 11, 12 Riverside}
--   intents, FAQ entries and services keep the ids of supabase/functions/_shared/testdata/
--   demo_clinics.ts (0d1e7a1a-0000-4000-800{1 intents, 2 FAQ, 3 services}-…), whose content
--   this file mirrors exactly (supabase/tests/api/demo_data_test.ts keeps the two in step).
--
-- Channels (fictional numbers and ids; routing finds the clinic by them):
--   Northside  Twilio ACdb526de9a50c358f82d03e0713174f62, voice +44 20 7946 0123,
--              WhatsApp Cloud phone_number_id 106540352242922 (+44 7700 900123),
--              Google Calendar bookings@northside.test, active
--   Riverside  Twilio AC7ce37dc3cbaed18c8f4d14f559ef2ead, voice and SMS +371 6700 0123,
--              WhatsApp Cloud phone_number_id 113907584401237 (+371 2000 0123),
--              Twilio WhatsApp sender +371 6700 0123,
--              Google Calendar bookings@riverside.test, needs_reauth
-- Both voice numbers are connected to the assistant: imported into the local Vapi sandbox, which
-- creates them at start with the ids vapi-demo-<the number's digits> (vapi-demo-442079460123,
-- vapi-demo-37167000123), so no connect job runs for them.
-- Every seeded secret is in Vault and its plaintext begins with `demo-secret-` (the Meta verify
-- token, which Meta sends in a URL, with `demo-verify-`), so a leak is
-- one search away. The rotation report has content: Northside's Meta access token expires
-- 9 days after the seed ran and its Twilio auth token was last set 100 days before.

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

-- ---------------------------------------------------------------------------
-- Assistant settings (the row exists: it is created with the organisation); part of the
-- receptionist configuration below, written before the channels because a new escalation phone
-- asks Vapi to reconnect the voice numbers, which the seed writes already connected.
-- ---------------------------------------------------------------------------

-- Northside Dental
update public.assistant_settings set
  assistant_name = 'Emma',
  greetings = jsonb_build_object('en', 'Thank you for calling Northside Dental, this is Emma. How can I help you today?'),
  tone = 'friendly',
  extra_instructions = concat_ws(E'\n',
    'New patients should arrive ten minutes early to fill in a medical history form, and bring a list of any medicines they take.',
    'We do not quote prices for implants, crowns or orthodontics over the phone: offer a free 15-minute consultation instead.',
    'Children under 16 must be accompanied by a parent or guardian.'),
  voice_agent_id = 'emma-en',
  bot_enabled = true,
  ai_replies_enabled = true,
  max_messages_per_hour = 200,
  escalation_phone = '+442079460000',
  after_hours = 'take_message'
where organisation_id = '10000000-0000-4000-8000-000000000001';

-- Riverside Physio
update public.assistant_settings set
  assistant_name = 'Anna',
  greetings = jsonb_build_object(
    'en', 'Hello, you''re through to Riverside Physio, this is Anna. How can I help?',
    'ru', 'Здравствуйте, Riverside Physio, меня зовут Анна. Чем могу помочь?'),
  tone = 'warm',
  extra_instructions = concat_ws(E'\n',
    'First visits are always the 60-minute initial assessment; follow-up sessions are 45 minutes.',
    'If a caller mentions numbness in the legs, loss of bladder control or severe pain at night, advise them to contact their GP or emergency services today before booking.',
    'Remind new patients to bring any scans, X-ray reports or referral letters, and to wear comfortable clothes.'),
  voice_agent_id = 'svetlana-ru',
  bot_enabled = true,
  ai_replies_enabled = true,
  max_messages_per_hour = 120,
  escalation_phone = '+37167000001',
  after_hours = 'book_only'
where organisation_id = '10000000-0000-4000-8000-000000000002';

-- ---------------------------------------------------------------------------
-- Channels and credentials
-- ---------------------------------------------------------------------------
-- Written as service code writes them: channel rows and credentials are audited as "system",
-- and every secret goes through private.store_credential into Vault (the seed names itself as
-- the service), as a provider's refreshed token will.

do $$
begin
  insert into public.twilio_accounts (id, organisation_id, account_sid, label)
  values ('50000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001',
    'ACdb526de9a50c358f82d03e0713174f62', 'Northside subaccount');

  insert into public.phone_numbers (
    id, organisation_id, twilio_account_id, e164, label, voice_enabled, messaging_enabled, active,
    vapi_phone_number_id, voice_connection
  )
  values ('60000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001',
    '50000000-0000-4000-8000-000000000001', '+44 20 7946 0123', 'Reception line',
    true, false, true, 'vapi-demo-442079460123', 'connected');

  -- Northside's number receives through the clinic's own Meta app; Riverside's through the
  -- platform's (META_APP_SECRET, META_VERIFY_TOKEN).
  insert into public.meta_apps (id, organisation_id, label, meta_app_id)
  values ('a0000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001',
    'Northside Dental app', '1234567890123456');

  insert into public.whatsapp_channels (
    id, organisation_id, provider, label, meta_phone_number_id, meta_waba_id, display_phone_number,
    meta_app_id
  )
  values ('70000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001',
    'meta', 'Northside WhatsApp', '106540352242922', '102290129340398', '+44 7700 900123',
    'a0000000-0000-4000-8000-000000000001');

  -- What the Google OAuth callback leaves behind: connected by the owner to the sandbox's demo
  -- account, with its calendar list. The refresh token is the one the local Google sandbox
  -- accepts for calendar@northside.test; no access token, so the first use refreshes.
  insert into public.calendar_connections (
    id, organisation_id, account_email, calendar_id, status, scopes, connected_by, connected_at
  )
  values ('80000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001',
    'calendar@northside.test', 'calendar@northside.test', 'active',
    array['https://www.googleapis.com/auth/calendar.events',
      'https://www.googleapis.com/auth/calendar.readonly'],
    '20000000-0000-4000-8000-000000000001', now());
  insert into public.google_calendars (
    organisation_id, calendar_id, summary, is_primary, time_zone, access_role
  )
  values ('10000000-0000-4000-8000-000000000001', 'calendar@northside.test',
    'calendar@northside.test', true, 'Europe/London', 'owner');

  perform private.store_credential(
    '50000000-0000-4000-8000-000000000001', 'twilio_auth_token',
    'demo-secret-twilio-northside-7a1c', 'seed');
  perform private.store_credential(
    '70000000-0000-4000-8000-000000000001', 'meta_access_token',
    'demo-secret-meta-northside-e4f2', 'seed', now() + interval '9 days');
  perform private.store_credential(
    'a0000000-0000-4000-8000-000000000001', 'meta_app_secret',
    'demo-secret-meta-app-northside-55d0', 'seed');
  perform private.store_credential(
    'a0000000-0000-4000-8000-000000000001', 'meta_verify_token',
    'demo-verify-northside-2b7e', 'seed');
  perform private.store_credential(
    '80000000-0000-4000-8000-000000000001', 'google_refresh_token',
    '1//demo-northside-refresh-token', 'seed');
end
$$;

do $$
begin
  insert into public.twilio_accounts (id, organisation_id, account_sid, label)
  values ('50000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000002',
    'AC7ce37dc3cbaed18c8f4d14f559ef2ead', 'Riverside subaccount');

  insert into public.phone_numbers (
    id, organisation_id, twilio_account_id, e164, label, voice_enabled, messaging_enabled, active,
    vapi_phone_number_id, voice_connection
  )
  values ('60000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000002',
    '50000000-0000-4000-8000-000000000002', '+371 6700 0123', 'Reception (voice and SMS)',
    true, true, true, 'vapi-demo-37167000123', 'connected');

  insert into public.whatsapp_channels (
    id, organisation_id, provider, label, meta_phone_number_id, meta_waba_id, display_phone_number
  )
  values ('70000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000002',
    'meta', 'Riverside WhatsApp', '113907584401237', '109876543210987', '+371 2000 0123');

  insert into public.whatsapp_channels (
    id, organisation_id, provider, label, twilio_account_id, twilio_sender
  )
  values ('70000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000002',
    'twilio', 'Riverside WhatsApp via Twilio', '50000000-0000-4000-8000-000000000002',
    '+371 6700 0123');

  -- Riverside keeps its appointments in Frontdesk's own calendar: no Google connection.

  perform private.store_credential(
    '50000000-0000-4000-8000-000000000002', 'twilio_auth_token',
    'demo-secret-twilio-riverside-3d8b', 'seed');
  perform private.store_credential(
    '70000000-0000-4000-8000-000000000002', 'meta_access_token',
    'demo-secret-meta-riverside-91c4', 'seed');
end
$$;

-- Northside's Twilio auth token has not been rotated for 100 days (the audit row of its
-- setting stays dated today: the audit log is append-only).
update public.credentials set set_at = now() - interval '100 days'
where subject_id = '50000000-0000-4000-8000-000000000001' and kind = 'twilio_auth_token';

-- ---------------------------------------------------------------------------
-- Receptionist configuration: exactly the content of
-- supabase/functions/_shared/testdata/demo_clinics.ts, from which the prompt snapshots are
-- built. Change both together (demo_data_test.ts compares them).
-- ---------------------------------------------------------------------------

-- Assistant settings: before the channels (a new escalation phone reconnects the voice numbers).


-- Intents

-- Northside Dental
insert into public.intents (id, organisation_id, name, example_phrases, responses, action, active, position)
values
  ('0d1e7a1a-0000-4000-8001-000000000101', '10000000-0000-4000-8000-000000000001', 'Book an appointment',
    array[
      'I''d like to book a check-up',
      'Can I make an appointment?',
      'I need to see the hygienist',
      'Have you got anything free next week?'],
    jsonb_build_object('en', 'Of course. Which treatment is it for, and which days or times suit you best?'),
    'book', true, 1),
  ('0d1e7a1a-0000-4000-8001-000000000102', '10000000-0000-4000-8000-000000000001', 'Cancel or move an appointment',
    array[
      'I need to cancel my appointment',
      'Can I move my appointment to another day?',
      'I can''t make it on Thursday'],
    jsonb_build_object('en', 'No problem. Can I take the name and phone number the appointment is booked under?'),
    'cancel', true, 2),
  ('0d1e7a1a-0000-4000-8001-000000000103', '10000000-0000-4000-8000-000000000001', 'Dental emergency',
    array[
      'I''ve got terrible toothache',
      'I broke a tooth',
      'My face is swollen',
      'A filling fell out'],
    jsonb_build_object('en', 'I''m sorry you''re in pain. We keep emergency appointments free every day; let me find you the first one.'),
    'book', true, 3),
  ('0d1e7a1a-0000-4000-8001-000000000104', '10000000-0000-4000-8000-000000000001', 'Speak to the practice team',
    array[
      'Can I speak to someone?',
      'I''d like to talk to reception',
      'Put me through to the practice manager'],
    jsonb_build_object('en', 'Of course, let me put you through to the team.'),
    'transfer', true, 4),
  ('0d1e7a1a-0000-4000-8001-000000000105', '10000000-0000-4000-8000-000000000001', 'Prices',
    array[
      'How much is a check-up?',
      'What do you charge for a clean?'],
    jsonb_build_object('en', 'A check-up is £45 and a hygiene appointment is £65. NHS patients pay the standard NHS band charges.'),
    'answer', true, 5),
  ('0d1e7a1a-0000-4000-8001-000000000106', '10000000-0000-4000-8000-000000000001', 'Whitening offer',
    array[
      'Do you still have the whitening offer?'],
    jsonb_build_object('en', 'The spring whitening offer has ended.'),
    'answer', false, 6);

-- Riverside Physio
insert into public.intents (id, organisation_id, name, example_phrases, responses, action, active, position)
values
  ('0d1e7a1a-0000-4000-8001-000000000201', '10000000-0000-4000-8000-000000000002', 'Book a session',
    array[
      'I''d like to book a physio appointment',
      'Do you have anything on Tuesday evening?',
      'Хочу записаться к физиотерапевту',
      'Есть ли свободное время во вторник вечером?'],
    jsonb_build_object(
      'en', 'Happy to help. Is this your first visit with us, and which days suit you?',
      'ru', 'С удовольствием помогу. Вы у нас впервые? Какие дни вам удобны?'),
    'book', true, 10),
  ('0d1e7a1a-0000-4000-8001-000000000202', '10000000-0000-4000-8000-000000000002', 'Cancel or reschedule',
    array[
      'I need to cancel my session',
      'Can I change my appointment time?',
      'Мне нужно отменить запись',
      'Можно перенести приём?'],
    jsonb_build_object(
      'en', 'Of course. Which name and phone number is the appointment under?',
      'ru', 'Конечно. На какое имя и номер телефона оформлена запись?'),
    'cancel', true, 20),
  ('0d1e7a1a-0000-4000-8001-000000000203', '10000000-0000-4000-8000-000000000002', 'Speak to a physiotherapist',
    array[
      'Can I talk to my physio?',
      'I have a question for the therapist',
      'Можно поговорить с физиотерапевтом?',
      'Соедините меня с администратором'],
    jsonb_build_object(
      'en', 'Let me connect you with the team.',
      'ru', 'Сейчас соединю вас с нашей командой.'),
    'transfer', true, 30),
  ('0d1e7a1a-0000-4000-8001-000000000204', '10000000-0000-4000-8000-000000000002', 'Insurance',
    array[
      'Do you accept my insurance?',
      'Can I pay with my health insurance?',
      'Вы работаете со страховкой?',
      'Принимаете полис ВАП?'],
    jsonb_build_object(
      'en', 'We work with BTA, Balta, Compensa and ERGO health insurance. Please bring your insurance card; we bill the insurer directly where your policy allows.',
      'ru', 'Мы работаем со страховыми компаниями BTA, Balta, Compensa и ERGO. Возьмите с собой карточку страхования — где позволяет полис, мы выставляем счёт страховщику напрямую.'),
    'answer', true, 40),
  ('0d1e7a1a-0000-4000-8001-000000000205', '10000000-0000-4000-8000-000000000002', 'Leave a message',
    array[
      'Can I leave a message?',
      'Please ask someone to call me back',
      'Можно оставить сообщение?',
      'Пусть мне перезвонят'],
    jsonb_build_object(
      'en', 'Of course. What is your name, your phone number and what is it about?',
      'ru', 'Конечно. Назовите, пожалуйста, ваше имя, номер телефона и суть вопроса.'),
    'take_message', true, 50);

-- FAQ entries and canned replies

-- Northside Dental
insert into public.faq_entries (id, organisation_id, kind, category, language, active, question, answer)
values
  ('0d1e7a1a-0000-4000-8002-000000000101', '10000000-0000-4000-8000-000000000001', 'faq', 'new patients', 'en', true,
    'Are you accepting new NHS patients?',
    'We are not taking new NHS adult patients at the moment, but we welcome new private patients and NHS children under 18.'),
  ('0d1e7a1a-0000-4000-8002-000000000102', '10000000-0000-4000-8000-000000000001', 'faq', 'new patients', 'en', true,
    'What should I bring to my first appointment?',
    'Please bring photo ID, a list of any medicines you take, and arrive ten minutes early to complete your medical history form.'),
  ('0d1e7a1a-0000-4000-8002-000000000103', '10000000-0000-4000-8000-000000000001', 'faq', 'location', 'en', true,
    'Where are you?',
    'We are at 14 Northside Parade, London N4 2AB, two minutes'' walk from Finsbury Park station (Victoria and Piccadilly lines).'),
  ('0d1e7a1a-0000-4000-8002-000000000104', '10000000-0000-4000-8000-000000000001', 'faq', 'location', 'en', true,
    'Is there parking?',
    'There is no private car park. Pay-and-display parking is available on Stroud Green Road, and there is one disabled bay directly outside.'),
  ('0d1e7a1a-0000-4000-8002-000000000105', '10000000-0000-4000-8000-000000000001', 'faq', 'location', 'en', true,
    'Is the practice wheelchair accessible?',
    'Yes. We have step-free access, a ground-floor surgery and an accessible toilet.'),
  ('0d1e7a1a-0000-4000-8002-000000000106', '10000000-0000-4000-8000-000000000001', 'faq', 'payment', 'en', true,
    'How can I pay?',
    'We take cash, debit and credit cards and Apple Pay or Google Pay. Payment is due on the day of treatment.'),
  ('0d1e7a1a-0000-4000-8002-000000000107', '10000000-0000-4000-8000-000000000001', 'faq', 'payment', 'en', true,
    'Do you offer payment plans?',
    'Yes, treatment over £500 can be spread over 6 or 12 months interest-free, subject to approval.'),
  ('0d1e7a1a-0000-4000-8002-000000000108', '10000000-0000-4000-8000-000000000001', 'faq', 'appointments', 'en', true,
    'What is your cancellation policy?',
    'Please give us at least 24 hours'' notice. Appointments missed or cancelled with less notice may be charged at £25.'),
  ('0d1e7a1a-0000-4000-8002-000000000109', '10000000-0000-4000-8000-000000000001', 'faq', 'appointments', 'en', true,
    'How often should I have a check-up?',
    'Most adults need a check-up every 6 to 12 months; your dentist will recommend the right interval for you.'),
  ('0d1e7a1a-0000-4000-8002-000000000110', '10000000-0000-4000-8000-000000000001', 'faq', 'treatments', 'en', true,
    'Do you treat nervous patients?',
    'Yes. Let us know when you book and we will allow extra time; our hygienists offer gentle-care sessions. We do not offer sedation.'),
  ('0d1e7a1a-0000-4000-8002-000000000111', '10000000-0000-4000-8000-000000000001', 'faq', 'treatments', 'en', true,
    'Do you do teeth whitening?',
    'Yes, we offer home whitening kits fitted by the dentist, after a check-up to make sure whitening is suitable.'),
  ('0d1e7a1a-0000-4000-8002-000000000112', '10000000-0000-4000-8000-000000000001', 'canned_reply', 'general', 'en', true,
    'Thank you',
    'You''re welcome! Let us know if there''s anything else we can help with.'),
  ('0d1e7a1a-0000-4000-8002-000000000113', '10000000-0000-4000-8000-000000000001', 'faq', 'treatments', 'en', false,
    'Do you have a spring whitening offer?',
    'Yes, 20% off whitening until the end of May.');

-- Riverside Physio
insert into public.faq_entries (id, organisation_id, kind, category, language, active, question, answer)
values
  ('0d1e7a1a-0000-4000-8002-000000000201', '10000000-0000-4000-8000-000000000002', 'faq', 'appointments', 'en', true,
    'Do I need a referral?',
    'No referral is needed for private sessions. For state-funded physiotherapy you need a referral from your family doctor.'),
  ('0d1e7a1a-0000-4000-8002-000000000202', '10000000-0000-4000-8000-000000000002', 'faq', 'appointments', 'en', true,
    'What should I wear?',
    'Wear loose, comfortable clothes so the physiotherapist can see and move the area being treated; shorts are ideal for knee and hip problems.'),
  ('0d1e7a1a-0000-4000-8002-000000000203', '10000000-0000-4000-8000-000000000002', 'faq', 'prices', 'en', true,
    'How much does a session cost?',
    'The initial assessment (60 minutes) costs 55 EUR and a follow-up session (45 minutes) costs 45 EUR.'),
  ('0d1e7a1a-0000-4000-8002-000000000204', '10000000-0000-4000-8000-000000000002', 'faq', 'prices', 'en', true,
    'How can I pay?',
    'By card or cash at reception, or by bank transfer on an invoice.'),
  ('0d1e7a1a-0000-4000-8002-000000000205', '10000000-0000-4000-8000-000000000002', 'faq', 'location', 'en', true,
    'Where are you?',
    'Riverside Physio is at Krasta iela 12, Riga, on the ground floor, five minutes from the Central Market. Trams 7 and 9 stop nearby.'),
  ('0d1e7a1a-0000-4000-8002-000000000206', '10000000-0000-4000-8000-000000000002', 'faq', 'location', 'en', true,
    'Is there parking?',
    'Yes, there is free parking for patients in the courtyard behind the building.'),
  ('0d1e7a1a-0000-4000-8002-000000000207', '10000000-0000-4000-8000-000000000002', 'faq', 'treatment', 'en', true,
    'How many sessions will I need?',
    'It depends on the problem; most patients need 4 to 6 sessions. Your physiotherapist will suggest a plan after the initial assessment.'),
  ('0d1e7a1a-0000-4000-8002-000000000208', '10000000-0000-4000-8000-000000000002', 'faq', 'treatment', 'en', true,
    'Do you treat sports injuries?',
    'Yes: sprains, muscle strains, tendon problems and rehabilitation after surgery, including return-to-sport programmes.'),
  ('0d1e7a1a-0000-4000-8002-000000000209', '10000000-0000-4000-8000-000000000002', 'canned_reply', 'general', 'en', true,
    'Thank you',
    'You''re welcome! Get well soon.'),
  ('0d1e7a1a-0000-4000-8002-000000000251', '10000000-0000-4000-8000-000000000002', 'faq', 'appointments', 'ru', true,
    'Нужно ли направление?',
    'Для платных сеансов направление не нужно. Для физиотерапии за государственный счёт нужно направление от семейного врача.'),
  ('0d1e7a1a-0000-4000-8002-000000000252', '10000000-0000-4000-8000-000000000002', 'faq', 'appointments', 'ru', true,
    'Что надеть на приём?',
    'Наденьте свободную удобную одежду, чтобы физиотерапевт мог осмотреть область лечения; при проблемах с коленом или бедром лучше взять шорты.'),
  ('0d1e7a1a-0000-4000-8002-000000000253', '10000000-0000-4000-8000-000000000002', 'faq', 'prices', 'ru', true,
    'Сколько стоит сеанс?',
    'Первичная консультация (60 минут) стоит 55 EUR, повторный сеанс (45 минут) — 45 EUR.'),
  ('0d1e7a1a-0000-4000-8002-000000000254', '10000000-0000-4000-8000-000000000002', 'faq', 'prices', 'ru', true,
    'Как можно оплатить?',
    'Картой или наличными на ресепшене, либо банковским переводом по счёту.'),
  ('0d1e7a1a-0000-4000-8002-000000000255', '10000000-0000-4000-8000-000000000002', 'faq', 'location', 'ru', true,
    'Где вы находитесь?',
    'Riverside Physio находится по адресу Krasta iela 12, Рига, на первом этаже, в пяти минутах от Центрального рынка. Рядом останавливаются трамваи 7 и 9.'),
  ('0d1e7a1a-0000-4000-8002-000000000256', '10000000-0000-4000-8000-000000000002', 'faq', 'location', 'ru', true,
    'Есть ли парковка?',
    'Да, во дворе за зданием есть бесплатная парковка для пациентов.'),
  ('0d1e7a1a-0000-4000-8002-000000000257', '10000000-0000-4000-8000-000000000002', 'faq', 'treatment', 'ru', true,
    'Сколько сеансов мне понадобится?',
    'Это зависит от проблемы; обычно нужно 4–6 сеансов. После первичной консультации физиотерапевт предложит план лечения.'),
  ('0d1e7a1a-0000-4000-8002-000000000258', '10000000-0000-4000-8000-000000000002', 'faq', 'treatment', 'ru', true,
    'Вы лечите спортивные травмы?',
    'Да: растяжения, травмы мышц и сухожилий, реабилитация после операций, включая программы возвращения в спорт.'),
  ('0d1e7a1a-0000-4000-8002-000000000259', '10000000-0000-4000-8000-000000000002', 'canned_reply', 'general', 'ru', true,
    'Спасибо',
    'Пожалуйста! Выздоравливайте.');

-- Working hours (ISO weekday, local time), closures and services. Past closures are
-- kept as in the test data; the configuration loader leaves out those already over.

-- Northside Dental
insert into public.working_hours (organisation_id, weekday, opens, closes)
values
  ('10000000-0000-4000-8000-000000000001', 1, '08:30', '12:30'),
  ('10000000-0000-4000-8000-000000000001', 1, '13:30', '18:00'),
  ('10000000-0000-4000-8000-000000000001', 2, '08:30', '12:30'),
  ('10000000-0000-4000-8000-000000000001', 2, '13:30', '18:00'),
  ('10000000-0000-4000-8000-000000000001', 3, '08:30', '12:30'),
  ('10000000-0000-4000-8000-000000000001', 3, '13:30', '18:00'),
  ('10000000-0000-4000-8000-000000000001', 4, '08:30', '12:30'),
  ('10000000-0000-4000-8000-000000000001', 4, '13:30', '18:00'),
  ('10000000-0000-4000-8000-000000000001', 5, '08:30', '12:30'),
  ('10000000-0000-4000-8000-000000000001', 5, '13:30', '18:00'),
  ('10000000-0000-4000-8000-000000000001', 6, '09:00', '13:00');

insert into public.closures (organisation_id, starts_on, ends_on, reason)
values
  ('10000000-0000-4000-8000-000000000001', '2026-08-31', '2026-08-31', 'Summer bank holiday'),
  ('10000000-0000-4000-8000-000000000001', '2026-12-24', '2026-12-28', 'Christmas'),
  ('10000000-0000-4000-8000-000000000001', '2027-01-01', '2027-01-01', 'New Year''s Day'),
  ('10000000-0000-4000-8000-000000000001', '2027-03-26', '2027-03-29', 'Easter'),
  ('10000000-0000-4000-8000-000000000001', '2027-05-03', '2027-05-03', 'Early May bank holiday'),
  ('10000000-0000-4000-8000-000000000001', '2027-05-31', '2027-05-31', 'Spring bank holiday'),
  ('10000000-0000-4000-8000-000000000001', '2027-08-30', '2027-08-30', 'Summer bank holiday'),
  ('10000000-0000-4000-8000-000000000001', '2027-12-24', '2027-12-28', 'Christmas');

insert into public.services (id, organisation_id, name, duration_minutes, buffer_before_minutes, buffer_after_minutes, active)
values
  ('0d1e7a1a-0000-4000-8003-000000000101', '10000000-0000-4000-8000-000000000001', 'Check-up', 30, 0, 5, true),
  ('0d1e7a1a-0000-4000-8003-000000000102', '10000000-0000-4000-8000-000000000001', 'Hygiene appointment', 45, 0, 10, true),
  ('0d1e7a1a-0000-4000-8003-000000000103', '10000000-0000-4000-8000-000000000001', 'Emergency appointment', 20, 0, 10, true),
  ('0d1e7a1a-0000-4000-8003-000000000104', '10000000-0000-4000-8000-000000000001', 'Whitening consultation', 15, 0, 0, false);

-- Riverside Physio
insert into public.working_hours (organisation_id, weekday, opens, closes)
values
  ('10000000-0000-4000-8000-000000000002', 1, '08:00', '19:00'),
  ('10000000-0000-4000-8000-000000000002', 2, '08:00', '12:00'),
  ('10000000-0000-4000-8000-000000000002', 2, '15:00', '20:00'),
  ('10000000-0000-4000-8000-000000000002', 3, '08:00', '19:00'),
  ('10000000-0000-4000-8000-000000000002', 4, '08:00', '19:00'),
  ('10000000-0000-4000-8000-000000000002', 5, '08:00', '16:00'),
  ('10000000-0000-4000-8000-000000000002', 6, '10:00', '14:00');

insert into public.closures (organisation_id, starts_on, ends_on, reason)
values
  ('10000000-0000-4000-8000-000000000002', '2026-06-23', '2026-06-24', 'Midsummer (Līgo and Jāņi)'),
  ('10000000-0000-4000-8000-000000000002', '2026-11-18', '2026-11-18', 'Proclamation Day'),
  ('10000000-0000-4000-8000-000000000002', '2026-12-24', '2026-12-26', 'Christmas'),
  ('10000000-0000-4000-8000-000000000002', '2027-01-01', '2027-01-01', 'New Year''s Day'),
  ('10000000-0000-4000-8000-000000000002', '2027-03-26', '2027-03-29', 'Easter'),
  ('10000000-0000-4000-8000-000000000002', '2027-05-03', '2027-05-04', 'Labour Day and Restoration of Independence'),
  ('10000000-0000-4000-8000-000000000002', '2027-06-23', '2027-06-24', 'Midsummer (Līgo and Jāņi)'),
  ('10000000-0000-4000-8000-000000000002', '2027-11-18', '2027-11-18', 'Proclamation Day'),
  ('10000000-0000-4000-8000-000000000002', '2027-12-24', '2027-12-26', 'Christmas');

insert into public.services (id, organisation_id, name, duration_minutes, buffer_before_minutes, buffer_after_minutes, active)
values
  ('0d1e7a1a-0000-4000-8003-000000000201', '10000000-0000-4000-8000-000000000002', 'Initial assessment', 60, 0, 15, true),
  ('0d1e7a1a-0000-4000-8003-000000000202', '10000000-0000-4000-8000-000000000002', 'Follow-up session', 45, 0, 15, true),
  ('0d1e7a1a-0000-4000-8003-000000000203', '10000000-0000-4000-8000-000000000002', 'Sports massage', 60, 0, 10, true);

-- ---------------------------------------------------------------------------
-- Booking: practitioners, patients and a live agenda
-- ---------------------------------------------------------------------------
-- Fixed ids:
--   practitioners  90000000-0000-4000-8000-00000000000{1 Dr Sarah Hale, 2 Dr James Okafor,
--                  3 Emily Clarke (hygienist), 4 Jānis Bērziņš, 5 Anna Kalniņa}
--   contacts       91000000-0000-4000-8000-0000000000{01..10 Northside, 11..16 Riverside}
-- Appointments are generated relative to the time the seed runs: about 40 over the past and
-- the coming week, inside each practitioner's hours, never on a closed day, never overlapping.

-- Each clinic came with one practitioner named after it; the demo clinics have real staff.
delete from public.practitioners
where organisation_id in ('10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000002');

insert into public.practitioners (id, organisation_id, display_name, position)
values
  ('90000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', 'Dr Sarah Hale', 1),
  ('90000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001', 'Dr James Okafor', 2),
  ('90000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000001', 'Emily Clarke (hygienist)', 3),
  ('90000000-0000-4000-8000-000000000004', '10000000-0000-4000-8000-000000000002', 'Jānis Bērziņš', 1),
  ('90000000-0000-4000-8000-000000000005', '10000000-0000-4000-8000-000000000002', 'Anna Kalniņa', 2);

-- The dentists do check-ups, emergencies and whitening consultations; the hygienist does
-- hygiene appointments; both physiotherapists do everything.
insert into public.practitioner_services (organisation_id, practitioner_id, service_id)
select s.organisation_id, p.id, s.id
from public.services s
join public.practitioners p on p.organisation_id = s.organisation_id
where s.organisation_id = '10000000-0000-4000-8000-000000000002'
   or (s.organisation_id = '10000000-0000-4000-8000-000000000001'
     and (p.id = '90000000-0000-4000-8000-000000000003') = (s.name = 'Hygiene appointment'));

-- The hygienist works Tuesdays and Thursdays only.
insert into public.practitioner_hours (organisation_id, practitioner_id, weekday, opens, closes)
values
  ('10000000-0000-4000-8000-000000000001', '90000000-0000-4000-8000-000000000003', 2, '08:30', '12:30'),
  ('10000000-0000-4000-8000-000000000001', '90000000-0000-4000-8000-000000000003', 2, '13:30', '18:00'),
  ('10000000-0000-4000-8000-000000000001', '90000000-0000-4000-8000-000000000003', 4, '08:30', '12:30'),
  ('10000000-0000-4000-8000-000000000001', '90000000-0000-4000-8000-000000000003', 4, '13:30', '18:00');

-- Dr Okafor is away for two days the week after next.
insert into public.closures (organisation_id, practitioner_id, starts_on, ends_on, reason)
values
  ('10000000-0000-4000-8000-000000000001', '90000000-0000-4000-8000-000000000002',
    current_date + 9, current_date + 10, 'Conference');

insert into public.contacts (id, organisation_id, name, phone, email, preferred_language, notes)
values
  ('91000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', 'Alice Morgan', '+447700900101', 'alice.morgan@example.test', 'en', ''),
  ('91000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001', 'Ben Carter', '+447700900102', null, 'en', 'Nervous patient: explain each step.'),
  ('91000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000001', 'Chloe Evans', '+447700900103', 'chloe.evans@example.test', null, ''),
  ('91000000-0000-4000-8000-000000000004', '10000000-0000-4000-8000-000000000001', 'Daniel Hughes', '+447700900104', null, null, ''),
  ('91000000-0000-4000-8000-000000000005', '10000000-0000-4000-8000-000000000001', 'Ella Patel', '+447700900105', 'ella.patel@example.test', 'en', 'Allergic to latex.'),
  ('91000000-0000-4000-8000-000000000006', '10000000-0000-4000-8000-000000000001', 'Finn O''Brien', '+447700900106', null, null, ''),
  ('91000000-0000-4000-8000-000000000007', '10000000-0000-4000-8000-000000000001', 'Grace Turner', '+447700900107', null, 'en', ''),
  ('91000000-0000-4000-8000-000000000008', '10000000-0000-4000-8000-000000000001', 'Harry Walsh', '+447700900108', 'harry.walsh@example.test', null, ''),
  ('91000000-0000-4000-8000-000000000009', '10000000-0000-4000-8000-000000000001', 'Isla Scott', '+447700900109', null, null, 'Prefers early mornings.'),
  ('91000000-0000-4000-8000-000000000010', '10000000-0000-4000-8000-000000000001', null, '+447700900110', null, null, ''),
  ('91000000-0000-4000-8000-000000000011', '10000000-0000-4000-8000-000000000002', 'Kārlis Ozols', '+37120000111', null, 'en', 'Knee surgery in October.'),
  ('91000000-0000-4000-8000-000000000012', '10000000-0000-4000-8000-000000000002', 'Ilze Liepa', '+37120000112', 'ilze.liepa@example.test', 'en', ''),
  ('91000000-0000-4000-8000-000000000013', '10000000-0000-4000-8000-000000000002', 'Дмитрий Соколов', '+37120000113', null, 'ru', ''),
  ('91000000-0000-4000-8000-000000000014', '10000000-0000-4000-8000-000000000002', 'Marta Zariņa', '+37120000114', null, null, 'Marathon in spring.'),
  ('91000000-0000-4000-8000-000000000015', '10000000-0000-4000-8000-000000000002', 'Ольга Петрова', '+37120000115', 'olga.petrova@example.test', 'ru', ''),
  ('91000000-0000-4000-8000-000000000016', '10000000-0000-4000-8000-000000000002', 'Roberts Kalns', '+37120000116', null, null, '');

-- Candidate starts at four local times a day, 90 minutes or more apart (longer than any
-- service with its buffers, so a practitioner's bookings never overlap); one in five is kept,
-- and only those that fit the practitioner's hours (own or the clinic's) on an open day.
with candidates as (
  select p.id as practitioner_id, p.organisation_id, o.timezone, p.position, day_offset, slot_no,
    current_date + day_offset as day,
    ((current_date + day_offset) + local_time) at time zone o.timezone as starts_at
  from public.practitioners p
  join public.organisations o on o.id = p.organisation_id
  cross join generate_series(-7, 7) day_offset
  cross join lateral unnest(array['09:00', '10:30', '14:00', '15:30']::time[]) with ordinality t(local_time, slot_no)
  where p.organisation_id in ('10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000002')
    and (day_offset + 2 * slot_no + p.position) % 5 = 0
),
with_service as (
  select c.*, s.id as service_id, s.duration_minutes,
    row_number() over (order by c.starts_at, c.practitioner_id) as n
  from candidates c
  cross join lateral (
    select s.* from public.practitioner_services ps
    join public.services s on s.id = ps.service_id and s.active
    where ps.practitioner_id = c.practitioner_id
    order by s.name
    offset (c.day_offset + 7 + c.slot_no) % (select count(*) from public.practitioner_services ps2
      join public.services s2 on s2.id = ps2.service_id and s2.active
      where ps2.practitioner_id = c.practitioner_id)
    limit 1
  ) s
),
fitting as (
  select w.* from with_service w
  where exists (
      select from (
        select h.weekday, h.opens, h.closes from public.practitioner_hours h where h.practitioner_id = w.practitioner_id
        union all
        select wh.weekday, wh.opens, wh.closes from public.working_hours wh
        where wh.organisation_id = w.organisation_id
          and not exists (select from public.practitioner_hours h where h.practitioner_id = w.practitioner_id)
      ) hours
      where hours.weekday = extract(isodow from w.day)
        and hours.opens <= (w.starts_at at time zone w.timezone)::time
        and hours.closes >= ((w.starts_at + make_interval(mins => w.duration_minutes)) at time zone w.timezone)::time
    )
    and not exists (
      select from public.closures cl
      where cl.organisation_id = w.organisation_id and w.day between cl.starts_on and cl.ends_on
        and (cl.practitioner_id is null or cl.practitioner_id = w.practitioner_id))
)
insert into public.appointments (organisation_id, practitioner_id, service_id, contact_id, starts_at, ends_at,
  status, source, created_by, cancellation_reason)
select f.organisation_id, f.practitioner_id, f.service_id,
  (select c.id from public.contacts c where c.organisation_id = f.organisation_id
   order by c.id offset f.n % (select count(*) from public.contacts c2 where c2.organisation_id = f.organisation_id) limit 1),
  f.starts_at, f.starts_at + make_interval(mins => f.duration_minutes),
  status, (array['dashboard', 'voice', 'whatsapp']::public.appointment_source[])[1 + f.n % 3],
  case when f.n % 3 = 0 then
    case f.organisation_id when '10000000-0000-4000-8000-000000000001' then '20000000-0000-4000-8000-000000000003'::uuid
      else '20000000-0000-4000-8000-000000000004'::uuid end
  end,
  case when status = 'cancelled' then 'Asked to come another week' end
from fitting f
cross join lateral (
  select case
    when f.n % 7 = 3 then 'cancelled'
    when f.starts_at > now() then 'booked'
    when f.n % 5 = 1 then 'no_show'
    when f.n % 9 = 0 then 'booked'
    else 'completed'
  end::public.appointment_status as status
) s;

-- ---------------------------------------------------------------------------
-- Calls the assistant answered in the last three days, and the callbacks they left
-- ---------------------------------------------------------------------------
-- Two calls per clinic booked an appointment still ahead (one the agenda has, a voice booking
-- where there is one); the others took a message, were transferred to a person, answered a
-- question, or were hung up on. A call's start is a local time in its clinic's time zone.

with ahead as (
  select a.id as appointment_id, a.organisation_id, a.contact_id, c.phone,
    row_number() over (partition by a.organisation_id
      order by (a.source = 'voice') desc, a.starts_at, a.id) as n
  from public.appointments a
  join public.contacts c on c.id = a.contact_id
  where a.organisation_id in ('10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000002')
    and a.status = 'booked' and a.starts_at > now()
),
demo (id, organisation_id, booked, contact_id, from_e164, days_ago, local_time, seconds, outcome,
  ended_reason, language, summary, transcript) as (
  values
  ('92000000-0000-4000-8000-000000000001'::uuid, '10000000-0000-4000-8000-000000000001'::uuid, 1, null::uuid, null,
    1, '09:12'::time, 154, 'booked'::public.call_outcome, 'customer-ended-call', 'en',
    'The caller asked for an appointment and booked the first time offered.',
    '[{"role":"assistant","text":"Northside Dental, this is Emma. How can I help?"},
      {"role":"user","text":"Hi, I''d like to book an appointment, please."},
      {"role":"tool","text":"check_availability"},
      {"role":"assistant","text":"I can offer the first free time next week. Shall I book it?"},
      {"role":"user","text":"Yes, that works."},
      {"role":"tool","text":"book_appointment"},
      {"role":"assistant","text":"You''re booked. We''ll send you a reminder the day before. Anything else?"},
      {"role":"user","text":"No, thank you. Bye."}]'::jsonb),
  ('92000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001', 2, null, null,
    2, '14:40', 201, 'booked', 'customer-ended-call', 'en',
    'The caller booked an appointment after asking about the hygienist.',
    '[{"role":"assistant","text":"Northside Dental, this is Emma. How can I help?"},
      {"role":"user","text":"Do you have anything in the next few days?"},
      {"role":"tool","text":"check_availability"},
      {"role":"assistant","text":"Yes, there is a free time this week. Would you like it?"},
      {"role":"user","text":"Great, book me in."},
      {"role":"tool","text":"book_appointment"},
      {"role":"assistant","text":"Done, you''re booked. See you then!"}]'),
  ('92000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000001', null,
    '91000000-0000-4000-8000-000000000002', '+447700900102',
    1, '18:05', 96, 'message_taken', 'customer-ended-call', 'en',
    'Ben Carter has had toothache since yesterday and wants an urgent call back. Message taken.',
    '[{"role":"assistant","text":"Northside Dental, this is Emma. We''re closed now, but I can take a message."},
      {"role":"user","text":"I''ve had a bad toothache since yesterday. Can someone call me back?"},
      {"role":"assistant","text":"Of course. Is this number the best one to call you on?"},
      {"role":"user","text":"Yes, it is. It''s Ben Carter."},
      {"role":"tool","text":"take_message"},
      {"role":"assistant","text":"Thank you, Ben. I''ve marked it urgent; the team will call you first thing."}]'),
  ('92000000-0000-4000-8000-000000000004', '10000000-0000-4000-8000-000000000001', null, null, '+447700900555',
    2, '11:03', 48, 'transferred', 'assistant-forwarded-call', 'en',
    'The caller wanted to speak to someone about a bill and was put through to reception.',
    '[{"role":"assistant","text":"Northside Dental, this is Emma. How can I help?"},
      {"role":"user","text":"I have a question about my bill. Can I speak to a person?"},
      {"role":"tool","text":"transferCall"},
      {"role":"assistant","text":"Of course, I''m putting you through to the reception now."}]'),
  ('92000000-0000-4000-8000-000000000005', '10000000-0000-4000-8000-000000000001', null, null, '+447700900777',
    3, '16:20', 6, 'abandoned', 'customer-ended-call', 'en',
    'The caller hung up during the greeting.',
    '[{"role":"assistant","text":"Northside Dental, this is Emma. How can I help?"}]'),
  ('92000000-0000-4000-8000-000000000006', '10000000-0000-4000-8000-000000000001', null,
    '91000000-0000-4000-8000-000000000003', '+447700900103',
    3, '10:15', 62, 'answered', 'customer-ended-call', 'en',
    'Chloe Evans asked about parking; the assistant answered from the FAQ.',
    '[{"role":"assistant","text":"Northside Dental, this is Emma. How can I help?"},
      {"role":"user","text":"Is there anywhere to park near you?"},
      {"role":"assistant","text":"Yes, there is a public car park two minutes from the practice."},
      {"role":"user","text":"Perfect, thanks."}]'),
  ('92000000-0000-4000-8000-000000000007', '10000000-0000-4000-8000-000000000001', null,
    '91000000-0000-4000-8000-000000000004', '+447700900104',
    2, '12:30', 81, 'message_taken', 'customer-ended-call', 'en',
    'Daniel Hughes asked for a copy of his X-rays to be sent to his new address. Message taken.',
    '[{"role":"assistant","text":"Northside Dental, this is Emma. How can I help?"},
      {"role":"user","text":"Could someone send my X-rays to my new address? I''ll give the details on the phone."},
      {"role":"tool","text":"take_message"},
      {"role":"assistant","text":"I''ve passed that on; the team will call you back to take the address."}]'),
  ('92000000-0000-4000-8000-000000000011', '10000000-0000-4000-8000-000000000002', 1, null, null,
    1, '10:05', 172, 'booked', 'customer-ended-call', 'en',
    'The caller booked a session for their knee.',
    '[{"role":"assistant","text":"Riverside Physio, this is Anna. How can I help?"},
      {"role":"user","text":"I need a session for my knee."},
      {"role":"tool","text":"check_availability"},
      {"role":"assistant","text":"I have a free time coming up. Shall I book it for you?"},
      {"role":"user","text":"Yes please."},
      {"role":"tool","text":"book_appointment"},
      {"role":"assistant","text":"You''re booked. See you soon!"}]'),
  ('92000000-0000-4000-8000-000000000012', '10000000-0000-4000-8000-000000000002', null,
    '91000000-0000-4000-8000-000000000014', '+37120000114',
    2, '17:30', 74, 'message_taken', 'customer-ended-call', 'en',
    'Marta Zariņa asks whether her sessions can move to the afternoons. Message taken.',
    '[{"role":"assistant","text":"Riverside Physio, this is Anna. How can I help?"},
      {"role":"user","text":"Could my sessions be in the afternoon from now on? Please ask Jānis to call me."},
      {"role":"tool","text":"take_message"},
      {"role":"assistant","text":"I''ve left a message for the team; they will call you back."}]'),
  ('92000000-0000-4000-8000-000000000013', '10000000-0000-4000-8000-000000000002', null,
    '91000000-0000-4000-8000-000000000013', '+37120000113',
    1, '12:20', 55, 'transferred', 'assistant-forwarded-call', 'ru',
    'Дмитрий Соколов asked to speak to his therapist and was transferred.',
    '[{"role":"assistant","text":"Riverside Physio, это Анна. Чем могу помочь?"},
      {"role":"user","text":"Я хотел бы поговорить с моим терапевтом."},
      {"role":"tool","text":"transferCall"},
      {"role":"assistant","text":"Соединяю вас с клиникой."}]'),
  ('92000000-0000-4000-8000-000000000014', '10000000-0000-4000-8000-000000000002', null, null, '+37120000999',
    2, '09:01', 4, 'abandoned', 'customer-ended-call', 'en',
    'The caller hung up during the greeting.',
    '[{"role":"assistant","text":"Riverside Physio, this is Anna. How can I help?"}]'),
  ('92000000-0000-4000-8000-000000000015', '10000000-0000-4000-8000-000000000002', 2, null, null,
    3, '15:45', 143, 'booked', 'customer-ended-call', 'en',
    'The caller booked a follow-up session.',
    '[{"role":"assistant","text":"Riverside Physio, this is Anna. How can I help?"},
      {"role":"user","text":"I''d like to book a follow-up."},
      {"role":"tool","text":"check_availability"},
      {"role":"assistant","text":"There is a free time this week. Would that suit you?"},
      {"role":"user","text":"Yes."},
      {"role":"tool","text":"book_appointment"},
      {"role":"assistant","text":"Booked. Thank you for calling!"}]'),
  ('92000000-0000-4000-8000-000000000016', '10000000-0000-4000-8000-000000000002', null,
    '91000000-0000-4000-8000-000000000012', '+37120000112',
    3, '11:10', 58, 'message_taken', 'customer-ended-call', 'en',
    'Ilze Liepa asked for an invoice for her insurer. Message taken.',
    '[{"role":"assistant","text":"Riverside Physio, this is Anna. How can I help?"},
      {"role":"user","text":"I need an invoice for my insurance company."},
      {"role":"tool","text":"take_message"},
      {"role":"assistant","text":"I''ve noted it; the team will call you back."}]')
),
placed as (
  select d.*, a.appointment_id, coalesce(a.contact_id, d.contact_id) as caller_id,
    coalesce(a.phone, d.from_e164) as caller_e164,
    ((current_date - d.days_ago) + d.local_time) at time zone o.timezone as started_at
  from demo d
  join public.organisations o on o.id = d.organisation_id
  left join ahead a on a.organisation_id = d.organisation_id and a.n = d.booked
),
inserted as (
  insert into public.calls (id, organisation_id, phone_number_id, contact_id, twilio_call_sid,
    vapi_call_id, from_e164, to_e164, direction, status, answered_by, started_at, ended_at,
    ended_reason, language, transcript, summary, recording_url, cost, outcome, created_at)
  select p.id, p.organisation_id, n.id, p.caller_id,
    'CAdemo' || replace(p.id::text, '-', ''), 'demo-call-' || p.id, p.caller_e164, n.e164,
    'inbound', 'ended', 'assistant', p.started_at, p.started_at + make_interval(secs => p.seconds),
    p.ended_reason, p.language,
    (select jsonb_agg(line || jsonb_build_object('seconds_from_start', (i - 1) * 9) order by i)
     from jsonb_array_elements(p.transcript) with ordinality t(line, i)),
    p.summary,
    case when p.seconds > 10 then 'https://storage.vapi.ai/demo-call-' || p.id || '.wav' end,
    round(p.seconds * 0.0017, 4), p.outcome, p.started_at
  from placed p
  join public.phone_numbers n on n.organisation_id = p.organisation_id and n.voice_enabled
  returning id
)
insert into public.call_appointments (organisation_id, call_id, appointment_id, action, created_at)
select p.organisation_id, p.id, p.appointment_id, 'booked', p.started_at
from placed p
where p.appointment_id is not null;

insert into public.callback_tasks (id, organisation_id, call_id, contact_id, kind, caller_name,
  callback_e164, reason, urgency, status, created_at)
select t.id, c.organisation_id, c.id, c.contact_id, 'message', k.name, c.from_e164, t.reason,
  t.urgency, t.status, c.ended_at
from (values
  ('93000000-0000-4000-8000-000000000001'::uuid, '92000000-0000-4000-8000-000000000003'::uuid,
    'Toothache since yesterday; asks for the first appointment possible.',
    'urgent'::public.callback_urgency, 'open'::public.callback_task_status),
  ('93000000-0000-4000-8000-000000000002', '92000000-0000-4000-8000-000000000007',
    'Wants his X-rays sent to his new address; call to take it.', 'normal', 'open'),
  ('93000000-0000-4000-8000-000000000011', '92000000-0000-4000-8000-000000000012',
    'Would like her sessions moved to the afternoons; asks Jānis to call.', 'normal', 'open'),
  ('93000000-0000-4000-8000-000000000012', '92000000-0000-4000-8000-000000000016',
    'Needs an invoice for her insurer.', 'normal', 'done')
) t(id, call_id, reason, urgency, status)
join public.calls c on c.id = t.call_id
left join public.contacts k on k.id = c.contact_id;

-- ---------------------------------------------------------------------------
-- WhatsApp and SMS conversations of the last days, for the inbox
-- ---------------------------------------------------------------------------
-- Fixed ids: conversations 94000000-0000-4000-8000-0000000000{01..04 Northside, 11..14 Riverside}.
-- Each clinic has one waiting for staff (with the reason), one a member took over, one
-- resolved and one the assistant is handling. Northside's are in English on its Meta number;
-- Riverside's in Russian on its Meta number, its Twilio WhatsApp sender and SMS. Outbound
-- messages show every delivery outcome: read, delivered, and failed with the provider's error.

insert into public.conversations (id, organisation_id, channel, whatsapp_channel_id, phone_number_id,
  contact_id, status, assigned_to, language, attention_reason, unread_count)
values
  ('94000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', 'whatsapp',
    '70000000-0000-4000-8000-000000000001', null, '91000000-0000-4000-8000-000000000001',
    'waiting_for_staff', null, 'en',
    'The patient asks about a loose crown, which the assistant may not advise on.', 1),
  ('94000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001', 'whatsapp',
    '70000000-0000-4000-8000-000000000001', null, '91000000-0000-4000-8000-000000000002',
    'staff', '20000000-0000-4000-8000-000000000003', 'en', null, 0),
  ('94000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000001', 'whatsapp',
    '70000000-0000-4000-8000-000000000001', null, '91000000-0000-4000-8000-000000000003',
    'resolved', null, 'en', null, 0),
  ('94000000-0000-4000-8000-000000000004', '10000000-0000-4000-8000-000000000001', 'whatsapp',
    '70000000-0000-4000-8000-000000000001', null, '91000000-0000-4000-8000-000000000004',
    'bot', null, 'en', null, 0),
  ('94000000-0000-4000-8000-000000000011', '10000000-0000-4000-8000-000000000002', 'whatsapp',
    '70000000-0000-4000-8000-000000000002', null, '91000000-0000-4000-8000-000000000013',
    'waiting_for_staff', null, 'ru', 'The assistant could not answer (OpenAI unavailable).', 2),
  ('94000000-0000-4000-8000-000000000012', '10000000-0000-4000-8000-000000000002', 'whatsapp',
    '70000000-0000-4000-8000-000000000002', null, '91000000-0000-4000-8000-000000000015',
    'staff', '20000000-0000-4000-8000-000000000004', 'ru', null, 0),
  ('94000000-0000-4000-8000-000000000013', '10000000-0000-4000-8000-000000000002', 'sms',
    null, '60000000-0000-4000-8000-000000000002', '91000000-0000-4000-8000-000000000016',
    'resolved', null, 'ru', null, 0),
  ('94000000-0000-4000-8000-000000000014', '10000000-0000-4000-8000-000000000002', 'whatsapp',
    '70000000-0000-4000-8000-000000000003', null, '91000000-0000-4000-8000-000000000014',
    'bot', null, 'ru', null, 0);

-- (conversation, minutes ago, author, staff member, text, delivery, error code, error message)
insert into public.messages (organisation_id, conversation_id, direction, author, author_user_id,
  body, provider_message_id, provider_timestamp, delivery, sent_at, delivered_at, read_at, failed_at,
  error_code, error_message, created_at)
select c.organisation_id, c.id,
  case when m.author = 'patient' then 'inbound' else 'outbound' end::public.message_direction,
  m.author::public.message_author, m.member, m.body,
  case when c.channel = 'sms' or c.whatsapp_channel_id = '70000000-0000-4000-8000-000000000003'
    then 'SM' || md5(c.id::text || m.n) else 'wamid.demo' || md5(c.id::text || m.n) end,
  case when m.author = 'patient' then at end,
  m.delivery::public.message_delivery,
  case when m.delivery in ('sent', 'delivered', 'read') then at + interval '1 second' end,
  case when m.delivery in ('delivered', 'read') then at + interval '3 seconds' end,
  case when m.delivery = 'read' then at + interval '2 minutes' end,
  case when m.delivery = 'failed' then at + interval '2 seconds' end,
  m.error_code, m.error_message, at
from (values
  ('94000000-0000-4000-8000-000000000001'::uuid, 1, 42, 'patient', null::uuid,
    'Hi, my crown came loose last night. Can Dr Hale put it back this week?', null, null, null),
  ('94000000-0000-4000-8000-000000000001', 2, 41, 'bot', null,
    'I''m sorry about your crown. I''ve asked the practice team to look at this; someone will reply here shortly.',
    'read', null, null),
  ('94000000-0000-4000-8000-000000000001', 3, 9, 'patient', null,
    'Thanks. Will it cost extra?', null, null, null),
  ('94000000-0000-4000-8000-000000000002', 1, 190, 'patient', null,
    'Can I bring my son to my check-up on Thursday?', null, null, null),
  ('94000000-0000-4000-8000-000000000002', 2, 189, 'bot', null,
    'Of course. Children under 16 are welcome with a parent or guardian. Shall I book him in as well?',
    'read', null, null),
  ('94000000-0000-4000-8000-000000000002', 3, 125, 'patient', null,
    'He''s 12 and quite nervous. Could someone call me first?', null, null, null),
  ('94000000-0000-4000-8000-000000000002', 4, 118, 'staff', '20000000-0000-4000-8000-000000000003',
    'Hi Ben, this is Priya from reception. Of course, I''ll call you in ten minutes.', 'read', null, null),
  ('94000000-0000-4000-8000-000000000002', 5, 61, 'staff', '20000000-0000-4000-8000-000000000003',
    'I couldn''t reach you by phone. When is a good time to call?', 'failed', '131026',
    'WhatsApp could not deliver the message to this number (Meta error 131026).'),
  ('94000000-0000-4000-8000-000000000003', 1, 2885, 'patient', null,
    'What time do you open on Saturday?', null, null, null),
  ('94000000-0000-4000-8000-000000000003', 2, 2884, 'bot', null,
    'On Saturdays we are open from 9:00 to 13:00.', 'read', null, null),
  ('94000000-0000-4000-8000-000000000003', 3, 2870, 'patient', null,
    'Great, thank you!', null, null, null),
  ('94000000-0000-4000-8000-000000000004', 1, 21, 'patient', null,
    'Have you got anything free next week for a check-up?', null, null, null),
  ('94000000-0000-4000-8000-000000000004', 2, 20, 'bot', null,
    'Yes: Tuesday at 10:00 or Wednesday at 14:30 with Dr Hale. Shall I book one of them?',
    'delivered', null, null),
  ('94000000-0000-4000-8000-000000000011', 1, 35, 'patient', null,
    'Здравствуйте! Можно записаться на спортивный массаж в субботу?', null, null, null),
  ('94000000-0000-4000-8000-000000000011', 2, 34, 'bot', null,
    'Извините, я не могу ответить прямо сейчас. Сотрудник клиники ответит вам здесь в ближайшее время.',
    'read', null, null),
  ('94000000-0000-4000-8000-000000000011', 3, 12, 'patient', null,
    'Хорошо, жду.', null, null, null),
  ('94000000-0000-4000-8000-000000000012', 1, 300, 'patient', null,
    'Добрый день! Мне нужен счёт за последние сеансы для страховой компании.', null, null, null),
  ('94000000-0000-4000-8000-000000000012', 2, 298, 'bot', null,
    'Передаю ваш запрос сотрудникам клиники.', 'read', null, null),
  ('94000000-0000-4000-8000-000000000012', 3, 240, 'staff', '20000000-0000-4000-8000-000000000004',
    'Здравствуйте, Ольга! Сегодня отправлю счёт на вашу почту olga.petrova@example.test.', 'delivered', null, null),
  ('94000000-0000-4000-8000-000000000013', 1, 1500, 'patient', null,
    'Можно перенести мой сеанс на вторник?', null, null, null),
  ('94000000-0000-4000-8000-000000000013', 2, 1499, 'bot', null,
    'Конечно. Во вторник свободно в 17:00 у Яниса. Подходит?', 'delivered', null, null),
  ('94000000-0000-4000-8000-000000000013', 3, 1490, 'patient', null,
    'Да, спасибо!', null, null, null),
  ('94000000-0000-4000-8000-000000000013', 4, 1489, 'bot', null,
    'Готово: вторник, 17:00. До встречи!', 'failed', '30003',
    'The patient''s phone could not be reached (Twilio error 30003).'),
  ('94000000-0000-4000-8000-000000000014', 1, 55, 'patient', null,
    'Сколько длится спортивный массаж?', null, null, null),
  ('94000000-0000-4000-8000-000000000014', 2, 54, 'bot', null,
    'Спортивный массаж длится 60 минут. Хотите, я подберу удобное время?', 'read', null, null)
) m(conversation_id, n, minutes_ago, author, member, body, delivery, error_code, error_message)
join public.conversations c on c.id = m.conversation_id
cross join lateral (select now() - make_interval(mins => m.minutes_ago) as at) t;

update public.conversations c
set last_inbound_at = s.last_inbound_at, last_message_at = s.last_message_at,
  last_message_preview = s.preview,
  created_at = s.first_message_at
from (
  select m.conversation_id,
    max(m.created_at) filter (where m.direction = 'inbound') as last_inbound_at,
    max(m.created_at) as last_message_at,
    min(m.created_at) as first_message_at,
    (array_agg(private.message_preview(m.kind, m.body) order by m.created_at desc))[1] as preview
  from public.messages m
  group by m.conversation_id
) s
where s.conversation_id = c.id;
