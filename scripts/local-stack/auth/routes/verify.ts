// GET|POST /verify (api.Verify): a mailed link (token hash) or a typed code
// (email + token) completes a signup, recovery, magic link or email change
// and starts a session (amr "otp").

import { actorOf, audit } from "../audit.ts";
import type { App, RequestCtx } from "../context.ts";
import { generateTokenHash } from "../crypto.ts";
import type { Db } from "../db.ts";
import { SINGLE_CONFIRMATION_ACCEPTED, verifyEmailChange } from "../email_change.ts";
import {
  AuthHttpError,
  badRequest,
  forbidden,
  jsonResponse,
  logInternal,
  tooManyRequests,
  unprocessable,
} from "../errors.ts";
import { goValuesEncode } from "../go_compat.ts";
import { findIdentities, updateIdentityData } from "../identities.ts";
import {
  clearRecoveryToken,
  findOneTimeTokenUserId,
  invalidateToken,
  isOtpValid as otpValid,
  MAX_OTP_FAILURES,
  otpExpired as expiredAfter,
  type TokenColumn,
} from "../one_time_tokens.ts";
import { readParams } from "../params.ts";
import { VerifyParams } from "../schemas.ts";
import { startSession, type TokenResponse } from "../tokens.ts";
import { findUserByEmail, findUserById, type UserRow } from "../users.ts";
import { confirmUser, updateAppMetaDataProviders } from "../user_writes.ts";
import { validateEmail, validatePhone } from "../validation.ts";

interface Verified {
  user: UserRow;
  /** the verification type in effect ("email" resolves to "signup" or "magiclink") */
  type: string;
  /** the token hash that matched */
  tokenHash: string;
}

/** A session, or (the first link of a secure email change) only that link's acceptance. */
type Outcome = TokenResponse | { singleConfirmation: true };

/**
 * [auth.rate_limit] token_verifications: failed attempts per remote address in 5 minutes; over
 * the limit every attempt from the address is refused, the right code too. Links that work
 * do not count, so one office confirming many accounts is not locked out.
 */
export async function verify(app: App, ctx: RequestCtx): Promise<Response> {
  if (app.verifyLimiter.blocked(ctx.remoteAddr)) {
    throw tooManyRequests("over_request_rate_limit", "Request rate limit reached");
  }
  try {
    return ctx.req.method === "GET" ? await verifyLink(app, ctx) : await verifyPost(app, ctx);
  } catch (e) {
    if (e instanceof AuthHttpError && e.status === 403) app.verifyLimiter.record(ctx.remoteAddr);
    throw e;
  }
}

/** GET: the link in a mail; answers with a redirect carrying the session or the error. */
async function verifyLink(app: App, ctx: RequestCtx): Promise<Response> {
  const q = ctx.url.searchParams;
  const tokenHash = q.get("token") ?? "";
  const type = q.get("type") ?? "";
  const redirectTo = app.links.referrer(ctx.req);
  if (type === "") throw badRequest("validation_failed", "Verify requires a verification type");
  if (tokenHash === "") {
    throw badRequest("validation_failed", "Verify requires a token or a token hash");
  }
  let tokens: Outcome;
  try {
    tokens = await app.transaction(async (tx) => {
      const found = await verifyTokenHash(app, tx, type, tokenHash);
      return await completeVerification(app, tx, ctx, found);
    });
  } catch (e) {
    if (e instanceof AuthHttpError) {
      if (e.status === 403) app.verifyLimiter.record(ctx.remoteAddr);
      const location = errorRedirectUrl(e, redirectTo);
      if (location === null) throw e;
      if (e.status >= 500) logInternal(ctx.req.method, ctx.path, e);
      return seeOther(location);
    }
    throw e;
  }
  if ("singleConfirmation" in tokens) {
    return seeOther(
      `${redirectTo.split("#")[0]}#${
        goValuesEncode({ message: SINGLE_CONFIRMATION_ACCEPTED, sb: "" })
      }`,
    );
  }
  const fragment = goValuesEncode({
    access_token: tokens.access_token,
    token_type: tokens.token_type,
    expires_in: String(tokens.expires_in),
    expires_at: String(tokens.expires_at),
    refresh_token: tokens.refresh_token,
    sb: "",
    type,
  });
  return seeOther(`${redirectTo}#${fragment}`);
}

