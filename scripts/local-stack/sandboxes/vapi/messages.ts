// The server messages as Vapi sends them (PROVIDERS.md §1.1–1.6) and the views of calls and
// numbers the API answers with. Pure: built from the stored call; no secret ever goes in (the
// number's Twilio auth token and API secret are left out).
import type { Assistant, FunctionTool } from "./schema.ts";
import type { Call, CallMessage, PhoneNumber } from "./store.ts";

/** A phone number as the API shows it (Twilio secrets left out). */
export function phoneNumberView(p: PhoneNumber): Record<string, unknown> {
  const { twilioAuthToken: _t, twilioApiSecret: _s, ...view } = p;
  return view;
}

/** "AI: … / User: …" lines, as artifact.transcript. */
export function transcriptText(messages: CallMessage[]): string {
  return messages.flatMap((m) =>
    m.role === "bot" ? [`AI: ${m.message}`] : m.role === "user" ? [`User: ${m.message}`] : []
  ).join("\n");
}

/** The conversation only: what the assistant and the caller said. */
export function conversation(call: Call): { role: "assistant" | "user"; text: string }[] {
  return call.messages.flatMap((m): { role: "assistant" | "user"; text: string }[] =>
    m.role === "bot"
      ? [{ role: "assistant" as const, text: m.message ?? "" }]
      : m.role === "user"
      ? [{ role: "user" as const, text: m.message ?? "" }]
      : []
  );
}

function artifact(call: Call) {
  return {
    messages: call.messages,
    messagesOpenAIFormatted: call.messages.flatMap((m): Record<string, unknown>[] =>
      m.role === "bot"
        ? [{ role: "assistant", content: m.message }]
        : m.role === "user"
        ? [{ role: "user", content: m.message }]
        : m.role === "tool_call_result"
        ? [{ role: "tool", tool_call_id: m.toolCallId, content: m.result }]
        : m.role === "tool_calls"
        ? [{ role: "assistant", tool_calls: m.toolCalls }]
        : []
    ),
    transcript: transcriptText(call.messages),
    ...(call.recordingUrl
      ? {
        recordingUrl: call.recordingUrl,
        stereoRecordingUrl: call.recordingUrl,
        recording: { mono: { combinedUrl: call.recordingUrl }, stereoUrl: call.recordingUrl },
      }
      : {}),
  };
}

/** Vapi's Call object. */
export function callView(call: Call): Record<string, unknown> {
  return {
    id: call.id,
    orgId: call.orgId,
    type: call.type,
    status: call.status,
    ...(call.endedReason ? { endedReason: call.endedReason } : {}),
    phoneCallProvider: call.phoneCallProvider,
    phoneCallProviderId: call.phoneCallProviderId,
    phoneCallTransport: call.phoneCallTransport,
    phoneNumberId: call.phoneNumberId,
    customer: call.customer,
    ...(call.assistant ? { assistant: call.assistant } : {}),
    ...(call.destination ? { destination: call.destination } : {}),
    createdAt: call.createdAt,
    updatedAt: call.updatedAt,
    ...(call.startedAt ? { startedAt: call.startedAt } : {}),
    ...(call.endedAt ? { endedAt: call.endedAt } : {}),
    ...(call.cost !== undefined
      ? { cost: call.cost, costBreakdown: costBreakdown(call.cost) }
      : {}),
    artifact: artifact(call),
    ...(call.summary ? { analysis: { summary: call.summary } } : {}),
  };
}

/** A made-up but consistent split of the cost (it sums to the total). */
function costBreakdown(total: number) {
  const part = (share: number) => Math.round(total * share * 10000) / 10000;
  const transport = part(0.2), stt = part(0.15), llm = part(0.3), tts = part(0.2);
  const vapi = Math.round((total - transport - stt - llm - tts) * 10000) / 10000;
  return { transport, stt, llm, tts, vapi, total };
}

export interface Envelope {
  call: Call;
  phoneNumber: PhoneNumber;
  now: number;
}

function common({ call, phoneNumber, now }: Envelope) {
  return {
    timestamp: now,
    call: callView(call),
    phoneNumber: phoneNumberView(phoneNumber),
    customer: call.customer,
    ...(call.assistant ? { assistant: call.assistant } : {}),
  };
}

export function assistantRequest(e: Envelope) {
  return { message: { type: "assistant-request", assistantVersion: null, ...common(e) } };
}

export function statusUpdate(e: Envelope) {
  const { call } = e;
  return {
    message: {
      type: "status-update",
      status: call.status,
      ...(call.status === "ended" ? { endedReason: call.endedReason } : {}),
      ...common(e),
      ...(call.status === "forwarding"
        ? {
          destination: call.destination,
          messages: call.messages,
          transcript: transcriptText(call.messages),
        }
        : {}),
    },
  };
}

export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: Record<string, unknown> };
}

/** `tool-calls` with both lists Vapi requires; `arguments` as an object (PROVIDERS §1.3). */
export function toolCalls(e: Envelope, calls: { tool: FunctionTool; toolCall: ToolCall }[]) {
  return {
    message: {
      type: "tool-calls",
      ...common(e),
      artifact: artifact(e.call),
      toolCallList: calls.map((c) => c.toolCall),
      toolWithToolCallList: calls.map(({ tool, toolCall }) => ({
        type: "function",
        function: tool.function,
        ...(tool.server ? { server: tool.server } : {}),
        messages: tool.messages ?? [],
        toolCall,
      })),
    },
  };
}

export function transferDestinationRequest(e: Envelope) {
  return { message: { type: "transfer-destination-request", ...common(e) } };
}

export function endOfCallReport(e: Envelope) {
  const { call } = e;
  return {
    message: {
      type: "end-of-call-report",
      endedReason: call.endedReason,
      cost: call.cost,
      costs: [{ type: "vapi", cost: call.cost, minutes: call.seconds / 60 }],
      ...(call.destination ? { destination: call.destination } : {}),
      startedAt: call.startedAt,
      endedAt: call.endedAt,
      ...common(e),
      artifact: artifact(call),
      analysis: { summary: call.summary ?? "" },
    },
  };
}

/** Whether the assistant asked for this message type (Vapi's default list when it did not say). */
export function wants(assistant: Assistant | undefined, type: string): boolean {
  const list = assistant?.serverMessages;
  return list === undefined || list.includes(type);
}
