-- WhatsApp and SMS conversations with patients, and the staff inbox's actions.
-- - conversations: one thread per contact per sender (a WhatsApp channel, an SMS number, or the
--   clinic's test chat); messages: what was said, with delivery status for what we sent.
--   Members read both; nobody writes them directly: service code (ingest, reply, send jobs)
--   writes as service_role, staff act through the RPCs below.
-- - conversation_appointments: the appointments a conversation booked, moved or cancelled.
-- - private.inbound_events: every provider delivery, stored before it is acknowledged (unique
--   per provider and message or status id, so a re-delivery is a no-op) and processed after.
-- - contacts: opt-out per channel (set by the patient's STOP, cleared by their START).

create type public.conversation_channel as enum ('whatsapp', 'sms', 'test');
comment on type public.conversation_channel is
  'Where a conversation happens: a WhatsApp channel, an SMS number, or the clinic''s test chat (Assistant page).';

create type public.conversation_status as enum ('bot', 'waiting_for_staff', 'staff', 'resolved');
comment on type public.conversation_status is
  'bot: the assistant answers; waiting_for_staff: it stopped and staff should look (attention_reason says why); staff: a member took over (the assistant is silent); resolved: done, reopens as bot on the next patient message.';

create type public.message_direction as enum ('inbound', 'outbound');
create type public.message_author as enum ('patient', 'bot', 'staff');

create type public.message_delivery as enum ('pending', 'queued', 'sent', 'delivered', 'read', 'failed');
comment on type public.message_delivery is
  'An outbound message''s delivery; moves only forward in the order pending, queued, sent, failed, delivered, read (private.apply_delivery_status).';

-- ---------------------------------------------------------------------------
-- contacts: opt-out per channel
-- ---------------------------------------------------------------------------

alter table public.contacts
  add column whatsapp_opted_out_at timestamptz,
  add column sms_opted_out_at timestamptz;

comment on column public.contacts.whatsapp_opted_out_at is
  'When the patient opted out of WhatsApp messages (STOP); null: subscribed. Only the patient''s START clears it (service code).';
comment on column public.contacts.sms_opted_out_at is
  'When the patient opted out of SMS (STOP); null: subscribed. Only the patient''s START clears it (service code).';

-- ---------------------------------------------------------------------------
-- conversations
-- ---------------------------------------------------------------------------

create table public.conversations (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  channel public.conversation_channel not null,
  whatsapp_channel_id uuid,
  phone_number_id uuid,
  contact_id uuid not null,
  status public.conversation_status not null default 'bot',
  assigned_to uuid references auth.users (id) on delete set null,
  language text check (char_length(language) <= 35),
  last_inbound_at timestamptz,
  last_message_at timestamptz,
  last_message_preview text check (char_length(last_message_preview) <= 160),
  unread_count integer not null default 0 check (unread_count >= 0),
  bot_paused_until timestamptz,
  attention_reason text check (char_length(attention_reason) <= 500),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organisation_id, id),
  -- One thread per contact per sender; a resolved one reopens.
  constraint conversations_thread_key
    unique nulls not distinct (whatsapp_channel_id, phone_number_id, channel, contact_id),
  constraint conversations_sender check (
    case channel
      when 'whatsapp' then whatsapp_channel_id is not null and phone_number_id is null
      when 'sms' then phone_number_id is not null and whatsapp_channel_id is null
      when 'test' then whatsapp_channel_id is null and phone_number_id is null
    end
  ),
  -- Removing a channel or a patient removes their conversations (deactivate a channel to keep them).
  foreign key (organisation_id, whatsapp_channel_id)
    references public.whatsapp_channels (organisation_id, id) on delete cascade,
  foreign key (organisation_id, phone_number_id)
    references public.phone_numbers (organisation_id, id) on delete cascade,
  foreign key (organisation_id, contact_id)
    references public.contacts (organisation_id, id) on delete cascade
);

comment on table public.conversations is
  'A WhatsApp, SMS or test-chat thread with one patient through one sender. Written by service code and the staff RPCs only.';
comment on column public.conversations.assigned_to is 'The member who took the conversation over.';
comment on column public.conversations.language is 'The language the patient last wrote in (e.g. en, ru).';
comment on column public.conversations.last_inbound_at is 'The patient''s last message: WhatsApp allows free-form replies for 24 hours after it.';
comment on column public.conversations.unread_count is 'Patient messages since staff last read the conversation.';
comment on column public.conversations.bot_paused_until is 'The assistant stays silent until then (service code pauses it, e.g. after a flood).';
comment on column public.conversations.attention_reason is 'Why it needs staff, in a sentence (waiting_for_staff).';

revoke all on public.conversations from anon, authenticated;
grant select on public.conversations to authenticated;
grant all on public.conversations to service_role;

-- The inbox: newest first per clinic, filtered by status; a contact's conversations.
create index conversations_organisation_last_message_idx
  on public.conversations (organisation_id, last_message_at desc nulls last);
create index conversations_organisation_status_idx on public.conversations (organisation_id, status);
create index conversations_contact_idx on public.conversations (organisation_id, contact_id);
create index conversations_whatsapp_channel_idx on public.conversations (organisation_id, whatsapp_channel_id)
  where whatsapp_channel_id is not null;
create index conversations_phone_number_idx on public.conversations (organisation_id, phone_number_id)
  where phone_number_id is not null;
create index conversations_assigned_to_idx on public.conversations (assigned_to) where assigned_to is not null;
-- One test chat per clinic.
create unique index conversations_test_key on public.conversations (organisation_id) where channel = 'test';

alter table public.conversations enable row level security;

create policy "members read their conversations"
  on public.conversations for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

create trigger conversations_touch_updated_at
  before update on public.conversations
  for each row execute function private.touch_updated_at();

-- ---------------------------------------------------------------------------
-- messages
-- ---------------------------------------------------------------------------

create table public.messages (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  conversation_id uuid not null,
  direction public.message_direction not null,
  author public.message_author not null,
  author_user_id uuid references auth.users (id) on delete set null,
  kind text not null default 'text' check (kind in (
    'text', 'interactive', 'button', 'image', 'audio', 'video', 'document', 'sticker', 'location',
    'reaction', 'contacts', 'unsupported', 'template'
  )),
  body text not null default '' check (char_length(body) <= 4096),
  details jsonb not null default '{}'::jsonb check (jsonb_typeof(details) = 'object'),
  provider_message_id text check (char_length(provider_message_id) between 1 and 200),
  provider_timestamp timestamptz,
  delivery public.message_delivery,
  sent_at timestamptz,
  delivered_at timestamptz,
  read_at timestamptz,
  failed_at timestamptz,
  error_code text check (char_length(error_code) <= 50),
  error_message text check (char_length(error_message) <= 1000),
  created_at timestamptz not null default now(),
  foreign key (organisation_id, conversation_id)
    references public.conversations (organisation_id, id) on delete cascade,
  -- Patients write inbound messages; the assistant and staff outbound ones, which have a delivery.
  constraint messages_author_direction check ((direction = 'inbound') = (author = 'patient')),
  constraint messages_delivery_outbound check ((direction = 'outbound') = (delivery is not null)),
  constraint messages_author_user_staff check (author_user_id is null or author = 'staff')
);

comment on table public.messages is
  'What the patient, the assistant and staff said in a conversation, with delivery status for outbound messages. Written by service code and the staff RPCs only.';
comment on column public.messages.body is 'The text; the caption of media; the title of an interactive or button reply. Empty for media without a caption.';
comment on column public.messages.details is
  'Per kind: media {media: {provider, id?, url?, mime_type, sha256?, filename?, voice?}}, location {latitude, longitude, name?, address?}, reaction {reacted_to, emoji}, interactive {id, title}, unsupported {errors}, template {template}.';
comment on column public.messages.provider_message_id is 'Meta''s wamid or Twilio''s Message SID; unique per clinic.';
comment on column public.messages.delivery is 'Outbound only (null for inbound); set by private.apply_delivery_status.';
comment on column public.messages.error_code is 'The provider''s error code when delivery failed (e.g. 131047).';
comment on column public.messages.error_message is 'What went wrong, in a sentence for staff; never a secret.';

revoke all on public.messages from anon, authenticated;
grant select on public.messages to authenticated;
grant all on public.messages to service_role;

-- A thread in order; a delivery status finds its message by the provider's id.
create index messages_conversation_idx on public.messages (organisation_id, conversation_id, created_at);
create unique index messages_provider_message_id_key on public.messages (organisation_id, provider_message_id)
  where provider_message_id is not null;
create index messages_author_user_id_idx on public.messages (author_user_id) where author_user_id is not null;

alter table public.messages enable row level security;

create policy "members read their conversations' messages"
  on public.messages for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

-- An outbound message starts pending unless its writer knows better.
create function private.prepare_message()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.direction = 'outbound' and new.delivery is null then
    new.delivery := 'pending';
  end if;
  return new;
end
$$;

create trigger messages_prepare
  before insert on public.messages
  for each row execute function private.prepare_message();

-- ---------------------------------------------------------------------------
-- conversation_appointments
-- ---------------------------------------------------------------------------

create table public.conversation_appointments (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  conversation_id uuid not null,
  appointment_id uuid not null,
  action public.call_outcome not null check (action in ('booked', 'rescheduled', 'cancelled')),
  created_at timestamptz not null default now(),
  unique (conversation_id, appointment_id, action),
  foreign key (organisation_id, conversation_id)
    references public.conversations (organisation_id, id) on delete cascade,
  foreign key (organisation_id, appointment_id)
    references public.appointments (organisation_id, id) on delete cascade
);

comment on table public.conversation_appointments is
  'The appointments a conversation booked, rescheduled or cancelled. Written by service code only.';

revoke all on public.conversation_appointments from anon, authenticated;
grant select on public.conversation_appointments to authenticated;
grant all on public.conversation_appointments to service_role;

create index conversation_appointments_appointment_idx
  on public.conversation_appointments (organisation_id, appointment_id);
create index conversation_appointments_conversation_idx
  on public.conversation_appointments (organisation_id, conversation_id);

alter table public.conversation_appointments enable row level security;

create policy "members read their conversations' appointments"
  on public.conversation_appointments for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

-- ---------------------------------------------------------------------------
-- private.inbound_events: deliveries stored before they are acknowledged
-- ---------------------------------------------------------------------------

create table private.inbound_events (
  id bigint generated always as identity primary key,
  provider text not null check (provider in ('meta', 'twilio')),
  external_id text not null check (char_length(external_id) between 1 and 300),
  kind text not null check (kind in ('message', 'status')),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  -- The routed sender; no foreign keys, so storing costs one index write less (processing
  -- skips an event whose sender is gone).
  whatsapp_channel_id uuid,
  phone_number_id uuid,
  payload jsonb not null check (jsonb_typeof(payload) = 'object'),
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  attempts integer not null default 0 check (attempts >= 0),
  last_error text check (char_length(last_error) <= 1000),
  constraint inbound_events_provider_external_id_key unique (provider, external_id)
);

comment on table private.inbound_events is
  'Every message and status a provider delivered, as received, stored before the webhook answers 200. Processed in id order per clinic by the messaging.ingest job.';
comment on column private.inbound_events.external_id is
  'Meta: m:<wamid> or s:<wamid>:<status>; Twilio: m:<MessageSid> or s:<MessageSid>:<MessageStatus>. A re-delivery hits the unique key and is a no-op.';
comment on column private.inbound_events.payload is
  'Meta: the message or status object plus {contacts, metadata}; Twilio: the form as an object.';

revoke all on private.inbound_events from public, anon, authenticated;
grant select, insert, update, delete on private.inbound_events to service_role;
-- No policies: only the owner and service_role (which bypasses RLS) ever read it.
alter table private.inbound_events enable row level security;

create index inbound_events_unprocessed_idx on private.inbound_events (organisation_id, id)
  where processed_at is null;
create index inbound_events_organisation_id_idx on private.inbound_events (organisation_id, received_at);

-- ---------------------------------------------------------------------------
-- Service functions (service_role only)
-- ---------------------------------------------------------------------------

-- Where a delivery status stands in the order it only moves forward in.
create function private.delivery_rank(status public.message_delivery)
returns integer
language sql
immutable
set search_path = ''
as $$
  select case status
    when 'pending' then 0 when 'queued' then 1 when 'sent' then 2
    when 'failed' then 3 when 'delivered' then 4 when 'read' then 5
  end
$$;

revoke all on function private.delivery_rank(public.message_delivery) from public;
grant execute on function private.delivery_rank(public.message_delivery) to service_role;

-- A delivery status for an outbound message, from the send path or a provider's status
-- webhook, in any order: the status moves only forward (a late "delivered" after "read" keeps
-- "read"), and the status's own timestamp is filled either way (the first one stays).
-- A failure records its error. True when the message's status moved to the given one.
create function private.apply_delivery_status(
  message_id uuid,
  status public.message_delivery,
  at timestamptz default now(),
  error_code text default null,
  error_message text default null
)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  message public.messages;
  moves boolean;
  happened timestamptz := coalesce(at, now());
begin
  select m.* into message from public.messages m
  where m.id = apply_delivery_status.message_id and m.direction = 'outbound'
  for update;
  if not found or status is null then
    return false;
  end if;
  moves := private.delivery_rank(status) > private.delivery_rank(message.delivery);
  update public.messages m set
    delivery = case when moves then status else m.delivery end,
    sent_at = case when status = 'sent' then coalesce(m.sent_at, happened) else m.sent_at end,
    delivered_at = case when status = 'delivered' then coalesce(m.delivered_at, happened) else m.delivered_at end,
    read_at = case when status = 'read' then coalesce(m.read_at, happened) else m.read_at end,
    failed_at = case when status = 'failed' then coalesce(m.failed_at, happened) else m.failed_at end,
    error_code = case when status = 'failed' then coalesce(left(apply_delivery_status.error_code, 50), m.error_code) else m.error_code end,
    error_message = case when status = 'failed'
      then coalesce(left(apply_delivery_status.error_message, 1000), m.error_message) else m.error_message end
  where m.id = message.id
    and (moves
      or (status = 'sent' and m.sent_at is null)
      or (status = 'delivered' and m.delivered_at is null)
      or (status = 'read' and m.read_at is null)
      or (status = 'failed' and m.failed_at is null));
  return moves;
end
$$;

comment on function private.apply_delivery_status(uuid, public.message_delivery, timestamptz, text, text) is
  'Applies a delivery status to an outbound message monotonically (pending < queued < sent < failed < delivered < read), filling the status''s timestamp even when it does not move. True when the status moved.';
revoke all on function private.apply_delivery_status(uuid, public.message_delivery, timestamptz, text, text) from public;
grant execute on function private.apply_delivery_status(uuid, public.message_delivery, timestamptz, text, text) to service_role;

-- What the inbox shows under a conversation's name: the text on one line, or what was sent.
create function private.message_preview(kind text, body text)
returns text
language sql
immutable
set search_path = ''
as $$
  select left(coalesce(
    nullif(btrim(regexp_replace(coalesce(body, ''), '\s+', ' ', 'g')), ''),
    case kind
      when 'image' then '[Photo]' when 'audio' then '[Voice message]' when 'video' then '[Video]'
      when 'document' then '[Document]' when 'sticker' then '[Sticker]' when 'location' then '[Location]'
      when 'reaction' then '[Reaction]' when 'contacts' then '[Contact card]'
      when 'template' then '[Template]' else '[Message]'
    end), 160)
$$;

revoke all on function private.message_preview(text, text) from public;
grant execute on function private.message_preview(text, text) to service_role;

-- An outbound message (pending) from the assistant or staff: stored, shown as the
-- conversation's latest, and handed to the messaging.send job. The kind is template or
-- interactive when details carry one, text otherwise.
create function private.queue_outbound_message(
  conversation_id uuid,
  author public.message_author,
  body text,
  details jsonb default '{}'::jsonb,
  author_user_id uuid default null
)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  conversation public.conversations;
  message_id uuid;
  message_kind text := case
    when details ? 'template' then 'template'
    when details ? 'interactive' then 'interactive'
    else 'text'
  end;
begin
  select c.* into conversation from public.conversations c
  where c.id = queue_outbound_message.conversation_id
  for update;
  if not found then
    raise exception 'That conversation does not exist' using errcode = 'PT404';
  end if;
  if author is null or author = 'patient' then
    raise exception 'An outbound message is written by the assistant (bot) or staff' using errcode = '22023';
  end if;
  if char_length(coalesce(body, '')) > 4096 then
    raise exception 'A message can be at most 4096 characters long' using errcode = '22023';
  end if;
  insert into public.messages (organisation_id, conversation_id, direction, author, author_user_id, kind, body, details, delivery)
  values (conversation.organisation_id, conversation.id, 'outbound', author, author_user_id, message_kind,
    coalesce(body, ''), coalesce(details, '{}'::jsonb), 'pending')
  returning id into message_id;
  update public.conversations c
  set last_message_at = now(), last_message_preview = private.message_preview(message_kind, body)
  where c.id = conversation.id;
  perform private.enqueue_job('messaging.send', jsonb_build_object('message_id', message_id),
    conversation.organisation_id, 'send:' || message_id);
  return message_id;
end
$$;

comment on function private.queue_outbound_message(uuid, public.message_author, text, jsonb, uuid) is
  'Stores an outbound message (pending), makes it the conversation''s latest and enqueues messaging.send {message_id} (dedupe send:<id>). Returns the message id.';
revoke all on function private.queue_outbound_message(uuid, public.message_author, text, jsonb, uuid) from public;
grant execute on function private.queue_outbound_message(uuid, public.message_author, text, jsonb, uuid) to service_role;

-- ---------------------------------------------------------------------------
-- Staff RPCs: security definer (nobody writes conversations directly); each checks that the
-- caller is a member of the conversation's clinic, and says in words what it refuses.
-- ---------------------------------------------------------------------------

-- The caller's conversation, locked for the change, or PT404 (also for another clinic's).
create function private.conversation_for_staff(conversation_id uuid)
returns public.conversations
language plpgsql
security definer
set search_path = ''
as $$
declare
  found_row public.conversations;
