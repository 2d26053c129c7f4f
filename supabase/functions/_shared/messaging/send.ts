// messaging.send {message_id}: hands one pending outbound message (the assistant's or a staff
// member's, queued by private.queue_outbound_message) to the provider its conversation came
// through — the clinic's Meta number (Graph), its Twilio WhatsApp sender or its Twilio SMS number
// (Messages.json); the dashboard's test chat sends nothing and is delivered at once. Stores the
// provider's id with `sent` (Meta's 200) or `queued` (Twilio's 201); status webhooks move it on.
//
// Checked at send time, since the message may have waited: the patient's opt-out and WhatsApp's
// 24-hour window (outside it nothing is sent; the conversation waits for staff with the reason).
// Provider refusals are classified (errors.ts): rate limits, 5xx and no answer are retried with
// the worker's backoff (at most SEND_ATTEMPTS tries, then failed); anything else fails the message
// with a sentence and its effects (channel flagged, contact opted out, conversation to staff).
// A success clears the channel's send_problem.
//
// Never twice: a message with a provider id or no longer pending is done. Before the request the
// attempt is marked (send_started_at, committed); a provider's refusal clears the mark, the id
// replaces it. A retry that finds the mark without an id follows an attempt that died in between
// (the provider may have accepted it): the message fails as "interrupted" rather than risk a
// second copy — neither Meta nor Twilio can be asked reliably whether it arrived. The remaining
// window for a duplicate is a request that timed out after the provider accepted it: timeouts
// are retried, as most mean the provider never answered.
import { decryptCredential } from "../io/credentials.ts";
import type { Sql } from "../io/db.ts";
import { ProviderApiError } from "../http/provider.ts";
import { type ConversationChannel, windowOpen } from "../domain/messaging_window.ts";
import { markRead, sendText } from "../meta/graph.ts";
import { sendTwilioMessage } from "../twilio/messages.ts";
import { publicFunctionsUrl } from "../jobs/vapi_numbers.ts";
import type { JobHandler } from "../jobs/types.ts";
import {
  applyFailure,
  classifySendError,
  type Failure,
  type MessagingProvider,
  providerFailure,
} from "./errors.ts";

/** Tries per message (30 s, 1, 2, 4 min apart): a reply later than that is better sent by staff. */
export const SEND_ATTEMPTS = 5;

interface Outbound {
  id: string;
  organisation_id: string;
  conversation_id: string;
  author: "bot" | "staff";
  body: string;
  delivery: string;
  provider_message_id: string | null;
  send_started_at: Date | null;
  channel: ConversationChannel;
  last_inbound_at: Date | null;
  contact_phone: string;
  opted_out_at: Date | null;
  whatsapp_channel_id: string | null;
  phone_number_id: string | null;
  whatsapp_provider: "meta" | "twilio" | null;
  meta_phone_number_id: string | null;
  twilio_account_id: string | null;
  account_sid: string | null;
  sender: string | null;
  sender_active: boolean | null;
  /** The patient's newest inbound message on Meta, to mark read alongside a bot reply. */
  last_inbound_wamid: string | null;
}

async function loadOutbound(sql: Sql, messageId: string): Promise<Outbound | undefined> {
  const [row] = await sql<Outbound[]>`
    select m.id, m.organisation_id, m.conversation_id, m.author, m.body, m.delivery,
      m.provider_message_id, m.send_started_at,
      c.channel, c.last_inbound_at, k.phone as contact_phone,
      case c.channel when 'whatsapp' then k.whatsapp_opted_out_at
        when 'sms' then k.sms_opted_out_at end as opted_out_at,
      c.whatsapp_channel_id, c.phone_number_id,
      w.provider as whatsapp_provider, w.meta_phone_number_id,
      coalesce(w.twilio_account_id, p.twilio_account_id) as twilio_account_id, t.account_sid,
      coalesce(w.twilio_sender, p.e164) as sender,
      coalesce(w.active, p.active and p.messaging_enabled) as sender_active,
      (select i.provider_message_id from public.messages i
        where i.organisation_id = m.organisation_id and i.conversation_id = m.conversation_id
          and i.direction = 'inbound' and i.provider_message_id is not null
        order by i.created_at desc limit 1) as last_inbound_wamid
    from public.messages m
    join public.conversations c on c.id = m.conversation_id
    join public.contacts k on k.id = c.contact_id
    left join public.whatsapp_channels w on w.id = c.whatsapp_channel_id
    left join public.phone_numbers p on p.id = c.phone_number_id
    left join public.twilio_accounts t on t.id = coalesce(w.twilio_account_id, p.twilio_account_id)
    where m.id = ${messageId}::uuid and m.direction = 'outbound'`;
  return row;
}

function messageIdOf(payload: unknown): string | null {
  const id = (payload as { message_id?: unknown } | null)?.message_id;
  return typeof id === "string" &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
    ? id
    : null;
}

