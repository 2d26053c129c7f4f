// Sending an SMS or WhatsApp message through a clinic's Twilio account (PROVIDERS §3.3):
// POST Messages.json with From/To (`whatsapp:` prefixed for a WhatsApp sender), Body and the
// StatusCallback Twilio posts queued → sent → delivered (or failed with an ErrorCode) to. 201 is
// "queued", not delivered. Failures are ProviderApiErrors whose `code` is Twilio's (21610, 20003…).
import { twilioRequest, type TwilioRestOptions } from "./rest.ts";

/** What Twilio answers about the message (MessageResource; the fields we use). */
export interface TwilioMessage {
  sid: string;
  status: string;
  error_code?: number | null;
  error_message?: string | null;
}

export interface OutboundTwilioMessage {
  /** Our number or WhatsApp sender, E.164. */
  from: string;
  /** The patient, E.164. */
  to: string;
  body: string;
  whatsapp: boolean;
  /** `${PUBLIC_FUNCTIONS_URL}/twilio-messaging/status`. */
  statusCallback: string;
}

/** The address Twilio expects: `whatsapp:+E164` for WhatsApp, the E.164 for SMS. */
export function twilioAddress(e164: string, whatsapp: boolean): string {
  const bare = e164.replace(/^whatsapp:/, "");
  return whatsapp ? `whatsapp:${bare}` : bare;
}

export async function sendTwilioMessage(
  accountSid: string,
  authToken: string,
  message: OutboundTwilioMessage,
  options: TwilioRestOptions = {},
): Promise<TwilioMessage> {
  const answer = await twilioRequest<TwilioMessage>(
    message.whatsapp ? "send WhatsApp message" : "send SMS",
    accountSid,
    authToken,
    "/Messages.json",
    { timeoutMs: 8_000, ...options },
    {
      From: twilioAddress(message.from, message.whatsapp),
      To: twilioAddress(message.to, message.whatsapp),
      Body: message.body,
      StatusCallback: message.statusCallback,
    },
  );
  if (typeof answer?.sid !== "string" || answer.sid === "") {
    throw new Error("Twilio accepted the message but answered without a message sid");
  }
  return answer;
}