begin
  select c.* into found_row from public.conversations c
  where c.id = conversation_for_staff.conversation_id
  for update;
  if not found or private.role_in_organisation(found_row.organisation_id) is null then
    raise exception 'No such conversation in your organisations' using errcode = 'PT404';
  end if;
  return found_row;
end
$$;

revoke all on function private.conversation_for_staff(uuid) from public;

-- Who answers a conversation: staff take it over (assigned to the caller; the assistant stays
-- silent while the status is staff), hand it back to the assistant (nothing paused, nobody
-- assigned), or resolve it (nothing unread). Each is audited.
create function private.set_conversation_status(
  conversation_id uuid,
  wanted public.conversation_status,
  audit_action text
)
returns public.conversations
language plpgsql
security definer
set search_path = ''
as $$
declare
  conversation public.conversations := private.conversation_for_staff(conversation_id);
begin
  update public.conversations c
  set status = wanted,
    assigned_to = case wanted when 'staff' then (select auth.uid()) when 'bot' then null else c.assigned_to end,
    bot_paused_until = case when wanted = 'bot' then null else c.bot_paused_until end,
    unread_count = case when wanted = 'resolved' then 0 else c.unread_count end,
    attention_reason = null
  where c.id = conversation.id
  returning c.* into conversation;
  perform private.write_audit(conversation.organisation_id, audit_action, 'conversation', conversation.id);
  return conversation;
