// Vapi's REST API for phone numbers (PROVIDERS §1.9): import a clinic's Twilio number with our
// server URL and no assistant (every call then asks our `vapi` function for its assistant),
// change, read and remove it. Bearer VAPI_API_KEY; VAPI_BASE_URL defaults to Vapi's real API
// (the local stack points it at its sandbox). Errors are ProviderApiErrors; Vapi's NestJS-style
// body {message: string | string[], error, statusCode} gives their words.
import { type ErrorDetail, providerFetch } from "../http/provider.ts";

export interface VapiSettings {
  apiKey: string;
  baseUrl: string;
  timeoutMs?: number;
}

/** A setting the server needs but lacks: the operator's problem, named without its value. */
export class VapiNotConfigured extends Error {
  constructor(variable: string) {
    super(`Voice is not configured on this server (${variable} is not set)`);
    this.name = "VapiNotConfigured";
  }
}

export function vapiSettings(
  env: (name: string) => string | undefined = Deno.env.get,
): VapiSettings {
  const apiKey = env("VAPI_API_KEY")?.trim();
  if (!apiKey) throw new VapiNotConfigured("VAPI_API_KEY");
  const baseUrl = (env("VAPI_BASE_URL")?.trim() || "https://api.vapi.ai").replace(/\/+$/, "");
  return { apiKey, baseUrl };
}

export interface VapiDestination {
  type: "number";
  number: string;
  message?: string;
}

export interface VapiServer {
  url: string;
  headers?: Record<string, string>;
  timeoutSeconds?: number;
}

/** The fields we set on a Twilio number in Vapi. */
export interface VapiPhoneNumberFields {
  name?: string;
  twilioAuthToken?: string;
  server?: VapiServer;
  fallbackDestination?: VapiDestination;
  smsEnabled?: boolean;
}

export interface CreateVapiPhoneNumber extends VapiPhoneNumberFields {
  provider: "twilio";
  number: string;
  twilioAccountSid: string;
  twilioAuthToken: string;
}

/** What Vapi answers for a phone number (the fields we read). */
export interface VapiPhoneNumber {
  id: string;
  number?: string;
  provider?: string;
  twilioAccountSid?: string;
  name?: string;
  assistantId?: string | null;
  server?: VapiServer;
  fallbackDestination?: VapiDestination;
}

export const vapiErrorDetail: ErrorDetail = (body) => {
  const message = (body as { message?: unknown } | undefined)?.message;
  if (typeof message === "string") return { message };
  if (Array.isArray(message)) {
    return { message: message.filter((m) => typeof m === "string").join("; ") };
  }
  return {};
};

function call<T>(
  settings: VapiSettings,
  operation: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  return providerFetch<T>("Vapi", operation, `${settings.baseUrl}${path}`, vapiErrorDetail, {
    method,
    headers: {
      authorization: `Bearer ${settings.apiKey}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    timeoutMs: settings.timeoutMs,
  });
}

const one = (id: string) => `/phone-number/${encodeURIComponent(id)}`;

export const createPhoneNumber = (settings: VapiSettings, fields: CreateVapiPhoneNumber) =>
  call<VapiPhoneNumber>(settings, "create phone number", "POST", "/phone-number", fields);

export const updatePhoneNumber = (
  settings: VapiSettings,
  id: string,
  fields: VapiPhoneNumberFields,
) => call<VapiPhoneNumber>(settings, "update phone number", "PATCH", one(id), fields);

export const deletePhoneNumber = (settings: VapiSettings, id: string) =>
  call<VapiPhoneNumber>(settings, "delete phone number", "DELETE", one(id));

export const getPhoneNumber = (settings: VapiSettings, id: string) =>
  call<VapiPhoneNumber>(settings, "get phone number", "GET", one(id));

/** The number imported for this E.164, if any (Vapi keeps one per number). */
export async function findPhoneNumber(
  settings: VapiSettings,
  e164: string,
): Promise<VapiPhoneNumber | null> {
  const list = await call<VapiPhoneNumber[]>(
    settings,
    "list phone numbers",
    "GET",
    "/phone-number?limit=1000",
  );
  return (Array.isArray(list) ? list : []).find((n) => n.number === e164) ?? null;
}
