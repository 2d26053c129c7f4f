// Twilio messaging webhooks (verify_jwt = false; Twilio signs instead): /inbound for SMS and
// WhatsApp messages, /status for our messages' status callbacks. The work is in
// _shared/twilio/messaging_webhook.ts.
import { database } from "../_shared/io/db.ts";
import { handleMessagingWebhook } from "../_shared/twilio/messaging_webhook.ts";
import { publicFunctionsUrl } from "../_shared/twilio/voice_webhook.ts";

Deno.serve((req) =>
  handleMessagingWebhook(req, { sql: database(), publicFunctionsUrl: publicFunctionsUrl() })
);
