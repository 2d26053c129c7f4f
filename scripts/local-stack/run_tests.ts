// `deno task test`: every test of every kind against an isolated, freshly built stack on
// its own ports (so it runs beside `deno task dev`). Ends with "N passed, N failed".
import { dbUrl, repoRoot, stackConfig } from "./config.ts";
import { pgPaths } from "./postgres.ts";
import { SetupError, supabaseCli, testPackages } from "./prereqs.ts";
import { type RunningStack, startStack } from "./stack.ts";

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}
const total: Tally = { passed: 0, failed: 0, skipped: 0 };
const failures: string[] = [];

function record(suite: string, t: Tally) {
  total.passed += t.passed;
  total.failed += t.failed;
  total.skipped += t.skipped;
  if (t.failed) failures.push(`${suite}: ${t.failed} failed`);
  console.log(`── ${suite}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped\n`);
}

async function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const child = new Deno.Command(cmd, {
    args,
    env,
    cwd: repoRoot,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const dec = new TextDecoder();
  let output = "";
  const pump = async (stream: ReadableStream<Uint8Array>, sink: typeof Deno.stdout) => {
    for await (const chunk of stream) {
      output += dec.decode(chunk);
      await sink.write(chunk);
    }
  };
  await Promise.all([pump(child.stdout, Deno.stdout), pump(child.stderr, Deno.stderr)]);
  const status = await child.status;
  return { ok: status.success, output };
}

async function files(dir: string, suffix: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(d: string) {
    for await (const e of Deno.readDir(d)) {
      if (e.name === "node_modules" || e.name.startsWith(".")) continue;
      const p = `${d}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (e.name.endsWith(suffix)) found.push(p);
    }
  }
  await walk(dir).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
  return found.sort();
}

/** pgTAP through pg_prove, as `supabase test db` runs it: as postgres, each file its own. */
async function pgTap(stack: RunningStack) {
  const tests = await files(`${repoRoot}/supabase/tests/database`, ".test.sql");
  const { ok, output } = await run("pg_prove", [
    "--verbose",
    "--host",
    (await pgPaths(stack.cfg)).socketDir,
    "--port",
    String(stack.cfg.dbPort),
    "--username",
    "postgres",
    "--dbname",
    "postgres",
    ...tests,
  ]);
  const lines = output.split("\n");
  const t = {
    passed: lines.filter((l) => /^\s*ok \d+/.test(l) && !/# SKIP/i.test(l)).length,
    failed: lines.filter((l) => /^\s*not ok \d+/.test(l)).length,
    skipped: lines.filter((l) => /^\s*ok \d+.*# SKIP/i.test(l)).length,
  };
  // A file that dies before its plan completes shows no "not ok": count it once.
  if (!ok && t.failed === 0) t.failed = 1;
  record("pgTAP (pg_prove)", t);
}

/** deno test over some folders; counts come from its JUnit report. */
async function denoTests(suite: string, paths: string[], env: Record<string, string>) {
  const existing = [];
  for (const p of paths) if ((await files(`${repoRoot}/${p}`, "_test.ts")).length) existing.push(p);
  if (!existing.length) return record(suite, { passed: 0, failed: 0, skipped: 0 });
  const junit = await Deno.makeTempFile({ suffix: ".xml" });
  const { ok } = await run(Deno.execPath(), [
    "test",
    "-A",
    "--no-check",
    `--junit-path=${junit}`,
    ...existing,
  ], env);
  const xml = await Deno.readTextFile(junit).catch(() => "");
  const attr = (name: string) =>
    Number(xml.match(new RegExp(`<testsuites[^>]*\\s${name}="(\\d+)"`))?.[1] ?? 0);
  const tests = attr("tests");
  const failed = attr("failures") + attr("errors");
  const skipped = (xml.match(/<skipped/g) ?? []).length;
  const t = { passed: tests - failed - skipped, failed, skipped };
  if (!ok && t.failed === 0) t.failed = 1;
  record(suite, t);
}

/** A command that passes or fails as a whole counts as one test. */
async function check(suite: string, cmd: string, args: string[]) {
  const { ok } = await run(cmd, args, { SUPABASE_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" });
  record(suite, { passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 });
}

const started = performance.now();
const cfg = stackConfig("test");
let stack: RunningStack;
try {
  console.log("Building an isolated test stack…");
  stack = await startStack(cfg, { fresh: true, packages: testPackages });
} catch (err) {
  console.error(err instanceof SetupError ? err.message : err);
  console.log("0 passed, 1 failed");
  Deno.exit(1);
}

const env = {
  SUPABASE_URL: cfg.apiUrl,
  SUPABASE_ANON_KEY: stack.secrets.anonKey,
  SUPABASE_SERVICE_ROLE_KEY: stack.secrets.serviceRoleKey,
  SUPABASE_DB_URL: dbUrl(cfg),
  APP_URL: `${cfg.apiUrl}/`,
  OUTBOX_DIR: cfg.outboxDir,
  LOG_DIR: cfg.logDir,
};
const deno = Deno.execPath();
try {
  await check("deno fmt --check", deno, ["fmt", "--check"]);
  await check("deno lint", deno, ["lint"]);
  await check("deno check", deno, ["check", "."]);
  await check("database types are current", deno, [
    "run",
    "-A",
    "scripts/local-stack/gen_types.ts",
    "--check",
    `--db-url=${dbUrl(cfg)}`,
  ]);
  await pgTap(stack);
  await denoTests("unit tests", ["supabase/functions", "scripts", "web/src"], env);
  await denoTests("integration tests (supabase-js)", ["supabase/tests/api"], env);
  await denoTests("browser tests (headless Chromium)", ["web/tests"], env);
  await check("supabase db advisors", supabaseCli, [
    "db",
    "advisors",
    `--remote=${dbUrl(cfg)}`,
    "--type",
    "all",
    "--level",
    "info",
    "--fail-on",
    "warn",
    "--workdir",
    repoRoot,
  ]);
  await check("supabase db lint", supabaseCli, [
    "db",
    "lint",
    `--remote=${dbUrl(cfg)}`,
    "--level",
    "warning",
    "--fail-on",
    "warning",
    "--workdir",
    repoRoot,
  ]);
} finally {
  await stack.stop();
}

const seconds = ((performance.now() - started) / 1000).toFixed(0);
if (failures.length) console.log(`Failed: ${failures.join("; ")}`);
console.log(`(${seconds} s)`);
console.log(
  `${total.passed} passed, ${total.failed} failed` +
    (total.skipped ? `, ${total.skipped} skipped` : ""),
);
Deno.exit(total.failed ? 1 : 0);
