// The whatsapp webhook without a stack: what it answers before it needs the database, and 503
// (Meta retries), never a 4xx that would drop the delivery, when the database is unreachable.
import assert from "node:assert/strict";
import type { Sql } from "../io/db.ts";
import { metaSignature } from "./signature.ts";
import { handleWhatsAppWebhook } from "./whatsapp_webhook.ts";
import { delivery } from "../../../tests/api/_meta_delivery.ts";

const platform = { secret: "platform-secret", verifyToken: "platform-verify" };
// A database that cannot be reached: every query throws, as postgres.js does on ECONNREFUSED.
const down = Object.assign(
  () => {
    throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
  },
  { json: (value: unknown) => value },
) as unknown as Sql;

const BODY = JSON.stringify(delivery("100000000000001", {
  messages: [{ id: "wamid.A", timestamp: "1", type: "text", text: { body: "hi" } }],
}));

const post = async (body: string, signature: string | null, path = "/whatsapp") => {
  const headers: Record<string, string> = {};
  if (signature) headers["x-hub-signature-256"] = signature;
  const res = await handleWhatsAppWebhook(
    new Request(`http://functions.local${path}`, { method: "POST", headers, body }),
    { sql: down, platform },
  );
  return [res.status, await res.text()];
};
const sign = (body: string) => metaSignature(new TextEncoder().encode(body), platform.secret);

Deno.test("the platform app's handshake and signature checks need no database", async () => {
  const get = async (token: string) => {
    const q = new URLSearchParams({
      "hub.mode": "subscribe",
      "hub.verify_token": token,
      "hub.challenge": "42",
    });
    const res = await handleWhatsAppWebhook(new Request(`http://functions.local/whatsapp?${q}`), {
      sql: down,
      platform,
    });
    return [res.status, await res.text()];
  };
  assert.deepEqual(await get("platform-verify"), [200, "42"]);
  assert.equal((await get("nope"))[0], 403);
  assert.equal((await post(BODY, null))[0], 401);
  assert.equal((await post(BODY, "sha256=00"))[0], 403);
  const notJson = "{";
  assert.deepEqual(await post(notJson, await sign(notJson)), [400, "body is not JSON"]);
  assert.equal((await post(BODY, await sign(BODY), "/elsewhere"))[0], 404);
});

Deno.test("a genuine delivery while the database is down: 503, so Meta delivers it again", async () => {
  assert.deepEqual(await post(BODY, await sign(BODY)), [
    503,
    "temporarily unavailable; retry later",
  ]);
  // An own app's secret lives in the database: unreachable is 503 too, not a 403.
  const own = `/whatsapp/apps/${crypto.randomUUID()}`;
  assert.equal((await post(BODY, await sign(BODY), own))[0], 503);
});
