// Google's answers sorted by what the caller does next. Messages carry Google's status, reason
// and message text, never a token.

export type GoogleErrorKind = "auth" | "retry" | "not_found" | "gone" | "duplicate" | "permanent";

/** 403 reasons that mean "too much, too fast": wait and try again. */
const RATE_LIMIT_REASONS = new Set([
  "userRateLimitExceeded",
  "rateLimitExceeded",
  "dailyLimitExceeded",
  "quotaExceeded",
  "calendarUsageLimitsExceeded",
]);

interface GoogleErrorItem {
  domain?: unknown;
  reason?: unknown;
  message?: unknown;
}

/** The first reason Google gives: Calendar's `error.errors[0].reason`, or OAuth's `error`. */
export function googleErrorReason(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error === "string") return error;
  if (typeof error !== "object" || error === null) return undefined;
  const items = (error as { errors?: unknown }).errors;
  const first = Array.isArray(items) ? items[0] as GoogleErrorItem | undefined : undefined;
  if (typeof first?.reason === "string") return first.reason;
  const status = (error as { status?: unknown }).status;
  return typeof status === "string" ? status : undefined;
}

function googleErrorDomain(body: unknown): string | undefined {
  const items = (body as { error?: { errors?: unknown } } | null)?.error?.errors;
  const first = Array.isArray(items) ? items[0] as GoogleErrorItem | undefined : undefined;
  return typeof first?.domain === "string" ? first.domain : undefined;
}

function googleErrorMessage(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const { error, error_description } = body as { error?: unknown; error_description?: unknown };
  if (typeof error_description === "string") return error_description;
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return typeof message === "string" ? message : undefined;
}

/**
 * What a Google answer means for the caller. `status` 0 is no answer at all (timeout, network).
 * 401 → auth (refresh the token once); 403 rate/usage limits, 408, 429, 5xx, none → retry later;
 * 404 → not_found; 410 → gone; 409 → duplicate; any other 4xx → permanent.
 */
export function classifyGoogleError(status: number, body: unknown): GoogleErrorKind {
  if (status === 0 || status === 408 || status === 429 || status >= 500) return "retry";
  if (status === 401) return "auth";
  if (status === 403) {
    const reason = googleErrorReason(body);
    const limited = (reason !== undefined && RATE_LIMIT_REASONS.has(reason)) ||
      googleErrorDomain(body) === "usageLimits";
    return limited ? "retry" : "permanent";
  }
  if (status === 404) return "not_found";
  if (status === 409) return "duplicate";
  if (status === 410) return "gone";
  return "permanent";
}

/** A Google call that did not succeed. `status` 0: no answer (timeout or network). */
export class GoogleApiError extends Error {
  readonly kind: GoogleErrorKind;
  readonly reason: string | undefined;

  constructor(readonly operation: string, readonly status: number, body: unknown) {
    const reason = googleErrorReason(body);
    const detail = status === 0
      ? String(body ?? "no answer")
      : [status, reason, googleErrorMessage(body)].filter(Boolean).join(" ");
    super(`Google ${operation}: ${detail}`.slice(0, 300));
    this.name = "GoogleApiError";
    this.reason = reason;
    this.kind = classifyGoogleError(status, body);
  }
}

/** Google no longer accepts the clinic's grant: an owner or admin must reconnect. */
export class GoogleNeedsReauth extends Error {
  constructor(message = "Google Calendar needs to be reconnected by an owner or admin") {
    super(message);
    this.name = "GoogleNeedsReauth";
  }
}

/** The clinic has no Google Calendar connected (never, or disconnected since). */
export class GoogleNotConnected extends Error {
  constructor() {
    super("Google Calendar is not connected");
    this.name = "GoogleNotConnected";
  }
}
