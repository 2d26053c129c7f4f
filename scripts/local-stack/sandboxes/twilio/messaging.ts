// Twilio Messaging (SMS and WhatsApp) in the Twilio sandbox (PROVIDERS §3):
//   POST /2010-04-01/Accounts/{AC}/Messages.json   send (Basic auth) → 201 MessageResource
//        `queued`; the StatusCallback then hears sent → delivered (→ read for WhatsApp), or
//        failed with the ErrorCode of an async fault (63016), each signed as Twilio signs.
//   GET  /2010-04-01/Accounts/{AC}/Messages/{SM}.json   the message now
// and, for tests and the console, patients' messages posted to our twilio-messaging function
// (the inbound form, signed with the account's auth token). An SMS STOP/START from a patient
// opts them out/in as Twilio's Advanced Opt-Out does: sending to them then fails with 21610.
import { twilioSignature } from "../../../../supabase/functions/_shared/twilio/signature.ts";
import { delayFor } from "../faults.ts";
import type { SandboxContext } from "./context.ts";
import { errors, json, rfc2822, twilioError } from "./http.ts";
import { authenticated } from "./rest.ts";
import { readTwiml } from "./twiml_reader.ts";

export interface SmsMessage {
  sid: string;
  accountSid: string;
  /** With the `whatsapp:` prefix for WhatsApp. */
  from: string;
  to: string;
  body: string;
  media: { url: string; contentType: string }[];
  direction: "inbound" | "outbound-api" | "outbound-reply";
  status: string;
  errorCode: number | null;
  /** Inbound: our function's HTTP status per delivery; outbound: the StatusCallback's per status. */
  answers: { status: string; httpStatus: number }[];
  statusCallback: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface MessagingSettings {
  /** The pause before each status callback. */
  statusDelayMs: number;
}

/** Messages (in memory, like calls), opt-outs and the work after answers. */
export class Messaging {
  messages = new Map<string, SmsMessage>();
  /** `${accountSid} ${patient} ${our number}` of SMS patients who sent STOP. */
  optedOut = new Set<string>();
  pending = new Set<Promise<unknown>>();
  settings: MessagingSettings = { statusDelayMs: 100 };

  constructor(readonly inboundUrl: string) {}

  later(work: () => Promise<unknown>): void {
    const p: Promise<unknown> = work().catch((e) => console.error(`twilio sandbox: ${e}`))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  async settled(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }
}

const hex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0"))
    .join("");

const STOP = /^\s*(stop|stopall|unsubscribe|cancel|end|quit)\s*[.!]?\s*$/i;
const START = /^\s*(start|yes|unstop)\s*[.!]?\s*$/i;
const GSM7 =
  /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\[~\]|€]*$/;

/** SMS segments: 160 (153 when split) GSM-7 characters, else 70 (67) UCS-2 units. */
export function segments(body: string): number {
  const [one, part] = GSM7.test(body) ? [160, 153] : [70, 67];
  return body.length <= one ? 1 : Math.ceil(body.length / part);
}

const E164 = /^\+[1-9]\d{6,14}$/;
const bare = (address: string) => address.replace(/^whatsapp:/, "");

function resource(m: SmsMessage) {
  const uri = `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}.json`;
  return {
    account_sid: m.accountSid,
    api_version: "2010-04-01",
    body: m.body,
    date_created: rfc2822(m.createdAt),
    date_sent: m.status === "queued" || m.status === "accepted" ? null : rfc2822(m.updatedAt),
    date_updated: rfc2822(m.updatedAt),
    direction: m.direction,
    error_code: m.errorCode,
    error_message: null,
    from: m.from,
    messaging_service_sid: null,
    num_media: String(m.media.length),
    num_segments: String(segments(m.body)),
    price: null,
    price_unit: "USD",
    sid: m.sid,
    status: m.status,
    subresource_uris: {
      media: uri.replace(".json", "/Media.json"),
      feedback: uri.replace(".json", "/Feedback.json"),
    },
    to: m.to,
    uri,
  };
}

/** POSTs a signed form; our side's HTTP status and body (status 0 = no answer). */
async function post(
  ctx: SandboxContext,
  url: string,
  params: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const authToken = ctx.store.accounts.get(params.AccountSid)!.authToken;
  try {
    const res = await ctx.fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": await twilioSignature(authToken, url, params),
        "user-agent": "TwilioProxy/1.1",
        "i-twilio-idempotency-token": crypto.randomUUID(),
      },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(15_000),
    });
    return { status: res.status, body: await res.text() };
  } catch {
    return { status: 0, body: "" };
  }
}

