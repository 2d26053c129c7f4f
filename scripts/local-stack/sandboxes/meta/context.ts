// What every module of the Meta sandbox works with.
import type { RequestLog } from "../faults.ts";
import type { Faults } from "./faults.ts";
import type { StatusName, Store } from "./store.ts";

export interface Settings {
  /** The statuses posted after an accepted send, in this order (default sent, delivered, read). */
  statuses: Exclude<StatusName, "failed">[];
  /** The pause before each of them. */
  statusDelayMs: number;
}

export interface SandboxContext {
  store: Store;
  faults: Faults;
  log: RequestLog;
  settings: Settings;
  /** The sandbox's public URL (…/_local/meta): media download URLs point here. */
  baseUrl: string;
  /** Where webhooks go (tests pass their own). */
  fetch: typeof fetch;
  /** Work started after an answer (status webhooks), so `settled()` can wait for it. */
  pending: Set<Promise<unknown>>;
}

/** Runs `work` after the current answer, tracked in `ctx.pending`. */
export function later(ctx: SandboxContext, work: () => Promise<unknown>): void {
  const p: Promise<unknown> = work().catch((e) => console.error(`meta sandbox: ${e}`))
    .finally(() => ctx.pending.delete(p));
  ctx.pending.add(p);
}
