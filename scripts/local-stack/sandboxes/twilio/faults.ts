// Failures tests inject on the sandbox's REST API (per endpoint, optionally per account, a number
// of times or until cleared), kept and taken as the Google sandbox does; its request log too (no
// secrets in it).
import { z } from "zod";
import { Faults as SandboxFaults } from "../google/faults.ts";

export { delayFor, RequestLog } from "../google/faults.ts";

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

export class Faults extends SandboxFaults<Fault> {}
