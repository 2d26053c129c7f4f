// The `vapi` function on the real stack, with messages shaped exactly as Vapi sends them
// (PROVIDERS.md §1): the secret, assistant-request per clinic and opening state (answers read
// with the Vapi sandbox's own validation of an assistant), tool calls that really book, move and
// cancel and take messages, end-of-call reports replayed, and fuzzed bodies that never get a 5xx.
import assert from "node:assert/strict";
import { createClient } from "@supabase/supabase-js";
import type { Database } from "@frontdesk/database";
import fc from "fast-check";
import postgres from "postgres";
import { readAssistantAnswer } from "../../../scripts/local-stack/sandboxes/vapi/schema.ts";
import {
  addDays,
  localDateOf,
  localDateTimeOf,
} from "../../functions/_shared/domain/opening_hours.ts";
import { checkAvailability, type Db } from "../../functions/_shared/io/booking.ts";
import { sandboxControl } from "./_google_sandbox.ts";
import {
  clientOptions,
  env,
  must,
  runTag,
  SERVICE_ROLE_KEY,
  SUPABASE_URL,
  TestUsers,
  waitFor,
} from "./_helpers.ts";
import { runWorker } from "./_worker.ts";

const URL_ = `${SUPABASE_URL}/functions/v1/vapi`;
const sql = postgres(env("SUPABASE_DB_URL"), { max: 2, prepare: false, onnotice: () => {} });
const admin: Db = createClient<Database>(SUPABASE_URL, SERVICE_ROLE_KEY, clientOptions);
const users = new TestUsers();
const tag = runTag();
const NORTHSIDE = { id: "10000000-0000-4000-8000-000000000001", number: "+442079460123" };

/** What the stack gave the functions as VAPI_SERVER_SECRET (functions.env beside the logs). */
async function serverSecret(): Promise<string> {
  const file = `${env("LOG_DIR")}/../functions.env`;
  const line = (await Deno.readTextFile(file)).split("\n")
    .find((l) => l.startsWith("VAPI_SERVER_SECRET="));
  assert.ok(line, "the stack sets VAPI_SERVER_SECRET");
  return line.slice("VAPI_SERVER_SECRET=".length);
}
const SECRET = await serverSecret();

type Answer = { status: number; body: Record<string, unknown> };

async function post(
  body: unknown,
  headers: Record<string, string> = { "x-vapi-secret": SECRET },
): Promise<Answer> {
  const response = await fetch(URL_, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { text };
  }
  return { status: response.status, body: parsed };
}

let serial = 0;
const newCallId = () => `vapi-${tag}-${++serial}`;
/** Twilio's CallSid for one of our call ids (another run's are other sids). */
const callSid = (callId: string) =>
  `CA${tag}${(callId.split("-").at(-1) ?? "").padStart(22, "0")}`.slice(0, 34);
// UK mobiles (07911 1…) the booking operations accept.
const caller = () => `+4479111${String(Math.floor(Math.random() * 100000)).padStart(5, "0")}`;

/** The common fields Vapi puts on every message of a call to `to` from `from`. */
function envelope(type: string, callId: string, to: string, from: string) {
  return {
    type,
    timestamp: Date.now(),
    call: {
      id: callId,
      orgId: "org-1",
      type: "inboundPhoneCall",
      status: "ringing",
      phoneCallProvider: "twilio",
      phoneCallProviderId: callSid(callId),
      phoneCallTransport: "pstn",
      phoneNumberId: "pn-1",
      customer: { number: from },
    },
    phoneNumber: { id: "pn-1", number: to, provider: "twilio" },
    customer: { number: from },
  };
}

const assistantRequest = (callId: string, to: string, from: string) => ({
  message: { ...envelope("assistant-request", callId, to, from), assistantVersion: null },
});

type Tool = { name: string; args: Record<string, unknown> };

