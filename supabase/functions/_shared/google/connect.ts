// Connecting a clinic's Google Calendar: the consent URL for an owner or admin, the callback that
// stores the grant, and disconnecting. The google-oauth function is the thin HTTP layer over it.
//
// The callback answers with a redirect to the dashboard naming the outcome
// (`#/channels/calendar?calendar=<outcome>`), which the Calendar card puts in words: hosted Edge Functions
// serve no HTML (a GET's text/html is rewritten to text/plain).
import type { SupabaseClient } from "@supabase/supabase-js";
import { decodeJwt } from "jose";
import { z } from "zod";
import type { Database } from "../database.types.ts";
import type { Sql } from "../io/db.ts";
import { decryptCredential } from "../io/credentials.ts";
import { type GoogleCalendarListEntry, googleCalendarWithToken } from "./client.ts";
import { GOOGLE_SCOPES, stateSecret } from "./config.ts";
import { GoogleApiError } from "./errors.ts";
import { authorizationUrl, exchangeCode, type GoogleTokens, revokeToken } from "./oauth.ts";
import { signState, verifyState } from "./oauth_state.ts";

/** The audit log's name for this code when it stores tokens. */
const ACTOR = "google-oauth";
/** Disconnecting does not wait long for Google: the tokens are dropped either way. */
const REVOKE_TIMEOUT_MS = 3_000;

type Db = SupabaseClient<Database>;

export type Refusal = { message: string; status: number };

/** A Data API refusal in the database's words, with its 4xx status; anything else: try again. */
function refusal(error: { message: string }, status: number): Refusal {
  if (status === 401) {
    return { message: "Sign in again to change Google Calendar", status: 401 };
  }
  if (status >= 400 && status < 500) return { message: error.message, status };
  console.error(`google-oauth: the Data API answered ${status}`);
  return {
    message: "Google Calendar could not be changed just now. Please try again.",
    status: 503,
  };
}

/** The signed-in user the Data API accepted the JWT of (called after it did). */
function userOf(authorization: string): string {
  return decodeJwt(authorization.replace(/^Bearer\s+/i, "")).sub ?? "";
}

export const organisationBody = z.strictObject({
  organisation_id: z.uuid({
    error: "organisation_id must be the clinic's id (a UUID)",
  }),
});

/**
 * Google's consent URL for an owner or admin of the organisation (begin_calendar_connection,
 * called with their JWT, checks that and issues the one-time nonce). Reconnecting suggests the
 * account already connected.
 */
export async function startConnection(
  db: Db,
  authorization: string,
  organisationId: string,
): Promise<{ url: string } | Refusal> {
  const begun = await db.rpc("begin_calendar_connection", {
    organisation_id: organisationId,
  });
  if (begun.error) return refusal(begun.error, begun.status);
  const connection = await db.from("calendar_connections")
    .select("account_email, status")
    .eq("organisation_id", organisationId)
    .maybeSingle();
  if (connection.error) return refusal(connection.error, connection.status);
  const state = await signState(
    { organisationId, userId: userOf(authorization), nonce: begun.data },
    stateSecret(),
  );
  const hint = connection.data?.status === "disconnected" ? null : connection.data?.account_email;
  return { url: authorizationUrl(state, hint ?? null) };
}

export type CallbackOutcome =
  | "connected"
  | "denied"
  | "expired"
  | "invalid"
  | "used"
  | "not_admin"
  | "missing_scope"
  | "failed";

const callbackQuery = z.object({
  state: z.string().min(1).max(4096),
  code: z.string().min(1).max(4096).optional(),
  error: z.string().max(200).optional(),
  scope: z.string().max(4096).optional(),
});

/** The asked-for scopes Google's answer lacks (the person unticked them). */
export function missingScopes(granted: string): string[] {
  const have = new Set(granted.split(/\s+/));
  return GOOGLE_SCOPES.filter((scope) => !have.has(scope));
}

