// X-Hub-Signature-256, as Meta signs webhook deliveries: `sha256=` + lowercase hex of
// HMAC-SHA256(app secret, the raw request body). Meta signs its own serialisation (non-ASCII as
// \uXXXX, "/" as "\/"), so the check runs over the bytes as received, never over re-serialised
// JSON. One secret per Meta app, not per number: the check runs before any tenant lookup.

import { sameText } from "../twilio/signature.ts";

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      "raw",
      encoder.encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    // The platform app and a handful of clinics' own apps per instance; bounded for rotations.
    if (keys.size >= 100) keys.delete(keys.keys().next().value!);
    keys.set(secret, key);
  }
  return key;
}

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/** The header value Meta sends for `rawBody` signed with `secret`. */
export async function metaSignature(rawBody: Uint8Array, secret: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), rawBody as BufferSource);
  return `sha256=${hex(new Uint8Array(mac))}`;
}

/** Whether `header` (X-Hub-Signature-256) is Meta's signature of `rawBody` with `secret`. */
export async function verifyMetaSignature(
  rawBody: Uint8Array,
  header: string | null,
  secret: string,
): Promise<boolean> {
  if (!header || !secret) return false;
  const expected = await metaSignature(rawBody, secret);
  // Meta sends lowercase hex; an uppercase copy of the same digest is still that digest.
  return sameText(expected, header.trim().toLowerCase());
}
