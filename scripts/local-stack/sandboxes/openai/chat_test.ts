// The OpenAI sandbox through the official `openai` client (as R1's client uses it) and raw HTTP:
// the wire format, the API key check, request validation, scripts, faults and the request log.
import assert from "node:assert/strict";
import OpenAI from "openai";
import { createOpenAISandbox } from "./mod.ts";

const KEY = "sk-proj-sandbox-test-key-0123456789";
const BASE = "http://api.test/_local/openai";

function sandbox() {
  const sb = createOpenAISandbox({ apiKey: KEY, now: () => Date.parse("2026-12-02T09:00:00Z") });
  // Like fetch over HTTP: an aborted signal (the client's timeout) ends the wait.
  const route = (input: string | URL | Request, init?: RequestInit) => {
    const req = new Request(input, init);
    const answer = sb.handle(req, new URL(req.url).pathname.replace("/_local/openai", ""));
    const signal = init?.signal;
    return signal
      ? new Promise<Response>((resolve, reject) => {
        signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
        answer.then(resolve, reject);
      })
      : answer;
  };
  const client = (apiKey = KEY) =>
    new OpenAI({ apiKey, baseURL: `${BASE}/v1`, maxRetries: 0, fetch: route as typeof fetch });
  const control = (path: string, body?: unknown, method = "POST") =>
    route(`${BASE}/control${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const post = (body: unknown, key = KEY) =>
    route(`${BASE}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  return { sb, client, control, post };
}

const TOOLS = [{
  type: "function" as const,
  function: {
    name: "check_availability",
    parameters: {
      type: "object",
      properties: { service: { type: "string", enum: ["Check-up"] }, from: { type: "string" } },
      required: ["service", "from"],
    },
  },
}];
const SYSTEM = "# Role\nYou are Mia, the receptionist of Northside Dental. You answer the " +
  "clinic's WhatsApp messages.\n\n# Services you can book\n- Check-up: 30 minutes\n";

Deno.test("the official client gets a tool call in OpenAI's format, with usage", async () => {
  const { client } = sandbox();
  const res = await client().chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [{ role: "system", content: SYSTEM }, {
      role: "user",
      content: "I'd like an appointment",
    }],
    tools: TOOLS,
  });
  assert.match(res.id, /^chatcmpl-/);
  assert.equal(res.object, "chat.completion");
  assert.equal(res.model, "gpt-4.1-mini");
  assert.equal(res.created, Date.parse("2026-12-02T09:00:00Z") / 1000);
  const [choice] = res.choices;
  assert.equal(choice.index, 0);
  assert.equal(choice.finish_reason, "tool_calls");
  assert.equal(choice.logprobs, null);
  assert.equal(choice.message.role, "assistant");
  assert.equal(choice.message.content, null);
  assert.equal(choice.message.refusal, null);
  const call = choice.message.tool_calls![0];
  assert.match(call.id, /^call_/);
  assert.equal(call.type, "function");
  assert.ok(call.type === "function");
  assert.equal(call.function.name, "check_availability");
  assert.deepEqual(JSON.parse(call.function.arguments), {
    service: "Check-up",
    from: "2026-12-02",
  });
  const u = res.usage!;
  assert.ok(u.prompt_tokens > 0 && u.completion_tokens > 0);
  assert.equal(u.total_tokens, u.prompt_tokens + u.completion_tokens);
});

Deno.test("a wrong or missing key is 401 (invalid_api_key), never echoing the key", async () => {
  const { client, post } = sandbox();
  await assert.rejects(
    client("sk-wrong-key-abcd").chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
    }),
    (e: InstanceType<typeof OpenAI.AuthenticationError>) =>
      e.status === 401 && e.code === "invalid_api_key",
  );
  const missing = await post({ model: "m", messages: [] }, "");
  assert.equal(missing.status, 401);
  const body = await (await post({ model: "m", messages: [] }, "sk-wrong-key-abcd")).text();
  assert.ok(!body.includes("sk-wrong-key-abcd"));
});

