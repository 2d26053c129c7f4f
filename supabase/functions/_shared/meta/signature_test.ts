import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { metaSignature, verifyMetaSignature } from "./signature.ts";

const SECRET = "demo-secret-meta-app-northside-55d0";
const bytes = (text: string) => new TextEncoder().encode(text);
// What an independent implementation (node:crypto) says Meta sends for these bytes.
const nodeSignature = (raw: Uint8Array, secret = SECRET) =>
  `sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`;

// Meta's own serialisation: Cyrillic and emoji as \uXXXX escapes (the emoji as a surrogate
// pair), "/" as "\/". "Привет 😀 https://x.example/a".
const META_BODY = '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":' +
  '"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":' +
  '"15550001111","phone_number_id":"100000000000001"},"messages":[{"from":"447700900123",' +
  '"id":"wamid.A1","timestamp":"1764650000","type":"text","text":{"body":' +
  '"\\u041f\\u0440\\u0438\\u0432\\u0435\\u0442 \\ud83d\\ude00 https:\\/\\/x.example\\/a"}}]}}]}]}';

Deno.test("Meta's signature over the raw bytes (Cyrillic, emoji, escaped slashes) verifies", async () => {
  const raw = bytes(META_BODY);
  assert.equal(
    JSON.parse(META_BODY).entry[0].changes[0].value.messages[0].text.body,
    "Привет 😀 https://x.example/a",
  );
  assert.equal(await metaSignature(raw, SECRET), nodeSignature(raw));
  assert.ok(await verifyMetaSignature(raw, nodeSignature(raw), SECRET));
  // Hex digits in upper case are the same digest.
  assert.ok(
    await verifyMetaSignature(
      raw,
      nodeSignature(raw).toUpperCase().replace("SHA256", "sha256"),
      SECRET,
    ),
  );
});

Deno.test("the same JSON re-serialised (UTF-8, unescaped slashes) fails Meta's signature", async () => {
  const header = nodeSignature(bytes(META_BODY));
  const reserialised = bytes(JSON.stringify(JSON.parse(META_BODY)));
  assert.notDeepEqual(reserialised, bytes(META_BODY));
  assert.equal(await verifyMetaSignature(reserialised, header, SECRET), false);
});

Deno.test("a wrong secret, a changed byte, a missing or malformed header fail", async () => {
  const raw = bytes(META_BODY);
  const header = nodeSignature(raw);
  assert.equal(await verifyMetaSignature(raw, nodeSignature(raw, "other-secret"), SECRET), false);
  const changed = raw.slice();
  changed[changed.length - 5] ^= 1;
  assert.equal(await verifyMetaSignature(changed, header, SECRET), false);
  assert.equal(await verifyMetaSignature(raw, null, SECRET), false);
  assert.equal(await verifyMetaSignature(raw, "", SECRET), false);
  assert.equal(await verifyMetaSignature(raw, header.slice("sha256=".length), SECRET), false);
  assert.equal(await verifyMetaSignature(raw, header.replace("sha256=", "sha1="), SECRET), false);
  assert.equal(await verifyMetaSignature(raw, header + "0", SECRET), false);
  assert.equal(await verifyMetaSignature(raw, header, ""), false);
});
