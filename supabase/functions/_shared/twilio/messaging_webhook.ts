// The twilio-messaging function's work (Twilio signs; no JWT): /inbound for SMS and WhatsApp
// messages to a clinic's number or sender, /status for our outbound messages' status callbacks. A request is believed only when X-Twilio-Signature is Twilio's for the routed
// account's auth token over the public URL we gave Twilio (PUBLIC_FUNCTIONS_URL). Each is
// stored (private.inbound_events) before the answer and processed after it by the
// messaging.ingest job; replies go out later through Twilio's REST API, so the answer is an
// empty <Response/>.
//
// 400: not a form Twilio sends; 403: bad signature, nothing stored; 404/405: no such route or not
// a POST; 200 <Response/>: stored, or an unknown number/account (logged, so Twilio stops
// retrying); 503: the database is unreachable.
import { decryptCredential } from "../io/credentials.ts";
import type { Sql } from "../io/db.ts";
import { routeTwilioAccount, routeTwilioMessage } from "../io/routing.ts";
import { storeTwilioEvent } from "../messaging/ingest.ts";
import { readMessagingForm, type TwilioMessagingRoute } from "./messaging_form.ts";
import { formParams, validTwilioSignature } from "./signature.ts";
import { twimlResponse, VoiceResponse } from "./twiml.ts";
import { readForm } from "./voice_webhook.ts";

export interface MessagingWebhookEnv {
  sql: Sql;
  /** Public base of the functions (PUBLIC_FUNCTIONS_URL): what Twilio is given and signs. */
  publicFunctionsUrl: string;
}

const text = (status: number, message: string) =>
  new Response(message, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
const empty = () => twimlResponse(new VoiceResponse());

async function handle(
  req: Request,
  route: TwilioMessagingRoute,
  env: MessagingWebhookEnv,
): Promise<Response> {
  const fields = await readForm(req);
  if (typeof fields === "string") return text(400, fields);
  const params = formParams(fields);
  const form = readMessagingForm(route, params);
  if (typeof form === "string") return text(400, form);

  const { sql } = env;
  const found = route === "inbound"
    ? await routeTwilioMessage(sql, form.accountSid, form.to ?? "")
    : await routeTwilioAccount(sql, form.accountSid);
  if (!found.routable) {
    console.log(`twilio-messaging ${route}: ${found.reason} sender; dropped`);
    return empty();
  }
  const authToken = await decryptCredential(sql, found.twilioAccountId, "twilio_auth_token");
  const url = `${env.publicFunctionsUrl}/twilio-messaging/${route}`;
  const signature = req.headers.get("x-twilio-signature");
  if (!authToken || !(await validTwilioSignature(authToken, signature, url, params))) {
    return text(403, "invalid X-Twilio-Signature");
  }
  const channel = route === "inbound" && "channel" in found
    ? found.channel as { kind: "whatsapp"; channelId: string } | {
      kind: "sms";
      phoneNumberId: string;
    }
    : null;
  await storeTwilioEvent(sql, {
    provider: "twilio",
    external_id: form.externalId,
    kind: route === "inbound" ? "message" : "status",
    organisation_id: found.organisationId,
    whatsapp_channel_id: channel?.kind === "whatsapp" ? channel.channelId : null,
    phone_number_id: channel?.kind === "sms" ? channel.phoneNumberId : null,
    payload: params,
  });
  return empty();
}

export async function handleMessagingWebhook(
  req: Request,
  env: MessagingWebhookEnv,
): Promise<Response> {
  const name = new URL(req.url).pathname.replace(/\/+$/, "").split("/").pop();
  if (name !== "inbound" && name !== "status") {
    await req.body?.cancel();
    return text(404, "no such route: use /inbound or /status");
  }
  if (req.method !== "POST") {
    await req.body?.cancel();
    return text(405, "POST only");
  }
  try {
    return await handle(req, name, env);
  } catch (error) {
    // Not the sender's fault (bad input is answered above): the database is unreachable.
    console.error(`twilio-messaging ${name}: ${error instanceof Error ? error.message : error}`);
    return text(503, "temporarily unavailable; retry later");
  }
}
