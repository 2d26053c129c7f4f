// The messaging.ingest job: one clinic's stored deliveries (private.inbound_events, stored by
// the webhooks before they answered) become contacts, conversations, messages and delivery
// statuses, in id order, a batch per transaction (`for update skip locked`, so two runs never
// take the same event). Idempotent: a message already stored (same provider id) changes
// nothing, and the events are marked processed in the transaction that applied them.
//
// A status can arrive before our send recorded the provider's id for its message (the send's
// response and the status webhook race). Such an event stays unprocessed and the job comes back
// every few seconds (JobPostponed) for STATUS_WAIT_MS; a later send's id then finds it. After
// that it is marked processed with the reason, so nothing waits forever.
//
// Each conversation that got a patient message (not a reaction) gets a messaging.reply job
// (dedupe reply:<conversation_id>): the reply pipeline decides what, if anything, to answer.
import type { Tx } from "../io/db.ts";
import { type Job, JobFailedPermanently, type JobHandler, JobPostponed } from "../jobs/types.ts";
import { jobErrorText } from "../jobs/error_text.ts";
import { applyFailureEffects } from "./errors.ts";
import {
  type DeliveryUpdate,
  type InboundMessage,
  normaliseMetaMessage,
  normaliseMetaStatus,
  normaliseTwilioMessage,
  normaliseTwilioStatus,
} from "./normalise.ts";

const BATCH = 100;
/** How long a status waits for its message to be known. */
export const STATUS_WAIT_MS = 10 * 60_000;
/** How soon the job looks again for waiting statuses' messages. */
export const STATUS_RETRY_MS = 3_000;
/** How long one run works through a backlog before handing it to a fresh claim. */
const RUN_BUDGET_MS = 10_000;
/** An event whose processing fails this often is set aside (processed, with its error). */
const MAX_ATTEMPTS = 5;

interface InboundEvent {
  id: number;
  provider: "meta" | "twilio";
  kind: "message" | "status";
  whatsapp_channel_id: string | null;
  phone_number_id: string | null;
  payload: Record<string, unknown>;
  received_at: Date;
  attempts: number;
}

/** done: applied (or nothing to apply, with why); wait: its message is not known yet. */
type Outcome = { done: true; note?: string; replyTo?: string } | { done: false; note: string };

async function storeMessage(
  tx: Tx,
  organisationId: string,
  event: InboundEvent,
  message: InboundMessage,
): Promise<Outcome> {
  if (!message.from) return { done: true, note: "the sender's number is missing" };
  const channel = event.whatsapp_channel_id ? "whatsapp" : "sms";
  // The patient (as calls and appointments know them; the profile name fills only a missing
  // name) and their thread with this sender; a resolved thread reopens for the assistant.
  const [conversation] = await tx<{ id: string }[]>`
    insert into public.conversations as c
      (organisation_id, channel, whatsapp_channel_id, phone_number_id, contact_id)
    select ${organisationId}, ${channel}::public.conversation_channel, ${event.whatsapp_channel_id},
           ${event.phone_number_id}, k.id
    from public.find_or_create_contact(${organisationId}, ${message.from}, ${message.profileName}) k
    on conflict on constraint conversations_thread_key do update
    set status = 'bot', attention_reason = null
    where c.status = 'resolved'
    returning c.id`;
  const conversationId = conversation?.id ?? (await tx<{ id: string }[]>`
    select c.id from public.conversations c
    join public.contacts k on k.id = c.contact_id
    where c.organisation_id = ${organisationId}
      and k.phone = private.normalise_e164(${message.from})
      and c.channel = ${channel}::public.conversation_channel
      and c.whatsapp_channel_id is not distinct from ${event.whatsapp_channel_id}::uuid
      and c.phone_number_id is not distinct from ${event.phone_number_id}::uuid`)[0]?.id;
  if (!conversationId) throw new Error("the conversation could not be found or created");
  const at = message.at ?? event.received_at;
  const [stored] = await tx<{ id: string }[]>`
    with message as (
      insert into public.messages
        (organisation_id, conversation_id, direction, author, kind, body, details,
         provider_message_id, provider_timestamp)
      values (${organisationId}, ${conversationId}, 'inbound', 'patient', ${message.kind},
        coalesce(${message.body}, ''), ${tx.json(message.details as never)}::jsonb,
        ${message.providerMessageId}, ${message.at})
      on conflict (organisation_id, provider_message_id) where provider_message_id is not null
      do nothing
      returning id, kind, body
    )
    update public.conversations c
    set last_inbound_at = greatest(c.last_inbound_at, ${at}::timestamptz),
        last_message_at = greatest(c.last_message_at, ${at}::timestamptz),
        last_message_preview = private.message_preview(m.kind, m.body),
        unread_count = c.unread_count + 1
    from message m
    where c.id = ${conversationId}
    returning m.id`;
  if (!stored) return { done: true, note: "already stored" };
  return { done: true, replyTo: message.kind === "reaction" ? undefined : conversationId };
}

