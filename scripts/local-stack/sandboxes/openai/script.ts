// Responses a test queues (POST /control/script): each answers one chat completion request, in
// order — an assistant message (content and/or tool calls) or one of OpenAI's errors — before the
// default rules take over again.
import { z } from "zod";
import { OPENAI_ERRORS } from "./faults.ts";

const toolCall = z.object({
  id: z.string().min(1).max(100).optional(),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
  /** An object (serialised for the answer) or the exact string to answer. */
  arguments: z.union([z.string(), z.record(z.string(), z.unknown())]).default({}),
}).strict();

export const scriptItem = z.object({
  content: z.string().max(100_000).nullable().optional(),
  tool_calls: z.array(toolCall).min(1).max(20).optional(),
  finish_reason: z.enum(["stop", "length", "tool_calls", "content_filter"]).optional(),
  /** One of OpenAI's errors, or any status with a message. */
  error: z.union([
    z.enum(OPENAI_ERRORS),
    z.object({
      status: z.number().int().min(400).max(599),
      message: z.string().max(2000),
      type: z.string().max(100).default("invalid_request_error"),
      code: z.string().max(100).nullable().default(null),
    }).strict(),
  ]).optional(),
  /** Answer this much later. */
  delayMs: z.number().int().min(0).max(120_000).optional(),
}).strict().refine(
  (i) => i.error !== undefined || i.content !== undefined || i.tool_calls !== undefined,
  { message: "give content, tool_calls or error" },
);

export type ScriptItem = z.infer<typeof scriptItem>;

export const scriptRequest = z.union([
  z.object({ responses: z.array(scriptItem).min(1).max(100) }).strict(),
  scriptItem,
]);
