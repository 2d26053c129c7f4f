// auth.users rows (models.User) as the stand-in reads them, and their GoTrue
// JSON. Writes are in user_writes.ts.

import { internalError } from "./errors.ts";
import { type Db, type JsonMap, NIL_UUID } from "./db.ts";
import { goTime, sortKeysDeep } from "./go_compat.ts";
import { findIdentities, identityJson, type IdentityRow } from "./identities.ts";

export const AUD = "authenticated";
export const DUPLICATE_EMAIL_MSG = "A user with this email address has already been registered";

/** auth.users as read by the stand-in; timestamps are PostgreSQL text (TimeZone=UTC). */
export interface UserRow {
  instance_id: string | null;
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  encrypted_password: string | null;
  email_confirmed_at: string | null;
  invited_at: string | null;
  confirmation_token: string | null;
  confirmation_sent_at: string | null;
  recovery_token: string | null;
  recovery_sent_at: string | null;
  email_change_token_new: string | null;
  email_change: string | null;
  email_change_sent_at: string | null;
  last_sign_in_at: string | null;
  raw_app_meta_data: JsonMap | null;
  raw_user_meta_data: JsonMap | null;
  created_at: string | null;
  updated_at: string | null;
  phone: string | null;
  phone_confirmed_at: string | null;
  phone_change: string | null;
  phone_change_token: string | null;
  phone_change_sent_at: string | null;
  confirmed_at: string | null;
  email_change_token_current: string | null;
  email_change_confirm_status: number | null;
  banned_until: string | null;
  reauthentication_token: string | null;
  reauthentication_sent_at: string | null;
  is_sso_user: boolean;
  deleted_at: string | null;
  is_anonymous: boolean;
  /** computed: banned_until > now() */
  is_banned: boolean;
}

/** The select list of every user lookup (table alias `u`). */
const userColumns = (db: Db) =>
  db`u.*, (u.banned_until is not null and u.banned_until > now()) as is_banned`;

/**
 * GoTrue scans these columns into Go strings; a NULL in any of them makes every
 * lookup of that user fail ("converting NULL to string is unsupported"). Users
 * seeded by hand-written SQL hit this on real Supabase, so the stand-in fails
 * the same way instead of hiding the problem.
 */
const NON_NULL_STRING_COLUMNS = [
  "aud",
  "role",
  "confirmation_token",
  "recovery_token",
  "email_change_token_new",
  "email_change",
  "email_change_token_current",
  "phone_change",
  "phone_change_token",
  "reauthentication_token",
] as const;

function checkScannable(row: UserRow, failMessage: string): UserRow {
  for (const col of NON_NULL_STRING_COLUMNS) {
    if (row[col] === null) {
      throw internalError(
        failMessage,
        `auth.users.${col} is NULL for user ${row.id}: sql: Scan error on column "${col}": converting NULL to string is unsupported`,
      );
    }
  }
  return row;
}

export async function findUserById(
  db: Db,
  id: string,
  failMessage = "Database error finding user",
): Promise<UserRow | null> {
  const rows = await db<UserRow[]>`
    select ${userColumns(db)}
    from auth.users u where u.instance_id = ${NIL_UUID} and u.id = ${id} limit 1`;
  return rows.length ? checkScannable(rows[0], failMessage) : null;
}

/** models.FindUserByEmailAndAudience */
export async function findUserByEmail(
  db: Db,
  email: string,
  failMessage = "Database error finding user",
): Promise<UserRow | null> {
  const rows = await db<UserRow[]>`
    select ${userColumns(db)}
    from auth.users u
    where u.instance_id = ${NIL_UUID} and lower(u.email) = ${email.toLowerCase()}
      and u.aud = ${AUD} and u.is_sso_user = false
    order by u.id limit 1`;
  return rows.length ? checkScannable(rows[0], failMessage) : null;
}

/** models.FindUserByPhoneAndAudience */
export async function findUserByPhone(db: Db, phone: string): Promise<UserRow | null> {
  const rows = await db<UserRow[]>`
    select ${userColumns(db)}
    from auth.users u
    where u.instance_id = ${NIL_UUID} and u.phone = ${phone} and u.aud = ${AUD}
      and u.is_sso_user = false
    order by u.id limit 1`;
  return rows.length ? checkScannable(rows[0], "Database error finding user") : null;
}

