// POST /v1/chat/completions in OpenAI's wire format (PROVIDERS §6): Bearer OPENAI_API_KEY; the
// request checked as the API checks it (model, messages and their roles, tool messages answering
// a preceding assistant's tool_calls, tools, tool_choice); the answer from the script, else the
// default rules (rules.ts); faults and scripted errors in OpenAI's error shape.
import { z } from "zod";
import { delayFor } from "../faults.ts";
import type { SandboxContext } from "./context.ts";
import { badKey, invalidRequest, NAMED_ERRORS, openaiError, requestId } from "./errors.ts";
import { type ChatMessage, type ChatTool, decide, textOf } from "./rules.ts";

const part = z.object({ type: z.string(), text: z.string().optional() }).passthrough();
const content = z.union([z.string(), z.array(part)]);

const message = z.discriminatedUnion("role", [
  z.object({ role: z.literal("system"), content, name: z.string().optional() }).passthrough(),
  z.object({ role: z.literal("developer"), content, name: z.string().optional() }).passthrough(),
  z.object({ role: z.literal("user"), content, name: z.string().optional() }).passthrough(),
  z.object({
    role: z.literal("assistant"),
    content: content.nullable().optional(),
    refusal: z.string().nullable().optional(),
    tool_calls: z.array(z.object({
      id: z.string().min(1),
      type: z.literal("function"),
      function: z.object({ name: z.string().min(1), arguments: z.string() }),
    })).optional(),
  }).passthrough(),
  z.object({ role: z.literal("tool"), content, tool_call_id: z.string().min(1) }).passthrough(),
]);

const tool = z.object({
  type: z.literal("function"),
  function: z.object({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "must match ^[a-zA-Z0-9_-]{1,64}$"),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullable().optional(),
  }),
});

const request = z.object({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  tools: z.array(tool).max(128).optional(),
  tool_choice: z.union([
    z.enum(["none", "auto", "required"]),
    z.object({ type: z.literal("function"), function: z.object({ name: z.string() }) }),
  ]).optional(),
  parallel_tool_calls: z.boolean().optional(),
  max_completion_tokens: z.number().int().positive().nullable().optional(),
  max_tokens: z.number().int().positive().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
}).passthrough();

type ChatRequest = z.infer<typeof request>;

/** OpenAI's words for the first problem, with the parameter path as it writes it. */
function problem(error: z.ZodError): Response {
  const issue = error.issues[0];
  const param = issue.path.map((p) => typeof p === "number" ? `[${p}]` : `.${String(p)}`).join("")
    .replace(/^\./, "");
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return invalidRequest(
      `Missing required parameter: '${param}'.`,
      param,
      "missing_required_parameter",
    );
  }
  return invalidRequest(`Invalid value for '${param}': ${issue.message}`, param, "invalid_value");
}

/** Tool messages must answer the preceding assistant's tool_calls, every one of them. */
function checkToolOrder(messages: ChatRequest["messages"]): Response | null {
  let open: Set<string> | null = null;
  for (const [i, m] of messages.entries()) {
    if (m.role === "tool") {
      if (!open || !open.has(m.tool_call_id)) {
        return invalidRequest(
          "Invalid parameter: messages with role 'tool' must be a response to a preceeding " +
            "message with 'tool_calls'.",
          `messages.[${i}].role`,
        );
      }
      open.delete(m.tool_call_id);
      continue;
    }
    if (open && open.size) {
      return invalidRequest(
        "An assistant message with 'tool_calls' must be followed by tool messages responding " +
          "to each 'tool_call_id'. The following tool_call_ids did not have response messages: " +
          [...open].join(", "),
        "messages",
      );
    }
    open = m.role === "assistant" && m.tool_calls?.length
      ? new Set(m.tool_calls.map((c) => c.id))
      : null;
  }
  return null;
}

const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

const callId = () =>
  "call_" +
  Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) =>
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[b % 62]).join("");

function completion(
  ctx: SandboxContext,
  req: ChatRequest,
  answer: {
    content: string | null;
    toolCalls: { id?: string; name: string; arguments: string | Record<string, unknown> }[];
    finishReason?: string;
  },
) {
  const calls = answer.toolCalls.map((c) => ({
    id: c.id ?? callId(),
    type: "function" as const,
    function: {
      name: c.name,
      arguments: typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments),
    },
  }));
  const prompt = tokens(JSON.stringify(req.messages) + JSON.stringify(req.tools ?? []));
  const completionTokens = tokens(
    (answer.content ?? "") + calls.map((c) => c.function.name + c.function.arguments).join(""),
  );
  return {
    id: `chatcmpl-${requestId().slice(4, 30)}`,
    object: "chat.completion",
    created: Math.floor(ctx.now() / 1000),
    model: req.model,
    choices: [{
      index: 0,
      message: {
        role: "assistant",
        content: answer.content,
        refusal: null,
        annotations: [],
        ...(calls.length ? { tool_calls: calls } : {}),
      },
      logprobs: null,
      finish_reason: answer.finishReason ?? (calls.length ? "tool_calls" : "stop"),
    }],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completionTokens,
      total_tokens: prompt + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
    service_tier: "default",
    system_fingerprint: "fp_sandbox0001",
  };
}

const ok = (body: unknown) =>
  new Response(JSON.stringify(body, null, 2), {
    headers: {
      "content-type": "application/json",
      "x-request-id": requestId(),
      "openai-processing-ms": "5",
    },
  });