/** POST: a token hash, or an email (or phone) with the code from the mail. */
async function verifyPost(app: App, ctx: RequestCtx): Promise<Response> {
  const p = await readParams(ctx.req, VerifyParams);
  const type = p.type ?? "";
  const token = p.token ?? "";
  let tokenHash = p.token_hash ?? "";
  let email = p.email ?? "";
  const phone = p.phone ?? "";
  if (type === "") throw badRequest("validation_failed", "Verify requires a verification type");
  if ((token === "" && tokenHash === "") || (token !== "" && tokenHash !== "")) {
    throw badRequest("validation_failed", "Verify requires either a token or a token hash");
  }
  if (token !== "") {
    if (phone !== "" && email === "") {
      tokenHash = generateTokenHash(validatePhone(phone), token);
    } else if (phone === "" && email !== "") {
      try {
        email = validateEmail(email);
      } catch {
        throw unprocessable("validation_failed", "Invalid email format");
      }
      tokenHash = generateTokenHash(email, token);
    } else {
      throw badRequest(
        "validation_failed",
        "Only an email address or phone number should be provided on verify",
      );
    }
  } else if (email !== "" || phone !== "" || (p.redirect_to ?? "") !== "") {
    throw badRequest("validation_failed", "Only the token_hash and type should be provided");
  }
  const response = await app.transaction(async (tx) => {
    const found = token === ""
      ? await verifyTokenHash(app, tx, type, tokenHash)
      : await verifyUserAndToken(app, tx, type, email, tokenHash);
    return await completeVerification(app, tx, ctx, found);
  });
  if ("singleConfirmation" in response) {
    return jsonResponse(200, { msg: SINGLE_CONFIRMATION_ACCEPTED, code: "200" });
  }
  return jsonResponse(200, response);
}

/** One-time-token lookup by hash (models.FindOneTimeToken + FindUserByID). */
async function userByOneTimeToken(
  tx: Db,
  tokenHash: string,
  types: string[],
): Promise<UserRow | null> {
  const userId = await findOneTimeTokenUserId(tx, tokenHash, types);
  if (userId === null) return null;
  return await findUserById(tx, userId, "Database error finding user from email link");
}

/** verifyTokenHash */
async function verifyTokenHash(
  app: App,
  tx: Db,
  type: string,
  tokenHash: string,
): Promise<Verified> {
  const otpExpired = (sentAt: string | null) => expiredAfter(sentAt, app.settings.otpExpirySeconds);
  let user: UserRow | null;
  switch (type) {
    case "email":
      user = await userByOneTimeToken(tx, tokenHash, ["confirmation_token", "recovery_token"]);
      break;
    case "signup":
    case "invite":
      user = await userByOneTimeToken(tx, tokenHash, ["confirmation_token"]);
      break;
    case "recovery":
    case "magiclink":
      user = await userByOneTimeToken(tx, tokenHash, ["recovery_token"]);
      break;
    case "email_change":
      user = await userByOneTimeToken(tx, tokenHash, [
        "email_change_token_current",
        "email_change_token_new",
      ]);
      break;
    default:
      throw badRequest("validation_failed", "Invalid email verification type");
  }
  if (!user) throw forbidden("otp_expired", "Email link is invalid or has expired");
  if (user.is_banned) throw forbidden("user_banned", "User is banned");
  let expired: boolean;
  let effective = type;
  switch (type) {
    case "email":
      if (user.recovery_token === tokenHash) {
        expired = otpExpired(user.recovery_sent_at);
        effective = "magiclink";
      } else {
        expired = otpExpired(user.confirmation_sent_at);
        effective = "signup";
      }
      break;
    case "signup":
    case "invite":
      expired = otpExpired(user.confirmation_sent_at);
      break;
    case "recovery":
    case "magiclink":
      expired = otpExpired(user.recovery_sent_at);
      break;
    default:
      expired = otpExpired(user.email_change_sent_at);
  }
  if (expired) throw forbidden("otp_expired", "Email link is invalid or has expired");
  return { user, type: effective, tokenHash };
}