end
$$;

revoke all on function private.set_conversation_status(uuid, public.conversation_status, text) from public;

create function public.take_over_conversation(conversation_id uuid)
returns public.conversations
language sql
security definer
set search_path = ''
as $$
  select private.set_conversation_status(conversation_id, 'staff', 'conversation.taken_over')
$$;

comment on function public.take_over_conversation(uuid) is
  'A member takes a conversation over: status staff, assigned to them; the assistant stays silent until it is handed back. Members.';

create function public.hand_back_conversation(conversation_id uuid)
returns public.conversations
language sql
security definer
set search_path = ''
as $$
  select private.set_conversation_status(conversation_id, 'bot', 'conversation.handed_back')
$$;

comment on function public.hand_back_conversation(uuid) is
  'Hands a conversation back to the assistant: status bot, no pause, no attention reason. Members.';

create function public.resolve_conversation(conversation_id uuid)
returns public.conversations
language sql
security definer
set search_path = ''
as $$
  select private.set_conversation_status(conversation_id, 'resolved', 'conversation.resolved')
$$;

comment on function public.resolve_conversation(uuid) is
  'Marks a conversation done; the patient''s next message reopens it with the assistant. Members.';

create function public.mark_conversation_read(conversation_id uuid)
returns public.conversations
language plpgsql
security definer
set search_path = ''
as $$
declare
  conversation public.conversations := private.conversation_for_staff(conversation_id);
