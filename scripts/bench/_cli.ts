// Shared by the benchmark scripts: `--name value` options, the local-only guard and percentiles.
import { dbUrl, loadSecrets, stackConfig } from "../local-stack/config.ts";

/** The dev stack's database (config.toml's port, or FRONTDESK_PORT_BASE's). */
export const devDatabaseUrl = dbUrl(stackConfig("dev"));

export function option(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < Deno.args.length ? Deno.args[i + 1] : fallback;
}

/** `--name n`: a whole number of at least 1. */
export function countOption(name: string, fallback: number): number {
  const n = Number(option(name, String(fallback)));
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} needs a whole number`);
  return n;
}

/** `--service-key`, else SUPABASE_SERVICE_ROLE_KEY, else the local stack's own. */
export async function serviceKeyOption(): Promise<string> {
  return option(
    "service-key",
    Deno.env.get("SUPABASE_SERVICE_ROLE_KEY") ?? (await loadSecrets()).serviceRoleKey,
  );
}

/** Exits unless `url` is on this machine or `--allow-remote` was given: benchmarks load data. */
export function refuseRemote(url: string): void {
  const host = new URL(url).hostname;
  if (
    !["127.0.0.1", "localhost", "::1", "[::1]"].includes(host) &&
    !Deno.args.includes("--allow-remote")
  ) {
    console.error(`${host} is not this machine: pass --allow-remote to load test data into it.`);
    Deno.exit(2);
  }
}

/** The p-th percentile (0..1) of ascending-sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** Timings in milliseconds as one line: p50, p95, max and how many. */
export function summary(samples: number[]): string {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const sorted = [...samples].sort((a, b) => a - b);
  return `p50 ${ms(percentile(sorted, 0.5))}  p95 ${ms(percentile(sorted, 0.95))}  ` +
    `max ${ms(sorted.at(-1)!)}  (n=${sorted.length})`;
}
