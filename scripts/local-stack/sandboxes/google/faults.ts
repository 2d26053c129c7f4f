// The Google sandbox's endpoints a test may make fail, and how (see ../faults.ts).
import { z } from "zod";
import { faultFields, Faults as SandboxFaults } from "../faults.ts";

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
  ...faultFields,
  /**
   * On `token`: refresh_token grants answer 400 invalid_grant ("expired or revoked"), code
   * exchanges go through (so reconnecting works); on API endpoints: 401 authError.
   */
  error: z.literal("invalid_grant").optional(),
  account: z.string().trim().toLowerCase().optional(),
}).refine((f) => f.status !== undefined || f.delayMs !== undefined || f.error !== undefined, {
  message: "give at least one of status, delayMs or error",
});

export type Fault = z.infer<typeof faultRequest> & { id: string };

export class Faults extends SandboxFaults<Fault> {}
