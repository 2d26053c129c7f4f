// Where Google is and who we are to it. Every base URL defaults to Google's real host; the local
// stack points them at its sandbox (scripts/local-stack/sandboxes/google/).

/** What the calendar sync needs: events to write, calendarList and freeBusy to read. */
export const GOOGLE_SCOPES = [
  "https://www.googleapis.com/auth/calendar.events",
  "https://www.googleapis.com/auth/calendar.readonly",
] as const;

export interface GoogleConfig {
  /** Consent page: `${oauthBaseUrl}/o/oauth2/v2/auth`. */
  oauthBaseUrl: string;
  /** `${tokenBaseUrl}/token` and `/revoke`. */
  tokenBaseUrl: string;
  /** `${apiBaseUrl}/calendar/v3/…`. */
  apiBaseUrl: string;
  clientId: string;
  clientSecret: string;
  /** The one redirect URI registered with Google: the google-oauth function's callback. */
  redirectUri: string;
  scopes: readonly string[];
}

/** A setting the server needs but lacks: the operator's problem, named without its value. */
export class GoogleNotConfigured extends Error {
  constructor(variable: string) {
    super(`Google Calendar is not configured on this server (${variable} is not set)`);
    this.name = "GoogleNotConfigured";
  }
}

type Env = (name: string) => string | undefined;

function required(env: Env, name: string): string {
  const value = env(name)?.trim();
  if (!value) throw new GoogleNotConfigured(name);
  return value;
}

function baseUrl(env: Env, name: string, fallback: string): string {
  return (env(name)?.trim() || fallback).replace(/\/+$/, "");
}

export function googleConfig(env: Env = (name) => Deno.env.get(name)): GoogleConfig {
  return {
    oauthBaseUrl: baseUrl(env, "GOOGLE_OAUTH_BASE_URL", "https://accounts.google.com"),
    tokenBaseUrl: baseUrl(env, "GOOGLE_TOKEN_BASE_URL", "https://oauth2.googleapis.com"),
    apiBaseUrl: baseUrl(env, "GOOGLE_API_BASE_URL", "https://www.googleapis.com"),
    clientId: required(env, "GOOGLE_CLIENT_ID"),
    clientSecret: required(env, "GOOGLE_CLIENT_SECRET"),
    redirectUri: `${
      required(env, "SUPABASE_URL").replace(/\/+$/, "")
    }/functions/v1/google-oauth/callback`,
    scopes: GOOGLE_SCOPES,
  };
}

/** The key that signs OAuth states (GOOGLE_STATE_SECRET, at least 32 bytes). */
export function stateSecret(env: Env = (name) => Deno.env.get(name)): Uint8Array {
  const value = required(env, "GOOGLE_STATE_SECRET");
  const bytes = new TextEncoder().encode(value);
  if (bytes.length < 32) throw new GoogleNotConfigured("GOOGLE_STATE_SECRET of at least 32 bytes");
  return bytes;
}
