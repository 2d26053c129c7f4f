// POST /recover (api.Recover + sendPasswordRecovery): mails a recovery link.
// Every valid request gets the same `{}` at once, before the address is looked
// up, from the same per-address rate limit: neither the answer, its timing nor
// a 429 tells whether the address has an account.

import { actorOf, audit } from "../audit.ts";
import type { App, RequestCtx } from "../context.ts";
import { generateOtp, generateTokenHash } from "../crypto.ts";
import {
  AuthHttpError,
  badRequest,
  errMessage,
  internalError,
  jsonResponse,
  logInternal,
} from "../errors.ts";
import { deliver, recoveryMail } from "../mailer.ts";
import { OTP_LENGTH, storeRecoveryToken, takeMailSlot } from "../one_time_tokens.ts";
import { readParams } from "../params.ts";
import { RecoverParams } from "../schemas.ts";
import { findUserByEmail } from "../users.ts";
import { pkceUnsupported, validateEmail, validatePKCEParams } from "../validation.ts";

export async function recover(app: App, ctx: RequestCtx): Promise<Response> {
  const p = await readParams(ctx.req, RecoverParams);
  const email0 = p.email ?? "";
  if (email0 === "") throw badRequest("validation_failed", "Password recovery requires an email");
  const email = validateEmail(email0);
  validatePKCEParams(p.code_challenge_method ?? "", p.code_challenge ?? "");
  if ((p.code_challenge ?? "") !== "") throw pkceUnsupported();
  takeMailSlot(app, "recovery", email);

  const redirectTo = app.links.referrer(ctx.req);
  inBackground(ctx, async () => {
    const user = await findUserByEmail(app.db, email, "Unable to process request");
    if (!user) return;
    const address = user.email ?? "";
    const tokenHash = generateTokenHash(address, generateOtp(OTP_LENGTH));
    await app.transaction(async (tx) => {
      await audit(tx, actorOf(user), "user_recovery_requested");
      await storeRecoveryToken(tx, user.id, address, tokenHash);
    });
    const link = app.links.verifyLink(tokenHash, "recovery", redirectTo);
    try {
      await deliver(app.outboxDir, recoveryMail(address, link));
    } catch (e) {
      throw internalError("Error sending recovery email", errMessage(e));
    }
  });
  return jsonResponse(200, {});
}

/** Work done after the answer is sent (a mail to a maybe-unknown address); failures are logged. */
export function inBackground(ctx: RequestCtx, work: () => Promise<void>) {
  work().catch((e) => {
    const err = e instanceof AuthHttpError ? e : internalError("Mail not sent", errMessage(e));
    logInternal(ctx.req.method, ctx.path, err);
  });
}
