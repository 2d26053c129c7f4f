// auth.sessions rows and the authentication methods (amr) recorded per session.

import { randomUUID } from "node:crypto";
import type { Db } from "./db.ts";

export interface SessionRow {
  id: string;
  not_after_passed: boolean;
}

/** Where a request came from, stored on the session like GoTrue does. */
export interface Client {
  ip: string | null;
  userAgent: string | null;
}

export async function findSession(
  db: Db,
  id: string,
  forUpdate = false,
): Promise<SessionRow | null> {
  const rows = await db<SessionRow[]>`
    select id, (not_after is not null and now() > not_after) as not_after_passed
    from auth.sessions where id = ${id} limit 1 ${forUpdate ? db`for update` : db``}`;
  return rows[0] ?? null;
}

export async function createSession(db: Db, userId: string, client: Client): Promise<string> {
  const sessionId = randomUUID();
  await db`
    insert into auth.sessions (id, user_id, created_at, updated_at, factor_id, aal, user_agent, ip)
    values (${sessionId}, ${userId}, now(), now(), null, 'aal1', ${client.userAgent},
            ${client.ip}::inet)`;
  return sessionId;
}

/** A refresh token was exchanged in this session. */
export async function markRefreshed(db: Db, sessionId: string, client: Client) {
  await db`
    update auth.sessions set refreshed_at = (now() at time zone 'utc'),
      user_agent = ${client.userAgent}, ip = ${client.ip}::inet, updated_at = now()
    where id = ${sessionId}`;
}

export async function endSession(db: Db, sessionId: string) {
  await db`delete from auth.sessions where id = ${sessionId}`;
}

/** Ends all of the user's sessions but `keepSessionId` (when given). */
export async function endSessions(db: Db, userId: string, keepSessionId: string | null) {
  if (keepSessionId) {
    await db`delete from auth.sessions where id <> ${keepSessionId} and user_id = ${userId}`;
  } else {
    await db`delete from auth.sessions where user_id = ${userId}`;
  }
}

/** models.AddClaimToSession */
export async function addClaimToSession(db: Db, sessionId: string, method: string) {
  await db`
    insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
    values (${randomUUID()}, ${sessionId}, now(), now(), ${method})
    on conflict on constraint mfa_amr_claims_session_id_authentication_method_pkey
    do update set updated_at = now()`;
}

/** The session's amr claim: its methods, newest first. */
export async function sessionAmr(
  db: Db,
  sessionId: string,
): Promise<{ method: string; timestamp: number }[]> {
  const rows = await db<{ method: string; ts: string }[]>`
    select authentication_method as method,
      floor(extract(epoch from updated_at))::bigint::text as ts
    from auth.mfa_amr_claims where session_id = ${sessionId}`;
  return rows.map((r) => ({ method: r.method, timestamp: Number(r.ts) }))
    .sort((a, b) => b.timestamp - a.timestamp);
}