/** verifyUserAndToken: email + the code from the mail. */
async function verifyUserAndToken(
  app: App,
  tx: Db,
  type: string,
  email: string,
  tokenHash: string,
): Promise<Verified> {
  const isOtpValid = (actual: string, expected: string | null, sentAt: string | null) =>
    otpValid(actual, expected, sentAt, app.settings.otpExpirySeconds);
  const invalid = () => forbidden("otp_expired", "Token has expired or is invalid");
  let user: UserRow | null;
  switch (type) {
    case "sms":
    case "phone_change":
      // Phone provider disabled: no phone OTP was ever sent.
      throw invalid();
    case "email_change":
      user = await userByOneTimeToken(tx, tokenHash, ["email_change_token_current"]) ??
        await userByOneTimeToken(tx, "pkce_" + tokenHash, ["email_change_token_current"]) ??
        await userByOneTimeToken(tx, tokenHash, ["email_change_token_new"]) ??
        await userByOneTimeToken(tx, "pkce_" + tokenHash, ["email_change_token_new"]);
      break;
    default:
      user = await findUserByEmail(tx, email);
  }
  if (!user && type === "email_change") user = await findUserByEmail(tx, email);
  if (!user) throw invalid();
  if (user.is_banned) throw forbidden("user_banned", "User is banned");
  let valid = false;
  let effective = type;
  switch (type) {
    case "email":
      if (isOtpValid(tokenHash, user.confirmation_token, user.confirmation_sent_at)) {
        valid = true;
        effective = "signup";
      } else if (isOtpValid(tokenHash, user.recovery_token, user.recovery_sent_at)) {
        valid = true;
        effective = "magiclink";
      }
      break;
    case "signup":
    case "invite":
      valid = isOtpValid(tokenHash, user.confirmation_token, user.confirmation_sent_at);
      break;
    case "recovery":
    case "magiclink":
      valid = isOtpValid(tokenHash, user.recovery_token, user.recovery_sent_at);
      break;
    case "email_change":
      valid = isOtpValid(tokenHash, user.email_change_token_current, user.email_change_sent_at) ||
        isOtpValid(tokenHash, user.email_change_token_new, user.email_change_sent_at);
      break;
  }
  if (!valid) {
    await countWrongCode(app, user, CODE_COLUMNS[type] ?? []);
    throw invalid();
  }
  return { user, type: effective, tokenHash };
}

/** The tokens a code of each type is checked against. */
const CODE_COLUMNS: Record<string, TokenColumn[]> = {
  email: ["confirmation_token", "recovery_token"],
  signup: ["confirmation_token"],
  invite: ["confirmation_token"],
  recovery: ["recovery_token"],
  magiclink: ["recovery_token"],
  email_change: ["email_change_token_current", "email_change_token_new"],
};

/**
 * A wrong code counts against each token it was checked against; the MAX_OTP_FAILURES-th
 * spends the token, so guessing from many addresses fails too. Written outside the request's
 * transaction, which the refusal rolls back.
 */
async function countWrongCode(app: App, user: UserRow, columns: TokenColumn[]) {
  for (const column of columns) {
    const token = user[column];
    if (!token) continue;
    const failures = (app.otpFailures.get(token) ?? 0) + 1;
    if (failures < MAX_OTP_FAILURES) {
      if (app.otpFailures.size > 10_000) app.otpFailures.clear();
      app.otpFailures.set(token, failures);
      continue;
    }
    app.otpFailures.delete(token);
    await invalidateToken(app.db, user.id, column);
  }
}

/** The state change of a successful verification, then a new session. */
async function completeVerification(
  app: App,
  tx: Db,
  ctx: RequestCtx,
  { user, type, tokenHash }: Verified,
): Promise<Outcome> {
  switch (type) {
    case "signup":
    case "invite": {
      await audit(tx, actorOf(user), "user_signedup", { provider: "email" });
      await confirmUser(tx, user.id);
      for (const identity of await findIdentities(tx, user.id)) {
        if (!identity.email || !user.email || identity.email !== user.email) continue;
        await updateIdentityData(tx, identity.id, { email_verified: true });
      }
      break;
    }
    case "recovery":
    case "magiclink": {
      await clearRecoveryToken(tx, user.id);
      if (!user.email_confirmed_at) {
        await audit(tx, actorOf(user), "user_signedup", { provider: "email" });
        await confirmUser(tx, user.id);
      } else {
        await audit(tx, actorOf(user), "login");
      }
      break;
    }
    case "email_change":
      if (!(await verifyEmailChange(app, tx, user, tokenHash)).applied) {
        return { singleConfirmation: true };
      }
      break;
    default:
      throw badRequest("validation_failed", "Unsupported verification type");
  }
  await updateAppMetaDataProviders(tx, user.id);
  return await startSession(tx, app.signer, ctx, user.id, "otp");
}

function seeOther(location: string): Response {
  return new Response(`<a href="${location.replace(/"/g, "&quot;")}">See Other</a>.\n\n`, {
    status: 303,
    headers: { Location: location, "Content-Type": "text/html; charset=utf-8" },
  });
}

/** prepErrorRedirectURL (implicit flow: the error goes in the fragment) */
function errorRedirectUrl(err: AuthHttpError, redirectTo: string): string | null {
  let u: URL;
  try {
    u = new URL(redirectTo);
  } catch {
    return null;
  }
  const oauthError: Record<number, string> = {
    400: "invalid_request",
    401: "unauthorized_client",
    403: "access_denied",
    500: "server_error",
    503: "temporarily_unavailable",
  };
  const hq: Record<string, string> = {};
  if (oauthError[err.status]) hq.error = oauthError[err.status];
  hq.error_code = err.errorCode;
  hq.error_description = err.message;
  hq.sb = "";
  u.hash = goValuesEncode(hq);
  return u.toString();
}