/** Our own refusals (nothing reached a provider), in the same shape as a provider's. */
const ourFailure = {
  optedOut: (channel: ConversationChannel): Failure => ({
    kind: "opted_out",
    code: "opted_out",
    text: classifySendError("twilio", 21610).text.replace(
      "(replied STOP)",
      `from ${channel === "sms" ? "SMS" : "WhatsApp"} (replied STOP)`,
    ),
  }),
  windowClosed: (): Failure => ({
    kind: "window_closed",
    code: "window_closed",
    text: classifySendError("meta", 131047).text,
  }),
  inactive: (): Failure => ({
    kind: "invalid",
    code: "channel_inactive",
    text: "Not sent: the channel this conversation came through is switched off or removed",
  }),
  noCredential: (provider: MessagingProvider): Failure => {
    const text = provider === "meta"
      ? "Not sent: no access token is set for this WhatsApp channel; set one under Channels"
      : "Not sent: no auth token is set for this Twilio account; set it under Channels";
    return { kind: "channel_credentials", code: "no_credentials", text, channelProblem: text };
  },
  interrupted: (): Failure => ({
    kind: "unknown",
    code: "interrupted",
    text:
      "Not sent again: an earlier attempt was interrupted, so it may or may not have reached the patient",
  }),
};

interface Accepted {
  providerMessageId: string;
  delivery: "sent" | "queued";
}

/** The channel's token, decrypted for this send (cached a few minutes); null when none is set. */
function channelToken(sql: Sql, message: Outbound, provider: MessagingProvider) {
  return provider === "meta"
    ? decryptCredential(sql, message.whatsapp_channel_id!, "meta_access_token")
    : decryptCredential(sql, message.twilio_account_id!, "twilio_auth_token");
}

/** The provider call itself. */
async function deliver(
  message: Outbound,
  provider: MessagingProvider,
  token: string,
  statusCallback: string,
): Promise<Accepted> {
  if (provider === "meta") {
    const phoneNumberId = message.meta_phone_number_id!;
    // A bot reply marks what it answers read; best effort, never holding the reply up.
    const read = message.author === "bot" && message.last_inbound_wamid
      ? markRead(phoneNumberId, token, message.last_inbound_wamid).catch(() => {})
      : undefined;
    try {
      const { wamid } = await sendText(phoneNumberId, token, message.contact_phone, message.body);
      return { providerMessageId: wamid, delivery: "sent" };
    } finally {
      await read;
    }
  }
  const sent = await sendTwilioMessage(message.account_sid!, token, {
    from: message.sender!,
    to: message.contact_phone,
    body: message.body,
    whatsapp: message.channel === "whatsapp",
    statusCallback,
  });
  return { providerMessageId: sent.sid, delivery: "queued" };
}

export const sendMessage: JobHandler = async (job, { sql }) => {
  const messageId = messageIdOf(job.payload);
  if (!messageId) return;
  const message = await loadOutbound(sql, messageId);
  // Gone (a reset test chat) or already handled: nothing to do.
  if (!message || message.provider_message_id || message.delivery !== "pending") return;
  if (message.send_started_at) return await applyFailure(sql, messageId, ourFailure.interrupted());

  if (message.channel === "test") {
    await sql`select private.apply_delivery_status(${messageId}::uuid, 'sent'::public.message_delivery)`;
    await sql`
      select private.apply_delivery_status(${messageId}::uuid, 'delivered'::public.message_delivery)`;
    return;
  }
  if (message.opted_out_at) {
    return await applyFailure(sql, messageId, ourFailure.optedOut(message.channel));
  }
  if (!windowOpen(message.channel, message.last_inbound_at)) {
    return await applyFailure(sql, messageId, ourFailure.windowClosed());
  }
  if (!message.sender_active) return await applyFailure(sql, messageId, ourFailure.inactive());
  const provider: MessagingProvider = message.whatsapp_provider === "meta" ? "meta" : "twilio";
  const token = await channelToken(sql, message, provider);
  if (!token) return await applyFailure(sql, messageId, ourFailure.noCredential(provider));
  const statusCallback = `${publicFunctionsUrl()}/twilio-messaging/status`;

  const [marked] = await sql`
    update public.messages set send_started_at = now()
    where id = ${messageId}::uuid and delivery = 'pending' and provider_message_id is null
      and send_started_at is null
    returning id`;
  if (!marked) return;

  let outcome: Accepted;
  try {
    outcome = await deliver(message, provider, token, statusCallback);
  } catch (error) {
    // Anything but a provider's answer (e.g. a 200 without an id) leaves the mark: unknown outcome.
    if (!(error instanceof ProviderApiError)) throw error;
    const failure = providerFailure(provider, error.code ?? null, error.detail, error.status);
    await sql`update public.messages set send_started_at = null where id = ${messageId}::uuid`;
    if (failure.retry && job.attempts < Math.min(job.max_attempts, SEND_ATTEMPTS)) {
      throw new Error(`${error.message}; tried again later`);
    }
    return await applyFailure(sql, messageId, failure);
  }
  await sql.begin(async (tx) => {
    await tx`
      update public.messages set provider_message_id = ${outcome.providerMessageId}
      where id = ${messageId}::uuid`;
    await tx`
      select private.apply_delivery_status(${messageId}::uuid,
        ${outcome.delivery}::public.message_delivery)`;
    if (message.whatsapp_channel_id) {
      await tx`
        update public.whatsapp_channels set send_problem = null, send_problem_at = null
        where id = ${message.whatsapp_channel_id}::uuid and send_problem is not null`;
    } else if (message.phone_number_id) {
      await tx`
        update public.phone_numbers set send_problem = null, send_problem_at = null
        where id = ${message.phone_number_id}::uuid and send_problem is not null`;
    }
  });
};