/** Why a state's nonce was refused, for the person to read. */
async function whyRefused(
  sql: Sql,
  organisationId: string,
  userId: string,
  nonce: string,
): Promise<CallbackOutcome> {
  const [row] = await sql<
    { admin: boolean; used: boolean | null; expired: boolean | null }[]
  >`
    select
      exists (select from public.organisation_members m
        where m.organisation_id = ${organisationId} and m.user_id = ${userId}
          and m.role in ('owner', 'admin')) as admin,
      (select s.used_at is not null from private.oauth_states s where s.nonce = ${nonce}
        and s.organisation_id = ${organisationId} and s.user_id = ${userId}) as used,
      (select s.expires_at <= now() from private.oauth_states s where s.nonce = ${nonce}) as expired`;
  if (!row.admin) return "not_admin";
  if (row.used) return "used";
  if (row.expired) return "expired";
  return "invalid";
}

/** Best effort: a grant we will not keep should not stay valid at Google. */
async function revokeQuietly(token: string): Promise<boolean> {
  try {
    await revokeToken(token, REVOKE_TIMEOUT_MS);
    return true;
  } catch (error) {
    console.warn(
      `google-oauth: revoking at Google failed (${(error as Error).message})`,
    );
    return false;
  }
}

/**
 * Google sent the person back: checks the state (signature, expiry, one-time nonce, the user
 * still an owner or admin), exchanges the code, checks the scopes, reads the calendar list, and
 * only then stores everything. Any refusal stores nothing.
 */
export async function completeConnection(
  sql: Sql,
  query: URLSearchParams,
): Promise<{ outcome: CallbackOutcome; missing?: string[] }> {
  const parsed = callbackQuery.safeParse(Object.fromEntries(query));
  if (!parsed.success) return { outcome: "invalid" };
  const { state, code, error, scope } = parsed.data;
  const checked = await verifyState(state, stateSecret());
  if (!checked.ok) return { outcome: checked.problem };
  const { organisationId, userId, nonce } = checked.state;
  const [{ consumed }] = await sql<{ consumed: boolean }[]>`
    select private.consume_oauth_state(${nonce}, ${organisationId}, ${userId}) as consumed`;
  if (!consumed) {
    return { outcome: await whyRefused(sql, organisationId, userId, nonce) };
  }
  if (error) {
    return { outcome: error === "access_denied" ? "denied" : "failed" };
  }
  if (!code) return { outcome: "invalid" };
  if (scope !== undefined && missingScopes(scope).length > 0) {
    return { outcome: "missing_scope", missing: missingScopes(scope) };
  }

  let tokens: GoogleTokens;
  let calendars: GoogleCalendarListEntry[];
  try {
    tokens = await exchangeCode(code);
  } catch (failure) {
    if (!(failure instanceof GoogleApiError)) throw failure;
    console.warn(`google-oauth: ${failure.message}`);
    return { outcome: "failed" };
  }
  const missing = missingScopes(tokens.scope ?? scope ?? "");
  if (missing.length > 0 || !tokens.refresh_token) {
    await revokeQuietly(tokens.refresh_token ?? tokens.access_token);
    return missing.length > 0 ? { outcome: "missing_scope", missing } : { outcome: "failed" };
  }
  try {
    calendars = await googleCalendarWithToken(tokens.access_token)
      .calendarList();
  } catch (failure) {
    if (!(failure instanceof GoogleApiError)) throw failure;
    console.warn(`google-oauth: ${failure.message}`);
    await revokeQuietly(tokens.refresh_token);
    return { outcome: "failed" };
  }
  const primary = calendars.find((calendar) => calendar.primary);
  if (!primary) {
    console.warn(
      "google-oauth: the account's calendar list has no primary calendar",
    );
    await revokeQuietly(tokens.refresh_token);
    return { outcome: "failed" };
  }
  await storeConnection(sql, {
    organisationId,
    userId,
    tokens: { ...tokens, refresh_token: tokens.refresh_token },
    scopes: [...GOOGLE_SCOPES],
    calendars,
    primary,
  });
  return { outcome: "connected" };
}

