// The local Vapi sandbox on the running stack: its REST API with the key the stack generated, a
// simulated inbound call against a tiny server of the test's own (message order and shapes as
// PROVIDERS.md §1 gives them, the server credential, the recording it serves), a "down" fault that
// leaves the call to Twilio's fallback, and the test-call function driving it with a user's JWT.
import assert from "node:assert/strict";
import { anonClient, env, SUPABASE_URL } from "./_helpers.ts";

const BASE = `${SUPABASE_URL}/_local/vapi`;
const NORTHSIDE = "10000000-0000-4000-8000-000000000001";
const RIVERSIDE = "10000000-0000-4000-8000-000000000002";

/** VAPI_* as the stack gave them to the functions (functions.env beside the logs). */
async function vapiSettings(): Promise<Record<string, string>> {
  const text = await Deno.readTextFile(`${env("LOG_DIR")}/../functions.env`);
  return Object.fromEntries(
    text.split("\n").filter((l) => l.startsWith("VAPI_")).map((l) => {
      const at = l.indexOf("=");
      return [l.slice(0, at), l.slice(at + 1)];
    }),
  );
}
const settings = await vapiSettings();

const api = (method: string, path: string, body?: unknown, key = settings.VAPI_API_KEY) =>
  fetch(`${BASE}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const control = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${settings.VAPI_SANDBOX_CONTROL_URL}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
};

Deno.test("settings: the stack generates the Vapi env for the functions", () => {
  assert.equal(settings.VAPI_BASE_URL, BASE);
  assert.equal(settings.VAPI_SANDBOX_CONTROL_URL, `${BASE}/control`);
  assert.match(settings.VAPI_API_KEY, /^[0-9a-f-]{36}$/);
  assert.ok(settings.VAPI_SERVER_SECRET.length >= 40);
});

Deno.test("REST: the key is required; the seed's numbers are imported, pointing at our vapi function", async () => {
  const refused = await api("GET", "/phone-number", undefined, "not-the-key");
  assert.equal(refused.status, 401);
  assert.equal((await refused.json()).statusCode, 401);
  const list = await (await api("GET", "/phone-number")).json();
  for (
    const [id, number] of [
      ["vapi-demo-442079460123", "+442079460123"],
      ["vapi-demo-37167000123", "+37167000123"],
    ]
  ) {
    const phone = list.find((p: { id: string }) => p.id === id);
    assert.equal(phone?.number, number);
    assert.equal(phone.server.url, `${SUPABASE_URL}/functions/v1/vapi`);
    assert.equal(phone.assistantId, undefined);
  }
  assert.ok(!JSON.stringify(list).includes("twilioAuthToken"));
  const bad = await api("POST", "/phone-number", { provider: "twilio", number: "123" });
  assert.equal(bad.status, 400);
  const body = await bad.json();
  assert.equal(body.error, "Bad Request");
  assert.ok(Array.isArray(body.message));
});

// Messages are read as JSON: the test asserts on any path in them.
// deno-lint-ignore no-explicit-any
type Loose = any;

// A server URL of the test's own: what Vapi's messages look like on arrival, and answers to them.
type Message = Record<string, unknown> & { type: string };
const received: { secret: string | null; message: Message }[] = [];
const stub = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
  const { message } = await req.json() as { message: Message };
  received.push({ secret: req.headers.get("x-vapi-secret"), message });
  if (message.type === "assistant-request") {
    const tool = (name: string, properties: Record<string, unknown>, required: string[] = []) => ({
      type: "function",
      function: { name, parameters: { type: "object", properties, required } },
    });
    return Response.json({
      assistant: {
        name: "Stub receptionist",
        firstMessage: "Stub clinic, hello.",
        model: {
          provider: "openai",
          model: "gpt-4.1-mini",
          tools: [
            tool("check_availability", {
              service: { type: "string", enum: ["Check-up"] },
              from: { type: "string", description: "A local date, YYYY-MM-DD" },
            }, ["service", "from"]),
            tool("book_appointment", { slot_id: { type: "string" }, name: { type: "string" } }, [
              "slot_id",
              "name",
            ]),
          ],
        },
        artifactPlan: { recordingEnabled: true },
      },
    });
  }
  if (message.type === "tool-calls") {
    const [call] = message.toolCallList as { id: string; function: { name: string } }[];
    const result = call.function.name === "check_availability"
      ? "Free times for Check-up: tomorrow at 10:30 with Dr Stub (slot_id slot-1030)."
      : "Booked: a Check-up tomorrow at 10:30 with Dr Stub.";
    return Response.json({ results: [{ toolCallId: call.id, name: call.function.name, result }] });
  }
  return Response.json({});
});
const stubUrl = `http://127.0.0.1:${stub.addr.port}/vapi`;
const stubNumber = `+1500555${String(Math.floor(Math.random() * 1e4)).padStart(4, "0")}`;

Deno.test("a simulated call: messages in Vapi's order and shapes, with the server credential", async () => {
  const created = await api("POST", "/phone-number", {
    provider: "twilio",
    number: stubNumber,
    twilioAccountSid: `AC${"0".repeat(32)}`,
    twilioAuthToken: "stub-twilio-token",
    smsEnabled: false,
    server: { url: stubUrl },
  });
  assert.equal(created.status, 201);
  const phone = await created.json();
  try {
    received.length = 0;
    const { status, body } = await control("POST", "/calls", {
      to: stubNumber,
      from: "+442079460555",
      callSid: `CA${"f".repeat(32)}`,
      script: ["I'd like to book a check-up tomorrow at 10:30, my name is Ann Lee", "Thanks, bye"],
    });
    assert.equal(status, 200);
    assert.equal(body.handled, true);
    assert.deepEqual(received.map((r) => r.message.type), [
      "assistant-request",
      "status-update",
      "tool-calls",
      "tool-calls",
      "status-update",
      "end-of-call-report",
    ]);
    assert.ok(received.every((r) => r.secret === settings.VAPI_SERVER_SECRET));

    const [request, started, check, book, ended, report] = received.map((r) => r.message as Loose);
    assert.equal(request.phoneNumber.id, phone.id);
    assert.equal(request.customer.number, "+442079460555");
    assert.equal(request.call.phoneCallProviderId, `CA${"f".repeat(32)}`);
    assert.equal(request.call.type, "inboundPhoneCall");
    assert.equal(started.status, "in-progress");
    for (const tc of [check, book]) {
      assert.equal(tc.toolCallList.length, 1);
      assert.equal(tc.toolWithToolCallList[0].toolCall.id, tc.toolCallList[0].id);
      assert.equal(typeof tc.toolCallList[0].function.arguments, "object");
      assert.equal(tc.toolCallList[0].type, "function");
    }
    assert.equal(check.toolCallList[0].function.arguments.service, "Check-up");
    assert.deepEqual(book.toolCallList[0].function.arguments, {
      slot_id: "slot-1030",
      name: "Ann Lee",
    });
    assert.equal(ended.status, "ended");
    assert.equal(report.endedReason, "customer-ended-call");
    assert.ok(Date.parse(report.endedAt) > Date.parse(report.startedAt));
    assert.equal(typeof report.cost, "number");
    assert.match(report.analysis.summary, /book/);
    assert.match(report.artifact.transcript, /^AI: Stub clinic, hello\.\nUser: I'd like to book/);
    assert.match(report.artifact.transcript, /AI: Booked: a Check-up tomorrow at 10:30/);
    const recording = await fetch(report.artifact.recordingUrl);
    assert.equal(recording.status, 200);
    assert.equal(recording.headers.get("content-type"), "audio/wav");
    await recording.body?.cancel();
    const call = await (await api("GET", `/call/${body.callId}`)).json();
    assert.equal(call.status, "ended");
    assert.ok(!JSON.stringify(received).includes("stub-twilio-token"), "no Twilio secret sent");
  } finally {
    assert.equal((await api("DELETE", `/phone-number/${phone.id}`)).status, 200);
  }
});

Deno.test("down: a call is not handled (Twilio's voice fallback takes it) and nothing is sent", async () => {
  received.length = 0;
  const fault = await control("POST", "/faults", { endpoint: "inbound", down: true, times: 1 });
  assert.equal(fault.status, 200);
  const { body } = await control("POST", "/calls", { to: "+442079460123", script: ["hello"] });
  assert.deepEqual(body, { handled: false, reason: "Vapi is unavailable (sandbox fault)" });
  assert.equal(received.length, 0);
  const log = await control("GET", "/requests");
  const last = log.body.filter((r: { endpoint: string }) => r.endpoint === "inbound").at(-1);
  assert.equal(last.fault, fault.body.id);
  assert.ok(!JSON.stringify(log.body).includes(settings.VAPI_SERVER_SECRET));
  assert.ok(!JSON.stringify(log.body).includes(settings.VAPI_API_KEY));
});

async function tokenOf(email: string): Promise<string> {
  const { data, error } = await anonClient().auth.signInWithPassword({
    email,
    password: "frontdesk-demo",
  });
  if (error) throw new Error(`sign-in of ${email}: ${error.message}`);
  return data.session!.access_token;
}

const testCall = async (token: string | null, body: unknown) => {
  const res = await fetch(`${SUPABASE_URL}/functions/v1/test-call`, {
    method: "POST",
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      apikey: env("SUPABASE_ANON_KEY"),
      "content-type": "application/json",
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
};

Deno.test("test-call: an owner talks to the clinic's real assistant through the sandbox", async () => {
  const owner = await tokenOf("owner@northside.test");
  const started = await testCall(owner, { organisation_id: NORTHSIDE, line: "Hello?" });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  assert.deepEqual(Object.keys(started.body).sort(), ["call_id", "ended", "transcript"]);
  assert.equal(started.body.ended, false);
  assert.equal(started.body.transcript[0].role, "assistant");
  assert.match(started.body.transcript[0].text, /Northside/);
  assert.deepEqual(started.body.transcript[1], { role: "user", text: "Hello?" });
  const callId = started.body.call_id;

  // Another clinic's owner cannot continue it; a staff member cannot make test calls.
  const riverside = await tokenOf("owner@riverside.test");
  const foreign = await testCall(riverside, {
    organisation_id: RIVERSIDE,
    line: "hi",
    call_id: callId,
  });
  assert.equal(foreign.status, 404);
  assert.equal(
    (await testCall(riverside, { organisation_id: NORTHSIDE, line: "hi" })).status,
    403,
  );
  const staff = await tokenOf("staff@northside.test");
  assert.equal((await testCall(staff, { organisation_id: NORTHSIDE, line: "hi" })).status, 403);

  const bye = await testCall(owner, {
    organisation_id: NORTHSIDE,
    line: "Thanks, bye",
    call_id: callId,
  });
  assert.equal(bye.status, 200);
  assert.equal(bye.body.ended, true);
  assert.deepEqual(bye.body.transcript.at(-2), { role: "user", text: "Thanks, bye" });
  const after = await testCall(owner, {
    organisation_id: NORTHSIDE,
    line: "hello?",
    call_id: callId,
  });
  assert.equal(after.status, 409);
  assert.match(after.body.message, /ended/);
});

Deno.test("test-call: refusals are 4xx with a message", async () => {
  const owner = await tokenOf("owner@northside.test");
  assert.equal((await testCall(null, { organisation_id: NORTHSIDE, line: "hi" })).status, 401);
  for (
    const body of [
      "not json",
      {},
      { organisation_id: "x", line: "hi" },
      { organisation_id: NORTHSIDE, line: "" },
      { organisation_id: NORTHSIDE, line: "x".repeat(501) },
      { organisation_id: NORTHSIDE, line: "hi", call_id: "nope" },
      { organisation_id: NORTHSIDE, line: "hi", extra: true },
    ]
  ) {
    const res = await testCall(owner, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(typeof res.body.message, "string");
  }
  const unknown = await testCall(owner, {
    organisation_id: NORTHSIDE,
    line: "hi",
    call_id: crypto.randomUUID(),
  });
  assert.equal(unknown.status, 404);
});

Deno.test({
  name: "cleanup",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await stub.shutdown();
  },
});
