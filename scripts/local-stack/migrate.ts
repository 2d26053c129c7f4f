// Migrations and seed go through the real Supabase CLI, exactly as for hosted Supabase.
import { dbUrl, repoRoot, type StackConfig } from "./config.ts";
import { supabaseCli } from "./prereqs.ts";

export async function supabase(args: string[]): Promise<{ ok: boolean; output: string }> {
  const out = await new Deno.Command(supabaseCli, {
    args: [...args, "--workdir", repoRoot],
    env: { SUPABASE_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", SUPABASE_YES: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { ok: out.success, output: dec.decode(out.stdout) + dec.decode(out.stderr) };
}

/** `supabase db push` of every pending migration, then the seed when asked. */
export async function pushMigrations(cfg: StackConfig, { seed }: { seed: boolean }) {
  const args = ["db", "push", `--remote=${dbUrl(cfg)}`, "--include-all", "--yes"];
  if (seed) args.push("--include-seed");
  const out = await supabase(args);
  if (!out.ok) throw new Error(`supabase db push failed:\n${out.output}`);
  return out.output;
}
