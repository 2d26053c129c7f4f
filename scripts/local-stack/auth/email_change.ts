// Changing a user's email address: the confirmation mails (to the new and,
// for a secure email change, the current address) and the change itself.

import { actorOf, audit } from "./audit.ts";
import type { App } from "./context.ts";
import { generateOtp, generateTokenHash } from "./crypto.ts";
import type { Db } from "./db.ts";
import { errMessage, internalError } from "./errors.ts";
import { setIdentityAddress } from "./identities.ts";
import { deliver, emailChangeMail } from "./mailer.ts";
import {
  checkEmailFrequency,
  clearOneTimeTokens,
  createOneTimeToken,
  OTP_LENGTH,
} from "./one_time_tokens.ts";
import { findUserById, type UserRow } from "./users.ts";
import { confirmUser, makePermanent } from "./user_writes.ts";

/** sendEmailChange */
async function sendEmailChange(
  app: App,
  tx: Db,
  req: Request,
  user: UserRow,
  newEmail: string,
) {
  checkEmailFrequency(user.email_change_sent_at);
  const otpNew = generateOtp(OTP_LENGTH);
  const tokenNew = generateTokenHash(newEmail, otpNew);
  const currentEmail = user.email ?? "";
  const otpCurrent = currentEmail !== "" ? generateOtp(OTP_LENGTH) : "";
  const tokenCurrent = currentEmail !== "" ? generateTokenHash(currentEmail, otpCurrent) : "";
  const referrer = app.links.referrer(req);
  const link = (tokenHash: string) => app.links.verifyLink(tokenHash, "email_change", referrer);
  try {
    await deliver(app.outboxDir, emailChangeMail(newEmail, newEmail, link(tokenNew), otpNew));
    if (currentEmail !== "") {
      await deliver(
        app.outboxDir,
        emailChangeMail(currentEmail, newEmail, link(tokenCurrent), otpCurrent),
      );
    }
  } catch (e) {
    throw internalError("Error sending email change email", errMessage(e));
  }
  await tx`
    update auth.users set email_change_token_current = ${tokenCurrent},
      email_change_token_new = ${tokenNew}, email_change = ${newEmail},
      email_change_sent_at = now(), email_change_confirm_status = 0, updated_at = now()
    where id = ${user.id}`;
  if (tokenCurrent !== "") {
    await createOneTimeToken(tx, user.id, currentEmail, tokenCurrent, "email_change_token_current");
  }
  await createOneTimeToken(tx, user.id, newEmail, tokenNew, "email_change_token_new");
}

/**
 * emailChangeVerify: makes `user.email_change` the address. With mailer
 * autoconfirm on, a single confirmation completes the change.
 */
export async function applyEmailChange(tx: Db, user: UserRow) {
  const newEmail = user.email_change ?? "";
  await audit(tx, actorOf(user), "user_modified");
  await setIdentityAddress(tx, user.id, "email", newEmail, true);
  if (user.is_anonymous) await makePermanent(tx, user.id);
  // User.ConfirmEmailChange
  await tx`
    update auth.users set email = ${newEmail}, email_change = '', email_change_token_current = '',
      email_change_token_new = '', email_change_confirm_status = 0, updated_at = now()
    where id = ${user.id}`;
  await clearOneTimeTokens(tx, user.id);
  if (!user.email_confirmed_at) await confirmUser(tx, user.id);
}

/** Starts a change of address: anonymous users get it at once, others a confirmation mail. */
export async function requestEmailChange(
  app: App,
  tx: Db,
  req: Request,
  userId: string,
  newEmail: string,
) {
  const current = (await findUserById(tx, userId))!;
  if (current.is_anonymous) {
    await tx`update auth.users set email_change = ${newEmail} where id = ${userId}`;
    await applyEmailChange(tx, (await findUserById(tx, userId))!);
  } else {
    await sendEmailChange(app, tx, req, current, newEmail);
  }
}
