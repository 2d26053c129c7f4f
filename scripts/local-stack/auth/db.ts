// Database access for the Auth stand-in: the same rows, columns and statement
// order GoTrue's models (internal/models) produce, so triggers on auth.users
// fire as they do on hosted Supabase.

import type postgres from "postgres";
import { randomUUID } from "node:crypto";
import { internalError } from "./errors.ts";
import { goTime, NIL_UUID, sortKeysDeep } from "./util.ts";

// deno-lint-ignore no-explicit-any
export type Db = postgres.ISql<any>;
export type Json = postgres.JSONValue;
export type JsonMap = Record<string, unknown>;

export const AUD = "authenticated";

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

export interface IdentityRow {
  provider_id: string;
  user_id: string;
  identity_data: JsonMap | null;
  provider: string;
  last_sign_in_at: string | null;
  created_at: string | null;
  updated_at: string | null;
  email: string | null;
  id: string;
}

export interface SessionRow {
  id: string;
  user_id: string;
  created_at: string | null;
  not_after_passed: boolean;
}

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
  forUpdate = false,
): Promise<UserRow | null> {
  const rows = forUpdate
    ? await db<UserRow[]>`
      select u.*, (u.banned_until is not null and u.banned_until > now()) as is_banned
      from auth.users u where u.instance_id = ${NIL_UUID} and u.id = ${id} limit 1 for update`
    : await db<UserRow[]>`
      select u.*, (u.banned_until is not null and u.banned_until > now()) as is_banned
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
    select u.*, (u.banned_until is not null and u.banned_until > now()) as is_banned
    from auth.users u
    where u.instance_id = ${NIL_UUID} and lower(u.email) = ${email.toLowerCase()}
      and u.aud = ${AUD} and u.is_sso_user = false
    order by u.id limit 1`;
  return rows.length ? checkScannable(rows[0], failMessage) : null;
}