async function applyStatus(
  tx: Tx,
  organisationId: string,
  event: InboundEvent,
  update: DeliveryUpdate,
): Promise<Outcome> {
  const [message] = await tx<{ id: string }[]>`
    select m.id from public.messages m
    where m.organisation_id = ${organisationId} and m.provider_message_id = ${update.providerMessageId}
      and m.direction = 'outbound'`;
  if (!message) {
    const waited = Date.now() - event.received_at.getTime();
    return waited < STATUS_WAIT_MS
      ? { done: false, note: "its message is not known yet" }
      : { done: true, note: "its message was never known; given up" };
  }
  if (update.delivery === "failed") {
    // The same effects as a failed send (R2): the message's error in words, the window, the
    // channel's credentials, the patient's opt-out.
    await applyFailureEffects(
      tx,
      message.id,
      event.provider,
      update.errorCode,
      update.errorMessage,
    );
  } else {
    await tx`
      select private.apply_delivery_status(${message.id}, ${update.delivery}::public.message_delivery,
        ${update.at ?? event.received_at}, ${update.errorCode}, ${update.errorMessage})`;
  }
  return { done: true };
}

function processEvent(tx: Tx, organisationId: string, event: InboundEvent): Promise<Outcome> {
  const meta = event.provider === "meta";
  if (event.kind === "message") {
    const message = meta
      ? normaliseMetaMessage(event.payload)
      : normaliseTwilioMessage(event.payload);
    if (!message) return Promise.resolve({ done: true, note: "not a message we can read" });
    return storeMessage(tx, organisationId, event, message);
  }
  const update = meta
    ? normaliseMetaStatus(event.payload)
    : normaliseTwilioStatus(event.payload, event.received_at);
  if (!update) return Promise.resolve({ done: true, note: "a status we do not track" });
  return applyStatus(tx, organisationId, event, update);
}

/** One batch in one transaction; answers how many events it took and whether any waits. */
async function processBatch(tx: Tx, organisationId: string, skip: Set<number>) {
  const events = await tx<InboundEvent[]>`
    select e.id::float8 as id, e.provider, e.kind, e.whatsapp_channel_id, e.phone_number_id,
           e.payload, e.received_at, e.attempts
    from private.inbound_events e
    where e.organisation_id = ${organisationId} and e.processed_at is null
      and e.id <> all (${[...skip]}::bigint[])
    order by e.id
    limit ${BATCH}
    for update skip locked`;
  const done: { id: number; note: string | null }[] = [];
  const waiting: { id: number; note: string }[] = [];
  const replies = new Set<string>();
  for (const event of events) {
    let outcome: Outcome;
    try {
      outcome = await tx.savepoint((sp) => processEvent(sp, organisationId, event));
    } catch (error) {
      // A bad event must not hold up the clinic's others: retried with the job, then set aside.
      const note = `failed: ${jobErrorText(error)}`.slice(0, 1000);
      outcome = event.attempts + 1 >= MAX_ATTEMPTS ? { done: true, note } : { done: false, note };
    }
    if (outcome.done) {
      done.push({ id: event.id, note: outcome.note ?? null });
      if (outcome.replyTo) replies.add(outcome.replyTo);
    } else {
      waiting.push({ id: event.id, note: outcome.note });
      skip.add(event.id);
    }
  }
  const marks = [
    ...done.map((d) => ({ ...d, processed: true })),
    ...waiting.map((w) => ({ ...w, processed: false })),
  ];
  if (marks.length > 0) {
    await tx`
      update private.inbound_events e
      set processed_at = case when m.processed then now() end,
          attempts = e.attempts + 1,
          last_error = m.note
      from jsonb_to_recordset(${tx.json(marks as never)}::jsonb)
        as m(id bigint, note text, processed boolean)
      where e.id = m.id`;
  }
  if (replies.size > 0) {
    await tx`
      select private.enqueue_job('messaging.reply', jsonb_build_object('conversation_id', c),
        ${organisationId}::uuid, 'reply:' || c)
      from unnest(${[...replies]}::uuid[]) c`;
  }
  return { taken: events.length, waiting: waiting.length };
}

export const ingestMessages: JobHandler = async (job: Job, { sql }) => {
  const organisationId = job.organisation_id;
  if (!organisationId) throw new JobFailedPermanently("messaging.ingest needs an organisation");
  const skip = new Set<number>();
  const until = Date.now() + RUN_BUDGET_MS;
  let waiting = 0;
  while (true) {
    const batch = await sql.begin((tx) => processBatch(tx, organisationId, skip));
    waiting += batch.waiting;
    if (batch.taken < BATCH) break;
    // A backlog goes on in a fresh claim at once, well inside the job's lock.
    if (Date.now() > until) throw new JobPostponed(new Date(), "a backlog: carried on at once");
  }
  if (waiting > 0) {
    throw new JobPostponed(
      new Date(Date.now() + STATUS_RETRY_MS),
      `${waiting} status(es) wait for their message to be recorded`,
    );
  }
};
