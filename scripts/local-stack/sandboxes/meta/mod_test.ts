// The Meta sandbox as our functions and tests meet it: inbound deliveries posted and signed as
// Meta does (its escaped serialisation), Graph sends answered in Graph's shapes, status webhooks
// after a send, errors and faults, media download.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createMetaSandbox } from "./mod.ts";
import { metaJson } from "./webhook.ts";

const FUNCTIONS = "http://fn.test/functions/v1";
const PLATFORM_SECRET = "platform-secret-0123456789";
const NORTHSIDE = "106540352242922";
const RIVERSIDE = "113907584401237";
const NORTHSIDE_TOKEN = "demo-secret-meta-northside-e4f2";
const NORTHSIDE_SECRET = "demo-secret-meta-app-northside-55d0";

interface Posted {
  url: string;
  raw: string;
  signature: string;
  // deno-lint-ignore no-explicit-any
  body: any;
}

async function sandbox(answer = 200) {
  const posted: Posted[] = [];
  const sb = await createMetaSandbox({
    dataFile: null,
    baseUrl: "http://api.test/_local/meta",
    functionsUrl: FUNCTIONS,
    platformApp: { secret: PLATFORM_SECRET, verifyToken: "verify-me" },
    settings: { statusDelayMs: 0 },
    fetch: ((url: string, init: RequestInit) => {
      const raw = init.body as string;
      posted.push({
        url,
        raw,
        signature: new Headers(init.headers).get("x-hub-signature-256")!,
        body: JSON.parse(raw),
      });
      return Promise.resolve(new Response("ok", { status: answer }));
    }) as typeof fetch,
  });
  const call = (method: string, path: string, body?: unknown, token?: string) =>
    sb.handle(
      new Request(`http://api.test/_local/meta${path}`, {
        method,
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
      path.split("?")[0],
    );
  const send = (body: Record<string, unknown>, token = NORTHSIDE_TOKEN, number = NORTHSIDE) =>
    call("POST", `/v25.0/${number}/messages`, { messaging_product: "whatsapp", ...body }, token);
  return { sb, posted, call, send };
}

const hmac = (secret: string, raw: string) =>
  "sha256=" + createHmac("sha256", secret).update(new TextEncoder().encode(raw)).digest("hex");

Deno.test("Meta's serialisation escapes non-ASCII as \\uXXXX (surrogate pairs) and / as \\/", () => {
  const raw = metaJson({ text: "Привет 😮 a/b", n: 1 });
  assert.deepEqual(
    raw,
    '{"text":"\\u041f\\u0440\\u0438\\u0432\\u0435\\u0442 \\ud83d\\ude2e a\\/b","n":1}',
  );
  assert.deepEqual(JSON.parse(raw), { text: "Привет 😮 a/b", n: 1 });
  assert.ok(![...raw].some((c) => c.charCodeAt(0) > 0x7f));
});

Deno.test("inbound: posted to the number's app callback, signed over Meta's bytes; duplicates are the same bytes", async () => {
  const { posted, call } = await sandbox();
  const res = await call("POST", "/control/inbound", {
    phone_number_id: RIVERSIDE,
    from: "+37120000999",
    name: "Анна",
    text: "Здравствуйте 👋 https://x",
    duplicate: 3,
  });
  assert.deepEqual(res.status, 200);
  const out = await res.json();
  assert.match(out.wamid, /^wamid\./);
  assert.deepEqual(out.status, 200);
  assert.deepEqual(out.statuses, [[200, 200, 200]]);
  assert.deepEqual(posted.length, 3);
  assert.deepEqual(new Set(posted.map((p) => p.raw)).size, 1);
  const [p] = posted;
  assert.deepEqual(p.url, `${FUNCTIONS}/whatsapp`);
  assert.deepEqual(p.signature, hmac(PLATFORM_SECRET, p.raw));
  // A receiver that re-serialises fails: the bytes differ.
  assert.ok(JSON.stringify(p.body) !== p.raw);
  assert.ok(p.raw.includes("\\u0417") && p.raw.includes("https:\\/\\/x"));
  const value = p.body.entry[0].changes[0].value;
  assert.deepEqual(value.metadata, {
    display_phone_number: "37120000123",
    phone_number_id: RIVERSIDE,
  });
  assert.deepEqual(value.contacts, [{ profile: { name: "Анна" }, wa_id: "37120000999" }]);
  assert.deepEqual(value.messages[0].from, "37120000999");
  assert.deepEqual(value.messages[0].text, { body: "Здравствуйте 👋 https://x" });
  assert.match(value.messages[0].timestamp, /^\d{10}$/);
});

Deno.test("inbound: Northside's own app signs with its secret and posts to its own URL; batches out of order", async () => {
  const { posted, call } = await sandbox();
  const res = await call("POST", "/control/inbound", {
    messages: [
      { phone_number_id: NORTHSIDE, from: "447700900555", text: "first" },
      { phone_number_id: NORTHSIDE, from: "447700900555", text: "second" },
    ],
    out_of_order: true,
  });
  const out = await res.json();
  assert.deepEqual(out.wamids.length, 2);
  assert.deepEqual(posted.map((p) => p.body.entry[0].changes[0].value.messages[0].text.body), [
    "second",
    "first",
  ]);
  assert.deepEqual(
    posted[0].url,
    `${FUNCTIONS}/whatsapp/apps/a0000000-0000-4000-8000-000000000001`,
  );
  assert.deepEqual(posted[0].signature, hmac(NORTHSIDE_SECRET, posted[0].raw));
});

Deno.test("inbound media: a voice note whose media object Graph serves (Bearer) and whose bytes download", async () => {
  const { posted, call } = await sandbox();
  await call("POST", "/control/inbound", {
    phone_number_id: NORTHSIDE,
    from: "447700900555",
    type: "audio",
  });
  const audio = posted[0].body.entry[0].changes[0].value.messages[0].audio;
  assert.deepEqual(audio.voice, true);
  assert.deepEqual(audio.mime_type, "audio/ogg; codecs=opus");
  const wrong = await call("GET", `/v25.0/${audio.id}`, undefined, "not-a-token");
  assert.deepEqual(wrong.status, 401);
  assert.deepEqual((await wrong.json()).error.code, 190);
  const media = await (await call("GET", `/v25.0/${audio.id}`, undefined, NORTHSIDE_TOKEN)).json();
  assert.deepEqual(media.id, audio.id);
  assert.deepEqual(media.sha256, audio.sha256);
  const path = new URL(media.url).pathname.replace("/_local/meta", "");
  assert.deepEqual((await call("GET", path)).status, 404);
  const file = await call("GET", path, undefined, NORTHSIDE_TOKEN);
  const bytes = new Uint8Array(await file.arrayBuffer());
  assert.deepEqual(bytes.length, media.file_size);
  const digest = btoa(
    String.fromCharCode(...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))),
  );
  assert.deepEqual(digest, audio.sha256);
});

