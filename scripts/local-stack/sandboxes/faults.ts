// Failures tests inject into a sandbox on purpose (per endpoint, optionally per account, a number
// of times or until cleared), the control routes that manage them, and the log of requests the
// sandbox answered (never a secret). Each sandbox names its own endpoints and what else a fault
// may do (Google's invalid_grant, Vapi's down).
import { z } from "zod";
import { json } from "./google/http.ts";

/** What a fault of every sandbox may set. */
export const faultFields = {
  status: z.number().int().min(400).max(599).optional(),
  delayMs: z.number().int().min(0).max(120_000).optional(),
  /** How many requests fail; absent = until cleared. */
  times: z.number().int().min(1).optional(),
};

export interface FaultBase {
  id: string;
  /** Absent = every endpoint. */
  endpoint?: string;
  account?: string;
  times?: number;
}

export class Faults<F extends FaultBase> {
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
   * The fault this request meets, counted as used: the first one for the endpoint (or for every
   * endpoint) that names no account or the request's. `applies` narrows further (Google's
   * invalid_grant only hits refreshes).
   */
  take(
    endpoint: NonNullable<F["endpoint"]>,
    account: string | null = null,
    applies = (_: F) => true,
  ): F | null {
    const fault = this.#faults.find((f) =>
      (f.endpoint === undefined || f.endpoint === endpoint) &&
      (f.account === undefined || f.account === account) && applies(f)
    );
    if (!fault) return null;
    if (fault.times !== undefined && --fault.times === 0) this.remove(fault.id);
    return { ...fault };
  }
}

/** Waits out a fault's delay; true when it also fails the request. */
export async function delayFor(
  fault: { delayMs?: number; status?: number; error?: string; down?: boolean } | null,
): Promise<boolean> {
  if (!fault) return false;
  if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
  return fault.status !== undefined || fault.error !== undefined || fault.down === true;
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

/** Control API refusals: 4xx `{error}`. */
export const refusal = (status: number, message: string) => json(status, { error: message });

export function invalid(error: z.ZodError): Response {
  const issue = error.issues[0];
  return refusal(400, `${issue.path.join(".") || "body"}: ${issue.message}`);
}

/** The request's JSON body; undefined when there is none or it is not JSON. */
export async function body(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    return undefined;
  }
}

/**
 * Every sandbox's control routes for its faults and its request log (`path` is below /control):
 *   GET, POST <faultRequest>, DELETE /faults[/{id}];  GET /requests?since=<seq or ISO time>
 * null when `path` is neither.
 */
export async function faultControl<F extends FaultBase>(
  ctx: { faults: Faults<F>; log: RequestLog },
  faultRequest: z.ZodType<Omit<F, "id">>,
  req: Request,
  path: string,
  refuse: (error: z.ZodError) => Response = invalid,
): Promise<Response | null> {
  const method = req.method;
  if (path === "/faults" && method === "GET") return json(200, ctx.faults.list());
  if (path === "/faults" && method === "POST") {
    const parsed = faultRequest.safeParse(await body(req));
    if (!parsed.success) return refuse(parsed.error);
    return json(200, { id: ctx.faults.add(parsed.data).id });
  }
  if (path === "/faults" && method === "DELETE") return json(200, { removed: ctx.faults.remove() });
  const fault = path.match(/^\/faults\/([^/]+)$/);
  if (fault && method === "DELETE") {
    const removed = ctx.faults.remove(decodeURIComponent(fault[1]));
    return removed ? json(200, { removed }) : refusal(404, "no such fault");
  }
  if (path === "/requests" && method === "GET") {
    return json(200, ctx.log.since(new URL(req.url).searchParams.get("since")));
  }
  return null;
}
