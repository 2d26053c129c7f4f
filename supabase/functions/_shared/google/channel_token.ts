// The secret token of a Google push channel (events.watch `token`, echoed by Google in
// X-Goog-Channel-Token on every notification). Only its SHA-256 is stored; a notification is
// believed when its token hashes to the stored digest, compared in constant time.

/** A fresh random token (32 bytes, base64url) and the SHA-256 digest to store. */
export async function newChannelToken(): Promise<{ token: string; sha256: Uint8Array }> {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const token = btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
  return { token, sha256: await sha256(token) };
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** Whether `token` is the one whose digest was stored; the time taken does not depend on where
 * they differ. */
export async function channelTokenMatches(
  token: string | null,
  stored: Uint8Array | null,
): Promise<boolean> {
  if (!token || !stored || stored.length !== 32) return false;
  const digest = await sha256(token);
  let difference = 0;
  for (let i = 0; i < 32; i++) difference |= digest[i] ^ stored[i];
  return difference === 0;
}
