// supabase/config.toml, read in one place for everything the local stack shares with the
// hosted project: ports, the Data API, the [auth] settings and each function's verify_jwt and
// import_map. Where the file says nothing, the Supabase CLI's defaults apply, as when the CLI
// pushes it.
import { parse } from "smol-toml";
import { type AuthSettings, parseAuthSettings } from "./auth/settings.ts";

export interface SupabaseConfig {
  api: {
    /** The API gateway's port (REST, Auth, Functions); the dashboard is served there locally. */
    port: number;
    schemas: string[];
    extraSearchPath: string[];
    maxRows: number;
  };
  db: { port: number };
  auth: AuthSettings;
  /** verify_jwt per function; a function not named in config.toml defaults to true. */
  verifyJwt(name: string): boolean;
  /** A function's import_map, relative to the supabase/ folder, if config.toml names one. */
  importMap(name: string): string | undefined;
}

export const configTomlPath = new URL("../../supabase/config.toml", import.meta.url).pathname;

type Table = Record<string, unknown>;

export function parseSupabaseConfig(toml: string): SupabaseConfig {
  const doc = parse(toml) as Record<string, Table | undefined>;
  const api = doc.api ?? {};
  const db = doc.db ?? {};
  const functions = (doc.functions ?? {}) as Record<
    string,
    { verify_jwt?: boolean; import_map?: string }
  >;
  const port = (v: unknown, fallback: number) =>
    Number.isInteger(v) && (v as number) > 0 && (v as number) < 65536 ? v as number : fallback;
  return {
    api: {
      port: port(api.port, 54321),
      schemas: (api.schemas as string[] | undefined) ?? ["public", "graphql_public"],
      extraSearchPath: (api.extra_search_path as string[] | undefined) ?? ["public", "extensions"],
      maxRows: (api.max_rows as number | undefined) ?? 1000,
    },
    db: { port: port(db.port, 54322) },
    auth: parseAuthSettings(doc.auth),
    verifyJwt: (name) => functions[name]?.verify_jwt ?? true,
    importMap: (name) => functions[name]?.import_map,
  };
}

/** The repository's supabase/config.toml (read again at each call: it may have changed). */
export function loadSupabaseConfig(path = configTomlPath): SupabaseConfig {
  return parseSupabaseConfig(Deno.readTextFileSync(path));
}
