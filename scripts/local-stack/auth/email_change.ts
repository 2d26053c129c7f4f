// Changing a user's email address: the confirmation mails (to the new and, for a
// secure email change, the current address) and the change itself.

import { actorOf, audit } from "./audit.ts";
import type { App } from "./context.ts";
import { generateOtp, generateTokenHash } from "./crypto.ts";
import type { Db } from "./db.ts";
import { errMessage, internalError } from "./errors.ts";
import { setIdentityAddress } from "./identities.ts";
import { deliver, emailChangeMail } from "./mailer.ts";
import {
  clearOneTimeTokens,
  createOneTimeToken,
  invalidateToken,
  OTP_LENGTH,
  takeMailSlot,
} from "./one_time_tokens.ts";
import { findUserById, type UserRow } from "./users.ts";
import { confirmUser, makePermanent } from "./user_writes.ts";

/** GoTrue's answer when the first of the two links of a secure email change is followed. */
export const SINGLE_CONFIRMATION_ACCEPTED =
  "Confirmation link accepted. Please proceed to confirm link sent to the other email";

/** sendEmailChange: a link to the new address and, for a secure change, one to the current. */
async function sendEmailChange(
  app: App,
  tx: Db,
  req: Request,
  user: UserRow,
  newEmail: string,
) {
  takeMailSlot(app, "email_change", user.id);
  const otpNew = generateOtp(OTP_LENGTH);
  const tokenNew = generateTokenHash(newEmail, otpNew);
  const currentEmail = user.email ?? "";
  const secure = app.settings.doubleConfirmChanges && currentEmail !== "";
  const tokenCurrent = secure ? generateTokenHash(currentEmail, generateOtp(OTP_LENGTH)) : "";
  const referrer = app.links.referrer(req);
  const link = (tokenHash: string) => app.links.verifyLink(tokenHash, "email_change", referrer);
  try {
    await deliver(
      app.outboxDir,
      emailChangeMail(newEmail, currentEmail, newEmail, link(tokenNew)),
    );
    if (secure) {
      await deliver(
        app.outboxDir,
        emailChangeMail(currentEmail, currentEmail, newEmail, link(tokenCurrent)),
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
  if (secure) {
    await createOneTimeToken(tx, user.id, currentEmail, tokenCurrent, "email_change_token_current");
  } else {
    await invalidateToken(tx, user.id, "email_change_token_current");
  }
  await createOneTimeToken(tx, user.id, newEmail, tokenNew, "email_change_token_new");
}

/**
 * emailChangeVerify. A secure change (both tokens sent) needs both links: the first one
 * followed is spent and recorded (email_change_confirm_status = 1) and the change waits
 * ("applied": false); the second makes `user.email_change` the address.
 */
export async function verifyEmailChange(
  app: App,
  tx: Db,
  user: UserRow,
  tokenHash: string,
): Promise<{ applied: boolean }> {
  const bothSent = (user.email_change_token_current ?? "") !== "" &&
    (user.email_change_token_new ?? "") !== "";
  if (
    app.settings.doubleConfirmChanges && bothSent && (user.email_change_confirm_status ?? 0) === 0
  ) {
    const column = matches(tokenHash, user.email_change_token_current)
      ? "email_change_token_current"
      : "email_change_token_new";
    await invalidateToken(tx, user.id, column);
    await tx`update auth.users set email_change_confirm_status = 1 where id = ${user.id}`;
    return { applied: false };
  }
  await applyEmailChange(tx, user);
  return { applied: true };
}

function matches(tokenHash: string, stored: string | null): boolean {
  return !!stored && (stored === tokenHash || stored === "pkce_" + tokenHash);
}

/** User.ConfirmEmailChange: makes `user.email_change` the address. */
async function applyEmailChange(tx: Db, user: UserRow) {
  const newEmail = user.email_change ?? "";
  await audit(tx, actorOf(user), "user_modified");
  await setIdentityAddress(tx, user.id, "email", newEmail, true);
  if (user.is_anonymous) await makePermanent(tx, user.id);
  await tx`
    update auth.users set email = ${newEmail}, email_change = '', email_change_token_current = '',
      email_change_token_new = '', email_change_confirm_status = 0, updated_at = now()
    where id = ${user.id}`;
  await clearOneTimeTokens(tx, user.id);
  if (!user.email_confirmed_at) await confirmUser(tx, user.id);
}

/** Starts a change of address: anonymous users get it at once, others confirmation mails. */
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
