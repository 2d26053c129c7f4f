// Meta's Graph API for a clinic's WhatsApp Cloud number (PROVIDERS §4.6–4.8): send text,
// interactive and template messages, mark a message read (with the typing indicator), read a
// media item. Bearer = the channel's access token (the caller decrypts it); META_GRAPH_BASE_URL
// includes the version (default Meta's v25.0; the local stack points it at its sandbox). Short
// timeouts: a reply waits on these calls. Failures are ProviderApiErrors whose `code` is Graph's
// `error.code` (190, 131047, …): callers classify by that, not by the HTTP status.
import { type ErrorDetail, providerFetch } from "../http/provider.ts";

export const DEFAULT_GRAPH_BASE_URL = "https://graph.facebook.com/v25.0";
export const SEND_TIMEOUT_MS = 8_000;
/** Marking read is a courtesy: it never holds a reply up for long. */
export const MARK_READ_TIMEOUT_MS = 2_000;

export interface GraphOptions {
  baseUrl?: string;
  timeoutMs?: number;
}

/** Graph's error body {error: {message, type, code, error_subcode, error_data: {details}}}. */
export const graphErrorDetail: ErrorDetail = (body) => {
  const error = (body as { error?: unknown } | null | undefined)?.error;
  if (typeof error !== "object" || error === null) return {};
  const { code, message, error_data } = error as {
    code?: unknown;
    message?: unknown;
    error_data?: { details?: unknown };
  };
  const details = typeof error_data?.details === "string" ? error_data.details : undefined;
  const words = [typeof message === "string" ? message : undefined, details]
    .filter((part) => part !== undefined && part !== "").join(": ");
  return {
    code: typeof code === "number" || typeof code === "string" ? code : undefined,
    message: words || undefined,
  };
};

export function graphBaseUrl(options: GraphOptions = {}): string {
  const configured = options.baseUrl ?? Deno.env.get("META_GRAPH_BASE_URL")?.trim();
  return (configured || DEFAULT_GRAPH_BASE_URL).replace(/\/+$/, "");
}

function graph<T>(
  operation: string,
  token: string,
  path: string,
  options: GraphOptions,
  body?: unknown,
  timeoutMs = SEND_TIMEOUT_MS,
): Promise<T> {
  return providerFetch<T>("Meta", operation, `${graphBaseUrl(options)}${path}`, graphErrorDetail, {
    method: body === undefined ? "GET" : "POST",
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    timeoutMs: options.timeoutMs ?? timeoutMs,
  });
}

/** Interactive reply buttons (≤ 3, titles ≤ 20) or a list (PROVIDERS §4.6). */
export type Interactive =
  | {
    type: "button";
    body: { text: string };
    action: { buttons: { type: "reply"; reply: { id: string; title: string } }[] };
  }
  | {
    type: "list";
    body: { text: string };
    action: {
      button: string;
      sections: {
        title?: string;
        rows: { id: string; title: string; description?: string }[];
      }[];
    };
  };

export interface Template {
  name: string;
  language: { code: string; policy?: "deterministic" };
  components?: unknown[];
}

export type OutboundContent =
  | { type: "text"; text: { body: string; preview_url?: boolean } }
  | { type: "interactive"; interactive: Interactive }
  | { type: "template"; template: Template };

interface SendResponse {
  messages?: { id?: unknown; message_status?: unknown }[];
}

/** Meta accepted the message (200 is not delivery: statuses arrive by webhook). */
export interface Sent {
  wamid: string;
}

/** Sends one message to `to` (wa_id digits or E.164) from the channel's number. */
export async function sendMessage(
  phoneNumberId: string,
  token: string,
  to: string,
  content: OutboundContent,
  { replyTo, ...options }: GraphOptions & { replyTo?: string } = {},
): Promise<Sent> {
  const answer = await graph<SendResponse>(
    `send ${content.type}`,
    token,
    `/${encodeURIComponent(phoneNumberId)}/messages`,
    options,
    {
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: to.replace(/^\+/, ""),
      ...content,
      ...(replyTo ? { context: { message_id: replyTo } } : {}),
    },
  );
  const wamid = answer?.messages?.[0]?.id;
  if (typeof wamid !== "string" || wamid === "") {
    // A 200 without an id cannot be tracked; nothing says it was not sent, so it is not retried.
    throw new Error("Meta accepted the message but answered without a message id");
  }
  return { wamid };
}

export function sendText(
  phoneNumberId: string,
  token: string,
  to: string,
  body: string,
  options: GraphOptions & { replyTo?: string } = {},
): Promise<Sent> {
  return sendMessage(
    phoneNumberId,
    token,
    to,
    { type: "text", text: { preview_url: false, body } },
    options,
  );
}

export function sendInteractive(
  phoneNumberId: string,
  token: string,
  to: string,
  interactive: Interactive,
  options: GraphOptions & { replyTo?: string } = {},
): Promise<Sent> {
  return sendMessage(phoneNumberId, token, to, { type: "interactive", interactive }, options);
}

export function sendTemplate(
  phoneNumberId: string,
  token: string,
  to: string,
  template: Template,
  options: GraphOptions = {},
): Promise<Sent> {
  return sendMessage(phoneNumberId, token, to, { type: "template", template }, options);
}

/**
 * Marks the patient's message read (blue ticks); with `typing`, also shows "typing…" until we
 * reply or 25 s pass (PROVIDERS §4.6).
 */
export async function markRead(
  phoneNumberId: string,
  token: string,
  wamid: string,
  { typing = false, ...options }: GraphOptions & { typing?: boolean } = {},
): Promise<void> {
  await graph<unknown>(
    typing ? "typing indicator" : "mark read",
    token,
    `/${encodeURIComponent(phoneNumberId)}/messages`,
    options,
    {
      messaging_product: "whatsapp",
      status: "read",
      message_id: wamid,
      ...(typing ? { typing_indicator: { type: "text" } } : {}),
    },
    MARK_READ_TIMEOUT_MS,
  );
}

export interface MediaInfo {
  id: string;
  url: string;
  mime_type: string;
  sha256?: string;
  file_size?: number;
}

/** A received media item's short-lived download URL (5 minutes) and type (PROVIDERS §4.8). */
export async function getMedia(
  mediaId: string,
  token: string,
  options: GraphOptions = {},
): Promise<MediaInfo> {
  const info = await graph<MediaInfo>(
    "get media",
    token,
    `/${encodeURIComponent(mediaId)}`,
    options,
  );
  if (typeof info?.url !== "string") throw new Error("Meta answered a media item without a URL");
  return info;
}
