// Vapi's validation rules the sandbox enforces, on what our code sends it: the phone-number DTOs
// (REST) and the server's answer to `assistant-request` (PROVIDERS.md §1.2, §1.8: name ≤ 40,
// function names ^[a-zA-Z0-9_-]{1,64}$, destinations with an E.164 number, `error` a string).
// Unknown fields are refused on REST bodies (as Vapi's API does) and ignored in assistants.
import { z } from "zod";

const E164_MESSAGE =
  "must be a valid phone number in the E.164 format. Hot tip, you may be missing the country code (Eg. US: +1).";
export const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, E164_MESSAGE);

const server = z.object({
  url: z.url({ protocol: /^https?$/, error: "must be a URL address" }),
  timeoutSeconds: z.number().min(1).max(300).optional(),
  credentialId: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  staticIpAddressesEnabled: z.boolean().optional(),
  backoffPlan: z.record(z.string(), z.unknown()).optional(),
}).strict();

export const destination = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("number"),
    number: e164,
    numberE164CheckEnabled: z.boolean().optional(),
    extension: z.string().max(10).optional(),
    callerId: z.string().max(40).optional(),
    message: z.string().optional(),
    description: z.string().optional(),
    transferPlan: z.record(z.string(), z.unknown()).optional(),
  }).passthrough(),
  z.object({
    type: z.literal("sip"),
    sipUri: z.string().regex(/^sips?:/, "must be a valid SIP URI"),
    sipHeaders: z.record(z.string(), z.unknown()).optional(),
    message: z.string().optional(),
    description: z.string().optional(),
  }).passthrough(),
]);

const phoneNumberFields = {
  name: z.string().max(40).optional(),
  assistantId: z.string().optional(),
  squadId: z.string().optional(),
  workflowId: z.string().optional(),
  server: server.optional(),
  fallbackDestination: destination.optional(),
  smsEnabled: z.boolean().optional(),
  twilioAuthToken: z.string().min(1).optional(),
  twilioApiKey: z.string().min(1).optional(),
  twilioApiSecret: z.string().min(1).optional(),
};

export const createPhoneNumber = z.object({
  provider: z.literal("twilio", { error: "provider must be one of: twilio" }),
  number: e164,
  twilioAccountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, "must be a Twilio Account SID"),
  ...phoneNumberFields,
}).strict().refine(
  (b) => b.twilioAuthToken !== undefined || (b.twilioApiKey && b.twilioApiSecret),
  { message: "twilioAuthToken or twilioApiKey and twilioApiSecret must be provided" },
);

export const updatePhoneNumber = z.object({
  provider: z.literal("twilio").optional(),
  number: e164.optional(),
  twilioAccountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/).optional(),
  ...phoneNumberFields,
}).strict();

export const createCall = z.object({
  phoneNumberId: z.string().min(1),
  customer: z.object({ number: e164, name: z.string().max(40).optional() }).passthrough(),
  assistantId: z.string().optional(),
  assistant: z.record(z.string(), z.unknown()).optional(),
  assistantOverrides: z.record(z.string(), z.unknown()).optional(),
  name: z.string().max(40).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
}).strict();

/** NestJS-style messages: "<path> <message>", as Vapi words class-validator failures. */
export function messages(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      const prefix = issue.path.length ? `${issue.path.join(".")}.` : "";
      return issue.keys.map((k) => `property ${prefix}${k} should not exist`).join(", ");
    }
    const where = issue.path.join(".");
    return where ? `${where} ${issue.message}` : issue.message;
  });
}

const functionTool = z.object({
  type: z.literal("function"),
  async: z.boolean().optional(),
  function: z.object({
    name: z.string().regex(
      /^[a-zA-Z0-9_-]{1,64}$/,
      "must be a-z, A-Z, 0-9, or contain underscores and dashes, with a maximum length of 64",
    ),
    description: z.string().optional(),
    strict: z.boolean().optional(),
    parameters: z.object({
      type: z.literal("object"),
      properties: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
      required: z.array(z.string()).optional(),
    }).passthrough().optional(),
  }).passthrough(),
  server: server.optional(),
  messages: z.array(z.record(z.string(), z.unknown())).optional(),
}).passthrough();

