// Writes to auth.users rows (models.User methods), in the statement order
// GoTrue uses so that triggers on auth.users fire as on hosted Supabase.

import { obfuscateValue } from "./crypto.ts";
import { type Db, type Fragment, type Json, type JsonMap, mergedJson, NIL_UUID } from "./db.ts";
import { softDeleteIdentities } from "./identities.ts";
import { clearOneTimeTokens } from "./one_time_tokens.ts";
import { endSessions } from "./sessions.ts";
import type { UserRow } from "./users.ts";

/** A bcrypt hash of `password` computed by pgcrypto, cost 10 like GoTrue. */
export const bcrypt = (db: Db, password: string) =>
  db`extensions.crypt(${password}, extensions.gen_salt('bf', 10))`;

/** models.NewUser + Create: every column GoTrue writes, role '' until setRole. */
export async function insertUser(db: Db, user: {
  id: string;
  aud: string;
  email: string | null;
  phone: string | null;
  passwordHash: Fragment;
  appMetaData: JsonMap;
  userMetaData: JsonMap;
}) {
  await db`
    insert into auth.users (
      instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, invited_at,
      confirmation_token, confirmation_sent_at, recovery_token, recovery_sent_at,
      email_change_token_new, email_change, email_change_sent_at, last_sign_in_at,
      raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
      phone, phone_confirmed_at, phone_change, phone_change_token, phone_change_sent_at,
      email_change_token_current, email_change_confirm_status, banned_until,
      reauthentication_token, reauthentication_sent_at, is_sso_user, deleted_at, is_anonymous
    ) values (
      ${NIL_UUID}, ${user.id}, ${user.aud}, '', ${user.email}, ${user.passwordHash}, null, null,
      '', null, '', null,
      '', '', null, null,
      ${db.json(user.appMetaData as Json)}::jsonb, ${db.json(user.userMetaData as Json)}::jsonb,
      now(), now(),
      ${user.phone}, null, '', '', null,
      '', 0, null,
      '', null, false, null, false
    )`;
}

export async function setRole(db: Db, userId: string, role: string) {
  await db`update auth.users set role = ${role.trim()}, updated_at = now() where id = ${userId}`;
}

/** `durationMs` 0 lifts the ban. */
export async function ban(db: Db, userId: string, durationMs: number) {
  if (durationMs === 0) {
    await db`update auth.users set banned_until = null, updated_at = now() where id = ${userId}`;
  } else {
    await db`
      update auth.users set banned_until = now() + ${durationMs} * interval '1 millisecond',
        updated_at = now()
      where id = ${userId}`;
  }
}

/** User.UpdateUserMetaData: merge; a null value deletes the key. */
export async function updateUserMetaData(db: Db, userId: string, updates: JsonMap) {
  const merged = mergedJson(db, db`coalesce(raw_user_meta_data, '{}'::jsonb)`, updates);
  await db`update auth.users set raw_user_meta_data = ${merged}, updated_at = now()
    where id = ${userId}`;
}

/** User.UpdateAppMetaData: merge; a null value deletes the key. */
export async function updateAppMetaData(db: Db, userId: string, updates: JsonMap) {
  const merged = mergedJson(db, db`coalesce(raw_app_meta_data, '{}'::jsonb)`, updates);
  await db`update auth.users set raw_app_meta_data = ${merged}, updated_at = now()
    where id = ${userId}`;
}

/** User.UpdateAppMetaDataProviders: {provider, providers} from the user's identities. */
export async function updateAppMetaDataProviders(db: Db, userId: string) {
  const rows = await db<{ provider: string }[]>`
    select provider from auth.identities where user_id = ${userId} order by created_at asc`;
  const providers: string[] = [];
  for (const r of rows) if (!providers.includes(r.provider)) providers.push(r.provider);
  const payload: JsonMap = { providers };
  if (providers.length) payload.provider = providers[0];
  await updateAppMetaData(db, userId, payload);
}

/** User.Confirm: email_confirmed_at, user_metadata.email_verified, one-time tokens cleared. */
export async function confirmUser(db: Db, userId: string) {
  await db`
    update auth.users set confirmation_token = '', email_confirmed_at = now(), updated_at = now()
    where id = ${userId}`;
  await updateUserMetaData(db, userId, { email_verified: true });
  await clearOneTimeTokens(db, userId);
}

/** User.ConfirmPhone */
export async function confirmPhone(db: Db, userId: string) {
  await db`
    update auth.users set confirmation_token = '', phone_confirmed_at = now(), updated_at = now()
    where id = ${userId}`;
  await clearOneTimeTokens(db, userId);
}

/** An anonymous user that got a confirmed email or phone becomes a permanent one. */
export async function makePermanent(db: Db, userId: string) {
  await db`update auth.users set is_anonymous = false, updated_at = now() where id = ${userId}`;
}

/** User.UpdatePassword: new hash, pending tokens cleared, other sessions ended. */
export async function updatePassword(
  db: Db,
  userId: string,
  password: string,
  keepSessionId: string | null,
) {
  if (password === "") {
    await db`update auth.users set encrypted_password = null where id = ${userId}`;
  } else {
    await db`
      update auth.users set encrypted_password = ${bcrypt(db, password)} where id = ${userId}`;
  }
  await db`
    update auth.users set
      confirmation_token = '', confirmation_sent_at = null,
      recovery_token = '', recovery_sent_at = null,
      email_change_token_current = '', email_change_token_new = '', email_change_sent_at = null,
      phone_change_token = '', phone_change_sent_at = null,
      reauthentication_token = '', reauthentication_sent_at = null,
      updated_at = now()
    where id = ${userId}`;
  await clearOneTimeTokens(db, userId);
  await endSessions(db, userId, keepSessionId);
}

export async function deleteUser(db: Db, userId: string) {
  await db`delete from auth.users where id = ${userId}`;
}

/** User.SoftDeleteUser + SoftDeleteUserIdentities: the row stays, anonymised. */
export async function softDeleteUser(db: Db, user: UserRow) {
  const obfuscate = (value: string | null) => obfuscateValue(user.id, value ?? "");
  await db`
    update auth.users set
      email = ${obfuscate(user.email)},
      phone = ${obfuscate(user.phone).slice(0, 15)},
      encrypted_password = null,
      email_change = ${obfuscate(user.email_change)},
      phone_change = ${obfuscate(user.phone_change).slice(0, 15)},
      confirmation_token = '', recovery_token = '', email_change_token_current = '',
      email_change_token_new = '', phone_change_token = '',
      deleted_at = now(), updated_at = now()
    where id = ${user.id}`;
  await clearOneTimeTokens(db, user.id);
  await db`
    update auth.users set raw_user_meta_data = '{}'::jsonb, raw_app_meta_data = '{}'::jsonb,
      updated_at = now()
    where id = ${user.id}`;
  await endSessions(db, user.id, null);
  await softDeleteIdentities(db, user.id);
}
