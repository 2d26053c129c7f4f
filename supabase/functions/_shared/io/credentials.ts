// Decrypting a channel's secret: only when the caller needs it, through the database
// function that audits every read (per credential and hour, with a count). The value never goes
// into a log or a response.
//
// Webhooks (a Twilio token per request) keep a decrypted value in this function instance for a
// few minutes, keyed by the credential's id and when it was last set: a rotated or cleared
// credential is read afresh on the next request. `{ cache: false }` decrypts for this one use.
import type { Enums } from "../database.types.ts";
import type { Sql, Tx } from "./db.ts";

export type CredentialKind = Enums<"credential_kind">;

export const CREDENTIAL_CACHE_MS = 5 * 60_000;
const MAX_CACHED = 500;

interface Cached {
  version: string;
  secret: string;
  until: number;
}

const cache = new Map<string, Cached>();

async function decrypt(sql: Sql | Tx, subjectId: string, kind: CredentialKind) {
  const [row] = await sql<{ secret: string | null }[]>`
    select private.decrypt_credential(${subjectId}, ${kind}::public.credential_kind) as secret`;
  return row?.secret ?? null;
}

export async function decryptCredential(
  sql: Sql | Tx,
  subjectId: string,
  kind: CredentialKind,
  { cache: useCache = true, now = Date.now() }: { cache?: boolean; now?: number } = {},
): Promise<string | null> {
  if (!useCache) return await decrypt(sql, subjectId, kind);
  const key = `${subjectId}:${kind}`;
  const [meta] = await sql<{ version: string }[]>`
    select c.id::text || ':' || coalesce(c.rotated_at, c.set_at)::text as version
    from public.credentials c
    where c.subject_id = ${subjectId}::uuid and c.kind = ${kind}::public.credential_kind`;
  if (!meta) {
    cache.delete(key);
    return null;
  }
  const hit = cache.get(key);
  if (hit && hit.version === meta.version && hit.until > now) return hit.secret;
  const secret = await decrypt(sql, subjectId, kind);
  if (secret === null) {
    cache.delete(key);
    return null;
  }
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, { version: meta.version, secret, until: now + CREDENTIAL_CACHE_MS });
  return secret;
}
