// The twilio-messaging webhook without a stack: forms refused before the database, and 503 (Twilio
// retries) when the database is unreachable.
import assert from "node:assert/strict";
import type { Sql } from "../io/db.ts";
import { handleMessagingWebhook } from "./messaging_webhook.ts";

const down = Object.assign(
  () => {
    throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
  },
  { json: (value: unknown) => value },
) as unknown as Sql;

const post = async (route: string, form: Record<string, string>, method = "POST") => {
  const res = await handleMessagingWebhook(
    new Request(`http://functions.local/twilio-messaging/${route}`, {
      method,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: method === "POST" ? new URLSearchParams(form) : undefined,
    }),
    { sql: down, publicFunctionsUrl: "https://example.supabase.co/functions/v1" },
  );
  return [res.status, await res.text()];
};

const FORM = {
  AccountSid: "AC" + "1".repeat(32),
  MessageSid: "SM" + "2".repeat(32),
  From: "+447700900123",
  To: "+442079460000",
  Body: "hi",
};

Deno.test("malformed forms and wrong routes are refused before the database", async () => {
  assert.equal((await post("inbound", { Body: "hi" }))[0], 400);
  assert.equal((await post("status", FORM))[0], 400);
  assert.equal((await post("elsewhere", FORM))[0], 404);
  assert.equal((await post("inbound", FORM, "GET"))[0], 405);
});

Deno.test("the database unreachable: 503, so Twilio tries again", async () => {
  assert.deepEqual(await post("inbound", FORM), [503, "temporarily unavailable; retry later"]);
  assert.equal((await post("status", { ...FORM, MessageStatus: "delivered" }))[0], 503);
});