begin
  if conversation.unread_count > 0 then
    update public.conversations c set unread_count = 0
    where c.id = conversation.id
    returning c.* into conversation;
  end if;
  return conversation;
end
$$;

comment on function public.mark_conversation_read(uuid) is 'Staff have read the conversation: no unread messages. Members.';

-- A reply from staff through the same durable send path as the assistant's. Replying takes an
-- assistant's (or a resolved) conversation over.
create function public.send_staff_reply(conversation_id uuid, body text)
returns public.messages
language plpgsql
security definer
set search_path = ''
as $$
declare
  conversation public.conversations := private.conversation_for_staff(conversation_id);
  contact public.contacts;
  text_to_send text := btrim(coalesce(body, ''));
  message_id uuid;
  message public.messages;
  me uuid := (select auth.uid());
begin
  if char_length(text_to_send) = 0 or char_length(text_to_send) > 4096 then
    raise exception 'A reply must be 1 to 4096 characters long' using errcode = '22023',
      hint = 'Write something, or split a long reply into several messages.';
  end if;
  select c.* into contact from public.contacts c where c.id = conversation.contact_id;
  if (conversation.channel = 'whatsapp' and contact.whatsapp_opted_out_at is not null)
     or (conversation.channel = 'sms' and contact.sms_opted_out_at is not null) then
    raise exception 'This patient has opted out of % messages', case conversation.channel
        when 'whatsapp' then 'WhatsApp' else 'SMS' end
      using errcode = 'PT409',
      hint = 'They receive nothing until they write START; call them if it is urgent.';
  end if;
  if conversation.channel = 'whatsapp'
     and (conversation.last_inbound_at is null or conversation.last_inbound_at < now() - interval '24 hours') then
    raise exception 'The patient last wrote more than 24 hours ago, so WhatsApp will not deliver a free-form reply'
      using errcode = 'PT409',
      hint = 'WhatsApp only allows template messages then; wait for the patient to write again, or call them.';
  end if;
  update public.conversations c
  set status = 'staff',
    assigned_to = case when conversation.status = 'staff' then c.assigned_to else me end,
    attention_reason = null,
    unread_count = 0
  where c.id = conversation.id;
  if conversation.status <> 'staff' then
    perform private.write_audit(conversation.organisation_id, 'conversation.taken_over', 'conversation',
      conversation.id, '{"by": "reply"}'::jsonb);
  end if;
  message_id := private.queue_outbound_message(conversation.id, 'staff', text_to_send, '{}'::jsonb, me);
  select m.* into message from public.messages m where m.id = message_id;
  return message;
