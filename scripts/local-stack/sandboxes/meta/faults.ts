// The Meta sandbox's endpoints a test may make fail, and how (see ../faults.ts): an HTTP status
// and/or a Graph error code (answered in Graph's shape), or — `async` — the send is accepted and
// then fails in a `failed` status webhook with that code, as 131047 and 131026 usually do.
import { z } from "zod";
import { faultFields, Faults as SandboxFaults } from "../faults.ts";
import { KNOWN_ERRORS } from "./errors.ts";

export const ENDPOINTS = ["messages", "media", "download"] as const;
export type Endpoint = typeof ENDPOINTS[number];

export const faultRequest = z.object({
  endpoint: z.enum(ENDPOINTS).optional(),
  ...faultFields,
  code: z.number().int().refine((c) => c in KNOWN_ERRORS, {
    message: `one of ${Object.keys(KNOWN_ERRORS).join(", ")}`,
  }).optional(),
  async: z.boolean().optional(),
  /** A phone_number_id. */
  account: z.string().regex(/^\d+$/).optional(),
}).strict().refine(
  (f) => f.status !== undefined || f.delayMs !== undefined || f.code !== undefined,
  { message: "give at least one of code, status or delayMs" },
).refine((f) => !f.async || f.code !== undefined, { message: "async needs a code" });

export type Fault = z.infer<typeof faultRequest> & { id: string };

export class Faults extends SandboxFaults<Fault> {}
