import assert from "node:assert/strict";
import fc from "fast-check";
import {
  argumentsOf,
  BadOutput,
  type ChatMessage,
  type ChatToolCall,
  type Completion,
  MAX_REPLY_CHARS,
  MAX_TOOL_ROUNDS,
  toolLoop,
} from "./tool_loop.ts";
import type { ToolCall } from "./tools.ts";

const call = (id: string, name = "check_availability", args = "{}"): ChatToolCall => ({
  id,
  type: "function",
  function: { name, arguments: args },
});
const start: ChatMessage[] = [{ role: "system", content: "be nice" }, {
  role: "user",
  content: "hi",
}];

/** A model that plays `script` (then says "done") and records what it was asked. */
function model(script: Completion[]) {
  const asked: { messages: ChatMessage[]; tools: boolean }[] = [];
  const complete = (messages: ChatMessage[], options: { tools: boolean }) => {
    asked.push({ messages: structuredClone(messages), tools: options.tools });
    return Promise.resolve(script.shift() ?? { content: "done", toolCalls: [] });
  };
  return { asked, complete };
}

const echoTools = (ran: ToolCall[][], stopOn?: string) => (calls: ToolCall[]) => {
  ran.push(calls);
  return Promise.resolve({
    results: calls.map((c) => ({ toolCallId: c.id, name: c.name, result: `result of ${c.id}` })),
    stop: calls.some((c) => c.name === stopOn),
  });
};

Deno.test("argumentsOf: a JSON object or null", () => {
  const table: [string, unknown][] = [
    ['{"a":1}', { a: 1 }],
    ["", {}],
    ["{}", {}],
    ["[1]", null],
    ["null", null],
    ['"x"', null],
    ["{bad", null],
  ];
  for (const [json, expected] of table) assert.deepEqual(argumentsOf(json), expected, json);
});

Deno.test("toolLoop: a plain answer takes one request with tools on", async () => {
  const { asked, complete } = model([{ content: "  Hello!  ", toolCalls: [] }]);
  const ran: ToolCall[][] = [];
  const outcome = await toolLoop(start, complete, echoTools(ran));
  assert.deepEqual(outcome, { kind: "answer", text: "Hello!", rounds: 0, exchanged: [] });
  assert.equal(asked.length, 1);
  assert.equal(asked[0].tools, true);
  assert.equal(ran.length, 0);
});

Deno.test("toolLoop: tool results follow the assistant message that asked, ids kept", async () => {
  const { asked, complete } = model([
    { content: null, toolCalls: [call("c1", "check_availability", '{"service":"X"}'), call("c2")] },
    { content: "Booked", toolCalls: [] },
  ]);
  const ran: ToolCall[][] = [];
  const outcome = await toolLoop(start, complete, echoTools(ran));
  assert.ok(outcome.kind === "answer");
  assert.equal(outcome.text, "Booked");
  assert.equal(outcome.rounds, 1);
  assert.deepEqual(outcome.exchanged, asked[1].messages.slice(2), "the tool exchange, for history");
  assert.deepEqual(ran[0][0], { id: "c1", name: "check_availability", args: { service: "X" } });
  const second = asked[1].messages;
  assert.equal(second.length, 5);
  assert.deepEqual(second.slice(2).map((m) => m.role), ["assistant", "tool", "tool"]);
  assert.deepEqual(second[3], { role: "tool", tool_call_id: "c1", content: "result of c1" });
  assert.deepEqual(start.length, 2, "the caller's messages are not changed");
});

Deno.test("toolLoop: a model that keeps calling tools gets maxRounds rounds, then must answer", async () => {
  for (const maxRounds of [0, 1, 2, MAX_TOOL_ROUNDS]) {
    const looping = Array.from({ length: maxRounds }, (_, i) => ({
      content: null,
      toolCalls: [call(`c${i}`)],
    }));
    const { asked, complete } = model(looping);
    const ran: ToolCall[][] = [];
    const outcome = await toolLoop(start, complete, echoTools(ran), maxRounds);
    assert.ok(outcome.kind === "answer");
    assert.deepEqual([outcome.text, outcome.rounds], ["done", maxRounds]);
    assert.equal(outcome.exchanged.length, maxRounds * 2);
    assert.equal(ran.length, maxRounds);
    assert.deepEqual(asked.map((a) => a.tools), [...Array(maxRounds).fill(true), false]);
  }
});

Deno.test("toolLoop: tool calls after the last round, or no words, are bad output", async () => {
  const forever = model(
    Array.from({ length: 10 }, () => ({ content: null, toolCalls: [call("x")] })),
  );
  await assert.rejects(toolLoop(start, forever.complete, echoTools([]), 2), BadOutput);
  assert.equal(forever.asked.length, 3);
  for (const content of [null, "", "   "]) {
    const silent = model([{ content, toolCalls: [] }]);
    await assert.rejects(toolLoop(start, silent.complete, echoTools([])), BadOutput);
  }
});

Deno.test("toolLoop: a tool that stops the loop ends it without another request", async () => {
  const { asked, complete } = model([{
    content: null,
    toolCalls: [call("h", "transfer_to_human")],
  }]);
  const outcome = await toolLoop(start, complete, echoTools([], "transfer_to_human"));
  assert.deepEqual(outcome, { kind: "stopped", rounds: 1 });
  assert.equal(asked.length, 1);
});

Deno.test("toolLoop: model errors propagate; answers are cut to WhatsApp's limit", async () => {
  const failing = () => Promise.reject(new Error("429"));
  await assert.rejects(toolLoop(start, failing, echoTools([])), /429/);
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 9000 }), async (n) => {
      const { complete } = model([{ content: "я".repeat(n), toolCalls: [] }]);
      const outcome = await toolLoop(start, complete, echoTools([]));
      assert.ok(outcome.kind === "answer");
      assert.equal(Array.from(outcome.text).length, Math.min(n, MAX_REPLY_CHARS));
    }),
    { numRuns: 30 },
  );
});
