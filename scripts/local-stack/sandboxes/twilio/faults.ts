// Failures tests inject on the sandbox's REST API (per endpoint, optionally per account, a number
// of times or until cleared). The request log is the Google sandbox's (no secrets in it).
import { z } from "zod";

export { RequestLog } from "../google/faults.ts";

export const ENDPOINTS = [
  "incomingPhoneNumbers.list",
  "incomingPhoneNumbers.get",
  "incomingPhoneNumbers.update",
] as const;
export type Endpoint = typeof ENDPOINTS[number];

export const faultRequest = z.object({
  endpoint: z.enum(ENDPOINTS),
  status: z.number().int().min(400).max(599).optional(),
  delayMs: z.number().int().min(0).max(120_000).optional(),
  /** How many requests fail; absent = until cleared. */
  times: z.number().int().min(1).optional(),
  account: z.string().regex(/^AC[0-9a-f]{32}$/).optional(),
}).strict().refine((f) => f.status !== undefined || f.delayMs !== undefined, {
  message: "give at least one of status or delayMs",
});

export type Fault = z.infer<typeof faultRequest> & { id: string };

export class Faults {
  #faults: Fault[] = [];

  add(fault: z.infer<typeof faultRequest>): Fault {
    const added = { ...fault, id: crypto.randomUUID() };
    this.#faults.push(added);
    return added;
  }

  remove(id?: string): number {
    const before = this.#faults.length;
    this.#faults = id === undefined ? [] : this.#faults.filter((f) => f.id !== id);
    return before - this.#faults.length;
  }

  list(): Fault[] {
    return this.#faults.map((f) => ({ ...f }));
  }

  /** The first fault for this endpoint and account, counted as used. */
  take(endpoint: Endpoint, account: string): Fault | null {
    const fault = this.#faults.find((f) =>
      f.endpoint === endpoint && (f.account === undefined || f.account === account)
    );
    if (!fault) return null;
    if (fault.times !== undefined && --fault.times === 0) this.remove(fault.id);
    return { ...fault };
  }
}

/** Waits out a fault's delay; true when it also fails the request. */
export async function delayFor(fault: Fault | null): Promise<boolean> {
  if (!fault) return false;
  if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
  return fault.status !== undefined;
}
