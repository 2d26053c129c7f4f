// POST /signup (api.Signup): email + password only. With [auth.email]
// enable_confirmations the new user gets a confirmation mail and no session;
// without, the user is confirmed and signed in at once.

import { randomUUID } from "node:crypto";
import { actorOf, audit } from "../audit.ts";
import { createConfirmation, deliverConfirmation } from "../confirmation.ts";
import type { App, RequestCtx } from "../context.ts";
import type { JsonMap } from "../db.ts";
import { badRequest, databaseError, jsonResponse, unprocessable } from "../errors.ts";
import { goTime } from "../go_compat.ts";
import { createIdentity, deleteOtherIdentities, findIdentity } from "../identities.ts";
import { takeMailSlot } from "../one_time_tokens.ts";
import { readParams } from "../params.ts";
import { SignupParams } from "../schemas.ts";
import type { OutboxMail } from "../mailer.ts";
import { startSession, type TokenResponse } from "../tokens.ts";
import { AUD, findDuplicateEmailUser, findUserById, loadUserJson, type UserRow } from "../users.ts";
import {
  bcrypt,
  confirmUser,
  insertUser,
  setRole,
  updateAppMetaDataProviders,
  updateUserMetaData,
} from "../user_writes.ts";
import { checkPasswordStrength, validateEmail, validatePKCEParams } from "../validation.ts";

export async function signup(app: App, ctx: RequestCtx): Promise<Response> {
  if (!app.settings.enableSignup) {
    throw unprocessable("signup_disabled", "Signups not allowed for this instance");
  }
  const p = await readParams(ctx.req, SignupParams);
  const email0 = p.email ?? "";
  const phone0 = p.phone ?? "";
  const password = p.password ?? "";
  const data: JsonMap = p.data ?? {};
  const provider = email0 !== "" ? "email" : phone0 !== "" ? "phone" : "";

  if (password === "") throw badRequest("validation_failed", "Signup requires a valid password");
  checkPasswordStrength(password);
  if (email0 !== "" && phone0 !== "") {
    throw badRequest(
      "validation_failed",
      "Only an email address or phone number should be provided on signup.",
    );
  }
  validatePKCEParams(p.code_challenge_method ?? "", p.code_challenge ?? "");
  if (provider === "phone") {
    throw badRequest("phone_provider_disabled", "Phone signups are disabled");
  }
  if (provider !== "email") {
    throw badRequest("validation_failed", "Sign up only available with email provider");
  }
  const email = validateEmail(email0);
  const confirmations = app.settings.enableConfirmations;
  // Taken whether or not the address has an account: the answer must not tell them apart.
  if (confirmations) takeMailSlot(app, "confirmation", email);

  type Outcome =
    | { existing: UserRow }
    | { user: JsonMap; mail: OutboxMail }
    | { token: TokenResponse };
  const outcome = await app.transaction(async (tx): Promise<Outcome> => {
    let user = await findDuplicateEmailUser(tx, email, null);
    if (user && user.email_confirmed_at) return { existing: user };
    if (user) {
      // Unconfirmed: nothing of the request is trusted, the owner of the address gets the mail again.
      await tx`select ${bcrypt(tx, password)}`;
      const { mail } = await createConfirmation(app, tx, ctx.req, user);
      return { user: await loadUserJson(tx, user.id), mail };
    }

    const id = randomUUID();
    try {
      await insertUser(tx, {
        id,
        aud: AUD,
        email,
        phone: null,
        passwordHash: bcrypt(tx, password),
        appMetaData: { provider: "email", providers: ["email"] },
        userMetaData: data,
      });
      await setRole(tx, id, AUD);
    } catch (e) {
      throw databaseError(e);
    }
    user = (await findUserById(tx, id))!;

    let identity = await findIdentity(tx, user.id, "email");
    if (!identity) {
      const identityData: JsonMap = {
        sub: user.id,
        email: user.email ?? "",
        email_verified: false,
        phone_verified: false,
      };
      for (const [k, v] of Object.entries(data)) if (!(k in identityData)) identityData[k] = v;
      identity = await createIdentity(tx, user.id, "email", identityData);
      // User.RemoveUnconfirmedIdentities
      await updateUserMetaData(tx, user.id, identityData);
      await deleteOtherIdentities(tx, user.id, identity.id);
      await updateAppMetaDataProviders(tx, user.id);
    }
    user = (await findUserById(tx, user.id))!;
    await audit(tx, actorOf(user), "user_signedup", { provider: "email" });

    if (confirmations) {
      const { mail } = await createConfirmation(app, tx, ctx.req, user);
      return { user: await loadUserJson(tx, user.id), mail };
    }
    await confirmUser(tx, user.id);
    await audit(tx, actorOf(user), "login", { provider: "email" });
    return { token: await startSession(tx, app.signer, ctx, user.id, "password") };
  });

  if ("existing" in outcome) {
    // The same work as a new sign-up (a password hash), so the answer takes as long.
    await app.db`select ${bcrypt(app.db, password)}`;
    await audit(app.db, actorOf(outcome.existing), "user_repeated_signup", { provider: "email" });
    if (!confirmations) throw unprocessable("user_already_exists", "User already registered");
    return jsonResponse(200, obfuscatedUser(email, data));
  }
  if ("token" in outcome) return jsonResponse(200, outcome.token);
  await deliverConfirmation(app, outcome.mail);
  return jsonResponse(200, outcome.user);
}

/**
 * sanitizeUser: what a sign-up with an already confirmed address answers when
 * confirmations are on. A new random id, no identities, nothing sent: the
 * caller learns nothing, the owner of the address gets no mail.
 */
function obfuscatedUser(email: string, data: JsonMap): JsonMap {
  const now = goTime(new Date().toISOString().replace("T", " ").replace("Z", "+00"));
  return {
    id: randomUUID(),
    aud: AUD,
    role: "",
    email,
    phone: "",
    confirmation_sent_at: now,
    app_metadata: { provider: "email", providers: ["email"] },
    user_metadata: data,
    identities: [],
    created_at: now,
    updated_at: now,
    is_anonymous: false,
  };
}
