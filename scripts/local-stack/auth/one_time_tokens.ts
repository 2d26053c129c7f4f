// One-time tokens sent by mail: the auth.users token columns GoTrue checks
// plus the auth.one_time_tokens rows that index them by hash.

import { randomUUID } from "node:crypto";
import { tooManyRequests } from "./errors.ts";
import type { Db } from "./db.ts";
import { pgMs } from "./go_compat.ts";

// Defaults of `supabase start` (supabase/config.toml).
export const OTP_LENGTH = 6; // [auth.email] otp_length
const OTP_EXPIRY_SECONDS = 3600; // [auth.email] otp_expiry
const EMAIL_MAX_FREQUENCY_SECONDS = 1; // [auth.email] max_frequency = "1s"

export function otpExpired(sentAt: string | null): boolean {
  const t = pgMs(sentAt);
  return t === null || Date.now() > t + OTP_EXPIRY_SECONDS * 1000;
}

/** The code a user typed against the stored hash (PKCE flows store it prefixed). */
export function isOtpValid(
  actual: string,
  expected: string | null,
  sentAt: string | null,
): boolean {
  if (!expected || !sentAt) return false;
  return !otpExpired(sentAt) && (actual === expected || "pkce_" + actual === expected);
}

/** [auth.email] max_frequency: one mail of a kind per interval. */
export function checkEmailFrequency(lastSentAt: string | null) {
  const sentAt = pgMs(lastSentAt);
  if (sentAt !== null && sentAt + EMAIL_MAX_FREQUENCY_SECONDS * 1000 > Date.now()) {
    const left = Math.trunc((sentAt + EMAIL_MAX_FREQUENCY_SECONDS * 1000 - Date.now()) / 1000);
    throw tooManyRequests(
      "over_email_send_rate_limit",
      `For security purposes, you can only request this after ${left} seconds.`,
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

/** User.Recover: the recovery token is spent. */
export async function clearRecoveryToken(db: Db, userId: string) {
  await db`update auth.users set recovery_token = '', updated_at = now() where id = ${userId}`;
  await clearOneTimeTokens(db, userId);
}
