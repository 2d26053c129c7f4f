// The signed-in user's own endpoints: GET/PUT /user and POST /logout.

import { actorOf, audit } from "../audit.ts";
import { ADMIN_ROLES, requireAuthentication } from "../authenticate.ts";
import type { App, RequestCtx } from "../context.ts";
import { requestEmailChange } from "../email_change.ts";
import { badRequest, forbidden, internalError, jsonResponse, unprocessable } from "../errors.ts";
import { findIdentities } from "../identities.ts";
import { readParams } from "../params.ts";
import { UserUpdateParams } from "../schemas.ts";
import { endSession, endSessions } from "../sessions.ts";
import {
  AUD,
  DUPLICATE_EMAIL_MSG,
  findDuplicateEmailUser,
  findUserByPhone,
  loadUserJson,
  passwordMatches,
  userJson,
} from "../users.ts";
import { updateAppMetaData, updatePassword, updateUserMetaData } from "../user_writes.ts";
import { checkPasswordStrength, validateEmail, validatePhone } from "../validation.ts";

const ADMIN_GROUP_NAME = "admin"; // GOTRUE_JWT_ADMIN_GROUP_NAME default

/** GET /user */
export async function getUser(app: App, ctx: RequestCtx): Promise<Response> {
  const auth = await requireAuthentication(app, ctx.req);
  const aud = Array.isArray(auth.claims.aud) ? auth.claims.aud[0] : auth.claims.aud;
  const requestAud = ADMIN_ROLES.includes(String(auth.claims.role ?? "")) ? AUD : aud || AUD;
  if (!aud || aud !== requestAud) {
    throw badRequest("validation_failed", "Token audience doesn't match request audience");
  }
  return jsonResponse(200, userJson(auth.user, await findIdentities(app.db, auth.user.id)));
}

/** PUT /user (api.UserUpdate) */
export async function updateUser(app: App, ctx: RequestCtx): Promise<Response> {
  const auth = await requireAuthentication(app, ctx.req);
  const p = await readParams(ctx.req, UserUpdateParams);
  const user = auth.user;

  let email = p.email ?? "";
  let phone = p.phone ?? "";
  if (email !== "") email = validateEmail(email);
  if (phone !== "") phone = validatePhone(phone);
  const password = p.password ?? null;
  if (password !== null) checkPasswordStrength(password);

  const isAdminUser = user.aud === AUD && user.role === ADMIN_GROUP_NAME;
  if (p.app_metadata != null && !isAdminUser) {
    throw forbidden("not_admin", "Updating app_metadata requires admin privileges");
  }
  if (user.is_anonymous && password !== null && password !== "" && email === "" && phone === "") {
    throw unprocessable(
      "validation_failed",
      "Updating password of an anonymous user without an email or phone is not allowed",
    );
  }
  if (email !== "" && (user.email ?? "") !== email) {
    if (await findDuplicateEmailUser(app.db, email, user.id)) {
      throw unprocessable("email_exists", DUPLICATE_EMAIL_MSG);
    }
  }
  if (phone !== "" && (user.phone ?? "") !== phone) {
    if (await findUserByPhone(app.db, phone)) {
      throw unprocessable(
        "phone_exists",
        "A user with this phone number has already been registered",
      );
    }
    throw internalError(
      "Error sending phone change otp",
      "phone provider is disabled in the local Auth stand-in",
    );
  }
  if (password !== null && password !== "" && user.encrypted_password) {
    if (await passwordMatches(app.db, user.id, password)) {
      throw unprocessable(
        "same_password",
        "New password should be different from the old password.",
      );
    }
  }

  await app.transaction(async (tx) => {
    if (password !== null) {
      await updatePassword(tx, user.id, password, auth.sessionId);
      await audit(tx, actorOf(user), "user_updated_password");
    }
    if (p.data != null) await updateUserMetaData(tx, user.id, p.data);
    if (p.app_metadata != null) await updateAppMetaData(tx, user.id, p.app_metadata);
    if (email !== "" && email !== (user.email ?? "")) {
      await requestEmailChange(app, tx, ctx.req, user.id, email);
    }
    await audit(tx, actorOf(user), "user_modified");
  });
  return jsonResponse(200, await loadUserJson(app.db, user.id));
}

/** POST /logout (api.Logout) */
export async function logout(app: App, ctx: RequestCtx): Promise<Response> {
  const auth = await requireAuthentication(app, ctx.req);
  const scope = ctx.url.searchParams.get("scope") ?? "";
  if (!["", "global", "local", "others"].includes(scope)) {
    throw badRequest("validation_failed", `Unsupported logout scope "${scope}"`);
  }
  await app.transaction(async (tx) => {
    await audit(tx, actorOf(auth.user), "logout");
    if (auth.sessionId && scope === "local") {
      await endSession(tx, auth.sessionId);
    } else if (auth.sessionId && scope === "others") {
      await endSessions(tx, auth.user.id, auth.sessionId);
    } else {
      await endSessions(tx, auth.user.id, null);
    }
  });
  return new Response(null, { status: 204 });
}
