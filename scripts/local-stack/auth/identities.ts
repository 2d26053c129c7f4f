// auth.identities rows (models.Identity) and their GoTrue JSON.

import { randomUUID } from "node:crypto";
import { obfuscateValue } from "./crypto.ts";
import { type Db, type Json, type JsonMap, mergedJson } from "./db.ts";
import { goTime, sortKeysDeep } from "./go_compat.ts";

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

export async function findIdentities(db: Db, userId: string): Promise<IdentityRow[]> {
  return await db<IdentityRow[]>`
    select * from auth.identities where user_id = ${userId} order by created_at, id`;
}

export async function findIdentitiesOfUsers(db: Db, userIds: string[]): Promise<IdentityRow[]> {
  if (!userIds.length) return [];
  return await db<IdentityRow[]>`
    select * from auth.identities where user_id = any(${db.array(userIds)}::uuid[])
    order by created_at, id`;
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
      (${String(data.sub)}, ${userId}, ${db.json(data as Json)}::jsonb, ${provider}, now(), now(),
       now(), ${randomUUID()})
    returning *`;
  return rows[0];
}

/** Identity.UpdateIdentityData: merge; a null value deletes the key. */
export async function updateIdentityData(db: Db, identityId: string, updates: JsonMap) {
  await db`
    update auth.identities set
      identity_data = ${mergedJson(db, db`identity_data`, updates)},
      updated_at = now()
    where id = ${identityId}`;
}

export async function deleteOtherIdentities(db: Db, userId: string, keepIdentityId: string) {
  await db`delete from auth.identities where user_id = ${userId} and id <> ${keepIdentityId}`;
}

/**
 * Points the user's email or phone identity (provider_id = user id) at `address`,
 * creating the identity when there is none.
 */
export async function setIdentityAddress(
  db: Db,
  userId: string,
  provider: "email" | "phone",
  address: string,
  verified: boolean,
) {
  const identity = await findIdentity(db, userId, provider);
  if (!identity) {
    await createIdentity(db, userId, provider, {
      sub: userId,
      [provider]: address,
      email_verified: provider === "email" && verified,
      phone_verified: provider === "phone" && verified,
    });
  } else {
    await updateIdentityData(db, identity.id, {
      [provider]: address,
      [`${provider}_verified`]: verified,
    });
  }
}

/** User.SoftDeleteUserIdentities */
export async function softDeleteIdentities(db: Db, userId: string) {
  for (const identity of await findIdentities(db, userId)) {
    await db`
      update auth.identities set identity_data = '{}'::jsonb, updated_at = now(),
        provider_id = ${obfuscateValue(userId, `${identity.provider}:${identity.provider_id}`)}
      where id = ${identity.id}`;
  }
}

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
