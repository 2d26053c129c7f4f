// Meta's WhatsApp Cloud API webhook (verify_jwt = false; Meta signs instead): /whatsapp for the
// platform's own app, /whatsapp/apps/<meta_apps.id> for a clinic's own. The work is in
// _shared/meta/whatsapp_webhook.ts.
import { database } from "../_shared/io/db.ts";
import { handleWhatsAppWebhook, platformApp } from "../_shared/meta/whatsapp_webhook.ts";

Deno.serve((req) => handleWhatsAppWebhook(req, { sql: database(), platform: platformApp() }));
