// auth.audit_log_entries rows (models.NewAuditLogEntry).

import { randomUUID } from "node:crypto";
import { type Db, type Json, type JsonMap, NIL_UUID } from "./db.ts";
import { sortKeysDeep } from "./go_compat.ts";
import type { UserRow } from "./users.ts";

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
  user_confirmation_requested: "user",
  user_recovery_requested: "user",
  user_repeated_signup: "user",
  user_updated_password: "user",
};

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
