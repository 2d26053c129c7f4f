// Twilio voice webhooks (verify_jwt = false; Twilio signs instead): the number's voice fallback
// URL and status callback, and the fallback's dial and recording callbacks. The work is in
// _shared/twilio/voice_webhook.ts.
import { database } from "../_shared/io/db.ts";
import { handleVoiceWebhook, publicFunctionsUrl } from "../_shared/twilio/voice_webhook.ts";

Deno.serve((req) =>
  handleVoiceWebhook(req, { sql: database(), publicFunctionsUrl: publicFunctionsUrl() })
);
