// X-Hub-Signature-256, as Meta signs webhook deliveries: `sha256=` + lowercase hex of
// HMAC-SHA256(app secret, the raw request body). Meta signs its own serialisation (non-ASCII as
// \uXXXX, "/" as "\/"), so the check runs over the bytes as received, never over re-serialised
// JSON. One secret per Meta app, not per number: the check runs before any tenant lookup.

import { hmacKey, sameText } from "../twilio/signature.ts";

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/** The header value Meta sends for `rawBody` signed with `secret`. */
export async function metaSignature(rawBody: Uint8Array, secret: string): Promise<string> {
  const mac = await crypto.subtle.sign(
    "HMAC",
    await hmacKey(secret, "SHA-256"),
    rawBody as BufferSource,
  );
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