/** Status callbacks one by one: sent → delivered (→ read on WhatsApp), or failed with `code`. */
async function progress(ctx: SandboxContext, m: SmsMessage, failWith: number | null) {
  const whatsapp = m.from.startsWith("whatsapp:");
  const steps = failWith !== null
    ? ["failed"]
    : whatsapp
    ? ["sent", "delivered", "read"]
    : ["sent", "delivered"];
  for (const status of steps) {
    await new Promise((r) => setTimeout(r, ctx.messaging.settings.statusDelayMs));
    m.status = status;
    m.errorCode = status === "failed" ? failWith : null;
    m.updatedAt = ctx.store.now();
    if (!m.statusCallback) continue;
    const params: Record<string, string> = {
      AccountSid: m.accountSid,
      ApiVersion: "2010-04-01",
      From: m.from,
      To: m.to,
      MessageSid: m.sid,
      SmsSid: m.sid,
      MessageStatus: status,
      SmsStatus: status,
      ...(status === "failed" ? { ErrorCode: String(failWith) } : {}),
      ...(whatsapp ? { ChannelPrefix: "whatsapp", ChannelToAddress: bare(m.to) } : {}),
    };
    const answer = await post(ctx, m.statusCallback, params);
    m.answers.push({ status, httpStatus: answer.status });
  }
}

const ERROR_TEXT: Record<number, [number, string]> = {
  20003: [401, "Authenticate"],
  20429: [429, "Too Many Requests"],
  21610: [400, "Attempt to send to unsubscribed recipient"],
  21211: [400, "The 'To' number is not a valid phone number."],
  63016: [
    400,
    "Failed to send freeform message because you are outside the allowed window. If you are " +
    "using WhatsApp, please use a Message Template.",
  ],
};

const codeError = (code: number, status?: number) => {
  const [httpStatus, message] = ERROR_TEXT[code] ?? [400, "Message failed"];
  return twilioError(status ?? httpStatus, code, message);
};

function outboundMessage(
  ctx: SandboxContext,
  fields: Pick<SmsMessage, "accountSid" | "from" | "to" | "body" | "direction"> & {
    media?: SmsMessage["media"];
    statusCallback?: string | null;
  },
): SmsMessage {
  const now = ctx.store.now();
  const m: SmsMessage = {
    media: [],
    statusCallback: null,
    ...fields,
    sid: `${fields.media?.length ? "MM" : "SM"}${hex(16)}`,
    status: "queued",
    errorCode: null,
    answers: [],
    createdAt: now,
    updatedAt: now,
  };
  ctx.messaging.messages.set(m.sid, m);
  return m;
}

async function create(
  ctx: SandboxContext,
  req: Request,
  accountSid: string,
  used: { fault: string | null },
): Promise<Response> {
  const form = (req.headers.get("content-type") ?? "").startsWith(
      "application/x-www-form-urlencoded",
    )
    ? new URLSearchParams(await req.text())
    : new URLSearchParams();
  const to = form.get("To") ?? "", from = form.get("From") ?? "";
  const body = form.get("Body") ?? "";
  const mediaUrls = form.getAll("MediaUrl");
  if (!to) return twilioError(400, 21604, "A 'To' phone number is required.");
  if (!from && !form.get("MessagingServiceSid")) {
    return twilioError(400, 21603, "A 'From' phone number is required.");
  }
  if (!from) return twilioError(400, 21701, "The Messaging Service Sid is invalid.");
  if (!body && !mediaUrls.length && !form.get("ContentSid")) {
    return twilioError(400, 21602, "Message body is required.");
  }
  if (body.length > 1600) {
    return twilioError(
      400,
      21617,
      "The concatenated message body exceeds the 1600 character limit.",
    );
  }
  const whatsapp = from.startsWith("whatsapp:");
  if (!E164.test(bare(to)) || to.startsWith("whatsapp:") !== whatsapp) {
    return twilioError(
      400,
      21211,
      `The 'To' number ${to.slice(0, 40)} is not a valid phone number.`,
    );
  }
  const ours = ctx.store.numberByPhone(bare(from));
  if (!ours || ours.accountSid !== accountSid) {
    return whatsapp
      ? twilioError(400, 63007, "Twilio could not find a Channel with the specified From address")
      : twilioError(
        400,
        21606,
        `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`,
      );
  }
  const callback = form.get("StatusCallback");
  if (callback && !/^https?:\/\/\S+$/.test(callback)) {
    return errors.invalidUrl("StatusCallback", callback);
  }
  if (!whatsapp && ctx.messaging.optedOut.has(`${accountSid} ${to} ${from}`)) {
    return codeError(21610);
  }
  const fault = ctx.faults.take("messages.create", accountSid);
  used.fault = fault?.id ?? null;
  const failed = await delayFor(fault);
  if (fault && !fault.async && (failed || fault.code !== undefined)) {
    return fault.code !== undefined
      ? codeError(fault.code, fault.status)
      : errors.injected(fault.status!);
  }
  const m = outboundMessage(ctx, {
    accountSid,
    from,
    to,
    body,
    direction: "outbound-api",
    media: mediaUrls.map((url) => ({ url, contentType: "" })),
    statusCallback: callback,
  });
  ctx.messaging.later(() => progress(ctx, m, fault?.async ? fault.code! : null));
  return json(201, resource(m));
}

