// The forms Twilio posts to the twilio-messaging function (PROVIDERS.md §3.1–3.2): an inbound
// SMS or WhatsApp message, and an outbound message's status callback. Only what routing, the
// signature and dedupe need is required; the whole form is stored as received.
import { z } from "zod";

const accountSid = z.string().regex(/^AC[0-9a-fA-F]{32}$/, "must be a Twilio account SID (AC…)");
const messageSid = z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, "must be a message SID (SM…/MM…)");
const address = z.string().min(3).max(64);

const inbound = z.looseObject({
  AccountSid: accountSid,
  MessageSid: messageSid,
  From: address,
  To: address,
});
const status = z.looseObject({
  AccountSid: accountSid,
  MessageSid: messageSid,
  MessageStatus: z.string().regex(/^[a-z_]{1,32}$/, "must be a Twilio message status"),
});

export type TwilioMessagingRoute = "inbound" | "status";

/** A form as stored: every field, a repeated name keeping all its values. */
export type TwilioForm = Record<string, string | string[]>;

export interface TwilioMessagingForm {
  accountSid: string;
  messageSid: string;
  /** Inbound: our number or sender (`whatsapp:+…` for WhatsApp); Twilio's `To`. */
  to: string | null;
  /** `m:<MessageSid>` for an inbound message, `s:<MessageSid>:<MessageStatus>` for a status. */
  externalId: string;
}

/** What the function needs from a form, or what is wrong with it (a 400's message). */
export function readMessagingForm(
  route: TwilioMessagingRoute,
  form: TwilioForm,
): TwilioMessagingForm | string {
  const parsed = (route === "inbound" ? inbound : status).safeParse(form);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `${issue.path.join(".") || "form"} ${issue.message}`;
  }
  const f = parsed.data as Record<string, string>;
  return {
    accountSid: f.AccountSid,
    messageSid: f.MessageSid,
    to: typeof f.To === "string" ? f.To : null,
    externalId: route === "inbound" ? `m:${f.MessageSid}` : `s:${f.MessageSid}:${f.MessageStatus}`,
  };
}