Deno.test("send: Graph's answer, then sent → delivered → read webhooks signed with the app secret", async () => {
  const { sb, posted, send, call } = await sandbox();
  const res = await send({
    recipient_type: "individual",
    to: "+447700900555",
    type: "text",
    text: { body: "Hi / Привет" },
  });
  assert.deepEqual(res.status, 200);
  const out = await res.json();
  assert.deepEqual(out.messaging_product, "whatsapp");
  assert.deepEqual(out.contacts, [{ input: "+447700900555", wa_id: "447700900555" }]);
  assert.match(out.messages[0].id, /^wamid\./);
  await sb.settled();
  const statuses = posted.map((p) => p.body.entry[0].changes[0].value.statuses[0]);
  assert.deepEqual(statuses.map((s) => s.status), ["sent", "delivered", "read"]);
  assert.ok(
    statuses.every((s) => s.id === out.messages[0].id && s.recipient_id === "447700900555"),
  );
  assert.ok(posted.every((p) => p.signature === hmac(NORTHSIDE_SECRET, p.raw)));
  const outbox = await (await call("GET", "/control/outbox?to=447700900555")).json();
  assert.deepEqual(outbox.length, 1);
  assert.deepEqual(outbox[0].text, "Hi / Привет");
  assert.deepEqual(outbox[0].statuses.map((s: { httpStatus: number }) => s.httpStatus), [
    200,
    200,
    200,
  ]);
  await call("POST", "/control/inbound", {
    phone_number_id: NORTHSIDE,
    from: "447700900555",
    text: "Thanks",
  });
  const thread = await (await call(
    "GET",
    `/control/thread?phone_number_id=${NORTHSIDE}&wa_id=447700900555`,
  )).json();
  assert.deepEqual(
    thread.map((
      m: { direction: string; status: string; text: string },
    ) => [m.direction, m.status, m.text]),
    [
      ["outbound", "read", "Hi / Привет"],
      ["inbound", "200", "Thanks"],
    ],
  );
});

