// Which functions exist and whether the gateway must verify a JWT before calling them,
// read from supabase/config.toml as the hosted platform reads it at deploy time.
import { parse } from "smol-toml";

export function functionNames(functionsDir: string): string[] {
  const names: string[] = [];
  for (const entry of Deno.readDirSync(functionsDir)) {
    if (!entry.isDirectory || entry.name.startsWith("_") || entry.name.startsWith(".")) continue;
    try {
      Deno.statSync(`${functionsDir}/${entry.name}/index.ts`);
      names.push(entry.name);
    } catch { /* a folder without an entry point is not a function */ }
  }
  return names.sort();
}

/** verify_jwt per function; a function not named in config.toml defaults to true. */
export function verifyJwtSettings(configToml: string): (name: string) => boolean {
  const functions = (parse(configToml).functions ?? {}) as Record<string, { verify_jwt?: boolean }>;
  return (name) => functions[name]?.verify_jwt ?? true;
}

/** KEY=VALUE lines of supabase/functions/.env (as `supabase secrets set --env-file` reads). */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const match = line.match(/^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/);
    if (!match) continue;
    let value = match[2];
    const quoted = value.match(/^(["'])(.*)\1$/);
    value = quoted ? quoted[2] : value.replace(/\s+#.*$/, "");
    env[match[1]] = value;
  }
  return env;
}
