// Applies the Supabase compatibility layer (compat/*.sql) to the stack's own PostgreSQL.
// Refuses any database that already has Supabase's schemas without our marker: the layer
// must never touch a hosted Supabase database.
import type { Secrets, StackConfig } from "./config.ts";
import { psql } from "./postgres.ts";
import { SetupError } from "./prereqs.ts";

const compatDir = new URL("./compat/", import.meta.url).pathname;

const detectSql = `select case
  when exists (select from pg_namespace where nspname = 'local_supabase_compat') then 'local'
  when exists (select from pg_namespace where nspname in ('auth', 'vault', 'storage', 'realtime', 'pgsodium'))
    then 'supabase'
  else 'plain' end`;

export async function applyCompatLayer(cfg: StackConfig, secrets: Secrets): Promise<void> {
  const detected = await psql(cfg, ["-At", "-c", detectSql]);
  if (!detected.ok) throw new Error(`Could not inspect the database:\n${detected.stderr}`);
  if (detected.stdout.trim() === "supabase") {
    throw new SetupError(
      "This database already has Supabase's schemas: the local compatibility layer is not for it",
    );
  }
  const files = [...Deno.readDirSync(compatDir)]
    .map((e) => e.name)
    .filter((n) => n.endsWith(".sql"))
    .sort();
  const args = ["-1", ...files.flatMap((f) => ["-f", `${compatDir}${f}`])];
  const out = await psql(cfg, args, {
    authenticator_password: secrets.authenticatorPassword,
    auth_admin_password: secrets.authAdminPassword,
    postgres_password: secrets.postgresPassword,
    vault_key: secrets.vaultKey,
    project_url: cfg.apiUrl,
    service_role_key: secrets.serviceRoleKey,
  });
  if (!out.ok) throw new Error(`Applying the compatibility layer failed:\n${out.stderr}`);
}
