// Webhook deliveries as Meta makes them: the `whatsapp_business_account` envelope around a
// number's messages or statuses, serialised as Meta serialises (every non-ASCII character as a
// \uXXXX escape, UTF-16 surrogate pairs for emoji, and "/" as "\/"), and signed
// `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, those exact bytes)>`. Receivers that
// re-serialise the JSON before checking fail on exactly these characters (PROVIDERS §4.2).
import type { BusinessNumber, MetaApp } from "./store.ts";

/** JSON as Meta's servers write it. */
export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    // "/" only ever occurs inside strings in JSON text, so this escapes exactly the slashes.
    .replaceAll("/", "\\/");
}

/** `sha256=<lowercase hex>` over the body's bytes. */
export async function metaSignature(secret: string, body: string | Uint8Array): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    enc.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const bytes = typeof body === "string" ? enc.encode(body) : body;
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes as BufferSource));
  return "sha256=" + Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The envelope for one number's `messages` field (PROVIDERS §4.4/4.5). */
export function envelope(
  number: Pick<BusinessNumber, "id" | "wabaId" | "displayPhoneNumber">,
  value: Record<string, unknown>,
) {
  return {
    object: "whatsapp_business_account",
    entry: [{
      id: number.wabaId,
      changes: [{
        field: "messages",
        value: {
          messaging_product: "whatsapp",
          metadata: {
            display_phone_number: number.displayPhoneNumber,
            phone_number_id: number.id,
          },
          ...value,
        },
      }],
    }],
  };
}

/** Meta waits this long for the callback before counting the delivery as failed. */
const WEBHOOK_TIMEOUT_MS = 10_000;

/** Posts `payload` (or bytes already `signed`) to the app's callback, signed; our function's HTTP status (0 = no answer). */
export async function deliver(
  fetcher: typeof fetch,
  app: MetaApp,
  payload: unknown,
  signed?: { body: string; signature: string },
): Promise<number> {
  const body = signed?.body ?? metaJson(payload);
  try {
    const res = await fetcher(app.callbackUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "facebookexternalua",
        "x-hub-signature-256": signed?.signature ?? await metaSignature(app.secret, body),
      },
      body,
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await res.body?.cancel();
    return res.status;
  } catch {
    return 0;
  }
}
