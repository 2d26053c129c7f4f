// The signup confirmation mail (sendConfirmation): proof that the person signing up
// owns the address. Until its link is followed the user has no email_confirmed_at,
// cannot sign in, and database triggers that trust confirmed addresses do not fire.

import { actorOf, audit } from "./audit.ts";
import type { App } from "./context.ts";
import { generateOtp, generateTokenHash } from "./crypto.ts";
import type { Db } from "./db.ts";
import { errMessage, internalError } from "./errors.ts";
import { confirmationMail, deliver, type OutboxMail } from "./mailer.ts";
import { OTP_LENGTH, storeConfirmationToken } from "./one_time_tokens.ts";
import type { UserRow } from "./users.ts";

/**
 * Stores a fresh confirmation token; returns its code, link and the mail, which the caller
 * delivers once the transaction has committed (a link that arrives first must work).
 */
export async function createConfirmation(
  app: App,
  tx: Db,
  req: Request,
  user: UserRow,
  redirectTo?: string,
): Promise<{ otp: string; tokenHash: string; link: string; mail: OutboxMail }> {
  const address = user.email ?? "";
  const otp = generateOtp(OTP_LENGTH);
  const tokenHash = generateTokenHash(address, otp);
  const link = app.links.verifyLink(
    tokenHash,
    "signup",
    redirectTo ?? app.links.referrer(req),
  );
  await audit(tx, actorOf(user), "user_confirmation_requested", { provider: "email" });
  await storeConfirmationToken(tx, user.id, address, tokenHash);
  return { otp, tokenHash, link, mail: confirmationMail(address, link) };
}

export async function deliverConfirmation(app: App, mail: OutboxMail) {
  try {
    await deliver(app.outboxDir, mail);
  } catch (e) {
    throw internalError("Error sending confirmation email", errMessage(e));
  }
}
