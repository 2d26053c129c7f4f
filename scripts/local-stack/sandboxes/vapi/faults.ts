// The Vapi sandbox's endpoints a test may make fail (see ../faults.ts): with an HTTP status, a
// delay, or "down" (REST answers 503; an inbound call is not handled, so Twilio uses the number's
// voice fallback URL).
import { z } from "zod";
import { faultFields, Faults as SandboxFaults } from "../faults.ts";

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
  ...faultFields,
  down: z.literal(true).optional(),
}).strict().refine((f) => f.status !== undefined || f.delayMs !== undefined || f.down, {
  message: "give at least one of status, delayMs or down",
});

export type Fault = z.infer<typeof faultRequest> & { id: string };

export class Faults extends SandboxFaults<Fault> {}
