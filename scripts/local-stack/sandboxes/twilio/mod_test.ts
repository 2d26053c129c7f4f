import assert from "node:assert/strict";
import { validTwilioSignature } from "../../../../supabase/functions/_shared/twilio/signature.ts";
import { createTwilioSandbox } from "./mod.ts";
import { DEMO_ACCOUNTS } from "./store.ts";
import { readTwiml } from "./twiml_reader.ts";

const BASE = "http://127.0.0.1:1/_local/twilio";
const FN = "https://fn.example/functions/v1";
const northside = DEMO_ACCOUNTS[0].account;
const NUMBER = DEMO_ACCOUNTS[0].numbers[0].phoneNumber;

interface Hit {
  url: string;
  params: URLSearchParams;
  signed: boolean;
}

/** A sandbox whose webhooks go to `app` (path → TwiML), each checked against the signature. */
async function sandbox(
  app: (path: string, params: URLSearchParams) => string | Response,
  vapiUp = false,
) {
  const hits: Hit[] = [];
  const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const params = new URLSearchParams(String(init?.body ?? ""));
    const sig = new Headers(init?.headers).get("x-twilio-signature");
    const signed = await validTwilioSignature(
      northside.authToken,
      sig,
      url,
      Object.fromEntries(params),
    );
    hits.push({ url, params, signed });
    const answer = app(new URL(url).pathname.replace("/functions/v1/twilio-voice", ""), params);
    return answer instanceof Response
      ? answer
      : new Response(answer, { headers: { "content-type": "text/xml" } });
  }) as typeof fetch;
  const sb = await createTwilioSandbox({
    dataFile: null,
    baseUrl: BASE,
    functionsUrl: FN,
    demoUrls: {
      voiceUrl: "https://vapi.example/twilio/inbound_call",
      voiceFallbackUrl: `${FN}/twilio-voice/fallback`,
      statusCallback: `${FN}/twilio-voice/status`,
    },
    fetch: fakeFetch,
    vapi: {
      answerInbound: () =>
        Promise.resolve(
          vapiUp ? { handled: true, callId: "vapi-call-1" } : { handled: false, reason: "down" },
        ),
    },
  });
  const call = async (body: unknown) =>
    await sb.handle(
      new Request(`${BASE}/control/calls`, { method: "POST", body: JSON.stringify(body) }),
      "/control/calls",
    );
  return { sb, hits, call };
}

