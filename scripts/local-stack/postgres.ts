// Debian's PostgreSQL 15 in a gitignored data folder: created on first start, reused after.
import type { StackConfig } from "./config.ts";
import { isRoot, SetupError } from "./prereqs.ts";
import { requireFreePort, spawn, type Supervised, waitFor } from "./processes.ts";

const pgBin = "/usr/lib/postgresql/15/bin";
/** Cluster superuser, named as on Supabase; `postgres` is an ordinary owner role there. */
export const superuser = "supabase_admin";
const osUser = "postgres";

export interface PgPaths {
  dataDir: string;
  socketDir: string;
}

const resolved = new Map<string, PgPaths>();

/**
 * The cluster lives in the checkout's .local-stack folder, unless the checkout sits where
 * the unprivileged postgres user cannot enter (say under /root): then in its home.
 */
export async function pgPaths(cfg: StackConfig): Promise<PgPaths> {
  const known = resolved.get(cfg.dataDir);
  if (known) return known;
  await Deno.mkdir(cfg.dataDir, { recursive: true });
  let base = cfg.dataDir;
  if (isRoot()) {
    const probe = await new Deno.Command("setpriv", {
      args: [`--reuid=${osUser}`, `--regid=${osUser}`, "--init-groups", "--", "test", "-x", base],
    }).output();
    if (!probe.success) {
      const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(base));
      const id = Array.from(
        new Uint8Array(digest).slice(0, 6),
        (b) => b.toString(16).padStart(2, "0"),
      )
        .join("");
      const home = `/var/lib/postgresql/frontdesk-${id}`;
      base = `${home}/${cfg.profile}`;
      for (const dir of [home, base]) await ownDir(dir, 0o700);
    }
  }
  const paths = { dataDir: `${base}/pgdata`, socketDir: `${base}/run` };
  resolved.set(cfg.dataDir, paths);
  return paths;
}

async function asOsUser(cmd: string, args: string[]): Promise<void> {
  const argv = isRoot()
    ? ["setpriv", `--reuid=${osUser}`, `--regid=${osUser}`, "--init-groups", "--", cmd, ...args]
    : [cmd, ...args];
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!out.success) {
    throw new Error(`${cmd} failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
}

async function ownDir(path: string, mode: number): Promise<void> {
  await Deno.mkdir(path, { recursive: true, mode });
  await Deno.chmod(path, mode);
  if (isRoot()) {
    const { uid, gid } = await osUserIds();
    await Deno.chown(path, uid, gid);
  }
}

async function osUserIds(): Promise<{ uid: number; gid: number }> {
  const passwd = await Deno.readTextFile("/etc/passwd");
  const line = passwd.split("\n").find((l) => l.startsWith(`${osUser}:`));
  if (!line) throw new SetupError(`System user "${osUser}" is missing: reinstall postgresql-15`);
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

/** Whether `supabase db push` ever ran here: a fresh database still needs its seed. */
export async function hasMigrationHistory(cfg: StackConfig): Promise<boolean> {
  const out = await psql(cfg, [
    "-At",
    "-c",
    "select to_regclass('supabase_migrations.schema_migrations') is not null",
  ]);
  return out.stdout.trim() === "t";
}

async function isInitialised(cfg: StackConfig): Promise<boolean> {
  try {
    await Deno.stat(`${(await pgPaths(cfg)).dataDir}/PG_VERSION`);
    return true;
  } catch {
    return false;
  }
}

async function initdb(dataDir: string): Promise<void> {
  await ownDir(dataDir, 0o700);
  await asOsUser(`${pgBin}/initdb`, [
    "-D",
    dataDir,
    `--username=${superuser}`,
    "--auth-local=trust", // only through the socket folder below, which only its owner can enter
    "--auth-host=scram-sha-256",
    "--encoding=UTF8",
    "--locale=C.UTF-8",
  ]);
}

/** A postgres left behind by a killed orchestrator is shut down before we start again. */
async function stopLeftover(dataDir: string): Promise<void> {
  let pid: number;
  try {
    pid = Number((await Deno.readTextFile(`${dataDir}/postmaster.pid`)).split("\n")[0]);
  } catch {
    return;
  }
  try {
    Deno.kill(pid, "SIGINT");
  } catch {
    return; // stale pid file; postgres cleans it up itself
  }
  await waitFor("the previous PostgreSQL to stop", () => {
    try {
      Deno.kill(pid, "SIGCONT");
      return Promise.resolve(false);
    } catch {
      return Promise.resolve(true);
    }
  });
}

export async function startPostgres(cfg: StackConfig): Promise<Supervised> {
  const paths = await pgPaths(cfg);
  if (!(await isInitialised(cfg))) await initdb(paths.dataDir);
  await stopLeftover(paths.dataDir);
  requireFreePort(cfg, cfg.dbPort, "database");
  await ownDir(paths.socketDir, 0o700);
  const proc = await spawn({
    name: "postgres",
    cmd: `${pgBin}/postgres`,
    args: [
      "-D",
      paths.dataDir,
      "-p",
      String(cfg.dbPort),
      "-k",
      paths.socketDir,
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "max_connections=200",
      // A failed statement's message, context and text echo the values it was given (a
      // secret, say): they go back to the client that sent them, not into the log file.
      "-c",
      "log_min_messages=log",
      "-c",
      "log_min_error_statement=panic",
      "-c",
      "log_error_verbosity=terse",
      // pg_cron (20261204100100_jobs_schedule.sql); its jobs run in background workers, so they
      // need no login or password here.
      "-c",
      "shared_preload_libraries=pg_cron",
      "-c",
      "cron.database_name=postgres",
      "-c",
      "cron.use_background_workers=on",
      // The Realtime stand-in (realtime/changes.ts) reads changes through logical decoding
      // (wal2json), as Supabase Realtime does.
      "-c",
      "wal_level=logical",
    ],
    logFile: `${cfg.logDir}/postgres.log`,
    asUser: osUser,
    stopSignal: "SIGINT", // fast shutdown: open sessions are rolled back
  });
  await waitFor("PostgreSQL", async () => (await psql(cfg, ["-c", "select 1"])).ok, 60_000);
  return proc;
}

/** psql as the cluster superuser over the private socket. */
export async function psql(
  cfg: StackConfig,
  args: string[],
  vars: Record<string, string> = {},
): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const varArgs = Object.entries(vars).flatMap(([k, v]) => ["-v", `${k}=${v}`]);
  const out = await new Deno.Command("psql", {
    args: [
      "-X",
      "-q",
      "-v",
      "ON_ERROR_STOP=1",
      "-h",
      (await pgPaths(cfg)).socketDir,
      "-p",
      String(cfg.dbPort),
      "-U",
      superuser,
      "-d",
      "postgres",
      ...varArgs,
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { ok: out.success, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