/** `path` is below /_local/twilio; null when it is not a messages path. */
export async function messagesApi(
  ctx: SandboxContext,
  req: Request,
  path: string,
): Promise<Response | null> {
  const m = path.match(
    /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages(?:\/((?:SM|MM)[0-9a-f]{32}))?\.json$/,
  );
  if (!m) return null;
  const [, accountSid, sid] = m;
  const endpoint = "messages.create";
  if (!authenticated(ctx, req, accountSid)) {
    const res = errors.authenticate();
    ctx.log.add({
      method: req.method,
      endpoint,
      status: res.status,
      account: accountSid,
      fault: null,
    });
    return res;
  }
  if (sid) {
    const found = ctx.messaging.messages.get(sid);
    return req.method === "GET" && found?.accountSid === accountSid
      ? json(200, resource(found))
      : errors.notFound(path);
  }
  if (req.method !== "POST") return errors.notFound(path);
  const used = { fault: null };
  const res = await create(ctx, req, accountSid, used);
  ctx.log.add({ method: "POST", endpoint, status: res.status, account: accountSid, ...used });
  return res;
}

export interface InboundSms {
  account_sid?: string;
  to: string;
  from: string;
  body: string;
  whatsapp?: boolean;
  profile_name?: string;
  media?: { url: string; content_type: string }[];
  duplicate?: number;
}

/**
 * A patient's message to one of our numbers, posted (`duplicate` times, the same form) to the
 * twilio-messaging function; a TwiML <Message> answer is sent back to the patient.
 */
export async function postInboundSms(
  ctx: SandboxContext,
  r: InboundSms,
): Promise<SmsMessage | string> {
  const number = ctx.store.numberByPhone(r.to);
  if (!number) return `no number ${r.to} in the sandbox`;
  if (r.account_sid && r.account_sid !== number.accountSid) {
    return `${r.to} belongs to another account`;
  }
  const prefix = r.whatsapp ? "whatsapp:" : "";
  const media = (r.media ?? []).map((x) => ({ url: x.url, contentType: x.content_type }));
  const m = outboundMessage(ctx, {
    accountSid: number.accountSid,
    from: prefix + r.from,
    to: prefix + r.to,
    body: r.body,
    direction: "inbound",
    media,
  });
  m.status = "received";
  const params: Record<string, string> = {
    ToCountry: "",
    SmsMessageSid: m.sid,
    NumMedia: String(media.length),
    SmsSid: m.sid,
    SmsStatus: "received",
    Body: r.body,
    To: m.to,
    NumSegments: String(segments(r.body)),
    MessageSid: m.sid,
    AccountSid: m.accountSid,
    From: m.from,
    ApiVersion: "2010-04-01",
  };
  media.forEach((x, i) => {
    params[`MediaContentType${i}`] = x.contentType;
    params[`MediaUrl${i}`] = x.url;
  });
  if (r.whatsapp) {
    delete params.ToCountry;
    params.ProfileName = r.profile_name ?? "WhatsApp user";
    params.WaId = r.from.replace(/^\+/, "");
    params.MessageType = media.length ? media[0].contentType.split("/")[0] || "media" : "text";
    params.ReferralNumMedia = "0";
  } else {
    params.ToCountry = "LV";
    params.FromCountry = "";
    if (STOP.test(r.body)) ctx.messaging.optedOut.add(`${m.accountSid} ${r.from} ${r.to}`);
    if (START.test(r.body)) ctx.messaging.optedOut.delete(`${m.accountSid} ${r.from} ${r.to}`);
  }
  for (let i = 0; i < (r.duplicate ?? 1); i++) {
    const answer = await post(ctx, ctx.messaging.inboundUrl, params);
    m.answers.push({ status: "received", httpStatus: answer.status });
    const verbs = answer.status === 200 ? readTwiml(answer.body) : [];
    for (const verb of typeof verbs === "string" ? [] : verbs) {
      if (verb.name !== "Message" || !verb.text) continue;
      const reply = outboundMessage(ctx, {
        accountSid: m.accountSid,
        from: m.to,
        to: m.from,
        body: verb.text,
        direction: "outbound-reply",
      });
      ctx.messaging.later(() => progress(ctx, reply, null));
    }
  }
  return m;
}

/** Messages with this patient on one channel, both ways, oldest first (the console's thread). */
export function smsThread(ctx: SandboxContext, patient: string, number: string, whatsapp: boolean) {
  const prefix = whatsapp ? "whatsapp:" : "";
  const [p, n] = [prefix + patient, prefix + number];
  return [...ctx.messaging.messages.values()].filter((m) =>
    (m.from === p && m.to === n) || (m.to === p && m.from === n)
  ).sort((a, b) => a.createdAt - b.createdAt);
}
