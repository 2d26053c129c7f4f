// Which functions exist, and the variables supabase/functions/.env gives them. (Whether a
// function needs a JWT is config.toml's verify_jwt, read by supabase_config.ts.)

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
