import assert from "node:assert/strict";
import { API_KEY, testSandbox } from "./test_helpers.ts";

const IMPORT = {
  provider: "twilio",
  number: "+15005550006",
  twilioAccountSid: "AC" + "0".repeat(32),
  twilioAuthToken: "twilio-secret-token",
  smsEnabled: false,
  name: "Test clinic",
  server: { url: "https://example.test/functions/v1/vapi", credentialId: "cred-1" },
};

Deno.test("phone numbers: create, get, list, update, delete; the auth token never answered", async () => {
  const { request } = await testSandbox();
  const created = await request("POST", "/phone-number", IMPORT);
  assert.equal(created.status, 201);
  const phone = await created.json();
  assert.equal(phone.number, IMPORT.number);
  assert.equal(phone.provider, "twilio");
  assert.equal(phone.assistantId, undefined, "no assistant: assistant-request mode");
  assert.equal(phone.twilioAuthToken, undefined);

  const got = await (await request("GET", `/phone-number/${phone.id}`)).json();
  assert.deepEqual(got, phone);
  const list = await (await request("GET", "/phone-number")).json();
  assert.deepEqual(
    list.map((p: { id: string }) => p.id).sort(),
    [
      phone.id,
      "vapi-demo-37167000123",
      "vapi-demo-442079460123",
    ].sort(),
  );
  assert.ok(!JSON.stringify(list).includes("twilio-secret-token"));
  assert.ok(!JSON.stringify(list).includes("sandbox-demo-auth-token"));

  const patched = await request("PATCH", `/phone-number/${phone.id}`, {
    server: { url: "https://example.test/other" },
  });
  assert.equal(patched.status, 200);
  assert.equal((await patched.json()).server.url, "https://example.test/other");

  const deleted = await request("DELETE", `/phone-number/${phone.id}`);
  assert.equal(deleted.status, 200);
  assert.equal((await deleted.json()).id, phone.id);
  const gone = await request("GET", `/phone-number/${phone.id}`);
  assert.equal(gone.status, 404);
  assert.deepEqual(await gone.json(), {
    message: "Phone Number Not Found",
    error: "Not Found",
    statusCode: 404,
  });
});

Deno.test("phone numbers: bad bodies and duplicates answer 400 with Vapi's error shape", async () => {
  const { request } = await testSandbox();
  const bad = await request("POST", "/phone-number", { ...IMPORT, number: "12345", extra: 1 });
  assert.equal(bad.status, 400);
  const body = await bad.json();
  assert.equal(body.error, "Bad Request");
  assert.equal(body.statusCode, 400);
  assert.ok(Array.isArray(body.message));
  assert.ok(body.message.some((m: string) => m.startsWith("number must be a valid phone number")));
  assert.ok(body.message.includes("property extra should not exist"));

  const notJson = await request("POST", "/phone-number", undefined);
  assert.equal(notJson.status, 400);
  assert.equal((await request("POST", "/phone-number", IMPORT)).status, 201);
  const twice = await request("POST", "/phone-number", IMPORT);
  assert.equal(twice.status, 400);
  assert.match((await twice.json()).message, /already exists/);
  const patchBad = await request("PATCH", "/phone-number/vapi-demo-442079460123", { number: "x" });
  assert.equal(patchBad.status, 400);
});

Deno.test("auth: no key or a wrong key → 401 before anything else", async () => {
  const { request } = await testSandbox();
  for (const key of ["", "wrong", API_KEY.toUpperCase()]) {
    const res = await request("GET", "/phone-number", undefined, key);
    assert.equal(res.status, 401);
    assert.equal((await res.json()).statusCode, 401);
  }
  const created = await request("POST", "/phone-number", IMPORT, "wrong");
  assert.equal(created.status, 401);
  assert.equal((await (await request("GET", "/phone-number")).json()).length, 2, "nothing created");
});

Deno.test("calls: POST /call queues an outbound call (201), GET /call/{id}, 404 for unknown", async () => {
  const { request } = await testSandbox();
  const created = await request("POST", "/call", {
    phoneNumberId: "vapi-demo-442079460123",
    customer: { number: "+447700900555" },
    assistantId: "asst-1",
  });
  assert.equal(created.status, 201);
  const call = await created.json();
  assert.equal(call.type, "outboundPhoneCall");
  assert.equal(call.status, "queued");
  assert.deepEqual(await (await request("GET", `/call/${call.id}`)).json(), call);
  assert.equal((await request("GET", "/call/nope")).status, 404);
  assert.equal(
    (await request("POST", "/call", {
      phoneNumberId: "nope",
      customer: { number: "+447700900555" },
      assistantId: "a",
    })).status,
    400,
  );
  assert.equal(
    (await request("POST", "/call", {
      phoneNumberId: "vapi-demo-442079460123",
      customer: { number: "+447700900555" },
    })).status,
    400,
  );
  assert.equal((await request("PUT", "/call")).status, 404);
});

Deno.test("faults: per endpoint status, down, times; the log names them without secrets", async () => {
  const { request } = await testSandbox();
  await request("POST", "/control/faults", {
    endpoint: "phone-number.create",
    status: 500,
    times: 1,
  });
  const failed = await request("POST", "/phone-number", IMPORT);
  assert.equal(failed.status, 500);
  assert.equal((await failed.json()).statusCode, 500);
  assert.equal((await request("POST", "/phone-number", IMPORT)).status, 201, "once only");

  await request("POST", "/control/faults", { status: 429 });
  assert.equal((await request("GET", "/phone-number")).status, 429, "no endpoint = all");
  assert.equal((await request("GET", "/call/x")).status, 429);
  assert.equal((await (await request("DELETE", "/control/faults")).json()).removed, 1);

  await request("POST", "/control/faults", { endpoint: "phone-number.list", down: true });
  assert.equal((await request("GET", "/phone-number")).status, 503);
  assert.equal((await request("GET", "/phone-number/vapi-demo-442079460123")).status, 200);

  const started = Date.now();
  await request("POST", "/control/faults", {
    endpoint: "phone-number.get",
    delayMs: 150,
    times: 1,
  });
  assert.equal((await request("GET", "/phone-number/vapi-demo-442079460123")).status, 200);
  assert.ok(Date.now() - started >= 140, "slow");

  assert.equal(
    (await request("POST", "/control/faults", { endpoint: "nope", status: 500 })).status,
    400,
  );
  assert.equal((await request("POST", "/control/faults", { endpoint: "call.get" })).status, 400);

  const log = await (await request("GET", "/control/requests")).json();
  assert.deepEqual(
    log.slice(0, 2).map((r: { endpoint: string; status: number }) => [r.endpoint, r.status]),
    [
      ["phone-number.create", 500],
      ["phone-number.create", 201],
    ],
  );
  assert.ok(log[0].fault);
  const text = JSON.stringify(log);
  for (const secret of [API_KEY, "twilio-secret-token"]) assert.ok(!text.includes(secret));
  const since = await (await request("GET", `/control/requests?since=${log.at(-1).seq}`)).json();
  assert.deepEqual(since, []);
});
