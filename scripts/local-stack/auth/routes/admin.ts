// The admin API under /admin (service_role or supabase_admin JWTs only):
// routing, single-user lookup and POST /admin/generate_link.

import { actorOf, audit } from "../audit.ts";
import { requireAdmin } from "../authenticate.ts";
import type { App, RequestCtx } from "../context.ts";
import { generateOtp, generateTokenHash } from "../crypto.ts";
import { createConfirmation } from "../confirmation.ts";
import { badRequest, jsonResponse, methodNotAllowed, notFound, unprocessable } from "../errors.ts";
import { findIdentities } from "../identities.ts";
import { OTP_LENGTH, storeRecoveryToken } from "../one_time_tokens.ts";
import { readParams } from "../params.ts";
import { AdminGenerateLinkParams } from "../schemas.ts";
import {
  DUPLICATE_EMAIL_MSG,
  findUserByEmail,
  findUserById,
  loadUserJson,
  userJson,
  type UserRow,
} from "../users.ts";
import { isUuid, validateEmail } from "../validation.ts";
import {
  adminCreateUser,
  adminDeleteUser,
  adminListUsers,
  adminUpdateUser,
} from "./admin_users.ts";

const LINK_TYPES = [
  "signup",
  "invite",
  "magiclink",
  "recovery",
  "email_change_current",
  "email_change_new",
];

/** Every path below /admin. */
export async function admin(app: App, ctx: RequestCtx): Promise<Response> {
  const actor = await requireAdmin(app, ctx.req);
  const method = ctx.req.method;
  if (ctx.path === "/admin/generate_link") {
    if (method === "POST") return await generateLink(app, ctx);
    return methodNotAllowed();
  }
  if (ctx.path === "/admin/users") {
    if (method === "GET") return await adminListUsers(app, ctx);
    if (method === "POST") return await adminCreateUser(app, ctx, actor);
    return methodNotAllowed();
  }
  const m = /^\/admin\/users\/([^/]+)$/.exec(ctx.path);
  if (m) {
    if (method !== "GET" && method !== "PUT" && method !== "DELETE") return methodNotAllowed();
    const user = await loadTarget(app, m[1]);
    if (method === "GET") {
      return jsonResponse(200, userJson(user, await findIdentities(app.db, user.id)));
    }
    if (method === "PUT") return await adminUpdateUser(app, ctx, actor, user);
    return await adminDeleteUser(app, ctx, actor, user);
  }
  throw notFound("not_found", "404 page not found");
}

async function loadTarget(app: App, idParam: string): Promise<UserRow> {
  if (!isUuid(idParam)) throw notFound("validation_failed", "user_id must be an UUID");
  const user = await findUserById(app.db, idParam, "Database error loading user");
  if (!user) throw notFound("user_not_found", "User not found");
  return user;
}

/**
 * POST /admin/generate_link (adminGenerateLink) for existing users:
 * type "recovery", "magiclink" or "signup" (an unconfirmed user's confirmation). Returns the user plus action_link,
 * email_otp, hashed_token, verification_type and redirect_to; no mail is sent.
 */
async function generateLink(app: App, ctx: RequestCtx): Promise<Response> {
  const p = await readParams(ctx.req, AdminGenerateLinkParams);
  const type = p.type ?? "";
  const email = validateEmail(p.email ?? "");
  let referrer = app.links.referrer(ctx.req);
  if (app.links.isAllowedRedirect(p.redirect_to ?? "")) referrer = p.redirect_to!;
  if (!LINK_TYPES.includes(type)) {
    throw badRequest("validation_failed", `Invalid email action link type requested: ${type}`);
  }
  const user = await findUserByEmail(app.db, email);
  if (!user && (type === "recovery" || type.startsWith("email_change"))) {
    throw notFound("user_not_found", "User with this email not found");
  }
  if (user && type === "signup") return await generateSignupLink(app, ctx, user, referrer);
  if (!user || (type !== "recovery" && type !== "magiclink")) {
    throw badRequest(
      "validation_failed",
      `generate_link type=${type}${
        user ? "" : " for a new user"
      } is not supported by the local Auth stand-in`,
    );
  }
  const otp = generateOtp(OTP_LENGTH);
  const hashedToken = generateTokenHash(email, otp);
  await app.transaction(async (tx) => {
    await audit(tx, actorOf(user), "user_recovery_requested");
    await storeRecoveryToken(tx, user.id, user.email ?? "", hashedToken);
  });
  return jsonResponse(200, {
    ...(await loadUserJson(app.db, user.id)),
    action_link: app.links.verifyLink(hashedToken, type, referrer),
    email_otp: otp,
    hashed_token: hashedToken,
    verification_type: type,
    redirect_to: referrer,
  });
}

/** generate_link type=signup for an existing user: a fresh confirmation, not mailed. */
async function generateSignupLink(
  app: App,
  ctx: RequestCtx,
  user: UserRow,
  referrer: string,
): Promise<Response> {
  if (user.email_confirmed_at) {
    throw unprocessable("email_exists", DUPLICATE_EMAIL_MSG);
  }
  const { otp, tokenHash, link } = await app.transaction((tx) =>
    createConfirmation(app, tx, ctx.req, user, referrer)
  );
  return jsonResponse(200, {
    ...(await loadUserJson(app.db, user.id)),
    action_link: link,
    email_otp: otp,
    hashed_token: tokenHash,
    verification_type: "signup",
    redirect_to: referrer,
  });
}
