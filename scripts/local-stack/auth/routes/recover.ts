// POST /recover (api.Recover + sendPasswordRecovery): mails a recovery link
// and code. Unknown addresses get the same answer (no user enumeration).

import { actorOf, audit } from "../audit.ts";
import type { App, RequestCtx } from "../context.ts";
import { generateOtp, generateTokenHash } from "../crypto.ts";
import { badRequest, errMessage, internalError, jsonResponse } from "../errors.ts";
import { deliver, recoveryMail } from "../mailer.ts";
import { checkEmailFrequency, OTP_LENGTH, storeRecoveryToken } from "../one_time_tokens.ts";
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

  const user = await findUserByEmail(app.db, email, "Unable to process request");
  if (!user) return jsonResponse(200, {});

  await app.transaction(async (tx) => {
    await audit(tx, actorOf(user), "user_recovery_requested");
    checkEmailFrequency(user.recovery_sent_at);
    const address = user.email ?? "";
    const otp = generateOtp(OTP_LENGTH);
    const tokenHash = generateTokenHash(address, otp);
    const link = app.links.verifyLink(tokenHash, "recovery", app.links.referrer(ctx.req));
    try {
      await deliver(app.outboxDir, recoveryMail(address, link, otp));
    } catch (e) {
      throw internalError("Error sending recovery email", errMessage(e));
    }
    await storeRecoveryToken(tx, user.id, address, tokenHash);
  });
  return jsonResponse(200, {});
}
