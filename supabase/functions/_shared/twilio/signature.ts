// X-Twilio-Signature, as twilio-node computes and checks it (src/webhooks/webhooks.ts):
// base64(HMAC-SHA1(auth token, url + each param name+value sorted by name)), where the URL is
// exactly the one Twilio requested (query included) as WHATWG URL writes it. Twilio has signed
// both with and without the scheme's default port, so a check accepts either. Used by the
// twilio-voice function (checking) and the local Twilio sandbox (signing): one implementation.

/** Form parameters as Twilio posts them; a repeated name has several values. */
export type TwilioParams = Record<string, string | readonly string[]>;

/** Form body → params, keeping every value of a repeated name. */
export function formParams(form: URLSearchParams): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const [key, value] of form) {
    const seen = params[key];
    params[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return params;
}

/** The text Twilio signs: the URL, then name+value per parameter sorted by name (values of a
 * repeated name de-duplicated and sorted). */
export function signedText(url: string, params: TwilioParams): string {
  let data = url;
  for (const key of Object.keys(params).sort()) {
    const value = params[key];
    const values = typeof value === "string" ? [value] : [...new Set(value)].sort();
    for (const v of values) data += key + v;
  }
  return data;
}

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

/** An HMAC key for a secret, imported once per instance (also Meta's signature check). */
export function hmacKey(secret: string, hash: "SHA-1" | "SHA-256"): Promise<CryptoKey> {
  const id = `${hash}:${secret}`;
  let key = keys.get(id);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash }, false, [
      "sign",
    ]);
    // A handful of tenants' secrets per instance; bounded so a rotation cannot grow it forever.
    if (keys.size >= 100) keys.delete(keys.keys().next().value!);
    keys.set(id, key);
  }
  return key;
}

async function hmacBase64(authToken: string, text: string): Promise<string> {
  const mac = await crypto.subtle.sign(
    "HMAC",
    await hmacKey(authToken, "SHA-1"),
    encoder.encode(text),
  );
  return btoa(String.fromCharCode(...new Uint8Array(mac)));
}

/** The signature Twilio sends for a request to `url` with these form params. */
export function twilioSignature(
  authToken: string,
  url: string,
  params: TwilioParams,
): Promise<string> {
  return hmacBase64(authToken, signedText(new URL(url).toString(), params));
}

/** `url` with the scheme's default port written out (https → :443, http → :80). */
function withDefaultPort(url: URL): string {
  if (url.port) return url.toString();
  const port = url.protocol === "https:" ? "443" : "80";
  const auth = url.username ? `${url.username}${url.password ? `:${url.password}` : ""}@` : "";
  return `${url.protocol}//${auth}${url.hostname}:${port}${url.pathname}${url.search}${url.hash}`;
}

function withoutPort(url: URL): string {
  const copy = new URL(url);
  copy.port = "";
  return copy.toString();
}

/** Constant-time comparison of two ASCII texts (also Meta's signature check). */
export function sameText(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= a.charCodeAt(i % (a.length || 1)) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Whether `signature` (the X-Twilio-Signature header) is Twilio's for a request to `url` with
 * these params: `url` is the public URL Twilio was given (built from configuration, never the
 * runtime's `req.url`), tried with and without the default port.
 */
export async function validTwilioSignature(
  authToken: string,
  signature: string | null,
  url: string,
  params: TwilioParams,
): Promise<boolean> {
  if (!signature || !authToken) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const variants = new Set([parsed.toString(), withDefaultPort(parsed), withoutPort(parsed)]);
  let valid = false;
  // Every variant is computed and compared, so the time taken does not say which one matched.
  for (const variant of variants) {
    const expected = await hmacBase64(authToken, signedText(variant, params));
    if (sameText(expected, signature)) valid = true;
  }
  return valid;
}
