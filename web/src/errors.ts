import { isAuthRetryableFetchError } from "@supabase/supabase-js";

const UNREACHABLE = "Can't reach the server. Check your connection and try again.";

/**
 * One sentence a person can act on, from whatever a Supabase call reported: Auth errors, PostgREST
 * errors (the database's own message, then its hint) and failed requests.
 */
export function describeError(error: unknown): string {
  // supabase-js reports a failed request (offline, server down) as a retryable fetch error…
  if (isAuthRetryableFetchError(error) || error instanceof TypeError) return UNREACHABLE;
  if (typeof error === "object" && error !== null) {
    const { message, hint, code } = error as Record<string, unknown>;
    // …and postgrest-js as an error without a code whose message is the fetch failure.
    if (code === "" && typeof message === "string" && /^(TypeError|FetchError)\b/.test(message)) {
      return UNREACHABLE;
    }
    if (typeof message === "string" && message) {
      if (typeof hint !== "string" || !hint) return message;
      return `${/[.!?]$/.test(message) ? message : `${message}.`} ${hint}`;
    }
  }
  return "Something went wrong. Please try again.";
}
