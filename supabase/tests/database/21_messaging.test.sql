-- Conversations, messages and the staff inbox: who may do what (members read, only service
-- code and the RPCs write), the staff RPCs and their refusals (another clinic's conversation,
-- WhatsApp's 24-hour window, opt-outs, empty or long replies), monotonic delivery statuses in
-- any order, the send and reply jobs the functions enqueue, the test chat, the uniqueness that
-- makes a re-delivery a no-op, and Meta apps' credentials.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
\ir _channels_fixture.psql
\ir _booking_fixture.psql

select plan(250);

-- A: a WhatsApp conversation (the patient wrote an hour ago) and an SMS one; B: a WhatsApp one.
insert into public.conversations (id, organisation_id, channel, whatsapp_channel_id, phone_number_id,
  contact_id, last_inbound_at, unread_count) values
  ('ca100000-0000-4000-8000-0000000000ca', '0a000000-0000-4000-8000-00000000000a', 'whatsapp',
   '3a000000-0000-4000-8000-00000000003a', null, 'a5000000-0000-4000-8000-0000000000a5', now() - interval '1 hour', 2),
  ('ca200000-0000-4000-8000-0000000000ca', '0a000000-0000-4000-8000-00000000000a', 'sms',
   null, (select p.id from public.phone_numbers p where p.organisation_id = '0a000000-0000-4000-8000-00000000000a'),
   'a6000000-0000-4000-8000-0000000000a6', null, 0),
  ('cb100000-0000-4000-8000-0000000000cb', '0b000000-0000-4000-8000-00000000000b', 'whatsapp',
   '3b000000-0000-4000-8000-00000000003b', null, 'b5000000-0000-4000-8000-0000000000b5', now(), 1);
insert into public.messages (id, organisation_id, conversation_id, direction, author, body, provider_message_id) values
  ('ea100000-0000-4000-8000-0000000000ea', '0a000000-0000-4000-8000-00000000000a', 'ca100000-0000-4000-8000-0000000000ca',
   'inbound', 'patient', 'Hello', 'wamid.a1'),
  ('ea200000-0000-4000-8000-0000000000ea', '0a000000-0000-4000-8000-00000000000a', 'ca100000-0000-4000-8000-0000000000ca',
   'outbound', 'bot', 'Hi! How can I help?', null),
  ('eb100000-0000-4000-8000-0000000000eb', '0b000000-0000-4000-8000-00000000000b', 'cb100000-0000-4000-8000-0000000000cb',
   'inbound', 'patient', 'Labdien', 'wamid.b1');
insert into public.conversation_appointments (organisation_id, conversation_id, appointment_id, action) values
  ('0a000000-0000-4000-8000-00000000000a', 'ca100000-0000-4000-8000-0000000000ca', 'a7000000-0000-4000-8000-0000000000a7', 'booked'),
  ('0b000000-0000-4000-8000-00000000000b', 'cb100000-0000-4000-8000-0000000000cb', 'b7000000-0000-4000-8000-0000000000b7', 'booked');
insert into private.inbound_events (provider, external_id, kind, organisation_id, whatsapp_channel_id, payload) values
  ('meta', 'm:wamid.a1', 'message', '0a000000-0000-4000-8000-00000000000a', '3a000000-0000-4000-8000-00000000003a', '{"id": "wamid.a1"}');
insert into public.meta_apps (id, organisation_id, label) values
  ('5a000000-0000-4000-8000-00000000005a', '0a000000-0000-4000-8000-00000000000a', 'A app'),
  ('5b000000-0000-4000-8000-00000000005b', '0b000000-0000-4000-8000-00000000000b', 'B app');

-- ---------------------------------------------------------------------------
-- 1. Who may do what (organisation A's rows as the target)
-- ---------------------------------------------------------------------------

insert into tests.expectations values
  ('conversations', 'select', $$select id from public.conversations where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:2', 'rows:2', 'rows:2', 'rows:0', 'rows:2'),
  ('conversations', 'insert', $$insert into public.conversations (organisation_id, channel, contact_id) values ('0a000000-0000-4000-8000-00000000000a', 'test', 'a5000000-0000-4000-8000-0000000000a5')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('conversations', 'update', $$update public.conversations set status = 'resolved' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:2'),
  ('conversations', 'delete', $$delete from public.conversations where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:2'),
  ('messages', 'select', $$select id from public.messages where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:2', 'rows:2', 'rows:2', 'rows:0', 'rows:2'),
  ('messages', 'insert', $$insert into public.messages (organisation_id, conversation_id, direction, author, body) values ('0a000000-0000-4000-8000-00000000000a', 'ca100000-0000-4000-8000-0000000000ca', 'outbound', 'staff', 'forged')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('messages', 'update', $$update public.messages set body = 'changed' where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:2'),
  ('messages', 'delete', $$delete from public.messages where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:2'),
  ('conversation_appointments', 'select', $$select id from public.conversation_appointments where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:1', 'rows:1', 'rows:1', 'rows:0', 'rows:1'),
  ('conversation_appointments', 'insert', $$insert into public.conversation_appointments (organisation_id, conversation_id, appointment_id, action) values ('0a000000-0000-4000-8000-00000000000a', 'ca100000-0000-4000-8000-0000000000ca', 'a7000000-0000-4000-8000-0000000000a7', 'cancelled')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('conversation_appointments', 'delete', $$delete from public.conversation_appointments where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('inbound_events', 'select', $$select id from private.inbound_events$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('inbound_events', 'insert', $$insert into private.inbound_events (provider, external_id, kind, organisation_id, payload) values ('twilio', 'm:SM1', 'message', '0a000000-0000-4000-8000-00000000000a', '{}')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('contacts', 'update opt-out', $$update public.contacts set whatsapp_opted_out_at = null where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:2'),
  ('contacts', 'select opt-out', $$select whatsapp_opted_out_at, sms_opted_out_at from public.contacts where organisation_id = '0a000000-0000-4000-8000-00000000000a'$$,
   'denied', 'rows:0', 'rows:2', 'rows:2', 'rows:2', 'rows:0', 'rows:2'),
  ('rpc', 'apply_delivery_status', $$select private.apply_delivery_status('ea200000-0000-4000-8000-0000000000ea', 'sent', now(), null, null)$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('rpc', 'queue_outbound_message', $$select private.queue_outbound_message('ca100000-0000-4000-8000-0000000000ca', 'bot', 'Hello')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'rows:1'),
  ('rpc', 'take_over_conversation', $$select public.take_over_conversation('ca100000-0000-4000-8000-0000000000ca')$$,
   'denied', 'error:PT404', 'rows:1', 'rows:1', 'rows:1', 'error:PT404', 'error:PT404'),
  ('rpc', 'hand_back_conversation', $$select public.hand_back_conversation('ca100000-0000-4000-8000-0000000000ca')$$,
   'denied', 'error:PT404', 'rows:1', 'rows:1', 'rows:1', 'error:PT404', 'error:PT404'),
  ('rpc', 'resolve_conversation', $$select public.resolve_conversation('ca100000-0000-4000-8000-0000000000ca')$$,
   'denied', 'error:PT404', 'rows:1', 'rows:1', 'rows:1', 'error:PT404', 'error:PT404'),
  ('rpc', 'mark_conversation_read', $$select public.mark_conversation_read('ca100000-0000-4000-8000-0000000000ca')$$,
   'denied', 'error:PT404', 'rows:1', 'rows:1', 'rows:1', 'error:PT404', 'error:PT404'),
  ('rpc', 'send_staff_reply', $$select public.send_staff_reply('ca100000-0000-4000-8000-0000000000ca', 'On my way')$$,
   'denied', 'error:PT404', 'rows:1', 'rows:1', 'rows:1', 'error:PT404', 'error:PT404'),
  ('rpc', 'send_test_chat_message', $$select public.send_test_chat_message('0a000000-0000-4000-8000-00000000000a', 'Hi')$$,
   'denied', 'denied', 'rows:1', 'rows:1', 'rows:1', 'denied', 'denied'),
  ('rpc', 'reset_test_chat', $$select public.reset_test_chat('0a000000-0000-4000-8000-00000000000a')$$,
   'denied', 'denied', 'rows:1', 'rows:1', 'rows:1', 'denied', 'denied');

select * from tests.access_matrix();

-- ---------------------------------------------------------------------------
-- 2. Staff replies: refusals in words, then what a reply does
-- ---------------------------------------------------------------------------

select tests.act_as('member@a.test');
select throws_ok($$select public.send_staff_reply('cb100000-0000-4000-8000-0000000000cb', 'Hello')$$,
  'PT404', 'No such conversation in your organisations', 'another clinic''s conversation is not found');
select throws_ok($$select public.send_staff_reply('ca100000-0000-4000-8000-0000000000ca', '   ')$$,
  '22023', 'A reply must be 1 to 4096 characters long', 'an empty reply is refused');
select throws_ok($$select public.send_staff_reply('ca100000-0000-4000-8000-0000000000ca', repeat('x', 4097))$$,
  '22023', 'A reply must be 1 to 4096 characters long', 'a reply over 4096 characters is refused');
select tests.stop_acting();

update public.conversations set last_inbound_at = now() - interval '25 hours'
where id = 'ca100000-0000-4000-8000-0000000000ca';
select tests.act_as('member@a.test');
select throws_ok($$select public.send_staff_reply('ca100000-0000-4000-8000-0000000000ca', 'Hello')$$,
  'PT409', 'The patient last wrote more than 24 hours ago, so WhatsApp will not deliver a free-form reply',
  'WhatsApp''s window closed 24 hours after the patient''s last message');
select tests.stop_acting();
update public.conversations set last_inbound_at = null where id = 'ca100000-0000-4000-8000-0000000000ca';
select tests.act_as('member@a.test');
select throws_ok($$select public.send_staff_reply('ca100000-0000-4000-8000-0000000000ca', 'Hello')$$,
  'PT409', null, 'a WhatsApp conversation the patient never wrote in is closed too');
select tests.stop_acting();
update public.conversations set last_inbound_at = now() - interval '23 hours'
where id = 'ca100000-0000-4000-8000-0000000000ca';

update public.contacts set whatsapp_opted_out_at = now() where id = 'a5000000-0000-4000-8000-0000000000a5';
select tests.act_as('member@a.test');
select throws_ok($$select public.send_staff_reply('ca100000-0000-4000-8000-0000000000ca', 'Hello')$$,
  'PT409', 'This patient has opted out of WhatsApp messages', 'a patient who opted out gets nothing');
select tests.stop_acting();
update public.contacts set whatsapp_opted_out_at = null, sms_opted_out_at = now()
where id = 'a5000000-0000-4000-8000-0000000000a5';

select is((select count(*)::int from public.messages where conversation_id = 'ca100000-0000-4000-8000-0000000000ca'),
  2, 'refused replies store nothing');

-- An SMS opt-out does not stop WhatsApp; the reply goes out and takes the conversation over.
select tests.act_as('member@a.test');
create temporary table reply on commit drop as
  select * from public.send_staff_reply('ca100000-0000-4000-8000-0000000000ca', '  We can see you at 10:00.  ');
select tests.stop_acting();
select is(
  (select format('%s %s %s %s %s', r.direction, r.author, r.author_user_id = tests.user_id('member@a.test'), r.delivery, r.body) from reply r),
  'outbound staff t pending We can see you at 10:00.',
  'the reply is an outbound staff message, pending, trimmed, by the member');
select is(
  (select format('%s %s %s %s', c.status, c.assigned_to = tests.user_id('member@a.test'), c.unread_count, c.last_message_preview)
   from public.conversations c where c.id = 'ca100000-0000-4000-8000-0000000000ca'),
  'staff t 0 We can see you at 10:00.',
  'replying takes a bot conversation over, reads it and makes the reply its latest');
select is(
  (select format('%s %s %s', j.status, j.organisation_id, j.payload ->> 'message_id' = (select r.id::text from reply r))
   from private.jobs j where j.kind = 'messaging.send' and j.dedupe_key = 'send:' || (select r.id from reply r)),
  'pending 0a000000-0000-4000-8000-00000000000a t',
  'the reply waits for the send job (dedupe send:<message id>)');
select is(
  (select a.details ->> 'by' from public.audit_log a
   where a.action = 'conversation.taken_over' and a.target_id = 'ca100000-0000-4000-8000-0000000000ca'
     and a.actor_id = tests.user_id('member@a.test')),
  'reply', 'the implicit takeover is audited');

-- A conversation already owned by someone stays theirs when a teammate replies.
select tests.act_as('admin@a.test');
select lives_ok($$select public.send_staff_reply('ca100000-0000-4000-8000-0000000000ca', 'Also: bring your X-rays.')$$,
  'a teammate replies in the same conversation');
select tests.stop_acting();
select is((select assigned_to from public.conversations where id = 'ca100000-0000-4000-8000-0000000000ca'),
  tests.user_id('member@a.test'), 'it stays assigned to whoever took it over');

-- SMS has no window; its own opt-out applies.
select tests.act_as('member@a.test');
select lives_ok($$select public.send_staff_reply('ca200000-0000-4000-8000-0000000000ca', 'Your results are in.')$$,
  'SMS has no 24-hour window (the patient never wrote)');
select tests.stop_acting();
update public.contacts set sms_opted_out_at = now() where id = 'a6000000-0000-4000-8000-0000000000a6';
select tests.act_as('member@a.test');
select throws_ok($$select public.send_staff_reply('ca200000-0000-4000-8000-0000000000ca', 'Again')$$,
  'PT409', 'This patient has opted out of SMS messages', 'an SMS opt-out stops SMS replies');
select tests.stop_acting();

-- ---------------------------------------------------------------------------
-- 3. Take over, hand back, resolve, mark read
-- ---------------------------------------------------------------------------

update public.conversations
set status = 'waiting_for_staff', assigned_to = null, attention_reason = 'The assistant could not answer.',
  unread_count = 3, bot_paused_until = now() + interval '1 hour'
where id = 'ca100000-0000-4000-8000-0000000000ca';

select tests.act_as('admin@a.test');
select is(
  (select format('%s %s %s', c.status, c.assigned_to = tests.user_id('admin@a.test'), c.attention_reason is null)
   from public.take_over_conversation('ca100000-0000-4000-8000-0000000000ca') c),
  'staff t t', 'taking over: staff, assigned to me, no longer waiting');
select is(
  (select c.unread_count from public.mark_conversation_read('ca100000-0000-4000-8000-0000000000ca') c),
  0, 'marking read clears the unread count');
select is(
  (select format('%s %s %s %s', c.status, c.assigned_to is null, c.bot_paused_until is null, c.attention_reason is null)
   from public.hand_back_conversation('ca100000-0000-4000-8000-0000000000ca') c),
  'bot t t t', 'handing back: the assistant answers again, nothing paused');
select is(
  (select c.status::text from public.resolve_conversation('ca100000-0000-4000-8000-0000000000ca') c),
  'resolved', 'resolving');
select tests.stop_acting();
select is(
  array(select a.action from public.audit_log a
        where a.target_id = 'ca100000-0000-4000-8000-0000000000ca' and a.actor_id = tests.user_id('admin@a.test')
          and a.action like 'conversation.%' order by a.id),
  array['conversation.taken_over', 'conversation.handed_back', 'conversation.resolved'],
  'take over, hand back and resolve are audited (reading is not)');

select tests.act_as('owner@b.test');
select throws_ok($$select public.resolve_conversation('ca100000-0000-4000-8000-0000000000ca')$$,
  'PT404', 'No such conversation in your organisations', 'another clinic cannot resolve it');
select throws_ok($$select public.take_over_conversation(null)$$,
  'PT404', 'No such conversation in your organisations', 'no id is not found either');
select tests.stop_acting();

-- ---------------------------------------------------------------------------
-- 4. Delivery statuses move only forward, in any order; their timestamps are kept
-- ---------------------------------------------------------------------------

create function tests.delivery_of(message uuid)
returns text
language sql
as $$
  select format('%s sent:%s delivered:%s read:%s failed:%s %s',
    m.delivery, to_char(m.sent_at, 'HH24:MI'), to_char(m.delivered_at, 'HH24:MI'),
    to_char(m.read_at, 'HH24:MI'), to_char(m.failed_at, 'HH24:MI'), coalesce(m.error_code, '-'))
  from public.messages m where m.id = message
$$;
grant execute on function tests.delivery_of(uuid) to service_role;

select tests.act_as('service_role');
select is(private.apply_delivery_status('ea200000-0000-4000-8000-0000000000ea', 'sent', '2030-01-01 10:00Z', null, null),
  true, 'pending → sent moves');
select is(private.apply_delivery_status('ea200000-0000-4000-8000-0000000000ea', 'read', '2030-01-01 10:05Z', null, null),
  true, 'sent → read moves (delivered not seen yet)');
select is(private.apply_delivery_status('ea200000-0000-4000-8000-0000000000ea', 'delivered', '2030-01-01 10:01Z', null, null),
  false, 'a late delivered after read does not move the status');
select is(private.apply_delivery_status('ea200000-0000-4000-8000-0000000000ea', 'sent', '2030-01-01 10:09Z', null, null),
  false, 'a repeated sent does not move it either');
select is(private.apply_delivery_status('ea200000-0000-4000-8000-0000000000ea', 'failed', '2030-01-01 10:10Z', '131026', 'Undeliverable'),
  false, 'a failure after read does not move it');
select is(tests.delivery_of('ea200000-0000-4000-8000-0000000000ea'),
  'read sent:10:00 delivered:10:01 read:10:05 failed:10:10 131026',
  'read stays; every status''s timestamp is filled, the first one kept');
select tests.stop_acting();

insert into public.messages (id, organisation_id, conversation_id, direction, author, body) values
  ('ea300000-0000-4000-8000-0000000000ea', '0a000000-0000-4000-8000-00000000000a',
   'ca100000-0000-4000-8000-0000000000ca', 'outbound', 'bot', 'Second');
select is((select delivery::text from public.messages where id = 'ea300000-0000-4000-8000-0000000000ea'),
  'pending', 'an outbound message starts pending');
select tests.act_as('service_role');
select is(private.apply_delivery_status('ea300000-0000-4000-8000-0000000000ea', 'failed', '2030-01-01 11:00Z', '131047', 'Window closed'),
  true, 'pending → failed moves');
select is(private.apply_delivery_status('ea300000-0000-4000-8000-0000000000ea', 'queued', '2030-01-01 10:59Z', null, null),
  false, 'a late queued does not undo the failure');
select is(private.apply_delivery_status('ea300000-0000-4000-8000-0000000000ea', 'delivered', '2030-01-01 11:01Z', null, null),
  true, 'delivered outranks failed (the provider delivered it after all)');
select is(tests.delivery_of('ea300000-0000-4000-8000-0000000000ea'),
  'delivered sent: delivered:11:01 read: failed:11:00 131047', 'the failure stays on record');
select is(private.apply_delivery_status('ea100000-0000-4000-8000-0000000000ea', 'read', now(), null, null),
  false, 'an inbound message has no delivery status');
select is(private.apply_delivery_status(gen_random_uuid(), 'read', now(), null, null),
  false, 'an unknown message changes nothing');
select is(private.apply_delivery_status('ea300000-0000-4000-8000-0000000000ea', 'read', null, null, null),
  true, 'no time given means now');
select tests.stop_acting();
select is((select delivery::text from public.messages where id = 'ea100000-0000-4000-8000-0000000000ea'),
  null, 'the inbound message still has none');
select throws_ok(
  $$insert into public.messages (organisation_id, conversation_id, direction, author, body, delivery) values ('0a000000-0000-4000-8000-00000000000a', 'ca100000-0000-4000-8000-0000000000ca', 'inbound', 'patient', 'x', 'sent')$$,
  '23514', null, 'an inbound message cannot carry a delivery status');
select throws_ok(
  $$insert into public.messages (organisation_id, conversation_id, direction, author, body) values ('0a000000-0000-4000-8000-00000000000a', 'ca100000-0000-4000-8000-0000000000ca', 'inbound', 'staff', 'x')$$,
  '23514', null, 'only patients write inbound messages');

-- ---------------------------------------------------------------------------
-- 5. queue_outbound_message: the message, the conversation's latest, the send job
-- ---------------------------------------------------------------------------

select tests.act_as('service_role');
create temporary table queued on commit drop as
  select private.queue_outbound_message('cb100000-0000-4000-8000-0000000000cb', 'bot', 'Sveiki!') as id;
create temporary table templated on commit drop as
  select private.queue_outbound_message('cb100000-0000-4000-8000-0000000000cb', 'bot', 'Reminder',
    '{"template": {"name": "reminder", "language": "en"}}') as id;
select tests.stop_acting();
select is(
  (select format('%s %s %s %s %s', m.organisation_id, m.direction, m.author, m.delivery, m.kind)
   from public.messages m where m.id = (select id from queued)),
  '0b000000-0000-4000-8000-00000000000b outbound bot pending text',
  'a pending outbound message in the conversation''s clinic');
select is((select kind from public.messages m where m.id = (select id from templated)), 'template',
  'details with a template make a template message');
select is(
  (select count(*)::int from private.jobs j
   where j.kind = 'messaging.send' and j.status = 'pending' and j.organisation_id = '0b000000-0000-4000-8000-00000000000b'
     and j.dedupe_key in ('send:' || (select id from queued), 'send:' || (select id from templated))
     and j.payload ->> 'message_id' = substr(j.dedupe_key, 6)),
  2, 'one pending messaging.send job per message');
select is((select last_message_preview from public.conversations where id = 'cb100000-0000-4000-8000-0000000000cb'),
  'Reminder', 'the conversation shows the latest message');
select tests.act_as('service_role');
select throws_ok($$select private.queue_outbound_message('cb100000-0000-4000-8000-0000000000cb', 'patient', 'x')$$,
  '22023', 'An outbound message is written by the assistant (bot) or staff', 'a patient does not send outbound messages');
select throws_ok($$select private.queue_outbound_message(gen_random_uuid(), 'bot', 'x')$$,
  'PT404', 'That conversation does not exist', 'an unknown conversation is refused');
select throws_ok($$select private.queue_outbound_message('cb100000-0000-4000-8000-0000000000cb', 'bot', repeat('x', 4097))$$,
  '22023', 'A message can be at most 4096 characters long', 'too long for WhatsApp and SMS');
select tests.stop_acting();

-- ---------------------------------------------------------------------------
-- 6. Test chat
-- ---------------------------------------------------------------------------

select tests.act_as('member@a.test');
create temporary table test_chat on commit drop as
  select public.send_test_chat_message('0a000000-0000-4000-8000-00000000000a', ' Do you open on Saturdays? ') as id;
select tests.stop_acting();
select is(
  (select format('%s %s %s %s %s', c.channel, k.name, k.phone, c.last_inbound_at is not null, c.status)
   from public.conversations c join public.contacts k on k.id = c.contact_id where c.id = (select id from test_chat)),
  'test Test patient +99900000000 t bot', 'the test conversation with its test patient, created on first use');
select is(
  (select format('%s %s %s', m.direction, m.author, m.body) from public.messages m where m.conversation_id = (select id from test_chat)),
  'inbound patient Do you open on Saturdays?', 'the message is the test patient''s');
select is(
  (select format('%s %s %s', j.status, j.organisation_id, j.payload ->> 'conversation_id' = (select id::text from test_chat))
   from private.jobs j where j.kind = 'messaging.reply' and j.dedupe_key = 'reply:' || (select id from test_chat)),
  'pending 0a000000-0000-4000-8000-00000000000a t', 'the assistant is asked to reply (dedupe reply:<conversation id>)');
select tests.act_as('admin@a.test');
select is(public.send_test_chat_message('0a000000-0000-4000-8000-00000000000a', 'And Sundays?'),
  (select id from test_chat), 'one test chat per clinic, shared by its team');
select throws_ok($$select public.send_test_chat_message('0a000000-0000-4000-8000-00000000000a', '')$$,
  '22023', 'A message must be 1 to 4096 characters long', 'an empty test message is refused');
select tests.stop_acting();
select is(
  (select count(*)::int from private.jobs j where j.kind = 'messaging.reply' and j.dedupe_key = 'reply:' || (select id from test_chat) and j.status = 'pending'),
  1, 'two quick messages wait for one reply');
select is((select count(*)::int from public.contacts where phone = '+99900000000' and organisation_id = '0a000000-0000-4000-8000-00000000000a'),
  1, 'one test patient');
select tests.act_as('member@a.test');
select lives_ok($$select public.send_staff_reply((select id from test_chat), 'Staff can answer in the test chat too')$$,
  'the test chat has no window');
select lives_ok($$select public.reset_test_chat('0a000000-0000-4000-8000-00000000000a')$$, 'resetting the test chat');
select tests.stop_acting();
select is(
  (select format('%s %s %s %s', (select count(*) from public.messages m where m.conversation_id = c.id), c.status, c.last_inbound_at is null, c.assigned_to is null)
   from public.conversations c where c.id = (select id from test_chat)),
  '0 bot t t', 'reset: no messages, the assistant answers, no window');
select tests.act_as('owner@b.test');
select throws_ok($$select public.send_test_chat_message('0a000000-0000-4000-8000-00000000000a', 'Hi')$$,
  '42501', 'You are not a member of this organisation', 'another clinic cannot write in A''s test chat');
select throws_ok($$select public.reset_test_chat('0a000000-0000-4000-8000-00000000000a')$$,
  '42501', 'You are not a member of this organisation', 'nor reset it');
select tests.stop_acting();

-- ---------------------------------------------------------------------------
-- 7. One thread per contact and sender; a re-delivery adds nothing
-- ---------------------------------------------------------------------------

select throws_ok(
  $$insert into public.conversations (organisation_id, channel, whatsapp_channel_id, contact_id) values ('0a000000-0000-4000-8000-00000000000a', 'whatsapp', '3a000000-0000-4000-8000-00000000003a', 'a5000000-0000-4000-8000-0000000000a5')$$,
  '23505', null, 'one conversation per contact and WhatsApp channel');
with x as (
  insert into public.conversations (organisation_id, channel, whatsapp_channel_id, contact_id)
  values ('0a000000-0000-4000-8000-00000000000a', 'whatsapp', '3a000000-0000-4000-8000-00000000003a', 'a5000000-0000-4000-8000-0000000000a5')
  on conflict on constraint conversations_thread_key do nothing returning id)
select is((select count(*)::int from x), 0, 'ingest finds the existing thread by conversations_thread_key');
select throws_ok(
  $$insert into public.conversations (organisation_id, channel, contact_id) values ('0a000000-0000-4000-8000-00000000000a', 'whatsapp', 'a5000000-0000-4000-8000-0000000000a5')$$,
  '23514', null, 'a WhatsApp conversation names its channel');
select throws_ok(
  $$insert into public.conversations (organisation_id, channel, whatsapp_channel_id, contact_id) values ('0a000000-0000-4000-8000-00000000000a', 'whatsapp', '3b000000-0000-4000-8000-00000000003b', 'a5000000-0000-4000-8000-0000000000a5')$$,
  '23503', null, 'a conversation cannot use another clinic''s channel');
select throws_ok(
  $$insert into public.conversations (organisation_id, channel, whatsapp_channel_id, contact_id) values ('0a000000-0000-4000-8000-00000000000a', 'whatsapp', '3a000000-0000-4000-8000-00000000003a', 'b5000000-0000-4000-8000-0000000000b5')$$,
  '23503', null, 'nor another clinic''s contact');
with x as (
  insert into public.messages (organisation_id, conversation_id, direction, author, body, provider_message_id)
  values ('0a000000-0000-4000-8000-00000000000a', 'ca100000-0000-4000-8000-0000000000ca', 'inbound', 'patient', 'Hello', 'wamid.a1')
  on conflict (organisation_id, provider_message_id) where provider_message_id is not null do nothing returning id)
select is((select count(*)::int from x), 0, 'a message already stored is not stored again');
select lives_ok(
  $$insert into public.messages (organisation_id, conversation_id, direction, author, body, provider_message_id) values ('0b000000-0000-4000-8000-00000000000b', 'cb100000-0000-4000-8000-0000000000cb', 'inbound', 'patient', 'Hi', 'wamid.a1')$$,
  'provider ids are unique per clinic');
with x as (
  insert into private.inbound_events (provider, external_id, kind, organisation_id, payload)
  values ('meta', 'm:wamid.a1', 'message', '0a000000-0000-4000-8000-00000000000a', '{}')
  on conflict (provider, external_id) do nothing returning id)
select is((select count(*)::int from x), 0, 'a re-delivered event is a no-op');
select ok(
  (select count(*) = 4 from pg_indexes where indexname in (
    'conversations_organisation_last_message_idx', 'conversations_organisation_status_idx',
    'messages_conversation_idx', 'inbound_events_unprocessed_idx')),
  'the inbox and the ingest queue are indexed');

-- ---------------------------------------------------------------------------
-- 8. Meta apps: credentials set by owners and admins, never read back; in use, not removable
-- ---------------------------------------------------------------------------

select tests.act_as('admin@a.test');
select is(
  (select format('%s %s', c.last4, c.vault_secret_id is null) from public.set_credential(json_build_object(
    'subject_id', '5a000000-0000-4000-8000-00000000005a', 'kind', 'meta_app_secret', 'secret', 'demo-secret-app-a-1234')) c),
  '1234 t', 'an admin sets the app secret; only its last four characters come back');
select is(
  (select c.last4 from public.set_credential(json_build_object(
    'subject_id', '5a000000-0000-4000-8000-00000000005a', 'kind', 'meta_verify_token', 'secret', 'demo-verify-a-5678')) c),
  '5678', 'and the verify token');
select tests.stop_acting();
select tests.act_as('member@a.test');
select throws_ok(
  $$select public.set_credential(json_build_object('subject_id', '5a000000-0000-4000-8000-00000000005a', 'kind', 'meta_app_secret', 'secret', 'demo-secret-app-a-0000'))$$,
  '42501', 'Only owners and admins can change credentials', 'a member cannot');
select is(
  (select count(*)::int from public.credentials c where c.subject_id = '5a000000-0000-4000-8000-00000000005a'),
  2, 'a member sees that both are set');
select throws_ok($$select private.decrypt_credential('5a000000-0000-4000-8000-00000000005a', 'meta_app_secret')$$,
  '42501', null, 'but cannot read them');
select tests.stop_acting();
select tests.act_as('owner@b.test');
select throws_ok(
  $$select public.set_credential(json_build_object('subject_id', '5a000000-0000-4000-8000-00000000005a', 'kind', 'meta_verify_token', 'secret', 'demo-verify-b-0000'))$$,
  'PT404', 'No such meta_verify_token target in your organisations', 'another clinic cannot');
select tests.stop_acting();
select tests.act_as('service_role');
select is(private.decrypt_credential('5a000000-0000-4000-8000-00000000005a', 'meta_verify_token'),
  'demo-verify-a-5678', 'service code reads the verify token for the handshake');
select tests.stop_acting();

select tests.act_as('owner@a.test');
select lives_ok(
  $$update public.whatsapp_channels set meta_app_id = '5a000000-0000-4000-8000-00000000005a' where id = '3a000000-0000-4000-8000-00000000003a'$$,
  'an owner moves the number to the clinic''s own app');
select throws_ok(
  $$update public.whatsapp_channels set meta_app_id = '5b000000-0000-4000-8000-00000000005b' where id = '3a000000-0000-4000-8000-00000000003a'$$,
  '22023', 'That Meta app is not one of this clinic''s', 'not to another clinic''s app');
select throws_ok($$delete from public.meta_apps where id = '5a000000-0000-4000-8000-00000000005a'$$,
  '23503', 'This Meta app still receives messages for 1 WhatsApp number(s)', 'an app in use is not removed');
select throws_ok(
  $$insert into public.meta_apps (organisation_id, meta_app_id) values ('0a000000-0000-4000-8000-00000000000a', 'app-1')$$,
  '22023', 'A Meta App ID is digits only', 'a Meta App ID is checked');
select lives_ok(
  $$update public.whatsapp_channels set meta_app_id = null where id = '3a000000-0000-4000-8000-00000000003a'$$,
  'back to the platform''s app');
select lives_ok($$delete from public.meta_apps where id = '5a000000-0000-4000-8000-00000000005a'$$,
  'an app no number uses is removed');
select tests.stop_acting();
select is((select count(*)::int from public.credentials c where c.subject_id = '5a000000-0000-4000-8000-00000000005a'),
  0, 'with its secret and verify token');
select ok(
  (select bool_and(a.details::text !~ 'demo-(secret|verify)') from public.audit_log a),
  'no audit row carries a secret or verify token');

select * from finish();
rollback;
