// The LLM's tool rounds, bounded: the model answers, or asks for tools; we run them and give it
// the results; after `maxRounds` rounds of tools it must answer in words (tools off). A tool
// may end the loop (handing over to staff: the patient then gets a fixed text). An answer
// without words is bad output, and so is a tool call when tools were off: the caller falls back.
import type { ToolCall, ToolResult } from "./tools.ts";

export const MAX_TOOL_ROUNDS = 4;
/** WhatsApp's limit for a text body. */
export const MAX_REPLY_CHARS = 4096;

export type ChatToolCall = {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
};

export type ChatMessage =
  | { role: "system" | "user"; content: string }
  | { role: "assistant"; content: string | null; tool_calls?: ChatToolCall[] }
  | { role: "tool"; tool_call_id: string; content: string };

export type Completion = { content: string | null; toolCalls: readonly ChatToolCall[] };

/** One Chat Completions request; `tools: false` asks for words only. */
export type Complete = (
  messages: ChatMessage[],
  options: { tools: boolean },
) => Promise<Completion>;

/** Runs one round's tool calls; `stop` ends the loop without a written answer. */
export type RunTools = (calls: ToolCall[]) => Promise<{ results: ToolResult[]; stop: boolean }>;

export class BadOutput extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BadOutput";
  }
}

export type LoopOutcome =
  /** `exchanged`: the tool calls and results of this answer, for the next turn's history. */
  | { kind: "answer"; text: string; rounds: number; exchanged: ChatMessage[] }
  | { kind: "stopped"; rounds: number };

/** A tool call's JSON arguments as an object; null when they are not one. */
export function argumentsOf(json: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(json === "" ? "{}" : json);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

export async function toolLoop(
  start: readonly ChatMessage[],
  complete: Complete,
  runTools: RunTools,
  maxRounds = MAX_TOOL_ROUNDS,
): Promise<LoopOutcome> {
  const messages = [...start];
  for (let rounds = 0;; rounds++) {
    const tools = rounds < maxRounds;
    const completion = await complete(messages, { tools });
    if (completion.toolCalls.length > 0) {
      if (!tools) throw new BadOutput("the model called a tool after the last tool round");
      const calls = completion.toolCalls.map((c) => ({
        id: c.id,
        name: c.function.name,
        args: argumentsOf(c.function.arguments),
      }));
      const { results, stop } = await runTools(calls);
      if (stop) return { kind: "stopped", rounds: rounds + 1 };
      messages.push(
        { role: "assistant", content: completion.content, tool_calls: [...completion.toolCalls] },
        ...results.map((r) => ({
          role: "tool" as const,
          tool_call_id: r.toolCallId,
          content: r.result,
        })),
      );
      continue;
    }
    const text = (completion.content ?? "").trim();
    if (text === "") throw new BadOutput("the model answered without text");
    return {
      kind: "answer",
      exchanged: messages.slice(start.length),
      text: Array.from(text).length <= MAX_REPLY_CHARS
        ? text
        : `${Array.from(text).slice(0, MAX_REPLY_CHARS - 1).join("")}…`,
      rounds,
    };
  }
}
