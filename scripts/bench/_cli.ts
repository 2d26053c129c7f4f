// Shared by the benchmark scripts: `--name value` options and percentiles.
import { dbUrl, stackConfig } from "../local-stack/config.ts";

/** The dev stack's database (config.toml's port, or FRONTDESK_PORT_BASE's). */
export const devDatabaseUrl = dbUrl(stackConfig("dev"));

export function option(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < Deno.args.length ? Deno.args[i + 1] : fallback;
}

/** The p-th percentile (0..1) of ascending-sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}
