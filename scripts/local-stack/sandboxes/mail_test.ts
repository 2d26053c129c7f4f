import assert from "node:assert/strict";
import { createMailSandbox } from "./mail.ts";

const KEY = "re_test_key";

async function sandbox() {
  const outboxDir = await Deno.makeTempDir();
  const mail = createMailSandbox({ outboxDir, apiKey: KEY });
  const call = (path: string, init: RequestInit & { headers?: Record<string, string> }) =>
    mail.handle(new Request(`http://127.0.0.1/_local/mail${path}`, init), path);
  const send = (body: unknown, headers: Record<string, string> = {}) =>
    call("/emails", {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const outbox = async () => {
    const mails = [];
    for await (const entry of Deno.readDir(outboxDir)) {
      if (entry.name.endsWith(".json")) {
        mails.push(JSON.parse(await Deno.readTextFile(`${outboxDir}/${entry.name}`)));
      }
    }
    return mails;
  };
  return { call, send, outbox, close: () => Deno.remove(outboxDir, { recursive: true }) };
}

const MAIL = {
  from: "Frontdesk <no-reply@example.com>",
  to: "Ada Lovelace <ada@example.com>",
  subject: "You are invited",
  text: "Open http://127.0.0.1:54321/#/invitations/abc to accept.",
  html: '<a href="http://127.0.0.1:54321/#/invitations/abc">Accept</a>',
};

Deno.test("mail sandbox: an accepted mail answers {id} and lands in the outbox", async () => {
  const s = await sandbox();
  try {
    const response = await s.send(MAIL);
    assert.equal(response.status, 200);
    const { id } = await response.json();
    assert.match(id, /^[0-9a-f-]{36}$/);
    const [mail] = await s.outbox();
    assert.deepEqual(
      { to: mail.to, subject: mail.subject, link: mail.link, text: mail.text },
      {
        to: "ada@example.com",
        subject: MAIL.subject,
        link: "http://127.0.0.1:54321/#/invitations/abc",
        text: MAIL.text,
      },
    );
    assert.equal(typeof mail.sent_at, "string");
  } finally {
    await s.close();
  }
});

Deno.test("mail sandbox: refuses like Resend (key, body, idempotency)", async () => {
  const s = await sandbox();
  try {
    const refusals: [Response, number, string][] = [
      [await s.send(MAIL, { authorization: "" }), 401, "missing_api_key"],
      [await s.send(MAIL, { authorization: "Bearer re_other" }), 403, "invalid_api_key"],
      [await s.send("{oops"), 422, "validation_error"],
      [await s.send({ ...MAIL, from: undefined }), 422, "validation_error"],
      [await s.send({ ...MAIL, to: "not an address" }), 422, "validation_error"],
      [await s.send({ ...MAIL, to: [] }), 422, "validation_error"],
      [await s.send({ ...MAIL, subject: "" }), 422, "validation_error"],
      [await s.send({ ...MAIL, text: undefined, html: undefined }), 422, "validation_error"],
      [await s.send(MAIL, { "idempotency-key": "x".repeat(257) }), 400, "invalid_idempotency_key"],
    ];
    for (const [response, status, name] of refusals) {
      const body = await response.json();
      assert.equal(response.status, status, JSON.stringify(body));
      assert.equal(body.statusCode, status);
      assert.equal(body.name, name);
      assert.equal(typeof body.message, "string");
    }
    assert.deepEqual(await s.outbox(), [], "nothing refused is delivered");

    const first = await (await s.send(MAIL, { "idempotency-key": "invitation/1" })).json();
    const retry = await (await s.send(MAIL, { "idempotency-key": "invitation/1" })).json();
    assert.equal(retry.id, first.id, "a retry answers the first id");
    assert.equal((await s.outbox()).length, 1, "and sends nothing again");
    const other = await s.send({ ...MAIL, subject: "Else" }, { "idempotency-key": "invitation/1" });
    assert.equal(other.status, 409);
    assert.equal((await other.json()).name, "invalid_idempotent_request");
  } finally {
    await s.close();
  }
});

Deno.test("mail sandbox: tests make mails to one address fail, then work again", async () => {
  const s = await sandbox();
  try {
    const control = (method: string, body: unknown) =>
      s.call("/control/failures", { method, body: JSON.stringify(body) });
    assert.equal((await control("POST", { to: "ADA@example.com", status: 503 })).status, 200);
    const failed = await s.send(MAIL);
    assert.equal(failed.status, 503);
    await failed.body?.cancel();
    const other = await s.send({ ...MAIL, to: "bob@example.com" });
    assert.equal(other.status, 200, "other recipients are not affected");
    await other.body?.cancel();
    assert.equal((await control("DELETE", { to: "ada@example.com" })).status, 200);
    const works = await s.send(MAIL);
    assert.equal(works.status, 200);
    await works.body?.cancel();
    assert.equal((await control("POST", { status: 503 })).status, 422);
  } finally {
    await s.close();
  }
});
