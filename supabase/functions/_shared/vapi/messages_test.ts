import assert from "node:assert/strict";
import {
  assistantMetadata,
  callerNumber,
  type EndOfCallReport,
  recordingUrlOf,
  toolCallsOf,
  transcriptOf,
  vapiEnvelope,
  vapiMessage,
} from "./messages.ts";

const call = {
  id: "vapi-call-1",
  phoneCallProviderId: "CA0123",
  customer: { number: "+447700900123" },
};

function parse(message: Record<string, unknown>) {
  const parsed = vapiMessage.safeParse({ message });
  assert.ok(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues));
  return parsed.data.message;
}

function toolCalls(message: Record<string, unknown>) {
  const parsed = parse({ type: "tool-calls", call, ...message });
  assert.equal(parsed.type, "tool-calls");
  return toolCallsOf(parsed as Extract<typeof parsed, { type: "tool-calls" }>);
}

Deno.test("tool calls: the OAS shape with arguments as an object (what the sandbox sends)", () => {
  const toolCall = {
    id: "call_abc",
    type: "function",
    function: { name: "book_appointment", arguments: { slot_id: "s1" } },
  };
  assert.deepEqual(
    toolCalls({ toolCallList: [toolCall], toolWithToolCallList: [{ type: "function", toolCall }] }),
    [{ id: "call_abc", name: "book_appointment", args: { slot_id: "s1" } }],
  );
});

Deno.test("tool calls: arguments as a JSON string (the OAS type), empty, or not an object", () => {
  const shaped = (
    args: unknown,
  ) => [{ id: "c1", type: "function", function: { name: "x", arguments: args } }];
  assert.deepEqual(toolCalls({ toolCallList: shaped('{"a":1}') })[0].args, { a: 1 });
  assert.deepEqual(toolCalls({ toolCallList: shaped("") })[0].args, {});
  assert.deepEqual(
    toolCalls({ toolCallList: [{ id: "c1", function: { name: "x" } }] })[0].args,
    {},
  );
  assert.equal(toolCalls({ toolCallList: shaped("{not json") })[0].args, null);
  assert.equal(toolCalls({ toolCallList: shaped("[1,2]") })[0].args, null);
  assert.equal(toolCalls({ toolCallList: shaped("42") })[0].args, null);
});

Deno.test("tool calls: the docs' shapes {id, name, parameters} and {id, name, arguments}, under toolCalls", () => {
  assert.deepEqual(
    toolCalls({ toolCallList: [{ id: "c1", name: "take_message", parameters: { reason: "r" } }] }),
    [
      { id: "c1", name: "take_message", args: { reason: "r" } },
    ],
  );
  assert.deepEqual(
    toolCalls({ toolCalls: [{ id: "c2", name: "lookup_faq", arguments: '{"question":"q"}' }] }),
    [
      { id: "c2", name: "lookup_faq", args: { question: "q" } },
    ],
  );
});

Deno.test("tool calls: only toolWithToolCallList; order kept; toolCallList wins when both", () => {
  const tc = (id: string) => ({ id, type: "function", function: { name: id, arguments: {} } });
  assert.deepEqual(
    toolCalls({ toolWithToolCallList: [{ toolCall: tc("b") }, { toolCall: tc("a") }] }).map((c) =>
      c.id
    ),
    ["b", "a"],
  );
  assert.deepEqual(
    toolCalls({
      toolCallList: [tc("x"), tc("y"), tc("z")],
      toolWithToolCallList: [{ toolCall: tc("q") }],
    })
      .map((c) => c.id),
    ["x", "y", "z"],
  );
  assert.deepEqual(toolCalls({}), []);
});

Deno.test("a tool call without an id or with a non-object argument type is refused", () => {
  for (
    const bad of [{ toolCallList: [{ function: { name: "x" } }] }, {
      toolCallList: [{ id: "c", arguments: 5 }],
    }, { toolCallList: "x" }]
  ) {
    assert.equal(vapiMessage.safeParse({ message: { type: "tool-calls", ...bad } }).success, false);
  }
});