/** `tool-calls` with both lists, as the OAS requires; arguments as objects (or as given). */
function toolCalls(callId: string, to: string, from: string, tools: Tool[]) {
  const calls = tools.map((t, i) => ({
    id: `call_${callId}_${i}`,
    type: "function",
    function: { name: t.name, arguments: t.args },
  }));
  return {
    message: {
      ...envelope("tool-calls", callId, to, from),
      toolCallList: calls,
      toolWithToolCallList: calls.map((toolCall) => ({
        type: "function",
        function: { name: toolCall.function.name, parameters: { type: "object" } },
        messages: [],
        toolCall,
      })),
    },
  };
}

type Result = { toolCallId: string; name: string; result: string };

async function tools(callId: string, to: string, from: string, list: Tool[]): Promise<Result[]> {
  const answer = await post(toolCalls(callId, to, from, list));
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const results = answer.body.results as Result[];
  assert.deepEqual(results.map((r) => r.toolCallId), list.map((_, i) => `call_${callId}_${i}`));
  for (const r of results) assert.doesNotMatch(r.result, /[\r\n]/, "one line");
  return results;
}

/** Calls the Vapi sandbox made (its own ids), removed at the end. */
const sandboxCalls: string[] = [];

const callRow = async (vapiCallId: string) =>
  (await sql`select * from public.calls where vapi_call_id = ${vapiCallId}`)[0];

// ---------------------------------------------------------------------------
// Clinics of our own: their hours decide whether "now" is open
// ---------------------------------------------------------------------------

type AfterHours = "take_message" | "transfer" | "book_only";
type Clinic = { id: string; number: string; serviceId: string };