Deno.test("send: wrong token 190, another number's token 100, bad bodies 100/131009", async () => {
  const { send } = await sandbox();
  const bad = await send({ to: "447700900555", text: { body: "x" } }, "wrong");
  assert.deepEqual(bad.status, 401);
  const err = (await bad.json()).error;
  assert.deepEqual(err.code, 190);
  assert.deepEqual(err.type, "OAuthException");
  assert.deepEqual(err.error_data.messaging_product, "whatsapp");
  assert.match(err.fbtrace_id, /^A/);
  assert.deepEqual(
    (await (await send({ to: "447700900555", text: { body: "x" } }, NORTHSIDE_TOKEN, RIVERSIDE))
      .json()).error.code,
    100,
  );
  const long = await send({ to: "447700900555", text: { body: "x".repeat(4097) } });
  assert.deepEqual([long.status, (await long.json()).error.code], [400, 100]);
  assert.deepEqual(
    (await (await send({ to: "447700900555", text: { body: "x".repeat(4096) } })).json()).messages
      .length,
    1,
  );
  const buttons = (n: number, title = "Ok") =>
    send({
      to: "447700900555",
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: "Pick" },
        action: {
          buttons: Array.from(
            { length: n },
            (_, i) => ({ type: "reply", reply: { id: `b${i}`, title: `${title}${i}` } }),
          ),
        },
      },
    });
  assert.deepEqual((await buttons(3)).status, 200);
  assert.deepEqual((await (await buttons(4)).json()).error.code, 131009);
  assert.deepEqual((await (await buttons(1, "x".repeat(20))).json()).error.code, 131009);
  const noProduct = await send({
    messaging_product: undefined,
    to: "447700900555",
    text: { body: "x" },
  });
  assert.deepEqual((await noProduct.json()).error.code, 100);
});

Deno.test("faults: 190 expired (subcode 463) synchronously; 131047 as a failed status webhook", async () => {
  const { sb, posted, send, call } = await sandbox();
  await call("POST", "/control/faults", { endpoint: "messages", code: 190, times: 1 });
  const expired = await send({ to: "447700900555", text: { body: "x" } });
  const err = (await expired.json()).error;
  assert.deepEqual([expired.status, err.code, err.error_subcode], [401, 190, 463]);
  await call("POST", "/control/faults", {
    code: 131047,
    async: true,
    times: 1,
    account: NORTHSIDE,
  });
  const accepted = await send({ to: "447700900555", text: { body: "late" } });
  assert.deepEqual(accepted.status, 200);
  await sb.settled();
  const statuses = posted.map((p) => p.body.entry[0].changes[0].value.statuses[0]);
  assert.deepEqual(statuses.map((s) => s.status), ["failed"]);
  assert.deepEqual(statuses[0].errors[0].code, 131047);
  assert.match(statuses[0].errors[0].error_data.details, /24 hours/);
  const log = await (await call("GET", "/control/requests")).json();
  assert.deepEqual(log.map((r: { fault: string | null }) => r.fault !== null), [true, true]);
});

Deno.test("read marks with typing; control statuses out of order", async () => {
  const { sb, posted, send, call } = await sandbox();
  await call("PUT", "/control/settings", { statuses: [] });
  const read = await send({
    status: "read",
    message_id: "wamid.abc",
    typing_indicator: { type: "text" },
  });
  assert.deepEqual(await read.json(), { success: true });
  const reads = await (await call("GET", "/control/reads")).json();
  assert.deepEqual(reads[0].typing, true);
  const { messages: [{ id }] } = await (await send({ to: "447700900555", text: { body: "x" } }))
    .json();
  await sb.settled();
  assert.deepEqual(posted.length, 0);
  const res = await call("POST", "/control/status", { wamid: id, statuses: ["read", "delivered"] });
  assert.deepEqual((await res.json()).statuses, [200, 200]);
  assert.deepEqual(posted.map((p) => p.body.entry[0].changes[0].value.statuses[0].status), [
    "read",
    "delivered",
  ]);
});

Deno.test("the console page's script is valid JavaScript and lists the demo numbers", async () => {
  const { call } = await sandbox();
  const page = await (await call("GET", "")).text();
  assert.ok(page.includes('value="106540352242922"') && page.includes('value="113907584401237"'));
  const script = page.match(/<script type="module">([\s\S]*)<\/script>/)![1];
  new Function(script); // throws a SyntaxError if the page's script does not parse
  assert.ok(!page.includes(NORTHSIDE_TOKEN) && !page.includes(NORTHSIDE_SECRET));
});
