import assert from "node:assert/strict";
import type { ThreadMessage } from "./burst.ts";
import { history, HISTORY_CHARS, HISTORY_MESSAGES } from "./reply.ts";

const m = (
  direction: ThreadMessage["direction"],
  author: ThreadMessage["author"],
  body: string | null,
  kind = "text",
): ThreadMessage => ({ direction, author, kind, body, createdAt: 0 });

Deno.test("history: patient as user, bot and staff as assistant, oldest first", () => {
  assert.deepEqual(
    history([
      m("inbound", "patient", "hi"),
      m("outbound", "bot", "Hello!"),
      m("outbound", "staff", "Anna here"),
      m("inbound", "patient", null, "image"),
    ]),
    [
      { role: "user", content: "hi" },
      { role: "assistant", content: "Hello!" },
      { role: "assistant", content: "(clinic staff) Anna here" },
      { role: "user", content: "[image]" },
    ],
  );
});

Deno.test("history: bounded by messages and characters, keeping the newest", () => {
  const many = Array.from({ length: 50 }, (_, i) => m("inbound", "patient", `message ${i}`));
  const kept = history(many);
  assert.equal(kept.length, HISTORY_MESSAGES);
  assert.equal(kept.at(-1)?.content, "message 49");
  assert.equal(kept[0].content, `message ${50 - HISTORY_MESSAGES}`);
  const long = Array.from({ length: 5 }, (_, i) => m("inbound", "patient", `${i}`.repeat(2500)));
  const bounded = history(long);
  assert.equal(bounded.length, Math.floor(HISTORY_CHARS / 2500));
  assert.equal(bounded.at(-1)?.content, "4".repeat(2500));
});

Deno.test("history: a bot answer brings its tool exchange; they are kept or dropped together", () => {
  const tools = [
    {
      role: "assistant",
      content: null,
      tool_calls: [{
        id: "c1",
        type: "function",
        function: { name: "check_availability", arguments: "{}" },
      }],
    },
    { role: "tool", tool_call_id: "c1", content: "Free times: Monday 10:30 (slot_id s1)" },
  ];
  const thread = [
    m("inbound", "patient", "book me"),
    { ...m("outbound", "bot", "Monday 10:30?"), details: { tools } },
    m("inbound", "patient", "yes"),
  ];
  assert.deepEqual(history(thread), [
    { role: "user", content: "book me" },
    ...tools,
    { role: "assistant", content: "Monday 10:30?" },
    { role: "user", content: "yes" },
  ]);
  const big = [{ role: "tool", tool_call_id: "c1", content: "x".repeat(HISTORY_CHARS) }];
  assert.deepEqual(
    history([{ ...m("outbound", "bot", "ok"), details: { tools: [tools[0], ...big] } }, thread[2]]),
    [{ role: "user", content: "yes" }],
  );
});