const transferTool = z.object({
  type: z.literal("transferCall"),
  destinations: z.array(destination).optional(),
  messages: z.array(z.record(z.string(), z.unknown())).optional(),
}).passthrough();

const otherTool = z.object({
  type: z.enum(["endCall", "dtmf", "voicemail", "query", "apiRequest", "sms"]),
}).passthrough();

export const assistant = z.object({
  name: z.string().max(40).optional(),
  firstMessage: z.string().optional(),
  firstMessageMode: z.enum([
    "assistant-speaks-first",
    "assistant-speaks-first-with-model-generated-message",
    "assistant-waits-for-user",
  ]).optional(),
  model: z.object({
    provider: z.string().min(1),
    model: z.string().min(1),
    messages: z.array(
      z.object({
        role: z.enum(["assistant", "function", "user", "system", "tool"]),
        content: z.string().optional(),
      }).passthrough(),
    ).optional(),
    tools: z.array(z.union([functionTool, transferTool, otherTool])).optional(),
  }).passthrough(),
  voice: z.object({ provider: z.string().min(1) }).passthrough().optional(),
  transcriber: z.object({ provider: z.string().min(1), language: z.string().optional() })
    .passthrough().optional(),
  serverMessages: z.array(z.string()).optional(),
  server: server.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  maxDurationSeconds: z.number().min(10).max(43200).optional(),
  artifactPlan: z.record(z.string(), z.unknown()).optional(),
  analysisPlan: z.record(z.string(), z.unknown()).optional(),
}).passthrough();

export type Assistant = z.infer<typeof assistant>;
export type FunctionTool = z.infer<typeof functionTool>;
export type TransferTool = z.infer<typeof transferTool>;
export type Destination = z.infer<typeof destination>;

export type AssistantAnswer =
  | { kind: "assistant"; assistant: Assistant }
  | { kind: "destination"; destination: Destination }
  | { kind: "error"; error: string }
  | { kind: "invalid"; endedReason: string; problems: string[] };

/**
 * What Vapi makes of the server's answer to `assistant-request`: `error` overrides everything,
 * then `destination`, then `assistant`; an id-only answer (assistantId, squad…) the sandbox
 * cannot play is refused as no assistant.
 */
export function readAssistantAnswer(body: unknown): AssistantAnswer {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return {
      kind: "invalid",
      endedReason: "assistant-request-returned-no-assistant",
      problems: ["the answer is not a JSON object"],
    };
  }
  const answer = body as Record<string, unknown>;
  if ("error" in answer) {
    if (typeof answer.error !== "string" || answer.error.trim() === "") {
      return {
        kind: "invalid",
        endedReason: "assistant-request-returned-unspeakable-error",
        problems: ["error must be a non-empty string"],
      };
    }
    return { kind: "error", error: answer.error };
  }
  if ("destination" in answer) {
    const parsed = destination.safeParse(answer.destination);
    if (!parsed.success) {
      return {
        kind: "invalid",
        endedReason: "assistant-request-returned-invalid-assistant",
        problems: messages(parsed.error).map((m) => `destination.${m}`),
      };
    }
    return { kind: "destination", destination: parsed.data };
  }
  if ("assistant" in answer) {
    const parsed = assistant.safeParse(answer.assistant);
    if (!parsed.success) {
      return {
        kind: "invalid",
        endedReason: "assistant-request-returned-invalid-assistant",
        problems: messages(parsed.error).map((m) => `assistant.${m}`),
      };
    }
    return { kind: "assistant", assistant: parsed.data };
  }
  return {
    kind: "invalid",
    endedReason: "assistant-request-returned-no-assistant",
    problems: ["the answer has no assistant, destination or error"],
  };
}
