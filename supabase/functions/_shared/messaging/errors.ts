// Why an outbound WhatsApp/SMS message failed, sorted by what happens next (PROVIDERS §3.3, §4.7),
// and the effects of a failure on the rows staff see. The same classification serves a failure
// the provider answers at send time (messaging.send) and one learned later from a `failed`
// status webhook (messaging.ingest), so a 131047 looks the same to staff either way.
//
// Retry kinds (rate limits, 5xx, no answer) are for the sender: messaging.send throws so the job
// retries with backoff, and calls applyFailureEffects only when it gives up. A failure reported
// by a status webhook is final at the provider; applyFailureEffects marks the message failed.
import type { Sql, Tx } from "../io/db.ts";

export type MessagingProvider = "meta" | "twilio";

export type SendErrorKind =
  | "window_closed"
  | "undeliverable"
  | "channel_credentials"
  | "opted_out"
  | "rate_limited"
  | "transient"
  | "invalid"
  | "unknown";

export interface SendErrorClass {
  kind: SendErrorKind;
  /** Trying the same send again later may succeed. */
  retry: boolean;
  /** For staff, in words; never the provider's raw body. */
  text: string;
}

const TEXTS: Record<SendErrorKind, string> = {
  window_closed:
    "Not sent: more than 24 hours have passed since the patient's last message, so WhatsApp only allows template messages",
  undeliverable:
    "Not delivered: the patient's number cannot receive this message (not on WhatsApp, an old app, or a carrier refusal)",
  channel_credentials:
    "Not sent: the provider refused this channel's credentials (expired or revoked token); reconnect the channel under Channels",
  opted_out: "Not sent: the patient has unsubscribed (replied STOP); they must send START first",
  rate_limited: "Not sent: the provider's rate limit was still reached after several tries",
  transient: "Not sent: the provider did not answer after several tries",
  invalid: "Not sent: the provider refused the message",
  unknown: "Not sent: the provider reported an error",
};

const RETRY: ReadonlySet<SendErrorKind> = new Set(["rate_limited", "transient"]);

/** Meta Graph codes (PROVIDERS §4.7) by kind. */
const META_CODES: Record<number, SendErrorKind> = {
  131047: "window_closed",
  131026: "undeliverable",
  131030: "undeliverable", // recipient not in the test number's allowed list
  130497: "undeliverable", // country restricted
  0: "channel_credentials", // AuthException
  190: "channel_credentials", // access token expired or invalid
  10: "channel_credentials", // permission denied
  368: "channel_credentials", // temporarily blocked for policy violations
  131031: "channel_credentials", // business account locked
  4: "rate_limited", // app call rate
  80007: "rate_limited", // WABA rate
  130429: "rate_limited", // Cloud API throughput
  131048: "rate_limited", // spam rate limit
  131056: "rate_limited", // too many messages to this recipient
  1: "transient", // unknown API error
  2: "transient", // service temporarily unavailable
  131000: "transient", // "something went wrong"
  131051: "invalid",
  131052: "invalid",
  131053: "invalid",
  131008: "invalid",
  131009: "invalid",
  132000: "invalid",
  132001: "invalid",
  132005: "invalid",
  132007: "invalid",
  132012: "invalid",
  132015: "invalid",
  132016: "invalid",
};

/** Twilio REST and status-callback codes (PROVIDERS §3.3) by kind. */
const TWILIO_CODES: Record<number, SendErrorKind> = {
  63016: "window_closed",
  21610: "opted_out",
  20003: "channel_credentials",
  20429: "rate_limited",
  63018: "rate_limited", // WhatsApp sender rate limit
  21211: "undeliverable", // invalid To
  21614: "undeliverable", // not a mobile number
  63003: "undeliverable", // WhatsApp: recipient not found
  63024: "undeliverable", // invalid WhatsApp recipient
  30003: "undeliverable",
  30004: "undeliverable",
  30005: "undeliverable",
  30006: "undeliverable",
  30007: "undeliverable",
  30008: "undeliverable",
  20500: "transient", // Twilio internal error
  20503: "transient", // service unavailable
};

/** The code as a number: Twilio's status callbacks send "63016", Graph sends 131047. */
function codeNumber(code: string | number | null | undefined): number | undefined {
  if (typeof code === "number") return Number.isInteger(code) ? code : undefined;
  if (typeof code === "string" && /^\s*\d{1,9}\s*$/.test(code)) return Number(code);
  return undefined;
}

function byStatus(httpStatus: number | undefined): SendErrorKind | undefined {
  if (httpStatus === undefined) return undefined;
  if (httpStatus === 0 || httpStatus === 408 || httpStatus >= 500) return "transient";
  if (httpStatus === 429) return "rate_limited";
  if (httpStatus === 401 || httpStatus === 403) return "channel_credentials";
  if (httpStatus >= 400) return "invalid";
  return undefined;
}

/**
 * What a send failure means. The provider's code decides; without a known code the HTTP status
 * does (0 = no answer or timeout, 5xx → transient, 429 → rate limited, 401/403 → credentials,
 * other 4xx → invalid); with neither it is `unknown` and not retried.
 */