end
$$;

comment on function public.send_staff_reply(uuid, text) is
  'Sends a staff reply (1–4096 characters) through the durable send path; refuses when the patient opted out or WhatsApp''s 24-hour window is closed (PT409, HTTP 409). Takes the conversation over. Members.';

-- The Assistant page's test chat: the clinic's own test conversation (created on first use,
-- with the contact "Test patient", +99900000000) gets the message as a patient's and the reply
-- pipeline runs on it as on any conversation.
create function public.send_test_chat_message(organisation_id uuid, body text)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_org uuid := organisation_id;
  text_to_send text := btrim(coalesce(body, ''));
  test_contact uuid;
  conversation public.conversations;
begin
  if private.role_in_organisation(target_org) is null then
    raise exception 'You are not a member of this organisation' using errcode = '42501';
  end if;
  if char_length(text_to_send) = 0 or char_length(text_to_send) > 4096 then
    raise exception 'A message must be 1 to 4096 characters long' using errcode = '22023';
  end if;
  insert into public.contacts as c (organisation_id, phone, name)
  values (target_org, '+99900000000', 'Test patient')
  on conflict on constraint contacts_organisation_id_phone_key do update set name = coalesce(c.name, excluded.name)
  returning c.id into test_contact;
  insert into public.conversations (organisation_id, channel, contact_id)
  values (target_org, 'test', test_contact)
  on conflict do nothing;
  select c.* into conversation from public.conversations c
  where c.organisation_id = target_org and c.channel = 'test'
  for update;
  insert into public.messages (organisation_id, conversation_id, direction, author, kind, body)
  values (target_org, conversation.id, 'inbound', 'patient', 'text', text_to_send);
  update public.conversations c
  set last_inbound_at = now(), last_message_at = now(),
    last_message_preview = private.message_preview('text', text_to_send),
    status = case when c.status = 'resolved' then 'bot' else c.status end
  where c.id = conversation.id;
  perform private.enqueue_job('messaging.reply', jsonb_build_object('conversation_id', conversation.id),
    target_org, 'reply:' || conversation.id);
  return conversation.id;
