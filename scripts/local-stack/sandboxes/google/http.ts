// Response shapes shared by the sandbox's modules: Google's JSON error bodies (the Calendar
// API's and the OAuth endpoints'), and HTML escaping for its pages.

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body, null, 2), {
    status,
    headers: { "content-type": "application/json; charset=UTF-8", ...headers },
  });

export interface ErrorItem {
  domain: string;
  reason: string;
  message: string;
  locationType?: string;
  location?: string;
}

/** The Calendar API's error shape (developers.google.com/workspace/calendar/api/guides/errors). */
export function apiError(status: number, item: ErrorItem, message = item.message): Response {
  return json(status, { error: { errors: [item], code: status, message } });
}

const global = (reason: string, message: string): ErrorItem => ({
  domain: "global",
  reason,
  message,
});

/** Errors every API endpoint answers with, in Google's words. */
export const apiErrors = {
  invalidCredentials: () =>
    apiError(401, {
      ...global("authError", "Invalid Credentials"),
      locationType: "header",
      location: "Authorization",
    }),
  insufficientPermissions: () =>
    apiError(
      403,
      global("insufficientPermissions", "Insufficient Permission"),
      "Request had insufficient authentication scopes.",
    ),
  notFound: () => apiError(404, global("notFound", "Not Found")),
  deleted: () => apiError(410, global("deleted", "Resource has been deleted")),
  duplicate: () => apiError(409, global("duplicate", "The requested identifier already exists.")),
  badRequest: (message = "Bad Request", reason = "badRequest") =>
    apiError(400, global(reason, message)),
  invalid: (message: string, location?: string) =>
    apiError(400, {
      ...global("invalid", message),
      ...(location ? { locationType: "parameter", location } : {}),
    }),
  required: (message: string) => apiError(400, global("required", message)),
  timeRangeEmpty: (location?: string) =>
    apiError(400, {
      domain: "calendar",
      reason: "timeRangeEmpty",
      message: "The specified time range is empty.",
      ...(location ? { locationType: "parameter", location } : {}),
    }),
};

/** What an injected failure with this status answers on the Calendar API. */
export function apiFailure(status: number): Response {
  switch (status) {
    case 400:
      return apiErrors.badRequest();
    case 401:
      return apiErrors.invalidCredentials();
    case 403:
    case 429:
      return apiError(status, {
        domain: "usageLimits",
        reason: "rateLimitExceeded",
        message: "Rate Limit Exceeded",
      });
    case 404:
      return apiErrors.notFound();
    case 409:
      return apiErrors.duplicate();
    case 410:
      return apiErrors.deleted();
    case 412:
      return apiError(412, global("conditionNotMet", "Precondition Failed"));
    default:
      return apiError(status, global("backendError", "Backend Error"));
  }
}

/** The OAuth endpoints' error shape (RFC 6749 §5.2 as Google words it). */
export const oauthError = (status: number, error: string, description: string) =>
  json(status, { error, error_description: description });

/** What an injected failure with this status answers on the token and revoke endpoints. */
export function oauthFailure(status: number): Response {
  const error = status === 400
    ? "invalid_request"
    : status === 401
    ? "invalid_client"
    : status === 429
    ? "rate_limit_exceeded"
    : status === 503
    ? "temporarily_unavailable"
    : "internal_failure";
  return oauthError(status, error, "Injected failure (Google sandbox).");
}

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
/** Base64url without padding, of bytes or of text's UTF-8. */
export function base64url(data: Uint8Array | string): string {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(
    /=+$/,
    "",
  );
}

/** `bytes` random bytes, base64url: tokens, codes, secrets. */
export const randomBase64url = (bytes: number) =>
  base64url(crypto.getRandomValues(new Uint8Array(bytes)));

/** The UTF-8 text `base64url` made; throws on anything else. */
export function fromBase64url(text: string): string {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder("utf-8", { fatal: true }).decode(
    Uint8Array.from(binary, (c) => c.charCodeAt(0)),
  );
}

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ENTITIES[c]);

export const html = (status: number, body: string) =>
  new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8" } });
