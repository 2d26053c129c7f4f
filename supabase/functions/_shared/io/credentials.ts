// Decrypting a channel's secret: only when the caller needs it, through the database
// function that audits every read. The value never goes into a log or a response.
import type { Enums } from "../database.types.ts";
import type { Sql, Tx } from "./db.ts";

export type CredentialKind = Enums<"credential_kind">;

export async function decryptCredential(
  sql: Sql | Tx,
  subjectId: string,
  kind: CredentialKind,
): Promise<string | null> {
  const [row] = await sql<{ secret: string | null }[]>`
    select private.decrypt_credential(${subjectId}, ${kind}::public.credential_kind) as secret`;
  return row?.secret ?? null;
}
