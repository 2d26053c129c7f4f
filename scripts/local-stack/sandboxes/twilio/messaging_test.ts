// Twilio messaging in the sandbox: Messages.json as Twilio answers it, status callbacks and
// inbound webhooks signed with the account's auth token, error codes on demand and for real.
import assert from "node:assert/strict";
import { validTwilioSignature } from "../../../../supabase/functions/_shared/twilio/signature.ts";
import { segments } from "./messaging.ts";
import { createTwilioSandbox } from "./mod.ts";
import { DEMO_ACCOUNTS } from "./store.ts";

const BASE = "http://127.0.0.1:1/_local/twilio";
const FN = "https://fn.example/functions/v1";
const riverside = DEMO_ACCOUNTS[1].account;
const NUMBER = "+37167000123";
const PATIENT = "+37120000555";
const CALLBACK = `${FN}/twilio-messaging/status`;

interface Hit {
  url: string;
  params: URLSearchParams;
  signed: boolean;
}

async function sandbox(answer: (url: string) => Response = () => new Response("<Response/>")) {
  const hits: Hit[] = [];
  const sb = await createTwilioSandbox({
    dataFile: null,
    baseUrl: BASE,
    functionsUrl: FN,
    demoUrls: { voiceUrl: "", voiceFallbackUrl: "", statusCallback: "" },
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input);
      const params = new URLSearchParams(String(init?.body ?? ""));
      const signed = await validTwilioSignature(
        riverside.authToken,
        new Headers(init?.headers).get("x-twilio-signature"),
        url,
        Object.fromEntries(params),
      );
      hits.push({ url, params, signed });
      return answer(url);
    }) as typeof fetch,
  });
  sb.context.messaging.settings.statusDelayMs = 0;
  const send = (form: Record<string, string>, token = riverside.authToken) =>
    sb.handle(
      new Request(`${BASE}/2010-04-01/Accounts/${riverside.sid}/Messages.json`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${btoa(`${riverside.sid}:${token}`)}`,
        },
        body: new URLSearchParams(form).toString(),
      }),
      `/2010-04-01/Accounts/${riverside.sid}/Messages.json`,
    );
  const control = (path: string, body: unknown) =>
    sb.handle(
      new Request(`${BASE}/control${path}`, { method: "POST", body: JSON.stringify(body) }),
      `/control${path}`,
    );
  return { sb, hits, send, control };
}

Deno.test("SMS send: 201 queued MessageResource, then sent and delivered callbacks, signed", async () => {
  const { sb, hits, send } = await sandbox();
  const res = await send({ To: PATIENT, From: NUMBER, Body: "Hello", StatusCallback: CALLBACK });
  assert.equal(res.status, 201);
  const m = await res.json();
  assert.match(m.sid, /^SM[0-9a-f]{32}$/);
  assert.equal(m.status, "queued");
  assert.equal(m.direction, "outbound-api");
  assert.equal(m.num_segments, "1");
  assert.equal(m.error_code, null);
  assert.equal(m.account_sid, riverside.sid);
  await sb.settled();
  assert.deepEqual(hits.map((h) => h.params.get("MessageStatus")), ["sent", "delivered"]);
  assert.ok(hits.every((h) => h.signed && h.url === CALLBACK));
  assert.equal(hits[0].params.get("MessageSid"), m.sid);
});

Deno.test("WhatsApp send: whatsapp: addresses, read follows delivered; 63016 on demand as a failed callback", async () => {
  const { sb, hits, send, control } = await sandbox();
  const wa = { To: `whatsapp:${PATIENT}`, From: `whatsapp:${NUMBER}`, StatusCallback: CALLBACK };
  assert.equal((await send({ ...wa, Body: "Hi" })).status, 201);
  await sb.settled();
  assert.deepEqual(hits.map((h) => h.params.get("MessageStatus")), ["sent", "delivered", "read"]);
  hits.length = 0;
  await control("/faults", { endpoint: "messages.create", code: 63016, async: true, times: 1 });
  const late = await send({ ...wa, Body: "Late" });
  assert.equal(late.status, 201);
  await sb.settled();
  assert.deepEqual(hits.map((h) => [h.params.get("MessageStatus"), h.params.get("ErrorCode")]), [[
    "failed",
    "63016",
  ]]);
});

Deno.test("errors in Twilio's shape: 20003 bad auth, 21610 after STOP and on demand, 21211", async () => {
  const { send, control } = await sandbox();
  const bad = await send({ To: PATIENT, From: NUMBER, Body: "x" }, "wrong-token");
  assert.equal(bad.status, 401);
  assert.deepEqual(await bad.json(), {
    code: 20003,
    message: "Authenticate",
    more_info: "https://www.twilio.com/docs/errors/20003",
    status: 401,
  });
  await control("/messages/inbound", { to: NUMBER, from: PATIENT, body: "STOP" });
  const stopped = await send({ To: PATIENT, From: NUMBER, Body: "x" });
  assert.equal(stopped.status, 400);
  assert.equal((await stopped.json()).code, 21610);
  await control("/messages/inbound", { to: NUMBER, from: PATIENT, body: "START" });
  assert.equal((await send({ To: PATIENT, From: NUMBER, Body: "x" })).status, 201);
  await control("/faults", { endpoint: "messages.create", code: 21610, times: 1 });
  assert.equal((await (await send({ To: PATIENT, From: NUMBER, Body: "x" })).json()).code, 21610);
  assert.equal((await (await send({ To: "12", From: NUMBER, Body: "x" })).json()).code, 21211);
});

Deno.test("inbound WhatsApp: the form Twilio posts, signed, to twilio-messaging/inbound; duplicates; TwiML replies are sent", async () => {
  const { sb, hits, control } = await sandbox((url) =>
    url.endsWith("/inbound")
      ? new Response("<Response><Message>Thanks!</Message></Response>")
      : new Response("")
  );
  const res = await control("/messages/inbound", {
    to: NUMBER,
    from: PATIENT,
    body: "Привет 👋",
    whatsapp: true,
    profile_name: "Anna",
    media: [{ url: "https://media.example/1.jpg", content_type: "image/jpeg" }],
    duplicate: 2,
  });
  const m = await res.json();
  assert.deepEqual(m.answers.map((a: { httpStatus: number }) => a.httpStatus), [200, 200]);
  assert.equal(hits.length, 2);
  const [h] = hits;
  assert.ok(h.signed);
  assert.equal(h.url, `${FN}/twilio-messaging/inbound`);
  assert.equal(h.params.get("From"), `whatsapp:${PATIENT}`);
  assert.equal(h.params.get("To"), `whatsapp:${NUMBER}`);
  assert.equal(h.params.get("Body"), "Привет 👋");
  assert.equal(h.params.get("ProfileName"), "Anna");
  assert.equal(h.params.get("WaId"), PATIENT.slice(1));
  assert.equal(h.params.get("NumMedia"), "1");
  assert.equal(h.params.get("MediaUrl0"), "https://media.example/1.jpg");
  assert.equal(h.params.get("MediaContentType0"), "image/jpeg");
  assert.equal(h.params.get("MessageSid"), m.sid);
  assert.equal(h.params.get("AccountSid"), riverside.sid);
  await sb.settled();
  const replies = [...sb.context.messaging.messages.values()].filter((x) =>
    x.direction === "outbound-reply"
  );
  assert.equal(replies.length, 2);
  assert.equal(replies[0].to, `whatsapp:${PATIENT}`);
  assert.equal(replies[0].body, "Thanks!");
});

Deno.test("SMS segments: 160 GSM-7 characters or 70 UCS-2", () => {
  assert.equal(segments("a".repeat(160)), 1);
  assert.equal(segments("a".repeat(161)), 2);
  assert.equal(segments("я".repeat(70)), 1);
  assert.equal(segments("я".repeat(71)), 2);
});

Deno.test("the messages console's script is valid JavaScript and shows no token", async () => {
  const { sb } = await sandbox();
  const page = await (await sb.handle(new Request(`${BASE}/messages`), "/messages")).text();
  const script = page.match(/<script type="module">([\s\S]*)<\/script>/)![1];
  new Function(script); // throws a SyntaxError if the page's script does not parse
  assert.ok(!page.includes(riverside.authToken));
});
