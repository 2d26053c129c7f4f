// Access tokens (HS256 JWTs with GoTrue's claims) and the legacy 12-character
// refresh tokens that continue a session (rotation on, one family per session).

import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { secureAlphanumeric } from "./crypto.ts";
import { type Db, type JsonMap, NIL_UUID } from "./db.ts";
import { forbidden } from "./errors.ts";
import { sortKeysDeep } from "./go_compat.ts";
import { findIdentities } from "./identities.ts";
import { addClaimToSession, type Client, createSession, sessionAmr } from "./sessions.ts";
import { findUserById, userJson, type UserRow } from "./users.ts";

export interface TokenSigner {
  key: Uint8Array;
  issuer: string;
  expirySeconds: number;
}

export type Claims = {
  sub?: string;
  aud?: string | string[];
  role?: string;
  session_id?: string;
  [k: string]: unknown;
};

export interface TokenResponse {
  access_token: string;
  token_type: "bearer";
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: JsonMap;
  weak_password?: { message: string; reasons: string[] };
}

export interface RefreshTokenRow {
  id: string;
  token: string;
  user_id: string;
  revoked: boolean;
  session_id: string | null;
}

/** `externalUrl` without a trailing slash; tokens are issued by its /auth/v1. */
export function createSigner(
  jwtSecret: string,
  externalUrl: string,
  expirySeconds: number,
): TokenSigner {
  return {
    key: new TextEncoder().encode(jwtSecret),
    issuer: `${externalUrl}/auth/v1`,
    expirySeconds,
  };
}

/** Verifies an HS256 JWT; failures read like GoTrue's (golang-jwt's messages). */
export async function verifyJwt(signer: TokenSigner, jwt: string): Promise<Claims> {
  try {
    const { payload } = await jwtVerify(jwt, signer.key, { algorithms: ["HS256"] });
    return payload as Claims;
  } catch (e) {
    let detail = "token is malformed";
    if (e instanceof joseErrors.JWTExpired) detail = "token has invalid claims: token is expired";
    else if (e instanceof joseErrors.JWTClaimValidationFailed) {
      detail = `token has invalid claims: ${
        e.claim === "nbf" ? "token is not valid yet" : e.reason
      }`;
    } else if (e instanceof joseErrors.JWSSignatureVerificationFailed) {
      detail = "token signature is invalid: signature is invalid";
    } else if (e instanceof joseErrors.JOSEAlgNotAllowed) {
      detail = "token signature is invalid: signing method is invalid";
    }
    throw forbidden("bad_jwt", `invalid JWT: unable to parse or verify signature, ${detail}`);
  }
}

/** tokens.Service.GenerateAccessToken */
async function signAccessToken(
  db: Db,
  signer: TokenSigner,
  user: UserRow,
  sessionId: string,
): Promise<{ token: string; expiresAt: number }> {
  const amr = await sessionAmr(db, sessionId);
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + signer.expirySeconds;
  const claims: JsonMap = {
    iss: signer.issuer,
    sub: user.id,
    aud: user.aud ?? "",
    exp,
    iat,
    email: user.email ?? "",
    phone: user.phone ?? "",
    app_metadata: sortKeysDeep(user.raw_app_meta_data ?? {}),
    user_metadata: sortKeysDeep(user.raw_user_meta_data ?? {}),
    role: user.role ?? "",
    aal: "aal1",
  };
  if (amr.length) claims.amr = amr;
  claims.session_id = sessionId;
  claims.is_anonymous = user.is_anonymous;
  const token = await new SignJWT(claims as Record<string, unknown>)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(signer.key);
  return { token, expiresAt: exp };
}

/** The body of a successful token grant: a new access token plus `refreshToken`. */
export async function tokenResponse(
  db: Db,
  signer: TokenSigner,
  user: UserRow,
  sessionId: string,
  refreshToken: string,
): Promise<TokenResponse> {
  const { token, expiresAt } = await signAccessToken(db, signer, user, sessionId);
  return {
    access_token: token,
    token_type: "bearer",
    expires_in: expiresAt - Math.floor(Date.now() / 1000),
    expires_at: expiresAt,
    refresh_token: refreshToken,
    user: userJson(user, await findIdentities(db, user.id)),
  };
}

async function insertRefreshToken(
  db: Db,
  userId: string,
  sessionId: string,
  parent: string | null,
): Promise<string> {
  const token = secureAlphanumeric(12);
  await db`
    insert into auth.refresh_tokens
      (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
    values (${NIL_UUID}, ${token}, ${userId}, false, now(), now(), ${parent}, ${sessionId})`;
  return token;
}

/** tokens.Service.IssueRefreshToken: a new session with its first refresh token. */
export async function startSession(
  db: Db,
  signer: TokenSigner,
  client: Client,
  userId: string,
  method: "password" | "otp",
): Promise<TokenResponse> {
  const sessionId = await createSession(db, userId, client);
  const refreshToken = await insertRefreshToken(db, userId, sessionId, null);
  await db`update auth.users set last_sign_in_at = now(), updated_at = now() where id = ${userId}`;
  await addClaimToSession(db, sessionId, method);
  const user = (await findUserById(db, userId))!;
  return await tokenResponse(db, signer, user, sessionId, refreshToken);
}

/** The refresh token row, locked until the transaction ends. */
export async function lockRefreshToken(db: Db, token: string): Promise<RefreshTokenRow | null> {
  const rows = await db<RefreshTokenRow[]>`
    select id, token, user_id, coalesce(revoked, false) as revoked, session_id
    from auth.refresh_tokens where token = ${token} limit 1 for update`;
  return rows[0] ?? null;
}

export async function deleteRefreshToken(db: Db, id: string) {
  await db`delete from auth.refresh_tokens where id = ${id}`;
}

/** Reuse detected: every still-valid token of the session is revoked. */
export async function revokeTokenFamily(db: Db, sessionId: string) {
  await db`
    update auth.refresh_tokens set revoked = true, updated_at = now()
    where session_id = ${sessionId} and revoked = false`;
}

/** models.GrantRefreshTokenSwap: revokes `parent` and returns its successor. */
export async function swapRefreshToken(
  db: Db,
  parent: RefreshTokenRow,
  userId: string,
  sessionId: string,
): Promise<string> {
  await db`update auth.refresh_tokens set revoked = true, updated_at = now() where id = ${parent.id}`;
  const issued = await insertRefreshToken(db, userId, sessionId, parent.token);
  // createRefreshToken -> User.UpdateLastSignInAt (value unchanged, updated_at bumped)
  await db`update auth.users set updated_at = now() where id = ${userId}`;
  return issued;
}
