// The configuration `supabase functions deploy` bundles a function with, found the way the CLI
// finds it (GetFunctionConfig in the CLI's internal/functions/deploy/deploy.go): the function's
// `import_map` in config.toml, else its own deno.json, deno.jsonc or import_map.json, else
// supabase/functions/import_map.json, else none. The repository's root deno.json is never read,
// so the local functions host and the deploy check use exactly this file too.
import { loadSupabaseConfig } from "./supabase_config.ts";

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The absolute path of the function's import map or deno.json, or null if it deploys without. */
export function deployConfigFile(supabaseDir: string, name: string): string | null {
  const configured = loadSupabaseConfig(`${supabaseDir}/config.toml`).importMap(name);
  // Paths in config.toml are relative to the supabase/ folder.
  if (configured) return configured.startsWith("/") ? configured : `${supabaseDir}/${configured}`;
  const functionsDir = `${supabaseDir}/functions`;
  const candidates = [
    `${functionsDir}/${name}/deno.json`,
    `${functionsDir}/${name}/deno.jsonc`,
    `${functionsDir}/${name}/import_map.json`,
    `${functionsDir}/import_map.json`,
  ];
  return candidates.find(exists) ?? null;
}

/** The deno flags that resolve imports with only that configuration. */
export function deployConfigFlags(supabaseDir: string, name: string): string[] {
  const file = deployConfigFile(supabaseDir, name);
  if (!file) return ["--no-config", "--no-lock"];
  // Anything but a deno.json(c) is a plain import map.
  return /deno\.jsonc?$/.test(file)
    ? [`--config=${file}`, "--no-lock"]
    : ["--no-config", "--no-lock", `--import-map=${file}`];
}