export function classifySendError(
  provider: MessagingProvider,
  code: string | number | null,
  httpStatus?: number,
): SendErrorClass {
  const number = codeNumber(code);
  const table = provider === "meta" ? META_CODES : TWILIO_CODES;
  const kind = (number !== undefined ? table[number] : undefined) ?? byStatus(httpStatus) ??
    "unknown";
  return { kind, retry: RETRY.has(kind), text: TEXTS[kind] };
}

/** The sentence stored on the message: ours, plus the provider's words where ours are vague. */
export function failureText(kind: SendErrorClass, providerText?: string | null): string {
  const words = providerText?.replace(/\s+/g, " ").trim().slice(0, 300);
  if (!words || !(kind.kind === "invalid" || kind.kind === "unknown")) return kind.text;
  return `${kind.text}: ${words}`;
}

/** What the Channels page says about a channel whose credentials the provider refused. */
export const CHANNEL_PROBLEM: Record<MessagingProvider, string> = {
  meta:
    "Meta refused this channel's access token (expired or revoked): set a new one under Channels",
  twilio: "Twilio refused the account's auth token: set it again under Channels",
};

/** A failure as the rows record it: the class, the code stored on the message, its sentence. */
export interface Failure {
  kind: SendErrorKind;
  code: string | null;
  /** For the message (and the conversation's attention_reason when the window closed). */
  text: string;
  /** For the channel's send_problem (channel_credentials). */
  channelProblem?: string;
}

/**
 * Applies a failed send to the rows staff see, in one transaction when `sql` is a pool:
 * the message becomes `failed` with the code and a sentence (through
 * private.apply_delivery_status; the newest failure's words win); then, unless the message was
 * already delivered or read (then nothing more happens), by kind — window closed: the
 * conversation needs staff (`waiting_for_staff` unless a member owns it) with the reason;
 * credentials: the channel's send_problem (the dashboard flags it); opted out: the contact's
 * opt-out for that channel. Running it twice changes nothing more.
 */
export async function applyFailure(sql: Sql | Tx, messageId: string, failure: Failure) {
  const { kind, text } = failure;
  const code = failure.code?.slice(0, 50) ?? null;
  const apply = async (tx: Sql | Tx) => {
    await tx`
      select private.apply_delivery_status(${messageId}::uuid, 'failed'::public.message_delivery,
        now(), ${code}, ${text})`;
    // A late failure for a message already delivered or read changes nothing staff act on.
    const [message] = await tx<{ conversation_id: string }[]>`
      update public.messages
      set error_code = ${code}, error_message = ${text}
      where id = ${messageId}::uuid and delivery = 'failed'
      returning conversation_id`;
    if (!message) return;
    const conversationId = message.conversation_id;
    if (kind === "window_closed") {
      await tx`
        update public.conversations
        set status = case when status = 'staff' then status
              else 'waiting_for_staff'::public.conversation_status end,
          attention_reason = ${text}
        where id = ${conversationId}::uuid`;
    } else if (kind === "channel_credentials") {
      const problem = failure.channelProblem ?? text;
      await tx`
        update public.whatsapp_channels w
        set send_problem = ${problem}, send_problem_at = now()
        from public.conversations c
        where c.id = ${conversationId}::uuid and w.id = c.whatsapp_channel_id
          and w.send_problem is distinct from ${problem}`;
      await tx`
        update public.phone_numbers p
        set send_problem = ${problem}, send_problem_at = now()
        from public.conversations c
        where c.id = ${conversationId}::uuid and p.id = c.phone_number_id
          and p.send_problem is distinct from ${problem}`;
    } else if (kind === "opted_out") {
      await tx`
        update public.contacts k
        set whatsapp_opted_out_at = case when c.channel = 'whatsapp'
              then coalesce(k.whatsapp_opted_out_at, now()) else k.whatsapp_opted_out_at end,
          sms_opted_out_at = case when c.channel = 'sms'
              then coalesce(k.sms_opted_out_at, now()) else k.sms_opted_out_at end
        from public.conversations c
        where c.id = ${conversationId}::uuid and k.id = c.contact_id`;
    }
  };
  if ("begin" in sql) await (sql as Sql).begin(apply);
  else await apply(sql);
}

/** The failure a provider reported (its code and, optionally, its words). */
export function providerFailure(
  provider: MessagingProvider,
  code: string | number | null,
  providerText?: string | null,
  httpStatus?: number,
): Failure & { retry: boolean } {
  const failure = classifySendError(provider, code, httpStatus);
  return {
    kind: failure.kind,
    retry: failure.retry,
    code: code === null || code === undefined
      ? (httpStatus === undefined ? null : `http_${httpStatus}`)
      : String(code),
    text: failureText(failure, providerText),
    channelProblem: CHANNEL_PROBLEM[provider],
  };
}

/**
 * The effects of a failure a provider reported, at send time or later in a `failed` status
 * webhook (messaging.ingest calls this after private.apply_delivery_status): see applyFailure.
 * Returns the class.
 */
export async function applyFailureEffects(
  sql: Sql | Tx,
  messageId: string,
  provider: MessagingProvider,
  code: string | number | null,
  text?: string | null,
): Promise<SendErrorClass> {
  const { retry, ...failure } = providerFailure(provider, code, text);
  await applyFailure(sql, messageId, failure);
  return { kind: failure.kind, retry, text: failure.text };
}
