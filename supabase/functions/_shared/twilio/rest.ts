// Twilio's REST API for a clinic's incoming numbers (PROVIDERS §2–3.3): find the number in the
// clinic's account and set its voice fallback URL and status callback (sending messages:
// messages.ts, on the same request). HTTP Basic with the account SID and the clinic's auth
// token; form-encoded writes; TWILIO_API_BASE_URL defaults to
// Twilio's real API (the local stack points it at its sandbox). Errors are ProviderApiErrors;
// Twilio's body {code, message, more_info, status} gives their words and code.
import { type ErrorDetail, providerFetch } from "../http/provider.ts";

export interface TwilioRestOptions {
  baseUrl?: string;
  timeoutMs?: number;
}

export interface IncomingNumber {
  sid: string;
  account_sid: string;
  phone_number: string;
  friendly_name?: string;
  voice_url?: string | null;
  voice_fallback_url?: string | null;
  voice_fallback_method?: string | null;
  status_callback?: string | null;
  status_callback_method?: string | null;
}

/** The fields of an incoming number we change; "" clears a URL. */
export interface IncomingNumberUpdate {
  VoiceFallbackUrl?: string;
  VoiceFallbackMethod?: "GET" | "POST";
  StatusCallback?: string;
  StatusCallbackMethod?: "GET" | "POST";
}

export const twilioErrorDetail: ErrorDetail = (body) => {
  const { code, message } = (body ?? {}) as { code?: unknown; message?: unknown };
  return {
    code: typeof code === "number" || typeof code === "string" ? code : undefined,
    message: typeof message === "string" ? message : undefined,
  };
};

function baseUrl(options: TwilioRestOptions): string {
  const configured = options.baseUrl ?? Deno.env.get("TWILIO_API_BASE_URL")?.trim();
  return (configured || "https://api.twilio.com").replace(/\/+$/, "");
}

/** One request to the account's REST resources (`path` after `/Accounts/{sid}`); a form → POST. */
export function twilioRequest<T>(
  operation: string,
  accountSid: string,
  authToken: string,
  path: string,
  options: TwilioRestOptions,
  form?: Record<string, string>,
): Promise<T> {
  const url = `${baseUrl(options)}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}${path}`;
  return providerFetch<T>("Twilio", operation, url, twilioErrorDetail, {
    method: form ? "POST" : "GET",
    headers: {
      authorization: `Basic ${btoa(`${accountSid}:${authToken}`)}`,
      ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
    },
    body: form ? new URLSearchParams(form) : undefined,
    timeoutMs: options.timeoutMs,
  });
}

/** The account's incoming number with this E.164, or null when the account has no such number. */
export async function findIncomingNumber(
  accountSid: string,
  authToken: string,
  e164: string,
  options: TwilioRestOptions = {},
): Promise<IncomingNumber | null> {
  const page = await twilioRequest<{ incoming_phone_numbers?: IncomingNumber[] }>(
    "find incoming number",
    accountSid,
    authToken,
    `/IncomingPhoneNumbers.json?PhoneNumber=${encodeURIComponent(e164)}`,
    options,
  );
  return page?.incoming_phone_numbers?.find((n) => n.phone_number === e164) ?? null;
}

export function updateIncomingNumber(
  accountSid: string,
  authToken: string,
  sid: string,
  fields: IncomingNumberUpdate,
  options: TwilioRestOptions = {},
): Promise<IncomingNumber> {
  const form = Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as Record<string, string>;
  return twilioRequest<IncomingNumber>(
    "update incoming number",
    accountSid,
    authToken,
    `/IncomingPhoneNumbers/${encodeURIComponent(sid)}.json`,
    options,
    form,
  );
}
