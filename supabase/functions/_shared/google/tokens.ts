// A clinic's Google access token, refreshed shortly before it expires. One refresh at a time per
// organisation: the refresh runs under a transaction-scoped advisory lock on the organisation,
// and whoever waited for the lock re-reads the token first, so many callers share one refresh.
// Tokens go only to Vault (private.store_credential) and to Google; never to a log or an error.
import type { Sql, Tx } from "../io/db.ts";
import { decryptCredential } from "../io/credentials.ts";
import { GoogleApiError, GoogleNeedsReauth, GoogleNotConnected } from "./errors.ts";
import { refreshAccessToken } from "./oauth.ts";

/** A token this close to expiry is refreshed rather than used. */
const EXPIRY_MARGIN_SECONDS = 120;

/** The audit log's name for this code when it rotates a token. */
const ACTOR = "google-sync";

export const REAUTH_SENTENCE =
  "Google no longer accepts Frontdesk's access to this calendar (the permission was removed or " +
  "has expired). Reconnect Google Calendar to resume syncing.";

interface TokenState {
  connection_id: string;
  status: "active" | "needs_reauth" | "disconnected";
  /** Whether a stored access token is valid beyond the margin. */
  usable: boolean;
}

async function tokenState(sql: Sql | Tx, organisationId: string): Promise<TokenState> {
  const [state] = await sql<TokenState[]>`
    select c.id as connection_id, c.status,
      coalesce(a.expires_at > now() + make_interval(secs => ${EXPIRY_MARGIN_SECONDS}), false) as usable
    from public.calendar_connections c
    left join public.credentials a on a.subject_id = c.id and a.kind = 'google_access_token'
    where c.organisation_id = ${organisationId}`;
  if (!state || state.status === "disconnected") throw new GoogleNotConnected();
  if (state.status === "needs_reauth") throw new GoogleNeedsReauth();
  return state;
}

/**
 * A valid access token for the organisation's Google Calendar. `forceRefresh` (after Google
 * answered 401 to `rejected`) refreshes unless another caller already replaced that token;
 * `timeoutMs` bounds a refresh at Google (default 10 s).
 * Throws GoogleNotConnected, GoogleNeedsReauth (invalid_grant: the connection is marked for the
 * owners to reconnect) or GoogleApiError (Google unreachable: try again later).
 */
export async function accessToken(
  sql: Sql,
  organisationId: string,
  { forceRefresh = false, rejected, timeoutMs }: {
    forceRefresh?: boolean;
    rejected?: string;
    timeoutMs?: number;
  } = {},
): Promise<string> {
  if (!forceRefresh) {
    const state = await tokenState(sql, organisationId);
    if (state.usable) {
      const token = await decryptCredential(sql, state.connection_id, "google_access_token");
      if (token) return token;
    }
  }
  const outcome: { token: string } | { reauth: string } = await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtextextended(${`google-token:${organisationId}`}, 0))`;
    const state = await tokenState(tx, organisationId);
    if (state.usable) {
      const current = await decryptCredential(tx, state.connection_id, "google_access_token");
      if (current && (!forceRefresh || (rejected !== undefined && current !== rejected))) {
        return { token: current };
      }
    }
    const refreshToken = await decryptCredential(tx, state.connection_id, "google_refresh_token");
    if (!refreshToken) return { reauth: state.connection_id };
    try {
      const fresh = await refreshAccessToken(refreshToken, timeoutMs);
      await tx`select private.store_credential(${state.connection_id}, 'google_access_token',
        ${fresh.access_token}, ${ACTOR}, now() + make_interval(secs => ${fresh.expires_in}))`;
      if (fresh.refresh_token && fresh.refresh_token !== refreshToken) {
        await tx`select private.store_credential(${state.connection_id}, 'google_refresh_token',
          ${fresh.refresh_token}, ${ACTOR})`;
      }
      return { token: fresh.access_token };
    } catch (error) {
      if (error instanceof GoogleApiError && error.reason === "invalid_grant") {
        return { reauth: state.connection_id };
      }
      throw error;
    }
  });
  if ("token" in outcome) return outcome.token;
  await markNeedsReauth(sql, outcome.reauth);
  throw new GoogleNeedsReauth();
}

/** Owners see the banner and Reconnect; jobs wait (they are postponed, not failed). */
async function markNeedsReauth(sql: Sql, connectionId: string): Promise<void> {
  await sql`
    update public.calendar_connections
    set status = 'needs_reauth', last_error = ${REAUTH_SENTENCE}
    where id = ${connectionId} and status = 'active'`;
}