/** The answer to one request, and which fault it met. */
async function answer(ctx: SandboxContext, req: Request, used: { fault: string | null }) {
  const key = (req.headers.get("authorization") ?? "").match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;
  if (key !== ctx.apiKey) return { res: badKey(key), body: null };
  let raw: unknown;
  try {
    raw = await req.json();
  } catch {
    return {
      res: invalidRequest(
        "We could not parse the JSON body of your request. (HINT: This likely means you " +
          "aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but " +
          "what was sent was not valid JSON.)",
      ),
      body: null,
    };
  }
  const parsed = request.safeParse(raw);
  if (!parsed.success) return { res: problem(parsed.error), body: raw };
  const r = parsed.data;
  const bad = checkToolOrder(r.messages);
  if (bad) return { res: bad, body: raw };
  if (r.tool_choice !== undefined && !r.tools?.length) {
    return {
      res: invalidRequest(
        "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
        "tool_choice",
      ),
      body: raw,
    };
  }
  const forced = typeof r.tool_choice === "object" ? r.tool_choice.function.name : null;
  if (forced && !r.tools!.some((t) => t.function.name === forced)) {
    return {
      res: invalidRequest(
        `Invalid value for 'tool_choice': no function named '${forced}' was specified in the ` +
          "'tools' parameter.",
        "tool_choice",
      ),
      body: raw,
    };
  }

  const fault = ctx.faults.take("chat.completions");
  used.fault = fault?.id ?? null;
  if (await delayFor(fault)) {
    return {
      res: fault!.error
        ? NAMED_ERRORS[fault!.error]()
        : openaiError(fault!.status!, { message: "Injected failure", type: "server_error" }),
      body: raw,
    };
  }

  const scripted = ctx.script.shift();
  if (scripted) {
    if (scripted.delayMs) await new Promise((res) => setTimeout(res, scripted.delayMs));
    if (scripted.error) {
      const e = scripted.error;
      return {
        res: typeof e === "string"
          ? NAMED_ERRORS[e]()
          : openaiError(e.status, { message: e.message, type: e.type, code: e.code }),
        body: raw,
      };
    }
    return {
      res: ok(completion(ctx, r, {
        content: scripted.content ?? null,
        toolCalls: scripted.tool_calls ?? [],
        finishReason: scripted.finish_reason,
      })),
      body: raw,
    };
  }

  const tools = (r.tools ?? []) as ChatTool[];
  const usable = r.tool_choice === "none"
    ? []
    : forced
    ? tools.filter((t) => t.function.name === forced)
    : tools;
  const decision = decide(
    r.messages as ChatMessage[],
    usable,
    new Date(ctx.now()).toISOString().slice(0, 10),
  );
  let toolCalls = "toolCalls" in decision ? decision.toolCalls : [];
  // "required" or a named function: the model must call one.
  if (!toolCalls.length && usable.length && (forced || r.tool_choice === "required")) {
    toolCalls = [{ name: usable[0].function.name, arguments: {} }];
  }
  return {
    res: ok(completion(ctx, r, {
      content: toolCalls.length ? null : "content" in decision ? decision.content : null,
      toolCalls,
    })),
    body: raw,
  };
}

const KEEP = 200;

/** `path` is below /_local/openai; null when it is not an API path. */
export async function openaiApi(
  ctx: SandboxContext,
  req: Request,
  path: string,
): Promise<Response | null> {
  if (path !== "/v1/chat/completions") {
    return path.startsWith("/v1/")
      ? openaiError(404, {
        message: `Invalid URL (${req.method} ${path})`,
        type: "invalid_request_error",
      })
      : null;
  }
  if (req.method !== "POST") {
    return openaiError(405, { message: "Method not allowed", type: "invalid_request_error" });
  }
  const used = { fault: null as string | null };
  const { res, body } = await answer(ctx, req, used);
  ctx.log.add({
    method: "POST",
    endpoint: "chat.completions",
    status: res.status,
    account: null,
    fault: used.fault,
  });
  const entry = ctx.log.since().at(-1)!;
  // The answer is read again for the exchange log; the caller gets an untouched copy.
  const copy = res.clone();
  ctx.exchanges.push({
    seq: entry.seq,
    at: entry.at,
    request: body,
    status: res.status,
    response: await copy.json().catch(() => null),
  });
  if (ctx.exchanges.length > KEEP) ctx.exchanges.shift();
  return res;
}

/** The last user text and the answer's text, for the console. */
export function summary(e: { request: unknown; response: unknown }) {
  // deno-lint-ignore no-explicit-any
  const messages: ChatMessage[] = (e.request as any)?.messages ?? [];
  // deno-lint-ignore no-explicit-any
  const choice = (e.response as any)?.choices?.[0]?.message;
  // deno-lint-ignore no-explicit-any
  const error = (e.response as any)?.error?.code ?? (e.response as any)?.error?.type;
  const last = messages.at(-1);
  return {
    asked: last ? `${last.role}: ${textOf(last.content)}` : "",
    answered: error
      ? `error ${error}`
      : choice?.tool_calls?.length
      ? choice.tool_calls.map((c: { function: { name: string; arguments: string } }) =>
        `${c.function.name}(${c.function.arguments})`
      ).join(", ")
      : choice?.content ?? "",
  };
}