/** One transaction: the connection active, its tokens in Vault, its calendars, waiting jobs due. */
async function storeConnection(sql: Sql, grant: {
  organisationId: string;
  userId: string;
  tokens: GoogleTokens & { refresh_token: string };
  scopes: string[];
  calendars: GoogleCalendarListEntry[];
  primary: GoogleCalendarListEntry;
}): Promise<void> {
  const { organisationId, tokens, primary } = grant;
  const calendars = grant.calendars.map((calendar) => ({
    calendar_id: calendar.id,
    summary: (calendar.summary ?? "").slice(0, 200),
    is_primary: calendar.id === primary.id,
    time_zone: calendar.timeZone ?? null,
    access_role: calendar.accessRole,
  }));
  await sql.begin(async (tx) => {
    const [connection] = await tx<{ id: string }[]>`
      insert into public.calendar_connections as c (
        organisation_id, account_email, calendar_id, status, scopes, connected_by, connected_at,
        last_error
      )
      values (${organisationId}, ${primary.id}, ${primary.id}, 'active', ${grant.scopes},
        ${grant.userId}, now(), null)
      on conflict (organisation_id) do update set
        account_email = excluded.account_email, calendar_id = excluded.calendar_id,
        status = 'active', scopes = excluded.scopes, connected_by = excluded.connected_by,
        connected_at = excluded.connected_at, last_error = null
      returning c.id`;
    await tx`select private.store_credential(${connection.id}, 'google_refresh_token',
      ${tokens.refresh_token}, ${ACTOR})`;
    await tx`select private.store_credential(${connection.id}, 'google_access_token',
      ${tokens.access_token}, ${ACTOR}, now() + make_interval(secs => ${tokens.expires_in}))`;
    // Another account's calendars go (practitioners on them fall back to the primary); the
    // primary flag moves before the upsert so the one-primary index never sees two.
    await tx`update public.google_calendars set is_primary = false
      where organisation_id = ${organisationId} and is_primary`;
    await tx`delete from public.google_calendars
      where organisation_id = ${organisationId}
        and calendar_id <> all(${calendars.map((calendar) => calendar.calendar_id)}::text[])`;
    await tx`
      insert into public.google_calendars (
        organisation_id, calendar_id, summary, is_primary, time_zone, access_role
      )
      select ${organisationId}, x.calendar_id, x.summary, x.is_primary, x.time_zone, x.access_role
      from jsonb_to_recordset(${tx.json(calendars)}) as x (
        calendar_id text, summary text, is_primary boolean, time_zone text, access_role text
      )
      on conflict (organisation_id, calendar_id) do update set
        summary = excluded.summary, is_primary = excluded.is_primary,
        time_zone = excluded.time_zone, access_role = excluded.access_role, updated_at = now()`;
    await tx`select private.resume_jobs(${organisationId}, 'google.')`;
  });
}

/**
 * An owner or admin disconnects: the grant is revoked at Google (briefly: a failure there does not
 * keep the tokens), then disconnect_calendar, with their JWT, drops the tokens.
 */
export async function disconnect(
  db: Db,
  sql: Sql,
  authorization: string,
  organisationId: string,
): Promise<{ disconnected: true; revoked: boolean } | Refusal> {
  const member = await db.from("organisation_members")
    .select("role")
    .eq("organisation_id", organisationId)
    .eq("user_id", userOf(authorization))
    .maybeSingle();
  if (member.error) return refusal(member.error, member.status);
  if (!member.data) {
    return {
      message: "You are not a member of this organisation",
      status: 403,
    };
  }
  if (member.data.role !== "owner" && member.data.role !== "admin") {
    return {
      message: "Only owners and admins can disconnect the calendar",
      status: 403,
    };
  }
  const [connection] = await sql<{ id: string }[]>`
    select id from public.calendar_connections where organisation_id = ${organisationId}`;
  let revoked = false;
  if (connection) {
    const token = await decryptCredential(sql, connection.id, "google_refresh_token") ??
      await decryptCredential(sql, connection.id, "google_access_token");
    if (token) revoked = await revokeQuietly(token);
  }
  const dropped = await db.rpc("disconnect_calendar", {
    organisation_id: organisationId,
  });
  if (dropped.error) return refusal(dropped.error, dropped.status);
  return { disconnected: true, revoked };
}
