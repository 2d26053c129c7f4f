// One-time tokens sent by mail: the auth.users token columns GoTrue checks
// plus the auth.one_time_tokens rows that index them by hash.

import { randomUUID } from "node:crypto";
import type { App } from "./context.ts";
import { tooManyRequests } from "./errors.ts";
import type { Db } from "./db.ts";
import { pgMs } from "./go_compat.ts";

export const OTP_LENGTH = 6; // [auth.email] otp_length, the CLI's default

/** Wrong codes after which a one-time token is spent (a 6-digit code then holds against guessing). */
export const MAX_OTP_FAILURES = 5;

export function otpExpired(sentAt: string | null, expirySeconds: number): boolean {
  const t = pgMs(sentAt);
  return t === null || Date.now() > t + expirySeconds * 1000;
}

/** The code a user typed against the stored hash (PKCE flows store it prefixed). */
export function isOtpValid(
  actual: string,
  expected: string | null,
  sentAt: string | null,
  expirySeconds: number,
): boolean {
  if (!expected || !sentAt) return false;
  return !otpExpired(sentAt, expirySeconds) &&
    (actual === expected || "pkce_" + actual === expected);
}

/**
 * [auth.email] max_frequency: one mail of a kind per address per interval. Asked before
 * looking the address up, so an unknown address is limited exactly like a known one.
 */
export function takeMailSlot(app: App, kind: string, address: string) {
  const key = `${kind}\u0000${address.toLowerCase()}`;
  if (!app.mailLimiter.take(key)) {
    throw tooManyRequests(
      "over_email_send_rate_limit",
      `For security purposes, you can only request this after ${
        app.mailLimiter.retryAfterSeconds(key)
      } seconds.`,
    );
  }
}

/** models.ClearAllOneTimeTokensForUser */
export async function clearOneTimeTokens(db: Db, userId: string) {
  await db`delete from auth.one_time_tokens where user_id = ${userId}`;
}

/** models.CreateOneTimeToken: replaces the user's token of that type. */
export async function createOneTimeToken(
  db: Db,
  userId: string,
  relatesTo: string,
  tokenHash: string,
  tokenType: string,
) {
  await db`
    delete from auth.one_time_tokens where token_type = ${tokenType}::auth.one_time_token_type
      and user_id = ${userId}`;
  await db`
    insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to, created_at, updated_at)
    values (${randomUUID()}, ${userId}, ${tokenType}::auth.one_time_token_type, ${tokenHash},
            ${relatesTo.toLowerCase()}, now(), now())`;
}

/** The user id a one-time token of one of `types` with that hash belongs to. */
export async function findOneTimeTokenUserId(
  db: Db,
  tokenHash: string,
  types: string[],
): Promise<string | null> {
  const [a, b] = [types[0], types[1] ?? types[0]];
  const rows = await db<{ user_id: string }[]>`
    select user_id from auth.one_time_tokens
    where (token_type::text = ${a} or token_type::text = ${b}) and token_hash = ${tokenHash}
    limit 1`;
  return rows[0]?.user_id ?? null;
}

/** Stores a recovery (or magic link) token for the user; the caller mails or returns it. */
export async function storeRecoveryToken(db: Db, userId: string, email: string, tokenHash: string) {
  await db`
    update auth.users set recovery_token = ${tokenHash}, recovery_sent_at = now(),
      updated_at = now()
    where id = ${userId}`;
  await createOneTimeToken(db, userId, email, tokenHash, "recovery_token");
}

/** Stores a signup confirmation token for the user; the caller mails it. */
export async function storeConfirmationToken(
  db: Db,
  userId: string,
  email: string,
  tokenHash: string,
) {
  await db`
    update auth.users set confirmation_token = ${tokenHash}, confirmation_sent_at = now(),
      updated_at = now()
    where id = ${userId}`;
  await createOneTimeToken(db, userId, email, tokenHash, "confirmation_token");
}

/** The auth.users column of each one-time token type. */
export type TokenColumn =
  | "confirmation_token"
  | "recovery_token"
  | "email_change_token_current"
  | "email_change_token_new";

/** Spends one outstanding token (too many wrong codes): neither its link nor its code works. */
export async function invalidateToken(db: Db, userId: string, column: TokenColumn) {
  await db`update auth.users set ${db(column)} = '', updated_at = now() where id = ${userId}`;
  await db`
    delete from auth.one_time_tokens
    where user_id = ${userId} and token_type = ${column}::auth.one_time_token_type`;
}

/** User.Recover: the recovery token is spent. */
export async function clearRecoveryToken(db: Db, userId: string) {
  await db`update auth.users set recovery_token = '', updated_at = now() where id = ${userId}`;
  await clearOneTimeTokens(db, userId);
}