async function makeClinic(
  name: string,
  { open, afterHours, escalationPhone }: {
    open: boolean;
    afterHours: AfterHours;
    escalationPhone: string | null;
  },
): Promise<Clinic> {
  const owner = await users.signUp(`vapi-${tag}-${name}@example.com`);
  const org = must<{ id: string }>(
    await owner.client.rpc("create_organisation", {
      name: `Vapi ${name} ${tag}`,
      slug: `vapi-${name}-${tag}`,
      timezone: "Europe/London",
      country: "GB",
    }),
    "create_organisation",
  );
  // Open around the clock, or never: "now" is then open or closed whenever the test runs.
  if (open) {
    must(
      await admin.from("working_hours").insert(
        [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
          organisation_id: org.id,
          weekday,
          opens: "00:00",
          closes: "24:00",
        })),
      ),
      "working_hours",
    );
  }
  const service = must(
    await admin.from("services").insert({
      organisation_id: org.id,
      name: "Check-up",
      duration_minutes: 30,
    }).select("id").single(),
    "services",
  );
  must(
    await admin.from("assistant_settings").update({
      after_hours: afterHours,
      escalation_phone: escalationPhone,
    }).eq("organisation_id", org.id),
    "assistant_settings",
  );
  const hex = Array.from(crypto.getRandomValues(new Uint8Array(16)))
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  const account = must(
    await admin.from("twilio_accounts").insert({ organisation_id: org.id, account_sid: `AC${hex}` })
      .select("id").single(),
    "twilio_accounts",
  );
  const number = `+44207${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
  must(
    await admin.from("phone_numbers").insert({
      organisation_id: org.id,
      twilio_account_id: (account as { id: string }).id,
      e164: number,
      voice_enabled: true,
    }),
    "phone_numbers",
  );
  return { id: org.id, number, serviceId: (service as { id: string }).id };
}

const clinics = {
  open: await makeClinic("open", {
    open: true,
    afterHours: "take_message",
    escalationPhone: "+442079460999",
  }),
  closedMessage: await makeClinic("message", {
    open: false,
    afterHours: "take_message",
    escalationPhone: "+442079460999",
  }),
  closedTransfer: await makeClinic("transfer", {
    open: false,
    afterHours: "transfer",
    escalationPhone: "+442079460998",
  }),
  closedTransferNoPhone: await makeClinic("nophone", {
    open: false,
    afterHours: "transfer",
    escalationPhone: null,
  }),
  closedBookOnly: await makeClinic("bookonly", {
    open: false,
    afterHours: "book_only",
    escalationPhone: "+442079460997",
  }),
};

type Assistant = {
  firstMessage: string;
  metadata: { organisation_id: string; call_id: string };
  model: {
    tools: { type: string; function?: { name: string } }[];
    messages: { content: string }[];
  };
};

/** The assistant the function answers, as the Vapi sandbox validates it. */
async function assistantFor(to: string, from = caller(), callId = newCallId()) {
  const answer = await post(assistantRequest(callId, to, from));
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const read = readAssistantAnswer(answer.body);
  assert.notEqual(read.kind, "invalid", JSON.stringify(read));
  return { callId, from, read, body: answer.body };
}

const toolNames = (a: Assistant) => a.model.tools.map((t) => t.function?.name ?? t.type);

// ---------------------------------------------------------------------------

Deno.test("a wrong or missing secret is refused with 401 and nothing is stored", async () => {
  const callId = newCallId();
  const message = assistantRequest(callId, NORTHSIDE.number, caller());
  for (
    const headers of [
      {},
      { "x-vapi-secret": `${SECRET}x` },
      { "x-vapi-secret": "" },
      { authorization: `Bearer ${SECRET.slice(1)}` },
      { authorization: SECRET },
    ] as Record<string, string>[]
  ) {
    const answer = await post(message, headers);
    assert.equal(answer.status, 401, JSON.stringify(headers));
    assert.doesNotMatch(JSON.stringify(answer.body), new RegExp(SECRET));
  }
  assert.equal(await callRow(callId), undefined);
  // Both ways of presenting it are accepted.
  assert.equal((await post(message, { authorization: `Bearer ${SECRET}` })).status, 200);
  assert.equal((await post(assistantRequest(newCallId(), NORTHSIDE.number, caller()))).status, 200);
});

Deno.test("Northside: its assistant, valid for Vapi, with the call recorded as ringing", async () => {
  const { callId, from, read, body } = await assistantFor(NORTHSIDE.number);
  assert.equal(read.kind, "assistant");
  const assistant = body.assistant as Assistant;
  assert.equal(
    assistant.firstMessage,
    "Thank you for calling Northside Dental, this is Emma. How can I help you today?",
  );
  assert.match(
    assistant.model.messages[0].content,
    /You are Emma, the receptionist of Northside Dental/,
  );
  const row = await callRow(callId);
  assert.deepEqual(assistant.metadata, { organisation_id: NORTHSIDE.id, call_id: row.id });
  assert.equal(row.organisation_id, NORTHSIDE.id);
  assert.equal(row.status, "ringing");
  assert.equal(row.from_e164, from);
  assert.equal(row.to_e164, NORTHSIDE.number);
  assert.match(row.twilio_call_sid, /^CA/);
  assert.equal(row.answered_by, "assistant");
  assert.equal(row.language, "en");
  assert.ok(row.phone_number_id);
});

Deno.test("in hours: the full assistant, with a transfer to the escalation phone", async () => {
  const { read, body } = await assistantFor(clinics.open.number);
  assert.equal(read.kind, "assistant");
  const assistant = body.assistant as Assistant;
  assert.deepEqual(toolNames(assistant), [
    "check_availability",
    "book_appointment",
    "find_my_appointments",
    "cancel_appointment",
    "reschedule_appointment",
    "take_message",
    "lookup_faq",
    "transfer_to_human",
    "endCall",
  ]);
  assert.match(assistant.model.messages[0].content, /The clinic is open now/);
});

Deno.test("after hours, take_message: an assistant that takes messages and books, no transfer", async () => {
  const { body } = await assistantFor(clinics.closedMessage.number);
  const assistant = body.assistant as Assistant;
  assert.ok(toolNames(assistant).includes("take_message"));
  assert.ok(toolNames(assistant).includes("book_appointment"));
  assert.ok(!toolNames(assistant).includes("transfer_to_human"));
  assert.match(assistant.model.messages[0].content, /The clinic is closed now/);
});

Deno.test("after hours, transfer: a destination to the escalation phone; without one, take_message", async () => {
  const { callId, read } = await assistantFor(clinics.closedTransfer.number);
  assert.equal(read.kind, "destination");
  assert.ok(read.kind === "destination" && read.destination.type === "number");
  assert.equal(read.destination.number, "+442079460998");
  assert.equal((await callRow(callId)).outcome, "transferred");
  const noPhone = await assistantFor(clinics.closedTransferNoPhone.number);
  assert.equal(noPhone.read.kind, "assistant");
  assert.ok(toolNames(noPhone.body.assistant as Assistant).includes("take_message"));
});

Deno.test("after hours, book_only: booking tools only", async () => {
  const { body } = await assistantFor(clinics.closedBookOnly.number);
  assert.deepEqual(toolNames(body.assistant as Assistant), [
    "check_availability",
    "book_appointment",
    "find_my_appointments",
    "cancel_appointment",
    "reschedule_appointment",
    "endCall",
  ]);
});

Deno.test("an unknown or switched-off number gets a spoken error and no call row", async () => {
  const callId = newCallId();
  const answer = await post(assistantRequest(callId, "+442079469999", caller()));
  assert.equal(answer.status, 200);
  assert.equal(readAssistantAnswer(answer.body).kind, "error");
  assert.match(String(answer.body.error), /^Sorry, this number is not taking calls/);
  assert.equal(await callRow(callId), undefined);
  must(
    await admin.from("phone_numbers").update({ active: false }).eq(
      "e164",
      clinics.closedBookOnly.number,
    ),
    "voice off",
  );
  const off = await post(assistantRequest(newCallId(), clinics.closedBookOnly.number, caller()));
  assert.match(String(off.body.error), /^Sorry/);
});

/** The slot ids a check_availability result offers. */
const slotIds = (result: string) =>
  [...result.matchAll(/slot_id ([A-Za-z0-9_-]+)/g)].map((m) => m[1]);

Deno.test("tool calls book a real slot (source voice, linked to the call), then move and cancel it for its caller only", async () => {
  const clinic = clinics.open;
  const from = caller();
  const { callId } = await assistantFor(clinic.number, from);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const [offered] = await tools(callId, clinic.number, from, [
    { name: "check_availability", args: { service: "check-up", from: tomorrow, to: tomorrow } },
  ]);
  assert.match(
    offered.result,
    /^Free times for Check-up: tomorrow, \w+ the \d+(st|nd|rd|th) at \d\d:\d\d/,
  );
  const [first, second] = slotIds(offered.result);
  assert.ok(first && second, offered.result);

  const [booked] = await tools(callId, clinic.number, from, [
    { name: "book_appointment", args: { slot_id: first, name: "Jane Caller" } },
  ]);
  assert.match(booked.result, /^Booked: a Check-up tomorrow, .* for Jane Caller\./);
  const call = await callRow(callId);
  const [appointment] = await sql`
    select a.id, a.source, a.status, c.phone, c.name from public.appointments a
    join public.contacts c on c.id = a.contact_id
    where a.organisation_id = ${clinic.id}`;
  assert.deepEqual(
    {
      source: appointment.source,
      status: appointment.status,
      phone: appointment.phone,
      name: appointment.name,
    },
    { source: "voice", status: "booked", phone: from, name: "Jane Caller" },
  );
  assert.equal(call.outcome, "booked");
  assert.equal(call.contact_id !== null, true);

  // Another caller cannot touch it.
  const stranger = caller();
  const { callId: strangerCall } = await assistantFor(clinic.number, stranger);
  const [refused] = await tools(strangerCall, clinic.number, stranger, [
    { name: "cancel_appointment", args: { appointment_id: appointment.id } },
  ]);
  assert.match(refused.result, /not booked with the number the caller is calling from/);

  // The caller finds it, moves it, then cancels it — in one tool-calls message, in order.
  const [found, moved, cancelled] = await tools(callId, clinic.number, from, [
    { name: "find_my_appointments", args: {} },
    { name: "reschedule_appointment", args: { appointment_id: appointment.id, slot_id: second } },
    {
      name: "cancel_appointment",
      args: { appointment_id: appointment.id, reason: "Feeling better" },
    },
  ]);
  assert.match(
    found.result,
    new RegExp(
      `^1 upcoming appointment for Jane Caller: a Check-up .*appointment_id ${appointment.id}`,
    ),
  );
  assert.match(moved.result, /^Moved: it is now a Check-up/);
  assert.match(cancelled.result, /^Cancelled: a Check-up/);
  const [after] = await sql`select status from public.appointments where id = ${appointment.id}`;
  assert.equal(after.status, "cancelled");
  const links = await sql`
    select action from public.call_appointments where call_id = ${call.id} order by created_at`;
  assert.deepEqual(links.map((l) => l.action), ["booked", "rescheduled", "cancelled"]);
  assert.equal((await callRow(callId)).outcome, "cancelled");
});

Deno.test("take_message leaves a callback task for the call; bad calls get a speakable result", async () => {
  const clinic = clinics.closedMessage;
  const from = caller();
  const { callId } = await assistantFor(clinic.number, from);
  const answer = await post({
    message: {
      ...envelope("tool-calls", callId, clinic.number, from),
      // The docs' shape, with the arguments as a JSON string.
      toolCalls: [
        {
          id: "m1",
          name: "take_message",
          arguments: JSON.stringify({ name: "Sam Lee", reason: "Broken crown", urgency: "urgent" }),
        },
        { id: "m2", name: "book_appointment", arguments: "{not json" },
        { id: "m3", name: "order_pizza", arguments: {} },
        { id: "m4", name: "check_availability", arguments: { service: "Massage" } },
      ],
    },
  });
  assert.equal(answer.status, 200);
  const results = answer.body.results as Result[];
  assert.deepEqual(results.map((r) => r.toolCallId), ["m1", "m2", "m3", "m4"]);
  assert.match(results[0].result, new RegExp(`^Message taken: .* call Sam Lee back on \\${from}`));
  assert.match(results[1].result, /not a JSON object/);
  assert.match(results[2].result, /^There is no tool called "order_pizza"/);
  assert.match(
    results[3].result,
    /^There is no service called "Massage". The services are Check-up\./,
  );
  const call = await callRow(callId);
  const tasks = await sql`select * from public.callback_tasks where call_id = ${call.id}`;
  assert.equal(tasks.length, 1);
  assert.deepEqual(
    {
      kind: tasks[0].kind,
      name: tasks[0].caller_name,
      number: tasks[0].callback_e164,
      reason: tasks[0].reason,
      urgency: tasks[0].urgency,
      status: tasks[0].status,
    },
    {
      kind: "message",
      name: "Sam Lee",
      number: from,
      reason: "Broken crown",
      urgency: "urgent",
      status: "open",
    },
  );
  assert.ok(tasks[0].contact_id);
  assert.equal(call.outcome, "message_taken");
});

function report(callId: string, to: string, from: string) {
  return {
    message: {
      ...envelope("end-of-call-report", callId, to, from),
      endedReason: "customer-ended-call",
      cost: 0.0731,
      costs: [{ type: "transport", cost: 0.01 }],
      startedAt: "2026-12-09T10:00:00.000Z",
      endedAt: "2026-12-09T10:02:30.500Z",
      artifact: {
        messages: [
          { role: "system", message: "secret prompt", time: 0, secondsFromStart: 0 },
          { role: "bot", message: "Hello, Northside Dental.", time: 1, secondsFromStart: 0.4 },
          { role: "user", message: "Just checking your hours.", time: 2, secondsFromStart: 2.1 },
        ],
        transcript: "AI: Hello, Northside Dental.\nUser: Just checking your hours.",
        recordingUrl: "https://storage.vapi.ai/recording-1.wav",
      },
      analysis: { summary: "Asked about opening hours." },
    },
  };
}

Deno.test("an end-of-call report is stored once; 100 replays change nothing; a late status cannot reopen it", async () => {
  const from = caller();
  const { callId } = await assistantFor(NORTHSIDE.number, from);
  assert.equal(
    (await post({
      message: {
        ...envelope("status-update", callId, NORTHSIDE.number, from),
        status: "in-progress",
      },
    })).status,
    200,
  );
  assert.equal((await callRow(callId)).status, "in_progress");
  const first = await post(report(callId, NORTHSIDE.number, from));
  assert.equal(first.status, 200);
  const stored = await callRow(callId);
  assert.equal(stored.status, "ended");
  assert.equal(stored.ended_reason, "customer-ended-call");
  assert.equal(stored.summary, "Asked about opening hours.");
  assert.equal(stored.recording_url, "https://storage.vapi.ai/recording-1.wav");
  assert.equal(Number(stored.cost), 0.0731);
  assert.equal(stored.duration_seconds, 151);
  assert.equal(stored.outcome, "answered");
  assert.deepEqual(stored.transcript, [
    { role: "assistant", text: "Hello, Northside Dental.", seconds_from_start: 0.4 },
    { role: "user", text: "Just checking your hours.", seconds_from_start: 2.1 },
  ]);
  for (let i = 0; i < 100; i += 10) {
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => post(report(callId, NORTHSIDE.number, from))),
    );
    assert.ok(answers.every((a) => a.status === 200));
  }
  await post({
    message: {
      ...envelope("status-update", callId, NORTHSIDE.number, from),
      status: "in-progress",
    },
  });
  await post({ message: { ...envelope("hang", callId, NORTHSIDE.number, from) } });
  const rows = await sql`select * from public.calls where vapi_call_id = ${callId}`;
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0], stored);
});

Deno.test("messages we do not handle answer {}; bad JSON and bad shapes 400", async () => {
  const from = caller();
  const other = await post({
    message: { ...envelope("conversation-update", newCallId(), NORTHSIDE.number, from) },
  });
  assert.deepEqual(other, { status: 200, body: {} });
  for (const body of ["{", "null", "[]", '{"message": 1}', '{"message": {}}']) {
    const answer = await post(body);
    assert.equal(answer.status, 400, body);
    assert.equal(typeof answer.body.message, "string");
  }
  const noStatus = await post({ message: { type: "status-update", call: { id: "x" } } });
  assert.equal(noStatus.status, 400);
  assert.match(String(noStatus.body.message), /status/);
});

Deno.test("fuzzed bodies get a 4xx or a 200, never a 5xx", async () => {
  const types = fc.constantFrom(
    "assistant-request",
    "tool-calls",
    "status-update",
    "end-of-call-report",
    "hang",
    "x",
  );
  const anyJson = fc.jsonValue({ maxDepth: 3 });
  const message = fc.record({
    type: types,
    call: fc.option(
      fc.record({ id: fc.oneof(fc.string({ maxLength: 120 }), anyJson), customer: anyJson }),
      { nil: undefined },
    ),
    phoneNumber: fc.option(
      fc.record({ number: fc.oneof(fc.constant(clinics.open.number), fc.string(), anyJson) }),
      { nil: undefined },
    ),
    toolCallList: fc.option(
      fc.array(
        fc.record({
          id: fc.string({ minLength: 1, maxLength: 20 }),
          function: fc.record({
            name: fc.constantFrom(
              "check_availability",
              "book_appointment",
              "cancel_appointment",
              "take_message",
              "reschedule_appointment",
              "zzz",
            ),
            arguments: fc.oneof(
              fc.string(),
              fc.dictionary(fc.string({ maxLength: 12 }), anyJson, { maxKeys: 4 }),
            ),
          }),
        }),
        { maxLength: 3 },
      ),
      { nil: undefined },
    ),
    status: fc.option(fc.oneof(fc.string(), anyJson), { nil: undefined }),
    cost: fc.option(anyJson, { nil: undefined }),
    artifact: fc.option(anyJson, { nil: undefined }),
  });
  const body = fc.oneof(
    fc.record({ message }).map((b) => JSON.stringify(b)),
    anyJson.map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 60 }),
  );
  await fc.assert(
    fc.asyncProperty(body, async (b) => {
      const answer = await post(b);
      assert.ok(
        answer.status === 200 || (answer.status >= 400 && answer.status < 500),
        `${answer.status} for ${b}`,
      );
    }),
    { numRuns: 150 },
  );
});

Deno.test("through the Vapi sandbox: a simulated call to Northside books a real slot, in the agenda and in Google", async () => {
  // A free check-up time ten days or more ahead, as the booking operations see it.
  const [service] = await sql`
    select id from public.services where organisation_id = ${NORTHSIDE.id} and name = 'Check-up'`;
  const from = addDays(localDateOf("Europe/London", new Date()), 10);
  const { slots } = await checkAvailability(admin, {
    organisationId: NORTHSIDE.id,
    serviceId: service.id,
    from,
    to: addDays(from, 13),
    limit: 1,
  });
  const { date, time } = localDateTimeOf("Europe/London", new Date(slots[0].start));
  const from_ = caller();
  const started = await fetch(`${SUPABASE_URL}/_local/vapi/control/calls`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      to: NORTHSIDE.number,
      from: from_,
      script: [
        `I would like to book a check-up on ${date} at ${time}. My name is Robin Sandbox.`,
        "Thanks, bye",
      ],
    }),
  });
  const answer = await started.json();
  assert.equal(answer.handled, true, JSON.stringify(answer));
  const transcript = JSON.stringify(answer.call?.transcript ?? answer);
  const call = await waitFor("the end-of-call report", async () => {
    const row = await callRow(answer.callId);
    return row?.status === "ended" && row.summary !== null && row;
  });
  assert.equal(call.outcome, "booked", transcript);
  assert.ok(
    call.summary && call.recording_url && call.transcript.length >= 4,
    "the end-of-call report",
  );
  const [booked] = await sql`
    select a.id, a.source, a.starts_at, ct.phone from public.call_appointments ca
    join public.appointments a on a.id = ca.appointment_id
    join public.contacts ct on ct.id = a.contact_id
    where ca.call_id = ${call.id} and ca.action = 'booked'`;
  assert.equal(booked.source, "voice");
  assert.equal(booked.phone, from_);
  assert.equal(new Date(booked.starts_at).toISOString(), new Date(slots[0].start).toISOString());
  // Northside's calendar is connected in the seed: the worker pushes the booking to Google.
  const sync = await waitFor("the booking synced to Google", async () => {
    const [row] = await sql<{ calendar_sync: string; calendar_event_calendar_id: string }[]>`
      select calendar_sync, calendar_event_calendar_id from public.appointments
      where id = ${booked.id}`;
    if (row.calendar_sync === "synced") return row;
    await runWorker(SUPABASE_URL, SERVICE_ROLE_KEY);
    return null;
  }, 30_000);
  const events = await sandboxControl<{ items: { start: { dateTime: string } }[] }>(
    SUPABASE_URL,
    "GET",
    `/calendars/${encodeURIComponent(sync.calendar_event_calendar_id)}/events`,
  );
  assert.ok(
    events.items.some((e) => Date.parse(e.start.dateTime) === Date.parse(slots[0].start)),
    "the event is in the Google sandbox",
  );
  // Leave Northside's agenda as it was: the caller cancels by phone.
  const [cancelled] = await tools(answer.callId, NORTHSIDE.number, from_, [
    { name: "cancel_appointment", args: { appointment_id: booked.id } },
  ]);
  assert.match(cancelled.result, /^Cancelled/);
  sandboxCalls.push(answer.callId);
});

Deno.test({
  name: "cleanup",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await sql`delete from public.calls where vapi_call_id like ${`vapi-${tag}-%`}
      or vapi_call_id = any(${sandboxCalls})`;
    // Removing a number enqueues its disconnection job, which names the organisation: the
    // numbers go first, while their organisations still exist.
    const ids = Object.values(clinics).map((c) => c.id);
    await sql`delete from public.phone_numbers where organisation_id = any(${ids}::uuid[])`;
    await users.deleteAll();
    await sql.end();
  },
});
