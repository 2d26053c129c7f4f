// Graph's error bodies (PROVIDERS §4.7) and the same errors as they appear in a `failed` status
// webhook's `errors` (PROVIDERS §4.5), for the codes the sandbox answers with.
import type { GraphErrorItem } from "./store.ts";

const HREF = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/";

interface Known {
  status: number;
  type: string;
  title: string;
  message: string;
  details: string;
  subcode?: number;
}

/** The codes a test may ask for, worded as Meta words them. */
export const KNOWN_ERRORS: Record<number, Known> = {
  190: {
    status: 401,
    type: "OAuthException",
    title: "Access token has expired",
    message: "Error validating access token: Session has expired on Tuesday, 01-Dec-26 " +
      "09:00:00 PST. The current time is Wednesday, 02-Dec-26 09:00:00 PST.",
    details: "Session has expired",
    subcode: 463,
  },
  100: {
    status: 400,
    type: "OAuthException",
    title: "Invalid parameter",
    message: "(#100) Invalid parameter",
    details: "Invalid parameter",
  },
  131009: {
    status: 400,
    type: "OAuthException",
    title: "Parameter value is not valid",
    message: "(#131009) Parameter value is not valid",
    details: "Parameter value is not valid",
  },
  131026: {
    status: 400,
    type: "OAuthException",
    title: "Message undeliverable",
    message: "(#131026) Message undeliverable",
    details: "Message Undeliverable.",
  },
  131047: {
    status: 400,
    type: "OAuthException",
    title: "Re-engagement message",
    message: "(#131047) Re-engagement message",
    details: "Message failed to send because more than 24 hours have passed since the " +
      "customer last replied to this number.",
  },
  130429: {
    status: 400,
    type: "OAuthException",
    title: "Rate limit hit",
    message: "(#130429) Rate limit hit",
    details: "Cloud API message throughput has been reached.",
  },
  131056: {
    status: 400,
    type: "OAuthException",
    title: "(Business Account, Consumer Account) pair rate limit hit",
    message: "(#131056) (Business Account, Consumer Account) pair rate limit hit",
    details: "Message failed to send because there were too many messages sent from this " +
      "phone number to the same phone number in a short period of time.",
  },
  131000: {
    status: 500,
    type: "OAuthException",
    title: "Something went wrong",
    message: "(#131000) Something went wrong",
    details: "Something went wrong",
  },
};

const traceId = () =>
  "A" +
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"[b % 64]).join("");

/** A Graph error response; `details`/`message` override the code's usual wording. */
export function graphError(
  code: number,
  over: { status?: number; message?: string; details?: string; subcode?: number | null } = {},
): Response {
  const known = KNOWN_ERRORS[code] ?? KNOWN_ERRORS[131000];
  const subcode = over.subcode === null ? undefined : over.subcode ?? known.subcode;
  const error = {
    message: over.message ?? known.message,
    type: known.type,
    code,
    ...(subcode !== undefined ? { error_subcode: subcode } : {}),
    error_data: { messaging_product: "whatsapp", details: over.details ?? known.details },
    fbtrace_id: traceId(),
  };
  return new Response(JSON.stringify({ error }), {
    status: over.status ?? known.status,
    headers: { "content-type": "application/json; charset=UTF-8" },
  });
}

/** An invalid parameter (100) naming it, as Graph does. */
export const badParam = (details: string) =>
  graphError(100, { message: `(#100) ${details}`, details });

/** An invalid value (131009) with Graph's explanation. */
export const badValue = (details: string) => graphError(131009, { details });

/** The error as a failed status webhook carries it. */
export function statusError(code: number): GraphErrorItem {
  const known = KNOWN_ERRORS[code] ?? KNOWN_ERRORS[131000];
  return {
    code,
    title: known.title,
    message: known.title,
    error_data: { details: known.details },
    href: HREF,
  };
}
