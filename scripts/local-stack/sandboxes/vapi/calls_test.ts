import assert from "node:assert/strict";
import { resultFor } from "./calls.ts";
import { ASSISTANT, CALLER, NUMBER, SERVER_SECRET, testSandbox } from "./test_helpers.ts";

// Messages are read as JSON: tests assert on any path in them.
// deno-lint-ignore no-explicit-any
type Loose = any;

Deno.test("a scripted call: assistant-request with the secret, tool calls in order, the report last", async () => {
  const { sandbox, delivered } = await testSandbox();
  const result = await sandbox.answerInbound({
    number: NUMBER,
    callSid: "CA" + "1".repeat(32),
    from: CALLER,
    script: ["I'd like to book a check-up tomorrow at 10:30, my name is Ann Lee", "Thanks, bye"],
  });
  assert.equal(result.handled, true);
  const types = delivered.map((d) => d.message.type);
  assert.deepEqual(types, [
    "assistant-request",
    "status-update",
    "tool-calls",
    "tool-calls",
    "status-update",
    "end-of-call-report",
  ]);
  assert.ok(delivered.every((d) => d.url === "http://server.test/functions/v1/vapi"));
  assert.ok(delivered.every((d) => d.headers["x-vapi-secret"] === SERVER_SECRET));

  const request = delivered[0].message as Loose;
  assert.equal(request.phoneNumber.number, NUMBER);
  assert.equal(request.customer.number, CALLER);
  assert.equal(request.call.phoneCallProviderId, "CA" + "1".repeat(32));
  assert.equal(request.phoneNumber.twilioAuthToken, undefined);

  const [check, book] = delivered.slice(2, 4).map((d) => d.message as Loose);
  assert.equal(check.toolCallList[0].function.name, "check_availability");
  assert.deepEqual(check.toolCallList[0].function.arguments, {
    service: "Check-up",
    from: "2026-12-03",
    to: "2026-12-03",
    preference: "morning",
  });
  assert.equal(check.toolWithToolCallList[0].toolCall.id, check.toolCallList[0].id);
  assert.equal(check.toolWithToolCallList[0].function.name, "check_availability");
  // The slot offered at the time the caller asked for, from the availability result.
  assert.deepEqual(book.toolCallList[0].function.arguments, {
    slot_id: "s-1030",
    name: "Ann Lee",
    phone: CALLER,
  });

  const ended = delivered[4].message as Loose;
  assert.equal(ended.status, "ended");
  assert.equal(ended.endedReason, "customer-ended-call");
  const report = delivered[5].message as Loose;
  assert.equal(report.endedReason, "customer-ended-call");
  assert.equal(report.startedAt, "2026-12-02T10:00:00.000Z");
  assert.ok(Date.parse(report.endedAt) > Date.parse(report.startedAt));
  assert.equal(typeof report.cost, "number");
  assert.match(report.artifact.recordingUrl, /\/_local\/vapi\/recordings\/[0-9a-f-]+\.wav$/);
  assert.match(report.analysis.summary, /asked to book an appointment/);
  const spoken = report.artifact.messages.filter((m: Loose) => m.role === "bot").map((m: Loose) =>
    m.message
  );
  assert.equal(spoken[0], ASSISTANT.firstMessage);
  // The model speaks the chain's last result (the booking), not the availability it checked.
  assert.match(spoken[1], /^book_appointment done with/);
  assert.match(report.artifact.transcript, /^AI: Hello, Northside Dental/);
  assert.match(report.artifact.transcript, /\nUser: I'd like to book/);
});

Deno.test("a time nobody offered: the offers are read out, nothing is booked", async () => {
  const { sandbox, delivered } = await testSandbox();
  const result = await sandbox.answerInbound({
    number: NUMBER,
    callSid: "CA" + "e".repeat(32),
    from: CALLER,
    script: ["Can I book tomorrow at 16:00?"],
  });
  const tools = delivered.filter((d) => d.message.type === "tool-calls")
    .map((d) => (d.message as Loose).toolCallList[0].function.name);
  assert.deepEqual(tools, ["check_availability"]);
  const call = sandbox.context.store.calls.get((result as { callId: string }).callId)!;
  assert.match(
    call.messages.filter((m) => m.role === "bot").at(-1)!.message!,
    /^Free times for Check-up/,
  );
});

Deno.test("reschedule: find, check the new time, move the appointment to the slot at that time", async () => {
  const { sandbox, delivered } = await testSandbox();
  await sandbox.answerInbound({
    number: NUMBER,
    callSid: "CA" + "0".repeat(32),
    from: CALLER,
    script: ["Can I move my appointment to tomorrow at 10:00?"],
  });
  const tools = delivered.filter((d) => d.message.type === "tool-calls")
    .map((d) => (d.message as Loose).toolCallList[0].function);
  assert.deepEqual(tools.map((t) => t.name), [
    "find_my_appointments",
    "check_availability",
    "reschedule_appointment",
  ]);
  assert.deepEqual(tools[2].arguments, {
    appointment_id: "7b0d9f53-4a0e-4d55-8f3e-2c41a7e3c001",
    slot_id: "s-1000",
  });
});

Deno.test("cancel: find_my_appointments, then cancel_appointment with the id the first result named", async () => {
  const { sandbox, delivered } = await testSandbox();
  await sandbox.answerInbound({
    number: NUMBER,
    callSid: "CA" + "2".repeat(32),
    from: CALLER,
    script: ["Please cancel my appointment"],
  });
  const tools = delivered.filter((d) => d.message.type === "tool-calls").map((d) =>
    (d.message as Loose).toolCallList[0].function
  );
  assert.deepEqual(tools.map((t) => t.name), ["find_my_appointments", "cancel_appointment"]);
  assert.deepEqual(tools[1].arguments, {
    appointment_id: "7b0d9f53-4a0e-4d55-8f3e-2c41a7e3c001",
    reason: "Please cancel my appointment",
  });
});

Deno.test("a message: take_message with name, callback number, reason and urgency", async () => {
  const { sandbox, delivered } = await testSandbox();
  await sandbox.answerInbound({
    number: NUMBER,
    callSid: "CA" + "3".repeat(32),
    from: CALLER,
    script: ["This is Tom Parker, please take a message, I'm in pain, it's urgent"],
  });
  const [call] = delivered.filter((d) => d.message.type === "tool-calls").map((d) =>
    (d.message as Loose).toolCallList[0].function
  );
  assert.equal(call.name, "take_message");
  assert.deepEqual(call.arguments, {
    name: "Tom Parker",
    callback_number: CALLER,
    reason: "This is Tom Parker, please take a message, I'm in pain, it's urgent",
    urgency: "urgent",
  });
});

Deno.test("asking for a person: the transferCall tool forwards the call and ends it as forwarded", async () => {
  const { sandbox, delivered } = await testSandbox();
  const result = await sandbox.answerInbound({
    number: NUMBER,
    callSid: "CA" + "4".repeat(32),
    from: CALLER,
    script: ["Can I speak to a human?", "hello?"],
  });
  assert.equal(result.handled, true);
  const statuses = delivered.filter((d) => d.message.type === "status-update").map((d) =>
    (d.message as Loose).status
  );
  assert.deepEqual(statuses, ["in-progress", "forwarding", "ended"]);
  const report = delivered.at(-1)!.message as Loose;
  assert.equal(report.endedReason, "assistant-forwarded-call");
  assert.equal(report.destination.number, "+442079460999");
  assert.ok(
    !report.artifact.transcript.includes("hello?"),
    "lines after the transfer are not played",
  );
});

Deno.test("a destination answer transfers at once; an error answer is spoken and ends the call", async () => {
  const forward = await testSandbox({
    answer: (m) =>
      m.type === "assistant-request"
        ? { destination: { type: "number", number: "+442079460999", message: "" } }
        : {},
  });
  await forward.sandbox.answerInbound({
    number: NUMBER,
    callSid: "CA" + "5".repeat(32),
    from: CALLER,
    script: ["hi"],
  });
  const report = forward.delivered.at(-1)!.message as Loose;
  assert.equal(report.endedReason, "assistant-forwarded-call");
  assert.equal(report.artifact.transcript, "", "message '' = a silent transfer");

  const refused = await testSandbox({
    answer: (m) =>
      m.type === "assistant-request" ? { error: "Sorry, this number is not in service." } : {},
  });
  await refused.sandbox.answerInbound({
    number: NUMBER,
    callSid: "CA" + "6".repeat(32),
    from: CALLER,
    script: ["hi"],
  });
  const last = refused.delivered.at(-1)!.message as Loose;
  assert.equal(last.endedReason, "assistant-request-returned-error");
  assert.equal(last.artifact.transcript, "AI: Sorry, this number is not in service.");
});

Deno.test("an invalid assistant ends the call with Vapi's reason and the problems noted", async () => {
  const { sandbox } = await testSandbox({
    answer: (m) =>
      m.type === "assistant-request"
        ? {
          assistant: {
            ...ASSISTANT,
            name: "x".repeat(41),
            model: {
              ...ASSISTANT.model,
              tools: [{ type: "function", function: { name: "book slot" } }],
            },
          },
        }
        : {},
  });
  const result = await sandbox.answerInbound({
    number: NUMBER,
    callSid: "CA" + "7".repeat(32),
    from: CALLER,
    script: ["hi"],
  });
  assert.ok(result.handled);
  const call = sandbox.context.store.calls.get(result.callId)!;
  assert.equal(call.endedReason, "assistant-request-returned-invalid-assistant");
  assert.ok(call.problems.some((p) => p.startsWith("assistant.name")), call.problems.join());
  assert.ok(
    call.problems.some((p) => p.includes("model.tools.0.function.name")),
    call.problems.join(),
  );
});

Deno.test("the server failing assistant-request: the fallback destination takes the call", async () => {
  const { sandbox, request } = await testSandbox({
    answer: () => new Response("boom", { status: 500 }),
  });
  await request("PATCH", "/phone-number/vapi-demo-442079460123", {
    fallbackDestination: { type: "number", number: "+442079460999" },
  });
  const result = await sandbox.answerInbound({
    number: NUMBER,
    callSid: "CA" + "8".repeat(32),
    from: CALLER,
  });
  assert.ok(result.handled);
  const call = sandbox.context.store.calls.get(result.callId)!;
  assert.equal(call.endedReason, "assistant-request-failed");
  assert.equal(call.destination?.number, "+442079460999");
});

Deno.test("a down fault: the call is not handled (Twilio uses the voice fallback URL), nothing sent", async () => {
  const { sandbox, delivered, request } = await testSandbox();
  const added = await request("POST", "/control/faults", {
    endpoint: "inbound",
    down: true,
    times: 1,
  });
  assert.equal(added.status, 200);
  const result = await sandbox.answerInbound({
    number: NUMBER,
    callSid: "CA" + "9".repeat(32),
    from: CALLER,
    script: ["hi"],
  });
  assert.deepEqual(result, { handled: false, reason: "Vapi is unavailable (sandbox fault)" });
  assert.equal(delivered.length, 0);
  const again = await sandbox.answerInbound({
    number: NUMBER,
    callSid: "CA" + "a".repeat(32),
    from: CALLER,
    script: [],
  });
  assert.equal(again.handled, true, "times: 1 fails one call only");
});

Deno.test("unknown number: not handled", async () => {
  const { sandbox } = await testSandbox();
  const result = await sandbox.answerInbound({
    number: "+15550001111",
    callSid: "CA" + "b".repeat(32),
    from: CALLER,
  });
  assert.equal(result.handled, false);
});

Deno.test("resultFor: Vapi's rules for a tool result", () => {
  const ok = { results: [{ toolCallId: "call_1", result: "Booked." }] };
  assert.deepEqual(resultFor(ok, "call_1"), { text: "Booked.", failed: false });
  assert.deepEqual(
    resultFor({ results: [{ toolCallId: "call_1", error: "No slot." }] }, "call_1"),
    { text: "No slot.", failed: true },
  );
  assert.ok("problem" in resultFor(ok, "call_2"), "the exact toolCallId");
  assert.ok(
    "problem" in resultFor({ results: [{ toolCallId: "call_1", result: { a: 1 } }] }, "call_1"),
    "strings only",
  );
  assert.ok(
    "problem" in resultFor({ results: [{ toolCallId: "call_1", result: "a\nb" }] }, "call_1"),
    "one line",
  );
  assert.ok("problem" in resultFor({ result: "x" }, "call_1"), "results[] required");
  assert.ok("problem" in resultFor(null, "call_1"));
});

Deno.test("a tool answer breaking the rules: the assistant apologises and the problem is noted", async () => {
  const { sandbox } = await testSandbox({
    answer: (m) =>
      m.type === "assistant-request"
        ? { assistant: ASSISTANT }
        : m.type === "tool-calls"
        ? { results: [{ toolCallId: "wrong", result: "x" }] }
        : {},
  });
  const result = await sandbox.answerInbound({
    number: NUMBER,
    callSid: "CA" + "c".repeat(32),
    from: CALLER,
    script: ["please take a message"],
  });
  assert.ok(result.handled);
  const call = sandbox.context.store.calls.get(result.callId)!;
  assert.match(call.problems.join(), /take_message: No result returned/);
  assert.equal(
    call.messages.filter((m) => m.role === "bot").at(-1)?.message,
    "I'm sorry, something went wrong on our side.",
  );
});

Deno.test("a live call: lines one at a time, then hang up", async () => {
  const { sandbox, delivered } = await testSandbox();
  const result = await sandbox.answerInbound({
    number: NUMBER,
    callSid: "CA" + "d".repeat(32),
    from: CALLER,
  });
  assert.ok(result.handled);
  const call = sandbox.context.store.calls.get(result.callId)!;
  assert.equal(call.status, "in-progress");
  await sandbox.calls.say(result.callId, "Is there anything free on Monday at 9am?");
  assert.equal(delivered.at(-1)!.message.type, "tool-calls");
  await sandbox.calls.hangUp(result.callId);
  assert.equal(call.status, "ended");
  assert.equal(delivered.at(-1)!.message.type, "end-of-call-report");
  await assert.rejects(sandbox.calls.say(result.callId, "hello"), /the call has ended/);
});

Deno.test("a live call left silent ends as silence-timed-out, with its report", async () => {
  const { sandbox, delivered } = await testSandbox({ silenceMs: 400 });
  const result = await sandbox.answerInbound({
    number: NUMBER,
    callSid: "CA" + "f".repeat(32),
    from: CALLER,
  });
  assert.ok(result.handled);
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  await pause(250);
  await sandbox.calls.say(result.callId, "Hello there");
  await pause(250); // 500 ms after the start, 250 after the line
  const status = sandbox.context.store.calls.get(result.callId)!.status;
  assert.equal(status, "in-progress", "a line restarts the wait");
  await pause(300);
  await sandbox.settled();
  const call = sandbox.context.store.calls.get(result.callId)!;
  assert.equal(call.status, "ended");
  assert.equal(call.endedReason, "silence-timed-out");
  assert.equal((delivered.at(-1)!.message as Loose).endedReason, "silence-timed-out");
});