Deno.test("requests are checked as the API checks them", async () => {
  const { post } = sandbox();
  const error = async (body: unknown) => {
    const res = await post(body);
    assert.equal(res.status, 400);
    return (await res.json()).error;
  };
  const missing = await error({ messages: [{ role: "user", content: "hi" }] });
  assert.deepEqual([missing.type, missing.param, missing.code], [
    "invalid_request_error",
    "model",
    "missing_required_parameter",
  ]);
  assert.equal(
    (await error({ model: "m", messages: [{ role: "robot", content: "x" }] })).param,
    "messages[0].role",
  );
  assert.match(
    (await error({ model: "m", messages: [{ role: "tool", tool_call_id: "c1", content: "x" }] }))
      .message,
    /must be a response to a preceeding message with 'tool_calls'/,
  );
  const unanswered = await error({
    model: "m",
    messages: [
      { role: "user", content: "x" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }],
      },
      { role: "user", content: "y" },
    ],
  });
  assert.match(unanswered.message, /did not have response messages: c1/);
  assert.equal(
    (await error({ model: "m", messages: [{ role: "user", content: "x" }], tool_choice: "auto" }))
      .param,
    "tool_choice",
  );
  const notJson = await post("{");
  assert.equal(notJson.status, 400);
});

Deno.test("scripted answers come first, in order (content, tool calls, an error), then the rules", async () => {
  const { client, control } = sandbox();
  const queued = await control("/script", {
    responses: [
      { content: "Scripted hello" },
      { tool_calls: [{ name: "book_appointment", arguments: { slot_id: "s-9", name: "Ann" } }] },
      { error: "insufficient_quota" },
    ],
  });
  assert.deepEqual(await queued.json(), { queued: 3 });
  const ask = () =>
    client().chat.completions.create({
      model: "gpt-4.1-mini",
      messages: [{ role: "system", content: SYSTEM }, { role: "user", content: "hello" }],
    });
  assert.equal((await ask()).choices[0].message.content, "Scripted hello");
  const tool = (await ask()).choices[0];
  assert.equal(tool.finish_reason, "tool_calls");
  assert.ok(tool.message.tool_calls![0].type === "function");
  assert.equal(tool.message.tool_calls![0].function.arguments, '{"slot_id":"s-9","name":"Ann"}');
  await assert.rejects(ask(), (e: InstanceType<typeof OpenAI.RateLimitError>) => {
    assert.equal(e.status, 429);
    assert.equal(e.code, "insufficient_quota");
    assert.deepEqual(e.error, {
      message: "You exceeded your current quota, please check your plan and billing details. " +
        "For more information on this error, read the docs: " +
        "https://platform.openai.com/docs/guides/error-codes/api-errors.",
      type: "insufficient_quota",
      param: null,
      code: "insufficient_quota",
    });
    return true;
  });
  assert.equal(
    (await ask()).choices[0].message.content,
    "Thank you for your message! This is Northside Dental. How can I help you?",
  );
});

Deno.test("faults: 429 rate_limit_exceeded, 500 server_error, a delay the client times out on", async () => {
  const { client, control } = sandbox();
  const ask = (timeout?: number) =>
    client().chat.completions.create(
      { model: "m", messages: [{ role: "user", content: "hi" }] },
      timeout ? { timeout } : {},
    );
  await control("/faults", { error: "rate_limit_exceeded", times: 1 });
  await assert.rejects(
    ask(),
    (e: InstanceType<typeof OpenAI.APIError>) =>
      e.status === 429 && e.code === "rate_limit_exceeded",
  );
  await control("/faults", { error: "server_error", times: 1 });
  await assert.rejects(
    ask(),
    (e: InstanceType<typeof OpenAI.APIError>) => e.status === 500 && e.type === "server_error",
  );
  await control("/faults", { delayMs: 300, times: 1 });
  await assert.rejects(ask(50), OpenAI.APIConnectionTimeoutError);
  await new Promise((r) => setTimeout(r, 350));
  assert.equal((await ask()).choices[0].finish_reason, "stop");
});

Deno.test("the request log keeps what was sent (system prompt, history, tools) with the answer", async () => {
  const { client, control } = sandbox();
  await client().chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [{ role: "system", content: SYSTEM }, { role: "user", content: "Записаться" }],
    tools: TOOLS,
  });
  const [exchange] = await (await control("/completions", undefined, "GET")).json();
  assert.equal(exchange.status, 200);
  assert.equal(exchange.request.messages[0].content, SYSTEM);
  assert.equal(exchange.request.messages[1].content, "Записаться");
  assert.deepEqual(exchange.request.tools, TOOLS);
  assert.equal(
    exchange.response.choices[0].message.tool_calls[0].function.name,
    "check_availability",
  );
  const log = await (await control("/requests", undefined, "GET")).json();
  assert.equal(log[0].seq, exchange.seq);
});
