// Supervises the processes a stack starts: each child gets a parent-death signal (so a
// crashed orchestrator leaves no orphans), logs to a file only its owner can read, and is
// stopped on shutdown.
import type { StackConfig } from "./config.ts";
import { isRoot, SetupError } from "./prereqs.ts";

export interface Supervised {
  name: string;
  child: Deno.ChildProcess;
  stopSignal: Deno.Signal;
}

const running: Supervised[] = [];

export interface SpawnOptions {
  name: string;
  cmd: string;
  args: string[];
  env?: Record<string, string>;
  logFile: string;
  /** Drop root to this system user (PostgreSQL refuses to run as root). */
  asUser?: string;
  stopSignal?: Deno.Signal;
  cwd?: string;
}

export async function spawn(opts: SpawnOptions): Promise<Supervised> {
  const stopSignal = opts.stopSignal ?? "SIGTERM";
  const wrapper = ["--pdeathsig", stopSignal.replace(/^SIG/, "")];
  if (opts.asUser && isRoot()) {
    wrapper.push(`--reuid=${opts.asUser}`, `--regid=${opts.asUser}`, "--init-groups");
  }
  const log = await Deno.open(opts.logFile, { create: true, append: true, mode: 0o600 });
  await Deno.chmod(opts.logFile, 0o600); // a log file from an earlier start keeps its mode
  const child = new Deno.Command("setpriv", {
    args: [...wrapper, "--", opts.cmd, ...opts.args],
    env: opts.env,
    cwd: opts.cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // stdout and stderr share one log file; writes are queued so chunks never interleave.
  let written = Promise.resolve();
  const copy = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) {
      written = written.then(() => writeAll(log, chunk));
      await written;
    }
  };
  Promise.all([copy(child.stdout), copy(child.stderr)]).finally(() => log.close());
  const proc = { name: opts.name, child, stopSignal };
  running.push(proc);
  return proc;
}

async function writeAll(file: Deno.FsFile, data: Uint8Array): Promise<void> {
  for (let offset = 0; offset < data.length;) offset += await file.write(data.subarray(offset));
}

export async function stop(proc: Supervised, timeoutMs = 10_000): Promise<void> {
  const idx = running.indexOf(proc);
  if (idx >= 0) running.splice(idx, 1);
  try {
    proc.child.kill(proc.stopSignal);
  } catch {
    return; // already exited
  }
  const timer = setTimeout(() => {
    try {
      proc.child.kill("SIGKILL");
    } catch { /* exited meanwhile */ }
  }, timeoutMs);
  await proc.child.status;
  clearTimeout(timer);
}

/** Stops everything still running, newest first (the gateway before the database). */
export async function stopAll(): Promise<void> {
  for (const proc of [...running].reverse()) await stop(proc);
}

function portIsFree(port: number): boolean {
  try {
    const listener = Deno.listen({ hostname: "127.0.0.1", port });
    listener.close();
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.AddrInUse) return false;
    throw e;
  }
}

/** The ports a stack on this base listens on (see stackConfig). */
const stackPorts = (base: number) => [base, base + 1, base + 6];

/**
 * What to do about a busy port: find the program, or move the whole stack with
 * FRONTDESK_PORT_BASE (to `freeBase`, whose ports are free, when one was found).
 */
export function busyPortMessage(
  cfg: StackConfig,
  port: number,
  what: string,
  freeBase: number | null,
): string {
  const base = freeBase ?? cfg.apiPort + 100;
  return `Port ${port} (${what}) is in use by another program. Either stop it ` +
    `(\`ss -ltnp 'sport = :${port}'\` shows which), or run this stack on other ports: ` +
    `\`FRONTDESK_PORT_BASE=${base} deno task ${cfg.profile}\` (API on ${base}, database on ` +
    `${base + 1}, PostgREST on ${base + 6}).`;
}

export function requireFreePort(cfg: StackConfig, port: number, what: string): void {
  if (portIsFree(port)) return;
  let freeBase: number | null = null;
  for (let base = cfg.apiPort + 100; base <= 65000 && base <= cfg.apiPort + 2000; base += 100) {
    if (stackPorts(base).every(portIsFree)) {
      freeBase = base;
      break;
    }
  }
  throw new SetupError(busyPortMessage(cfg, port, what, freeBase));
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000}s`);
}
