// The OpenAI sandbox's failures on demand (see ../faults.ts): OpenAI's own errors — 429
// insufficient_quota, 429 rate_limit_exceeded, 500 server_error, 503 overloaded — or a bare
// status, and delays (a delay longer than the client's timeout is a timeout).
import { z } from "zod";
import { faultFields, Faults as SandboxFaults } from "../faults.ts";

export const ENDPOINTS = ["chat.completions"] as const;

export const OPENAI_ERRORS = [
  "insufficient_quota",
  "rate_limit_exceeded",
  "server_error",
  "overloaded",
] as const;

export const faultRequest = z.object({
  endpoint: z.enum(ENDPOINTS).optional(),
  ...faultFields,
  error: z.enum(OPENAI_ERRORS).optional(),
}).strict().refine(
  (f) => f.status !== undefined || f.delayMs !== undefined || f.error !== undefined,
  { message: "give at least one of error, status or delayMs" },
);

export type Fault = z.infer<typeof faultRequest> & { id: string };

export class Faults extends SandboxFaults<Fault> {}
