// The Twilio sandbox's REST endpoints a test may make fail, and how (see ../faults.ts). A
// messages.create fault may name a Twilio error code (21610, 63016, 20003, …): answered at once
// in Twilio's error shape, or — `async` — the message is queued and then fails in its status
// callback with that ErrorCode, as 63016 does.
import { z } from "zod";
import { faultFields, Faults as SandboxFaults } from "../faults.ts";

export const ENDPOINTS = [
  "incomingPhoneNumbers.list",
  "incomingPhoneNumbers.get",
  "incomingPhoneNumbers.update",
  "messages.create",
] as const;
export type Endpoint = typeof ENDPOINTS[number];

export const faultRequest = z.object({
  endpoint: z.enum(ENDPOINTS),
  ...faultFields,
  code: z.number().int().min(10000).max(99999).optional(),
  async: z.boolean().optional(),
  account: z.string().regex(/^AC[0-9a-f]{32}$/).optional(),
}).strict().refine(
  (f) => f.status !== undefined || f.delayMs !== undefined || f.code !== undefined,
  { message: "give at least one of status, delayMs or code" },
).refine((f) => !f.async || f.code !== undefined, { message: "async needs a code" });

export type Fault = z.infer<typeof faultRequest> & { id: string };

export class Faults extends SandboxFaults<Fault> {}
