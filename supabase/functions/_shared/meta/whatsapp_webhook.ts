// The whatsapp function's work: Meta's WhatsApp Cloud API webhook (Meta signs; no JWT). One URL
// per Meta app: /whatsapp for the platform's own app (META_APP_SECRET, META_VERIFY_TOKEN), and
// /whatsapp/apps/<meta_apps.id> for a clinic's own app (its Vault credentials meta_app_secret and
// meta_verify_token). GET is Meta's handshake; POST a delivery, believed only when
// X-Hub-Signature-256 is the app's HMAC of the raw bytes — checked before any tenant data is
// read. Each event is stored (private.inbound_events) before the 200 and processed after it by
// the messaging.ingest job.
//
// 401: no signature; 403: wrong signature or token, nothing stored; 400: not Meta's envelope;
// 200: stored, or nothing to store (an unknown or inactive number, another app's number: logged
// and dropped, so Meta stops retrying); 503: the database is unreachable (Meta retries).
import { decryptCredential } from "../io/credentials.ts";
import type { Sql } from "../io/db.ts";
import { storeMetaEvents } from "../messaging/ingest.ts";
import { verifyMetaSignature } from "./signature.ts";
import { parseMetaDelivery } from "./webhook.ts";
import { sameText } from "../twilio/signature.ts";

export interface WhatsAppWebhookEnv {
  sql: Sql;
  /** The platform's own app (META_APP_SECRET, META_VERIFY_TOKEN); empty when not configured. */
  platform: { secret: string; verifyToken: string };
}

/** The platform app's settings from the environment. */
export const platformApp = () => ({
  secret: Deno.env.get("META_APP_SECRET") ?? "",
  verifyToken: Deno.env.get("META_VERIFY_TOKEN") ?? "",
});

/** Meta's deliveries are a few kilobytes; anything far larger is not Meta. */
const MAX_BODY = 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const text = (status: number, message: string) =>
  new Response(message, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

/** Which app a URL is for: null the platform's, else a meta_apps id; undefined: no such URL. */
function appOf(pathname: string): string | null | undefined {
  const match = pathname.replace(/\/+$/, "").match(/\/whatsapp(?:\/apps\/([^/]+))?$/);
  if (!match) return undefined;
  if (match[1] === undefined) return null;
  return UUID.test(match[1]) ? match[1].toLowerCase() : undefined;
}

/** The app's secret or verify token: the platform's from the environment (no database), a
 * clinic's from Vault (cached per instance by decryptCredential). */
function appSetting(
  env: WhatsAppWebhookEnv,
  app: string | null,
  kind: "meta_app_secret" | "meta_verify_token",
): Promise<string | null> | string | null {
  if (app === null) {
    return (kind === "meta_app_secret" ? env.platform.secret : env.platform.verifyToken) || null;
  }
  return decryptCredential(env.sql, app, kind);
}

async function handshake(env: WhatsAppWebhookEnv, url: URL, app: string | null): Promise<Response> {
  const q = url.searchParams;
  const token = q.get("hub.verify_token") ?? "";
  const challenge = q.get("hub.challenge") ?? "";
  if (q.get("hub.mode") !== "subscribe" || !token || !challenge) {
    return text(403, "expected hub.mode=subscribe with hub.verify_token and hub.challenge");
  }
  const expected = await appSetting(env, app, "meta_verify_token");
  if (!expected || !sameText(expected, token)) return text(403, "verify token does not match");
  return text(200, challenge);
}

async function delivery(
  env: WhatsAppWebhookEnv,
  req: Request,
  app: string | null,
): Promise<Response> {
  const header = req.headers.get("x-hub-signature-256");
  if (!header) {
    await req.body?.cancel();
    return text(401, "X-Hub-Signature-256 is missing");
  }
  const raw = new Uint8Array(await req.arrayBuffer());
  if (raw.length > MAX_BODY) return text(413, "body too large");
  const secret = await appSetting(env, app, "meta_app_secret");
  if (!secret || !(await verifyMetaSignature(raw, header, secret))) {
    return text(403, "invalid X-Hub-Signature-256");
  }
  let body: string;
  try {
    body = new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    return text(400, "body is not UTF-8");
  }
  const parsed = parseMetaDelivery(body);
  if (!parsed.ok) return text(400, parsed.message);
  const { unrouted } = await storeMetaEvents(env.sql, app, parsed.events);
  for (const id of unrouted) {
    console.log(
      `whatsapp: no active channel of ${app ? `app ${app}` : "the platform app"} ` +
        `has phone_number_id ${id}; its events were dropped`,
    );
  }
  return text(200, "ok");
}

export async function handleWhatsAppWebhook(
  req: Request,
  env: WhatsAppWebhookEnv,
): Promise<Response> {
  const url = new URL(req.url);
  const app = appOf(url.pathname);
  if (app === undefined) {
    await req.body?.cancel();
    return text(404, "no such route: use /whatsapp or /whatsapp/apps/<app id>");
  }
  try {
    if (req.method === "GET") return await handshake(env, url, app);
    if (req.method === "POST") return await delivery(env, req, app);
    await req.body?.cancel();
    return text(405, "GET (verification) or POST (deliveries) only");
  } catch (error) {
    // Not the sender's fault (bad input is answered above): the database is unreachable.
    console.error(`whatsapp: ${error instanceof Error ? error.message : error}`);
    return text(503, "temporarily unavailable; retry later");
  }
}