Deno.test("assistant-request: called number, caller on the message or its call, CallSid", () => {
  const m = parse({
    type: "assistant-request",
    call,
    phoneNumber: { id: "pn1", number: "+442079460001" },
    timestamp: 1,
  });
  assert.equal(m.type, "assistant-request");
  assert.equal(m.phoneNumber?.number, "+442079460001");
  assert.equal(callerNumber(m), "+447700900123");
  assert.equal(m.call?.phoneCallProviderId, "CA0123");
  assert.equal(
    callerNumber(parse({ type: "assistant-request", customer: { number: "+1555" } })),
    "+1555",
  );
  // A wrong-typed optional field is dropped, not fatal.
  const odd = parse({ type: "assistant-request", call, phoneNumber: { number: 5 }, customer: "x" });
  assert.equal(odd.phoneNumber?.number, undefined);
  assert.equal(callerNumber(odd), "+447700900123");
});

Deno.test("metadata: from the message's assistant, else the call's", () => {
  const metadata = { organisation_id: "o", call_id: "c" };
  assert.deepEqual(
    assistantMetadata(parse({ type: "hang", call, assistant: { metadata } })),
    metadata,
  );
  assert.deepEqual(
    assistantMetadata(parse({ type: "hang", call: { ...call, assistant: { metadata } } })),
    metadata,
  );
  assert.deepEqual(assistantMetadata(parse({ type: "hang", call })), {});
});

const report = {
  type: "end-of-call-report",
  call,
  endedReason: "customer-ended-call",
  cost: 0.1234,
  startedAt: "2026-12-09T10:00:00.000Z",
  endedAt: "2026-12-09T10:03:05.000Z",
  artifact: {
    messages: [
      { role: "system", message: "You are Emma", time: 1, secondsFromStart: 0 },
      { role: "bot", message: "Northside Dental, Emma speaking.", time: 2, secondsFromStart: 0.5 },
      { role: "user", message: "I'd like a check-up.", time: 3, secondsFromStart: 3.2 },
      { role: "tool_calls", toolCalls: [], time: 4 },
      {
        role: "tool_call_result",
        result: "Booked.",
        name: "book_appointment",
        time: 5,
        secondsFromStart: 9,
      },
      { role: "user", message: "   ", time: 6 },
      "garbage",
    ],
    transcript: "AI: Northside Dental…",
    recordingUrl: "https://storage.vapi.ai/rec-1.wav",
  },
  analysis: { summary: "Booked a check-up." },
};

Deno.test("end-of-call report: transcript turns in order, roles mapped, system and empty turns out", () => {
  const m = parse(report) as EndOfCallReport;
  assert.deepEqual(transcriptOf(m), [
    { role: "assistant", text: "Northside Dental, Emma speaking.", seconds_from_start: 0.5 },
    { role: "user", text: "I'd like a check-up.", seconds_from_start: 3.2 },
    { role: "tool", text: "Booked.", seconds_from_start: 9 },
  ]);
  assert.equal(m.cost, 0.1234);
  assert.equal(m.analysis?.summary, "Booked a check-up.");
  assert.equal(recordingUrlOf(m), "https://storage.vapi.ai/rec-1.wav");
});

Deno.test("end-of-call report: recording from artifact.recording.mono, never a non-http URL; bad fields dropped", () => {
  const mono = parse({
    ...report,
    artifact: { recording: { mono: { combinedUrl: "https://x/r.wav" } } },
  }) as EndOfCallReport;
  assert.equal(recordingUrlOf(mono), "https://x/r.wav");
  const js = parse({
    ...report,
    artifact: { recordingUrl: "javascript:alert(1)" },
  }) as EndOfCallReport;
  assert.equal(recordingUrlOf(js), undefined);
  const odd = parse({
    ...report,
    cost: "a lot",
    startedAt: "yesterday",
    artifact: 7,
    analysis: null,
  }) as EndOfCallReport;
  assert.equal(odd.cost, undefined);
  assert.equal(odd.startedAt, undefined);
  assert.deepEqual(transcriptOf(odd), []);
});

Deno.test("status-update needs a status; any other type passes the envelope only", () => {
  assert.equal(parse({ type: "status-update", call, status: "in-progress" }).type, "status-update");
  assert.equal(vapiMessage.safeParse({ message: { type: "status-update", call } }).success, false);
  assert.equal(vapiMessage.safeParse({ message: { type: "conversation-update" } }).success, false);
  assert.equal(vapiEnvelope.safeParse({ message: { type: "conversation-update" } }).success, true);
  for (const bad of [null, [], {}, { message: null }, { message: {} }, { message: { type: 3 } }]) {
    assert.equal(vapiEnvelope.safeParse(bad).success, false);
  }
});