/** models.FindUserByPhoneAndAudience */
export async function findUserByPhone(db: Db, phone: string): Promise<UserRow | null> {
  const rows = await db<UserRow[]>`
    select u.*, (u.banned_until is not null and u.banned_until > now()) as is_banned
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

export async function findIdentities(db: Db, userId: string): Promise<IdentityRow[]> {
  return await db<IdentityRow[]>`
    select * from auth.identities where user_id = ${userId} order by created_at, id`;
}

export async function findIdentity(
  db: Db,
  providerId: string,
  provider: string,
): Promise<IdentityRow | null> {
  const rows = await db<IdentityRow[]>`
    select * from auth.identities where provider_id = ${providerId} and provider = ${provider}
    limit 1`;
  return rows[0] ?? null;
}

export async function findSession(db: Db, id: string, forUpdate = false): Promise<
  SessionRow | null
> {
  const rows = forUpdate
    ? await db<SessionRow[]>`
      select id, user_id, created_at, (not_after is not null and now() > not_after) as not_after_passed
      from auth.sessions where id = ${id} limit 1 for update`
    : await db<SessionRow[]>`
      select id, user_id, created_at, (not_after is not null and now() > not_after) as not_after_passed
      from auth.sessions where id = ${id} limit 1`;
  return rows[0] ?? null;
}

// ---------------------------------------------------------------------------
// JSON shapes (models.User / models.Identity marshalled by encoding/json)
// ---------------------------------------------------------------------------

export function identityJson(i: IdentityRow): JsonMap {
  const out: JsonMap = {
    identity_id: i.id,
    id: i.provider_id,
    user_id: i.user_id,
  };
  if (i.identity_data && Object.keys(i.identity_data).length) {
    out.identity_data = sortKeysDeep(i.identity_data);
  }
  out.provider = i.provider;
  if (i.last_sign_in_at) out.last_sign_in_at = goTime(i.last_sign_in_at);
  out.created_at = goTime(i.created_at) ?? "0001-01-01T00:00:00Z";
  out.updated_at = goTime(i.updated_at) ?? "0001-01-01T00:00:00Z";
  if (i.email) out.email = i.email;
  return out;
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

export async function loadUserJson(db: Db, userId: string): Promise<JsonMap> {
  const u = await findUserById(db, userId);
  if (!u) throw internalError("Database error loading user", `user ${userId} vanished`);
  return userJson(u, await findIdentities(db, userId));
}

// ---------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------

function splitUpdates(updates: JsonMap): { set: JsonMap; remove: string[] } {
  const set: JsonMap = {};
  const remove: string[] = [];
  for (const [k, v] of Object.entries(updates)) {
    if (v === null || v === undefined) remove.push(k);
    else set[k] = v;
  }
  return { set, remove };
}

/** User.UpdateUserMetaData: merge; a null value deletes the key. */
export async function updateUserMetaData(db: Db, userId: string, updates: JsonMap) {
  const { set, remove } = splitUpdates(updates);
  await db`
    update auth.users set
      raw_user_meta_data = (coalesce(raw_user_meta_data, '{}'::jsonb) || ${
    db.json(set as Json)
  }::jsonb)
        - (select coalesce(array_agg(k), '{}'::text[]) from jsonb_array_elements_text(${
    db.json(remove)
  }::jsonb) k),
      updated_at = now()
    where id = ${userId}`;
}

/** User.UpdateAppMetaData: merge; a null value deletes the key. */
export async function updateAppMetaData(db: Db, userId: string, updates: JsonMap) {
  const { set, remove } = splitUpdates(updates);
  await db`
    update auth.users set
      raw_app_meta_data = (coalesce(raw_app_meta_data, '{}'::jsonb) || ${
    db.json(set as Json)
  }::jsonb)
        - (select coalesce(array_agg(k), '{}'::text[]) from jsonb_array_elements_text(${
    db.json(remove)
  }::jsonb) k),
      updated_at = now()
    where id = ${userId}`;
}

/** Identity.UpdateIdentityData */
export async function updateIdentityData(db: Db, identityId: string, updates: JsonMap) {
  const { set, remove } = splitUpdates(updates);
  await db`
    update auth.identities set
      identity_data = (identity_data || ${db.json(set as Json)}::jsonb)
        - (select coalesce(array_agg(k), '{}'::text[]) from jsonb_array_elements_text(${
    db.json(remove)
  }::jsonb) k),
      updated_at = now()
    where id = ${identityId}`;
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

/** api.createNewIdentity / models.NewIdentity */
export async function createIdentity(
  db: Db,
  userId: string,
  provider: string,
  identityData: JsonMap,
): Promise<IdentityRow> {
  const data: JsonMap = { ...identityData };
  if (typeof data.email === "string") data.email = data.email.toLowerCase();
  const rows = await db<IdentityRow[]>`
    insert into auth.identities
      (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at, id)
    values
      (${String(data.sub)}, ${userId}, ${
    db.json(data as Json)
  }::jsonb, ${provider}, now(), now(), now(),
       ${randomUUID()})
    returning *`;
  return rows[0];
}

/** models.ClearAllOneTimeTokensForUser */
export async function clearOneTimeTokens(db: Db, userId: string) {
  await db`delete from auth.one_time_tokens where user_id = ${userId}`;
}

/** models.CreateOneTimeToken */
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

export interface AuditActor {
  id: string;
  email: string;
  phone: string;
  isSsoUser: boolean;
  fullName?: unknown;
}

export function actorOf(u: UserRow): AuditActor {
  return {
    id: u.id,
    email: u.email ?? "",
    phone: u.phone ?? "",
    isSsoUser: u.is_sso_user,
    fullName: u.raw_user_meta_data?.full_name,
  };
}

const LOG_TYPES: Record<string, string> = {
  login: "account",
  logout: "account",
  user_signedup: "team",
  user_deleted: "team",
  token_revoked: "token",
  token_refreshed: "token",
  user_modified: "user",
  user_recovery_requested: "user",
  user_repeated_signup: "user",
  user_updated_password: "user",
};

/** models.NewAuditLogEntry */
export async function audit(db: Db, actor: AuditActor, action: string, traits?: JsonMap) {
  const payload: JsonMap = {
    actor_id: actor.id,
    actor_via_sso: actor.isSsoUser,
    actor_username: actor.phone !== "" ? actor.phone : actor.email,
    action,
    log_type: LOG_TYPES[action] ?? "",
  };
  if (actor.fullName !== undefined) payload.actor_name = actor.fullName;
  if (traits) payload.traits = traits;
  await db`
    insert into auth.audit_log_entries (instance_id, id, payload, created_at, ip_address)
    values (${NIL_UUID}, ${randomUUID()}, ${db.json(sortKeysDeep(payload) as Json)}::json, now(),
            '')`;
}