const doc = (inner: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>`;

Deno.test("Vapi takes the call: no fallback request, the status callback hears completed", async () => {
  const { hits, call } = await sandbox(() => doc(""), true);
  const res = await call({ to: NUMBER, from: "+447700900123", script: ["Hello"] });
  const body = await res.json();
  assert.equal(res.status, 200);
  assert.equal(body.answeredBy, "vapi");
  assert.equal(body.vapiCallId, "vapi-call-1");
  assert.deepEqual(hits.map((h) => new URL(h.url).pathname), ["/functions/v1/twilio-voice/status"]);
  assert.equal(hits[0].params.get("CallStatus"), "completed");
  assert.equal(
    hits[0].params.get("CallDuration"),
    String(5 + 1 + 4),
    "greeting, a line, an answer",
  );
  assert.ok(hits[0].signed);
});

Deno.test("Vapi down: signed fallback with ErrorCode, TwiML followed, voicemail recorded and called back", async () => {
  const { hits, call, sb } = await sandbox((path) =>
    path === "/fallback"
      ? doc(
        `<Say language="en-GB">Leave a message</Say><Record action="${FN}/twilio-voice/recording?to=%2B442079460123" recordingStatusCallback="${FN}/twilio-voice/recording?to=%2B442079460123" maxLength="120"/><Say>No message</Say><Hangup/>`,
      )
      : path === "/recording"
      ? doc("<Say>Thanks</Say><Hangup/>")
      : doc("")
  );
  const res = await call({
    to: NUMBER,
    from: "+447700900123",
    script: ["Please call me back about my crown"],
  });
  const body = await res.json();
  assert.equal(body.answeredBy, "fallback");
  assert.equal(body.status, "completed");
  assert.deepEqual(hits.map((h) => new URL(h.url).pathname.split("/").pop()), [
    "fallback",
    "recording",
    "recording",
    "status",
  ]);
  assert.ok(hits.every((h) => h.signed), "every webhook request is signed as Twilio signs");
  const [fallback, action, recordingCallback, status] = hits;
  assert.equal(fallback.params.get("ErrorCode"), "11205");
  assert.equal(fallback.params.get("ErrorUrl"), "https://vapi.example/twilio/inbound_call");
  assert.equal(fallback.params.get("AccountSid"), northside.sid);
  assert.equal(fallback.params.get("To"), NUMBER);
  assert.equal(fallback.params.get("Direction"), "inbound");
  assert.match(fallback.params.get("CallSid")!, /^CA[0-9a-f]{32}$/);
  assert.equal(action.params.get("Digits"), "hangup");
  const recordingUrl = action.params.get("RecordingUrl")!;
  assert.equal(recordingCallback.params.get("RecordingUrl"), recordingUrl);
  assert.equal(recordingCallback.params.get("RecordingStatus"), "completed");
  assert.equal(recordingCallback.params.get("To"), null, "recording callbacks carry no To");
  assert.equal(status.params.get("CallStatus"), "completed");
  assert.ok(Number(status.params.get("CallDuration")) > 0);
  assert.deepEqual(
    body.steps.filter((s: { verb: string }) => s.verb === "say").map((s: { text: string }) =>
      s.text
    ),
    [
      "Leave a message",
      "Thanks",
    ],
  );
  // The recording is served (publicly, like Twilio's media) as audio.
  const media = await sb.handle(
    new Request(recordingUrl),
    new URL(recordingUrl).pathname.replace("/_local/twilio", ""),
  );
  assert.equal(media.status, 200);
  assert.equal(media.headers.get("content-type"), "audio/x-wav");
  assert.equal(new TextDecoder().decode((await media.bytes()).slice(0, 4)), "RIFF");
});

Deno.test("an empty voicemail skips the Record action; Dial's action hears DialCallStatus", async () => {
  const { hits, call } = await sandbox((path) =>
    path === "/fallback"
      ? doc(
        `<Dial action="${FN}/twilio-voice/dial" timeout="25"><Number>+442079460000</Number></Dial>`,
      )
      : path === "/dial"
      ? doc(`<Record action="${FN}/twilio-voice/recording"/><Say>Goodbye</Say><Hangup/>`)
      : doc("")
  );
  const body = await (await call({ to: NUMBER, from: "+447700900123", dial: "busy" })).json();
  assert.equal(hits[1].params.get("DialCallStatus"), "busy");
  assert.deepEqual(hits.map((h) => new URL(h.url).pathname.split("/").pop()), [
    "fallback",
    "dial",
    "status",
  ]);
  assert.deepEqual(body.steps.map((s: { verb: string }) => s.verb), [
    "vapi",
    "request",
    "dial",
    "request",
    "record",
    "say",
    "hangup",
    "request",
  ]);
});

Deno.test("a failing fallback is Twilio's application error; a Redirect loop stops", async () => {
  const failing = await sandbox(() => new Response("boom", { status: 500 }));
  const body = await (await failing.call({ to: NUMBER, from: "+447700900123" })).json();
  assert.equal(body.status, "failed");
  assert.ok(
    body.steps.some((s: { verb: string; detail?: string }) =>
      s.verb === "application-error" && s.detail === "HTTP 500 (11200)"
    ),
  );

  const loop = await sandbox(() => doc(`<Redirect>${FN}/twilio-voice/fallback</Redirect>`));
  const looped = await (await loop.call({ to: NUMBER, from: "+447700900123" })).json();
  assert.ok(loop.hits.length <= 11);
  assert.ok(looped.steps.some((s: { detail?: string }) => s.detail?.includes("Redirect loop")));
});

const basic = (sid: string, token: string) => `Basic ${btoa(`${sid}:${token}`)}`;

Deno.test("IncomingPhoneNumbers: Basic auth, list by number, update the fallback, Twilio's errors, faults", async () => {
  const { sb } = await sandbox(() => doc(""));
  const api = (path: string, init: RequestInit = {}) =>
    sb.handle(new Request(`${BASE}${path}`, init), path.split("?")[0]);
  const list = `/2010-04-01/Accounts/${northside.sid}/IncomingPhoneNumbers.json`;
  const auth = { authorization: basic(northside.sid, northside.authToken) };

  const denied = await api(list, {
    headers: { authorization: basic(northside.sid, "wrong-token") },
  });
  assert.equal(denied.status, 401);
  assert.deepEqual(await denied.json(), {
    code: 20003,
    message: "Authenticate",
    more_info: "https://www.twilio.com/docs/errors/20003",
    status: 401,
  });
  const found = await (await sb.handle(
    new Request(`${BASE}${list}?PhoneNumber=${encodeURIComponent(NUMBER)}`, { headers: auth }),
    list,
  )).json();
  assert.equal(found.incoming_phone_numbers.length, 1);
  const pn = found.incoming_phone_numbers[0];
  assert.equal(pn.phone_number, NUMBER);
  assert.equal(pn.voice_fallback_url, `${FN}/twilio-voice/fallback`);

  const one = `/2010-04-01/Accounts/${northside.sid}/IncomingPhoneNumbers/${pn.sid}.json`;
  const form = { ...auth, "content-type": "application/x-www-form-urlencoded" };
  const updated = await api(one, {
    method: "POST",
    headers: form,
    body: new URLSearchParams({
      VoiceFallbackUrl: "https://other.example/fb",
      VoiceFallbackMethod: "post",
    }),
  });
  assert.equal(updated.status, 200);
  const resource = await updated.json();
  assert.equal(resource.voice_fallback_url, "https://other.example/fb");
  assert.equal(resource.voice_fallback_method, "POST");

  const bad = await api(one, {
    method: "POST",
    headers: form,
    body: "StatusCallback=javascript:alert(1)",
  });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).code, 21502);
  const missing = await api(
    `/2010-04-01/Accounts/${northside.sid}/IncomingPhoneNumbers/PN${"0".repeat(32)}.json`,
    {
      headers: auth,
    },
  );
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).code, 20404);

  await sb.handle(
    new Request(`${BASE}/control/faults`, {
      method: "POST",
      body: JSON.stringify({ endpoint: "incomingPhoneNumbers.update", status: 503, times: 1 }),
    }),
    "/control/faults",
  );
  assert.equal((await api(one, { method: "POST", headers: form, body: "" })).status, 503);
  assert.equal((await api(one, { method: "POST", headers: form, body: "" })).status, 200);
  const log = sb.context.log.since();
  assert.ok(log.some((r) => r.fault && r.status === 503));
  assert.ok(!JSON.stringify(log).includes(northside.authToken), "no token in the request log");
});

Deno.test("control: accounts never show tokens; unknown number 404; bad body 400", async () => {
  const { sb, call } = await sandbox(() => doc(""));
  const accounts =
    await (await sb.handle(new Request(`${BASE}/control/accounts`), "/control/accounts")).text();
  assert.ok(!accounts.includes(northside.authToken));
  assert.ok(accounts.includes(northside.sid));
  assert.equal((await call({ to: "+15550000000", from: "+447700900123" })).status, 404);
  assert.equal((await call({ to: "not a number", from: "+447700900123" })).status, 400);
  const page = await sb.handle(new Request(`${BASE}/`), "");
  assert.match(await page.text(), /Twilio sandbox/);
});

Deno.test("TwiML reader: verbs, attributes, entities, a child Number; not TwiML is an error", () => {
  assert.deepEqual(
    readTwiml(
      doc(
        `<!-- hi --><Say voice='alice' language="en-GB">A &amp; B &#233;</Say><Dial action="/d?a=1&amp;b=2"><Number>+1555</Number></Dial><Hangup/>`,
      ),
    ),
    [
      { name: "Say", attributes: { voice: "alice", language: "en-GB" }, text: "A & B é" },
      { name: "Dial", attributes: { action: "/d?a=1&b=2" }, text: "+1555" },
      { name: "Hangup", attributes: {}, text: "" },
    ],
  );
  assert.deepEqual(readTwiml("<Response/>"), []);
  assert.equal(typeof readTwiml("<html>error</html>"), "string");
  assert.equal(typeof readTwiml(doc("<Say>&bogus;</Say>")), "string");
  assert.equal(typeof readTwiml(doc("plain text")), "string");
});
