// Who is calling: the bearer JWT, its user and session (GoTrue's
// requireAuthentication and requireAdmin middlewares).

import type { AuditActor } from "./audit.ts";
import type { App } from "./context.ts";
import { NIL_UUID } from "./db.ts";
import { AuthHttpError, badRequest, forbidden } from "./errors.ts";
import { findSession, type SessionRow } from "./sessions.ts";
import { type Claims, verifyJwt } from "./tokens.ts";
import { findUserById, type UserRow } from "./users.ts";
import { isUuid } from "./validation.ts";

export const ADMIN_ROLES = ["service_role", "supabase_admin"]; // GOTRUE_JWT_ADMIN_ROLES default

export interface Authenticated {
  claims: Claims;
  user: UserRow;
  sessionId: string | null;
}

function bearerToken(req: Request): string {
  const m = /^bearer (\S+)$/i.exec(req.headers.get("authorization") ?? "");
  if (!m) {
    throw new AuthHttpError(401, "no_authorization", "This endpoint requires a valid Bearer token");
  }
  return m[1];
}

/** maybeLoadUserOrSession */
async function loadUserAndSession(
  app: App,
  claims: Claims,
): Promise<{ user: UserRow; session: SessionRow | null }> {
  if (!claims.sub) throw forbidden("bad_jwt", "invalid claim: missing sub claim");
  if (!isUuid(claims.sub)) {
    throw badRequest("bad_jwt", "invalid claim: sub claim must be a UUID");
  }
  const user = await findUserById(app.db, claims.sub);
  if (!user) throw forbidden("user_not_found", "User from sub claim in JWT does not exist");
  let session: SessionRow | null = null;
  if (claims.session_id && claims.session_id !== NIL_UUID) {
    if (!isUuid(claims.session_id)) {
      throw forbidden("bad_jwt", "invalid claim: session_id claim must be a UUID");
    }
    session = await findSession(app.db, claims.session_id);
    if (!session) {
      throw forbidden("session_not_found", "Session from session_id claim in JWT does not exist");
    }
  }
  return { user, session };
}

/** requireAuthentication: a valid JWT of an existing, unbanned user. */
export async function requireAuthentication(app: App, req: Request): Promise<Authenticated> {
  const claims = await verifyJwt(app.signer, bearerToken(req));
  const { user, session } = await loadUserAndSession(app, claims);
  if (user.is_banned) throw forbidden("user_banned", "User is banned");
  return { claims, user, sessionId: session?.id ?? null };
}

/** requireAdminCredentials + requireAdmin: a JWT whose role is an admin role. */
export async function requireAdmin(app: App, req: Request): Promise<AuditActor> {
  const claims = await verifyJwt(app.signer, bearerToken(req));
  if (claims.session_id && claims.session_id !== NIL_UUID) {
    const { session } = await loadUserAndSession(app, claims);
    if (session?.not_after_passed) {
      throw forbidden("session_expired", "Session is no longer valid");
    }
  }
  const role = typeof claims.role === "string" ? claims.role : "";
  if (!ADMIN_ROLES.includes(role)) throw forbidden("not_admin", "User not allowed");
  return { id: NIL_UUID, email: role, phone: "", isSsoUser: false };
}
