// The Twilio sandbox's REST endpoints a test may make fail, and how (see ../faults.ts).
import { z } from "zod";
import { faultFields, Faults as SandboxFaults } from "../faults.ts";

export const ENDPOINTS = [
  "incomingPhoneNumbers.list",
  "incomingPhoneNumbers.get",
  "incomingPhoneNumbers.update",
] as const;
export type Endpoint = typeof ENDPOINTS[number];

export const faultRequest = z.object({
  endpoint: z.enum(ENDPOINTS),
  ...faultFields,
  account: z.string().regex(/^AC[0-9a-f]{32}$/).optional(),
}).strict().refine((f) => f.status !== undefined || f.delayMs !== undefined, {
  message: "give at least one of status or delayMs",
});

export type Fault = z.infer<typeof faultRequest> & { id: string };

export class Faults extends SandboxFaults<Fault> {}
