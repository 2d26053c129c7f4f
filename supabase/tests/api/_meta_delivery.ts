// Meta's webhook deliveries as Meta sends them, for tests and benchmarks: its JSON serialisation
// (every non-ASCII character as \uXXXX, "/" as "\/") and X-Hub-Signature-256 over exactly those
// bytes (node:crypto, independent of the function's WebCrypto check), and the platform app's
// settings the stack writes to functions.env.
import { createHmac } from "node:crypto";

/** JSON as Meta writes it. */
export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replaceAll("/", "\\/");
}

export const metaSignature = (body: string, secret: string): string =>
  `sha256=${createHmac("sha256", secret).update(new TextEncoder().encode(body)).digest("hex")}`;

/** META_APP_SECRET and META_VERIFY_TOKEN from the functions.env next to the stack's logs. */
export async function platformApp(
  logDir: string,
): Promise<{ secret: string; verifyToken: string } | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(`${logDir}/../functions.env`);
  } catch {
    return null;
  }
  const value = (name: string) => text.match(new RegExp(`^${name}=(.+)$`, "m"))?.[1];
  const secret = value("META_APP_SECRET");
  const verifyToken = value("META_VERIFY_TOKEN");
  return secret && verifyToken ? { secret, verifyToken } : null;
}

/** A delivery of `messages` and `statuses` to one phone_number_id, from one sender. */
export function delivery(
  phoneNumberId: string,
  { messages = [], statuses = [], waId = "447700900123", name = "Test Patient" }: {
    messages?: Record<string, unknown>[];
    statuses?: Record<string, unknown>[];
    waId?: string;
    name?: string;
  },
): Record<string, unknown> {
  return {
    object: "whatsapp_business_account",
    entry: [{
      id: "102290129340398",
      changes: [{
        field: "messages",
        value: {
          messaging_product: "whatsapp",
          metadata: { display_phone_number: "15550783881", phone_number_id: phoneNumberId },
          ...(messages.length ? { contacts: [{ profile: { name }, wa_id: waId }] } : {}),
          ...(messages.length ? { messages: messages.map((m) => ({ from: waId, ...m })) } : {}),
          ...(statuses.length ? { statuses } : {}),
        },
      }],
    }],
  };
}

/** POSTs a delivery (already serialised) to the whatsapp function, signed with `secret`. */
export async function postDelivery(
  functionsUrl: string,
  body: string,
  secret: string | null,
  path = "whatsapp",
): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (secret !== null) headers["x-hub-signature-256"] = metaSignature(body, secret);
  const res = await fetch(`${functionsUrl}/${path}`, { method: "POST", headers, body });
  return { status: res.status, text: await res.text() };
}
