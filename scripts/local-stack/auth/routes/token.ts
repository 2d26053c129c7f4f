// POST /token (api.Token): the password and refresh_token grants.

import { actorOf, audit } from "../audit.ts";
import type { App, RequestCtx } from "../context.ts";
import {
  AuthHttpError,
  badRequest,
  jsonResponse,
  tooManyRequests,
  unprocessable,
} from "../errors.ts";
import { readParams } from "../params.ts";
import { PasswordGrantParams, RefreshTokenGrantParams } from "../schemas.ts";
import { findSession, markRefreshed } from "../sessions.ts";
import {
  deleteRefreshToken,
  lockRefreshToken,
  revokeTokenFamily,
  startSession,
  swapRefreshToken,
  type TokenResponse,
  tokenResponse,
} from "../tokens.ts";
import { findUserByEmail, findUserById, passwordMatches } from "../users.ts";
import { checkPasswordStrength, isUuid } from "../validation.ts";

const INVALID_LOGIN_MSG = "Invalid login credentials";

export function token(app: App, ctx: RequestCtx): Promise<Response> {
  const grantType = ctx.url.searchParams.get("grant_type") ?? "";
  switch (grantType) {
    case "password":
      return passwordGrant(app, ctx);
    case "refresh_token":
      return refreshTokenGrant(app, ctx);
    case "id_token":
    case "pkce":
    case "web3":
      throw badRequest(
        "validation_failed",
        `grant_type=${grantType} is not supported by the local Auth stand-in`,
      );
    default:
      throw badRequest("invalid_credentials", "unsupported_grant_type");
  }
}

/** ResourceOwnerPasswordGrant */
async function passwordGrant(app: App, ctx: RequestCtx): Promise<Response> {
  const p = await readParams(ctx.req, PasswordGrantParams);
  const email = p.email ?? "";
  const phone = p.phone ?? "";
  const password = p.password ?? "";
  if (email !== "" && phone !== "") {
    throw badRequest(
      "validation_failed",
      "Only an email address or phone number should be provided on login.",
    );
  }
  if (email === "" && phone === "") {
    throw badRequest("validation_failed", "missing email or phone");
  }
  if (phone !== "") throw unprocessable("phone_provider_disabled", "Phone logins are disabled");

  if (!app.signInLimiter.take(`${ctx.remoteAddr}\u0000${email.toLowerCase()}`)) {
    throw tooManyRequests("over_request_rate_limit", "Request rate limit reached");
  }

  const user = await findUserByEmail(app.db, email, "Database error querying schema");
  if (!user || !user.encrypted_password) {
    throw badRequest("invalid_credentials", INVALID_LOGIN_MSG);
  }
  if (user.is_banned) throw badRequest("user_banned", "User is banned");
  const valid = await passwordMatches(app.db, user.id, password);
  if (!valid) throw badRequest("invalid_credentials", INVALID_LOGIN_MSG);
  if (!user.email_confirmed_at) throw badRequest("email_not_confirmed", "Email not confirmed");

  // A password too weak for today's policy still signs in, with a warning.
  let weak: TokenResponse["weak_password"];
  try {
    checkPasswordStrength(password);
  } catch (e) {
    if (e instanceof AuthHttpError && e.weakPasswordReasons) {
      weak = { message: e.message, reasons: e.weakPasswordReasons };
    }
  }

  const response = await app.transaction(async (tx) => {
    await audit(tx, actorOf(user), "login", { provider: "email" });
    return await startSession(tx, app.signer, ctx, user.id, "password");
  });
  if (weak) response.weak_password = weak;
  return jsonResponse(200, response);
}

/** RefreshTokenGrant (legacy refresh tokens, rotation on, reuse interval 0) */
async function refreshTokenGrant(app: App, ctx: RequestCtx): Promise<Response> {
  const p = await readParams(ctx.req, RefreshTokenGrantParams);
  const presented = p.refresh_token ?? "";
  if (presented.length < 12 || !/^[a-z0-9]{12}$/.test(presented)) {
    throw badRequest("validation_failed", "Refresh token is not valid");
  }
  const notFound = () =>
    badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");

  // Errors that must not roll back what the transaction did are returned, not thrown.
  const result = await app.transaction(async (tx) => {
    const rt = await lockRefreshToken(tx, presented);
    if (!rt) throw notFound();
    const user = isUuid(rt.user_id) ? await findUserById(tx, rt.user_id) : null;
    if (!user) throw notFound();
    if (user.is_banned) throw badRequest("user_banned", "Invalid Refresh Token: User Banned");

    const session = rt.session_id ? await findSession(tx, rt.session_id, true) : null;
    if (!session) {
      await deleteRefreshToken(tx, rt.id);
      return {
        error: badRequest("session_not_found", "Invalid Refresh Token: No Valid Session Found"),
      };
    }
    if (session.not_after_passed) {
      throw badRequest("session_expired", "Invalid Refresh Token: Session Expired");
    }

    if (rt.revoked) {
      // Reuse detected. GoTrue would still hand the active token to a replay of its
      // direct parent; frontdesk runs with refresh_token_reuse_interval = 0 and rejects
      // every reuse: revoke the whole token family (the session's tokens), commit, fail.
      await revokeTokenFamily(tx, session.id);
      return {
        error: badRequest("refresh_token_already_used", "Invalid Refresh Token: Already Used"),
      };
    }

    await audit(tx, actorOf(user), "token_refreshed");
    await audit(tx, actorOf(user), "token_revoked");
    const issued = await swapRefreshToken(tx, rt, user.id, session.id);
    const fresh = (await findUserById(tx, user.id))!;
    await markRefreshed(tx, session.id, ctx);
    return { response: await tokenResponse(tx, app.signer, fresh, session.id, issued) };
  });

  if ("error" in result) throw result.error;
  return jsonResponse(200, result.response);
}