end
$$;

comment on function public.send_test_chat_message(uuid, text) is
  'Writes a message as the clinic''s test patient and lets the assistant answer it (messaging.reply). Returns the test conversation''s id. Members.';

create function public.reset_test_chat(organisation_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_org uuid := organisation_id;
  test_conversation uuid;
begin
  if private.role_in_organisation(target_org) is null then
    raise exception 'You are not a member of this organisation' using errcode = '42501';
  end if;
  select c.id into test_conversation from public.conversations c
  where c.organisation_id = target_org and c.channel = 'test'
  for update;
  if not found then
    return;
  end if;
  delete from public.messages m where m.conversation_id = test_conversation;
  delete from public.conversation_appointments a where a.conversation_id = test_conversation;
  update public.conversations c
  set status = 'bot', assigned_to = null, language = null, last_inbound_at = null,
    last_message_at = null, last_message_preview = null, unread_count = 0,
    bot_paused_until = null, attention_reason = null
  where c.id = test_conversation;
end
$$;

comment on function public.reset_test_chat(uuid) is
  'Empties the clinic''s test chat (its messages and links to appointments; the appointments stay). Members.';

revoke all on function
  public.take_over_conversation(uuid),
  public.hand_back_conversation(uuid),
  public.resolve_conversation(uuid),
  public.mark_conversation_read(uuid),
  public.send_staff_reply(uuid, text),
  public.send_test_chat_message(uuid, text),
  public.reset_test_chat(uuid)
  from public, anon;
grant execute on function
  public.take_over_conversation(uuid),
  public.hand_back_conversation(uuid),
  public.resolve_conversation(uuid),
  public.mark_conversation_read(uuid),
  public.send_staff_reply(uuid, text),
  public.send_test_chat_message(uuid, text),
  public.reset_test_chat(uuid)
  to authenticated;
