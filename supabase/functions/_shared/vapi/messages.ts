// Vapi's server messages as our `vapi` function reads them (PROVIDERS.md §1): the envelope
// `{message: {type, …}}` and, per type, only the fields we use. Tolerant where Vapi's schema and
// its docs disagree or where public handlers saw other shapes: a tool call's arguments as an
// object or a JSON string, the calls under `toolCallList`, `toolWithToolCallList[].toolCall` or
// `toolCalls`, and `{id, name, arguments | parameters}` without `function`. Unknown fields are
// kept out, never refused. Pure.
import { z } from "zod";

const text = (max: number) => z.string().max(max);
const optionalText = (max: number) => text(max).optional().catch(undefined);

/** The Call object's fields we mirror (VAPI-OAS `Call`). */
const call = z.looseObject({
  id: text(200).min(1),
  phoneCallProviderId: optionalText(200),
  phoneNumberId: optionalText(200),
  customer: z.looseObject({ number: optionalText(60) }).optional().catch(undefined),
  assistant: z.looseObject({ metadata: z.record(z.string(), z.unknown()).optional() })
    .optional().catch(undefined),
});

const common = {
  call: call.optional(),
  phoneNumber: z.looseObject({ id: optionalText(200), number: optionalText(60) }).optional()
    .catch(undefined),
  customer: z.looseObject({ number: optionalText(60) }).optional().catch(undefined),
  assistant: z.looseObject({ metadata: z.record(z.string(), z.unknown()).optional() })
    .optional().catch(undefined),
  timestamp: z.union([z.number(), z.string()]).optional().catch(undefined),
};

/** One tool call as we dispatch it; `args` null when the arguments were not a JSON object. */
export type ToolCall = { id: string; name: string; args: Record<string, unknown> | null };

const rawArguments = z.union([z.string(), z.record(z.string(), z.unknown())]).optional();
const rawToolCall = z.looseObject({
  id: text(200).min(1),
  function: z.looseObject({ name: text(200).optional(), arguments: rawArguments }).optional(),
  name: text(200).optional(),
  arguments: rawArguments,
  parameters: rawArguments,
});

function argumentsOf(value: z.infer<typeof rawArguments>): ToolCall["args"] {
  if (value === undefined) return {};
  if (typeof value !== "string") return value;
  if (value.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? parsed as Record<string, unknown>
      : null;
  } catch {
    return null;
  }
}

function toolCallOf(raw: z.infer<typeof rawToolCall>): ToolCall {
  return {
    id: raw.id,
    name: raw.function?.name ?? raw.name ?? "",
    args: argumentsOf(raw.function?.arguments ?? raw.arguments ?? raw.parameters),
  };
}

const toolCalls = z.looseObject({
  type: z.literal("tool-calls"),
  ...common,
  toolCallList: z.array(rawToolCall).max(50).optional(),
  toolCalls: z.array(rawToolCall).max(50).optional(),
  toolWithToolCallList: z.array(z.looseObject({ toolCall: rawToolCall })).max(50).optional(),
});

/** The calls of a `tool-calls` message, in Vapi's order, whichever list carries them. */
export function toolCallsOf(message: z.output<typeof toolCalls>): ToolCall[] {
  const list = message.toolCallList ?? message.toolCalls ??
    message.toolWithToolCallList?.map((t) => t.toolCall) ?? [];
  return list.map(toolCallOf);
}

const transcriptMessage = z.looseObject({
  role: z.string(),
  message: z.string().optional(),
  content: z.string().optional(),
  secondsFromStart: z.number().optional(),
  time: z.number().optional(),
});

const endOfCallReport = z.looseObject({
  type: z.literal("end-of-call-report"),
  ...common,
  endedReason: optionalText(200),
  cost: z.number().nonnegative().max(1e5).optional().catch(undefined),
  startedAt: z.iso.datetime({ offset: true }).optional().catch(undefined),
  endedAt: z.iso.datetime({ offset: true }).optional().catch(undefined),
  artifact: z.looseObject({
    messages: z.array(z.unknown()).max(2000).optional().catch(undefined),
    recordingUrl: optionalText(2000),
    recording: z.looseObject({
      mono: z.looseObject({ combinedUrl: optionalText(2000) }).optional().catch(undefined),
    }).optional().catch(undefined),
  }).optional().catch(undefined),
  analysis: z.looseObject({ summary: optionalText(20_000) }).optional().catch(undefined),
});

export const vapiMessage = z.object({
  message: z.discriminatedUnion("type", [
    z.looseObject({ type: z.literal("assistant-request"), ...common }),
    toolCalls,
    z.looseObject({
      type: z.literal("status-update"),
      ...common,
      status: text(40),
      endedReason: optionalText(200),
    }),
    endOfCallReport,
    z.looseObject({ type: z.literal("hang"), ...common }),
  ]),
});

/** Any message with a type; those we do not handle answer `{}`. */
export const vapiEnvelope = z.object({ message: z.looseObject({ type: z.string().max(100) }) });

export type VapiMessage = z.output<typeof vapiMessage>["message"];
export type EndOfCallReport = Extract<VapiMessage, { type: "end-of-call-report" }>;
export type ToolCallsMessage = Extract<VapiMessage, { type: "tool-calls" }>;

/** The caller's number: on the message, else on its call. */
export function callerNumber(message: VapiMessage): string | undefined {
  return message.customer?.number ?? message.call?.customer?.number;
}

/** The metadata of the transient assistant we built, as Vapi echoes it. */
export function assistantMetadata(message: VapiMessage): Record<string, unknown> {
  return message.assistant?.metadata ?? message.call?.assistant?.metadata ?? {};
}

export type TranscriptLine = {
  role: "assistant" | "user" | "tool";
  text: string;
  seconds_from_start?: number;
};

const ROLES: Readonly<Record<string, TranscriptLine["role"]>> = {
  bot: "assistant",
  assistant: "assistant",
  user: "user",
  tool_call_result: "tool",
  tool: "tool",
};

/** The report's spoken turns (and tool results) in order; system prompts left out. */
export function transcriptOf(report: EndOfCallReport): TranscriptLine[] {
  const lines: TranscriptLine[] = [];
  for (const raw of report.artifact?.messages ?? []) {
    const parsed = transcriptMessage.safeParse(raw);
    if (!parsed.success) continue;
    const role = ROLES[parsed.data.role];
    const said = parsed.data.message ?? parsed.data.content ?? (
      typeof (raw as { result?: unknown }).result === "string"
        ? (raw as { result: string }).result
        : undefined
    );
    if (!role || said === undefined || said.trim() === "") continue;
    const seconds = parsed.data.secondsFromStart;
    lines.push({
      role,
      text: said.slice(0, 4000),
      ...(seconds === undefined ? {} : { seconds_from_start: seconds }),
    });
  }
  return lines;
}

/** The recording's address, where Vapi puts it now or used to. */
export function recordingUrlOf(report: EndOfCallReport): string | undefined {
  const url = report.artifact?.recordingUrl ?? report.artifact?.recording?.mono?.combinedUrl;
  return url && /^https?:\/\//.test(url) ? url : undefined;
}
