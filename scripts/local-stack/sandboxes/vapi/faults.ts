// Failures tests inject on purpose (per endpoint, a number of times or until cleared): an HTTP
// status, a delay, or "down" (REST answers 503; an inbound call is not handled, so Twilio uses
// the number's voice fallback URL). The request log is the Google sandbox's.
import { z } from "zod";

export const ENDPOINTS = [
  "phone-number.create",
  "phone-number.list",
  "phone-number.get",
  "phone-number.update",
  "phone-number.delete",
  "call.create",
  "call.list",
  "call.get",
  /** A call reaching a number imported into Vapi (answerInbound). */
  "inbound",
] as const;
export type Endpoint = typeof ENDPOINTS[number];

export const faultRequest = z.object({
  /** Absent = every endpoint. */
  endpoint: z.enum(ENDPOINTS).optional(),
  status: z.number().int().min(400).max(599).optional(),
  delayMs: z.number().int().min(0).max(120_000).optional(),
  down: z.literal(true).optional(),
  /** How many requests fail; absent = until cleared. */
  times: z.number().int().min(1).optional(),
}).strict().refine((f) => f.status !== undefined || f.delayMs !== undefined || f.down, {
  message: "give at least one of status, delayMs or down",
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

  /** The fault this request meets, counted as used. */
  take(endpoint: Endpoint): Fault | null {
    const fault = this.#faults.find((f) => f.endpoint === undefined || f.endpoint === endpoint);
    if (!fault) return null;
    if (fault.times !== undefined && --fault.times === 0) this.remove(fault.id);
    return { ...fault };
  }
}

/** Waits out a fault's delay; true when it also fails the request. */
export async function delayFor(fault: Fault | null): Promise<boolean> {
  if (!fault) return false;
  if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
  return fault.status !== undefined || fault.down === true;
}
