// Failures tests inject on purpose (per endpoint, optionally per account, a number of times or
// until cleared) and the log of requests the sandbox answered (never a token).
import { z } from "zod";

export const ENDPOINTS = [
  "token",
  "revoke",
  "calendarList",
  "freeBusy",
  "events.insert",
  "events.get",
  "events.patch",
  "events.update",
  "events.delete",
  "events.list",
  "events.watch",
  "channels.stop",
] as const;
export type Endpoint = typeof ENDPOINTS[number];

export const faultRequest = z.object({
  endpoint: z.enum(ENDPOINTS),
  status: z.number().int().min(400).max(599).optional(),
  delayMs: z.number().int().min(0).max(120_000).optional(),
  /**
   * On `token`: refresh_token grants answer 400 invalid_grant ("expired or revoked"), code
   * exchanges go through (so reconnecting works); on API endpoints: 401 authError.
   */
  error: z.literal("invalid_grant").optional(),
  /** How many requests fail; absent = until cleared. */
  times: z.number().int().min(1).optional(),
  account: z.string().trim().toLowerCase().optional(),
}).refine((f) => f.status !== undefined || f.delayMs !== undefined || f.error !== undefined, {
  message: "give at least one of status, delayMs or error",
});

export type Fault = z.infer<typeof faultRequest> & { id: string };

/** What a fault of any sandbox has (the Twilio sandbox keeps its faults here too). */
export interface FaultBase {
  id: string;
  endpoint: string;
  account?: string;
  times?: number;
}

export class Faults<F extends FaultBase = Fault> {
  #faults: F[] = [];

  add(fault: Omit<F, "id">): F {
    const added = { ...fault, id: crypto.randomUUID() } as F;
    this.#faults.push(added);
    return added;
  }

  remove(id?: string): number {
    const before = this.#faults.length;
    this.#faults = id === undefined ? [] : this.#faults.filter((f) => f.id !== id);
    return before - this.#faults.length;
  }

  list(): F[] {
    return this.#faults.map((f) => ({ ...f }));
  }

  /**
   * The fault this request meets, counted as used: the first one for the endpoint that names
   * no account or the request's. `applies` narrows further (invalid_grant only hits refreshes).
   */
  take(endpoint: F["endpoint"], account: string | null, applies = (_: F) => true): F | null {
    const fault = this.#faults.find((f) =>
      f.endpoint === endpoint && (f.account === undefined || f.account === account) && applies(f)
    );
    if (!fault) return null;
    if (fault.times !== undefined && --fault.times === 0) this.remove(fault.id);
    return { ...fault };
  }
}

export interface LoggedRequest {
  /** Increasing; `GET /control/requests?since=<seq>` answers the later ones. */
  seq: number;
  at: string;
  method: string;
  endpoint: string;
  status: number;
  account: string | null;
  fault: string | null;
}

export class RequestLog {
  #entries: LoggedRequest[] = [];
  #seq = 0;

  constructor(readonly now: () => number = Date.now, readonly keep = 1000) {}

  add(entry: Omit<LoggedRequest, "seq" | "at">): void {
    this.#entries.push({ seq: ++this.#seq, at: new Date(this.now()).toISOString(), ...entry });
    if (this.#entries.length > this.keep) this.#entries.shift();
  }

  /** Entries after `since`: a sequence number or an ISO time. */
  since(since?: string | null): LoggedRequest[] {
    if (!since) return [...this.#entries];
    if (/^\d+$/.test(since)) return this.#entries.filter((e) => e.seq > Number(since));
    const t = Date.parse(since);
    return Number.isNaN(t) ? [...this.#entries] : this.#entries.filter((e) => Date.parse(e.at) > t);
  }
}

/** Waits out a fault's delay; true when it also fails the request. */
export async function delayFor(
  fault: { delayMs?: number; status?: number; error?: string } | null,
): Promise<boolean> {
  if (!fault) return false;
  if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
  return fault.status !== undefined || fault.error !== undefined;
}
