import assert from "node:assert/strict";
import type { Sql } from "../io/db.ts";
import { callbackUrls, handleVoiceWebhook } from "./voice_webhook.ts";

const BASE = "https://p.example/functions/v1";
const form = {
  AccountSid: "AC" + "a".repeat(32),
  CallSid: "CA" + "b".repeat(32),
  To: "+442079460123",
  From: "+447700900123",
};

/** A database that is down: every query throws. */
const down = (() => Promise.reject(new Error("connection refused"))) as unknown as Sql;

const post = (route: string, body: Record<string, string>) =>
  handleVoiceWebhook(
    new Request(`http://internal:9000/twilio-voice/${route}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(body),
    }),
    { sql: down, publicFunctionsUrl: BASE },
  );

Deno.test("our failure never reaches the caller as an error: sorry, then a voicemail", async () => {
  for (const route of ["fallback", "dial", "recording"]) {
    const res = await post(route, form);
    assert.equal(res.status, 200, route);
    const xml = await res.text();
    assert.match(xml, /<Say [^>]*>Sorry, we are having trouble/);
    // The voicemail still reaches us (and becomes a task) once the database is back.
    assert.ok(
      xml.includes(
        `recordingStatusCallback="${BASE}/twilio-voice/recording?to=%2B442079460123&amp;from=%2B447700900123"`,
      ),
      xml,
    );
  }
  const status = await post("status", { ...form, CallStatus: "completed" });
  assert.equal(status.status, 200);
  assert.doesNotMatch(await status.text(), /<Say/);
});

Deno.test("malformed requests are refused before the database is asked", async () => {
  const noSid = await post("fallback", { ...form, CallSid: "" });
  assert.equal(noSid.status, 400);
  assert.match(await noSid.text(), /CallSid/);
  const big = await post("fallback", { ...form, Junk: "x".repeat(70_000) });
  assert.equal(big.status, 400);
  assert.match(await big.text(), /too large/);
});

Deno.test("callback URLs carry the numbers recording callbacks lack", () => {
  assert.deepEqual(callbackUrls(BASE, "+442079460123", null), {
    dial: `${BASE}/twilio-voice/dial`,
    recording: `${BASE}/twilio-voice/recording?to=%2B442079460123`,
  });
});