/**
 * models.IsDuplicatedEmail: an identity with that (lower-cased) email belonging
 * to another user of the audience, or a user with that email.
 */
export async function findDuplicateEmailUser(
  db: Db,
  email: string,
  currentUserId: string | null,
): Promise<UserRow | null> {
  const ids = await db<{ user_id: string }[]>`
    select distinct i.user_id from auth.identities i where i.email = ${email.toLowerCase()}`;
  for (const { user_id } of ids) {
    if (user_id === currentUserId) continue;
    const u = await findUserById(db, user_id);
    if (u && u.aud === AUD) return u;
  }
  return await findUserByEmail(db, email);
}

/** GET /admin/users: one page of the audience's users, optionally filtered. */
export async function listUsers(db: Db, opts: {
  filter: string;
  descending: boolean;
  limit: number;
  offset: number;
}): Promise<{ total: number; users: UserRow[] }> {
  const like = `%${opts.filter}%`;
  const where = opts.filter !== ""
    ? db`instance_id = ${NIL_UUID} and aud = ${AUD}
         and (email like ${like} or raw_user_meta_data->>'full_name' ilike ${like})`
    : db`instance_id = ${NIL_UUID} and aud = ${AUD}`;
  const countRows = await db<{ n: string }[]>`
    select count(*)::text as n from auth.users where ${where}`;
  const users = await db<UserRow[]>`
    select ${userColumns(db)}
    from auth.users u where ${where} order by created_at ${opts.descending ? db`desc` : db`asc`}
    limit ${opts.limit} offset ${opts.offset}`;
  return { total: Number(countRows[0].n), users };
}

export async function passwordMatches(db: Db, userId: string, password: string): Promise<boolean> {
  try {
    const rows = await db<{ ok: boolean | null }[]>`
      select (encrypted_password = extensions.crypt(${password}, encrypted_password)) as ok
      from auth.users where id = ${userId}`;
    return rows[0]?.ok === true;
  } catch {
    // Not a hash pgcrypto understands (e.g. argon2): GoTrue would not match either.
    return false;
  }
}

export function userJson(u: UserRow, identities: IdentityRow[]): JsonMap {
  const out: JsonMap = {
    id: u.id,
    aud: u.aud ?? "",
    role: u.role ?? "",
    email: u.email ?? "",
  };
  const opt = (key: string, ts: string | null) => {
    if (ts) out[key] = goTime(ts);
  };
  opt("email_confirmed_at", u.email_confirmed_at);
  opt("invited_at", u.invited_at);
  out.phone = u.phone ?? "";
  opt("phone_confirmed_at", u.phone_confirmed_at);
  opt("confirmation_sent_at", u.confirmation_sent_at);
  opt("confirmed_at", u.confirmed_at);
  opt("recovery_sent_at", u.recovery_sent_at);
  if (u.email_change) out.new_email = u.email_change;
  opt("email_change_sent_at", u.email_change_sent_at);
  if (u.phone_change) out.new_phone = u.phone_change;
  opt("phone_change_sent_at", u.phone_change_sent_at);
  opt("reauthentication_sent_at", u.reauthentication_sent_at);
  opt("last_sign_in_at", u.last_sign_in_at);
  out.app_metadata = sortKeysDeep(u.raw_app_meta_data ?? {});
  out.user_metadata = sortKeysDeep(u.raw_user_meta_data ?? {});
  out.identities = identities.map(identityJson);
  out.created_at = goTime(u.created_at) ?? "0001-01-01T00:00:00Z";
  out.updated_at = goTime(u.updated_at) ?? "0001-01-01T00:00:00Z";
  opt("banned_until", u.banned_until);
  opt("deleted_at", u.deleted_at);
  out.is_anonymous = u.is_anonymous;
  return out;
}

/** The user's JSON as GoTrue returns it, read fresh. */
export async function loadUserJson(db: Db, userId: string): Promise<JsonMap> {
  const u = await findUserById(db, userId);
  if (!u) throw internalError("Database error loading user", `user ${userId} vanished`);
  return userJson(u, await findIdentities(db, userId));
}
