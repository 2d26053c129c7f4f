// OpenAI Chat Completions through the official `openai` client (PROVIDERS §6): the base URL from
// the environment (the local stack points it at its sandbox), a tight timeout and at most one
// retry — a patient is waiting, and the client would otherwise retry a 429 insufficient_quota
// too. Failures are classified by the API's error code, into a reason staff can read.
import OpenAI from "openai";
import type { ChatMessage, Completion } from "../assistant/tool_loop.ts";

export const DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1";
export const DEFAULT_OPENAI_MODEL = "gpt-4.1-mini";
export const OPENAI_TIMEOUT_MS = 15_000;
const MAX_COMPLETION_TOKENS = 600;

export type OpenAiSettings = { apiKey: string; baseURL: string; model: string };

/** The settings from the environment; null when no API key is set (the LLM is then off). */
export function openAiSettings(env: { get(name: string): string | undefined } = Deno.env) {
  const apiKey = env.get("OPENAI_API_KEY")?.trim();
  if (!apiKey) return null;
  return {
    apiKey,
    baseURL: env.get("OPENAI_BASE_URL")?.trim() || DEFAULT_OPENAI_BASE_URL,
    model: env.get("OPENAI_MODEL")?.trim() || DEFAULT_OPENAI_MODEL,
  } satisfies OpenAiSettings;
}

let cached: { key: string; client: OpenAI } | undefined;

function clientFor(settings: OpenAiSettings): OpenAI {
  const key = `${settings.baseURL}\n${settings.apiKey}`;
  if (cached?.key !== key) {
    cached = {
      key,
      client: new OpenAI({
        apiKey: settings.apiKey,
        baseURL: settings.baseURL,
        timeout: OPENAI_TIMEOUT_MS,
        maxRetries: 1,
      }),
    };
  }
  return cached.client;
}

export type FunctionTool = {
  type: "function";
  function: { name: string; description: string; parameters: Record<string, unknown> };
};

/** One completion: the model's words and tool calls (function tools only). */
export async function complete(
  settings: OpenAiSettings,
  messages: readonly ChatMessage[],
  tools: readonly FunctionTool[],
  options: { toolsOn: boolean; signal?: AbortSignal },
): Promise<Completion> {
  const response = await clientFor(settings).chat.completions.create({
    model: settings.model,
    messages: messages as OpenAI.Chat.ChatCompletionMessageParam[],
    ...(tools.length > 0
      ? {
        tools: tools as OpenAI.Chat.ChatCompletionTool[],
        tool_choice: options.toolsOn ? "auto" : "none",
      }
      : {}),
    max_completion_tokens: MAX_COMPLETION_TOKENS,
    temperature: 0.3,
  }, { signal: options.signal });
  const message = response.choices[0]?.message;
  if (!message) throw new OpenAiFailure("bad_output", "OpenAI answered without a message");
  const toolCalls = (message.tool_calls ?? []).flatMap((c) =>
    c.type === "function"
      ? [{
        id: c.id,
        type: "function" as const,
        function: { name: c.function.name, arguments: c.function.arguments },
      }]
      : []
  );
  return { content: message.content ?? null, toolCalls };
}

export type FailureKind =
  | "quota"
  | "rate_limited"
  | "timeout"
  | "unavailable"
  | "auth"
  | "rejected"
  | "bad_output";

/** Our own failure of a completion (e.g. a malformed answer). */
export class OpenAiFailure extends Error {
  constructor(readonly kind: FailureKind, message: string) {
    super(message);
    this.name = "OpenAiFailure";
  }
}

const REASONS: Readonly<Record<FailureKind, string>> = {
  quota: "the OpenAI account has run out of quota (insufficient_quota)",
  rate_limited: "OpenAI is rate limiting requests",
  timeout: "OpenAI did not answer in time",
  unavailable: "OpenAI is unavailable",
  auth: "the OpenAI API key was refused",
  rejected: "OpenAI refused the request",
  bad_output: "OpenAI's answer could not be used",
};

/** What went wrong, by the API's error code first, then its status; never the raw message. */
export function classifyOpenAiError(error: unknown): { kind: FailureKind; reason: string } {
  const kind = kindOf(error);
  return { kind, reason: `The assistant could not answer: ${REASONS[kind]}.` };
}

function kindOf(error: unknown): FailureKind {
  if (error instanceof OpenAiFailure) return error.kind;
  // Our own deadline for the whole answer (the caller's signal) ran out.
  if (error instanceof OpenAI.APIUserAbortError) return "timeout";
  if (error instanceof OpenAI.APIConnectionTimeoutError) return "timeout";
  if (error instanceof OpenAI.APIConnectionError) return "unavailable";
  if (error instanceof OpenAI.APIError) {
    const code = String(error.code ?? (error.error as { type?: string } | undefined)?.type ?? "");
    if (code === "insufficient_quota") return "quota";
    if (code === "rate_limit_exceeded" || error.status === 429) return "rate_limited";
    if (code === "invalid_api_key" || error.status === 401 || error.status === 403) return "auth";
    if (error.status === 408) return "timeout";
    if (error.status === undefined || error.status >= 500) return "unavailable";
    return "rejected";
  }
  if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError")) {
    return "timeout";
  }
  return "bad_output";
}
