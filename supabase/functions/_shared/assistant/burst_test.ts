import assert from "node:assert/strict";
import {
  answerable,
  BURST_WINDOW_MS,
  burstText,
  burstWaitUntil,
  readable,
  type ThreadMessage,
  unanswered,
} from "./burst.ts";

const m = (
  direction: ThreadMessage["direction"],
  author: ThreadMessage["author"],
  body: string,
  createdAt = 0,
  kind = "text",
): ThreadMessage => ({ direction, author, kind, body, createdAt });

Deno.test("burstWaitUntil: waits until the newest inbound is BURST_WINDOW_MS old", () => {
  assert.equal(BURST_WINDOW_MS, 2000);
  const table: [number, number, number | null][] = [
    [10_000, 10_000, 12_000],
    [10_000, 11_999, 12_000],
    [10_000, 12_000, null],
    [10_000, 50_000, null],
    [10_000, 9_000, 12_000], // clock skew: still waits
  ];
  for (const [newest, now, until] of table) assert.equal(burstWaitUntil(newest, now), until);
});

Deno.test("unanswered: the patient's messages after the clinic's last one", () => {
  const p1 = m("inbound", "patient", "hi", 1);
  const p2 = m("inbound", "patient", "can I book?", 2);
  const bot = m("outbound", "bot", "sure", 3);
  const staff = m("outbound", "staff", "hello from Anna", 5);
  const p3 = m("inbound", "patient", "thanks", 4);
  const p4 = m("inbound", "patient", "and one more", 6);
  const table: [ThreadMessage[], ThreadMessage[]][] = [
    [[], []],
    [[p1], [p1]],
    [[p1, p2], [p1, p2]],
    [[p1, p2, bot], []], // already answered: a re-run sends nothing
    [[p1, bot, p3], [p3]],
    [[p1, bot, p3, staff], []],
    [[p1, bot, p3, staff, p4], [p4]],
    [[bot], []],
  ];
  for (const [thread, expected] of table) assert.deepEqual(unanswered(thread), expected);
});

Deno.test("burstText: every message of the burst, one per line, blanks dropped", () => {
  assert.equal(
    burstText([m("inbound", "patient", " Hi "), m("inbound", "patient", ""), {
      ...m("inbound", "patient", ""),
      body: null,
    }, m("inbound", "patient", "do you have time on Friday?")]),
    "Hi\ndo you have time on Friday?",
  );
  assert.equal(burstText([]), "");
});

Deno.test("readable and answerable: text and captions are read, reactions never answered", () => {
  assert.ok(readable(m("inbound", "patient", "hi")));
  assert.ok(readable(m("inbound", "patient", "Yes", 0, "button")));
  assert.ok(readable(m("inbound", "patient", "my x-ray", 0, "image")));
  assert.ok(!readable(m("inbound", "patient", "", 0, "image")));
  assert.ok(!readable(m("inbound", "patient", "", 0, "sticker")));
  assert.ok(!answerable(m("inbound", "patient", "", 0, "reaction")));
  assert.ok(answerable(m("inbound", "patient", "", 0, "audio")));
});
