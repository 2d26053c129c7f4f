// POST /signup (api.Signup): email + password only; mailer autoconfirm is on,
// so a new user is confirmed and signed in at once.

import { randomUUID } from "node:crypto";
import { actorOf, audit } from "../audit.ts";
import type { App, RequestCtx } from "../context.ts";
import type { JsonMap } from "../db.ts";
import { badRequest, internalError, jsonResponse, pgMessage, unprocessable } from "../errors.ts";
import { createIdentity, deleteOtherIdentities, findIdentity } from "../identities.ts";
import { readParams } from "../params.ts";
import { SignupParams } from "../schemas.ts";
import { startSession } from "../tokens.ts";
import { AUD, findDuplicateEmailUser, findUserById } from "../users.ts";
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

  const outcome = await app.transaction(async (tx) => {
    let user = await findDuplicateEmailUser(tx, email, null);
    if (user && user.email_confirmed_at) return { existing: user, token: null };

    if (!user) {
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
        throw internalError("Database error saving new user", pgMessage(e));
      }
      user = (await findUserById(tx, id))!;
    }

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
    if (!user.email_confirmed_at) {
      await audit(tx, actorOf(user), "user_signedup", { provider: "email" });
      await confirmUser(tx, user.id);
    }
    user = (await findUserById(tx, user.id))!;
    await audit(tx, actorOf(user), "login", { provider: "email" });
    return { existing: null, token: await startSession(tx, app.signer, ctx, user.id, "password") };
  });

  if (outcome.existing) {
    await audit(app.db, actorOf(outcome.existing), "user_repeated_signup", { provider: "email" });
    throw unprocessable("user_already_exists", "User already registered");
  }
  return jsonResponse(200, outcome.token);
}
