// Which organisation (and channel) an inbound webhook belongs to. Each lookup is one
// indexed query; unknown and inactive senders come back as a typed result, never thrown.
import type { Sql } from "./db.ts";
import { toE164 } from "../domain/phone.ts";

export type NotRoutable = { routable: false; reason: "unknown" | "inactive" | "invalid" };

export type VoiceRoute = {
  routable: true;
  organisationId: string;
  phoneNumberId: string;
  twilioAccountId: string;
  accountSid: string;
  timezone: string;
};

export type MetaWhatsAppRoute = {
  routable: true;
  organisationId: string;
  channelId: string;
};

export type TwilioMessagingRoute = {
  routable: true;
  organisationId: string;
  twilioAccountId: string;
  channel: { kind: "whatsapp"; channelId: string } | { kind: "sms"; phoneNumberId: string };
};

const notRoutable = (reason: NotRoutable["reason"]): NotRoutable => ({ routable: false, reason });

/** A call to one of our numbers (Twilio's `To`). */
export async function routeVoiceCall(
  sql: Sql,
  calledNumber: string,
): Promise<VoiceRoute | NotRoutable> {
  const e164 = toE164(calledNumber);
  if (!e164) return notRoutable("invalid");
  const [row] = await sql<
    {
      id: string;
      organisation_id: string;
      twilio_account_id: string;
      account_sid: string;
      timezone: string;
      routable: boolean;
    }[]
  >`
    select p.id, p.organisation_id, p.twilio_account_id, t.account_sid, o.timezone,
           p.active and p.voice_enabled as routable
    from public.phone_numbers p
    join public.twilio_accounts t on t.id = p.twilio_account_id
    join public.organisations o on o.id = p.organisation_id
    where p.e164 = ${e164}
    order by p.active desc
    limit 1`;
  if (!row) return notRoutable("unknown");
  if (!row.routable) return notRoutable("inactive");
  return {
    routable: true,
    organisationId: row.organisation_id,
    phoneNumberId: row.id,
    twilioAccountId: row.twilio_account_id,
    accountSid: row.account_sid,
    timezone: row.timezone,
  };
}

/**
 * A WhatsApp Cloud API event (`metadata.phone_number_id`). Meta signs per app, so a delivery
 * verified with one app's secret may only reach the channels receiving through that app: with
 * `app` given (null: the platform's own app; else meta_apps.id), another app's channel is as
 * unknown as no channel. The webhook stores in one statement with the same join
 * (messaging/ingest.ts storeMetaEvents).
 */
export async function routeMetaWhatsApp(
  sql: Sql,
  phoneNumberId: string,
  app?: string | null,
): Promise<MetaWhatsAppRoute | NotRoutable> {
  if (!/^[0-9]{5,30}$/.test(phoneNumberId)) return notRoutable("invalid");
  const anyApp = app === undefined;
  const [row] = await sql<{ id: string; organisation_id: string; active: boolean }[]>`
    select w.id, w.organisation_id, w.active
    from public.whatsapp_channels w
    where w.provider = 'meta' and w.meta_phone_number_id = ${phoneNumberId}
      and (${anyApp} or w.meta_app_id is not distinct from ${app ?? null}::uuid)`;
  if (!row) return notRoutable("unknown");
  if (!row.active) return notRoutable("inactive");
  return { routable: true, organisationId: row.organisation_id, channelId: row.id };
}

/** A Twilio messaging webhook (`AccountSid` + `To`): a WhatsApp sender or an SMS number. */
export async function routeTwilioMessage(
  sql: Sql,
  accountSid: string,
  to: string,
): Promise<TwilioMessagingRoute | NotRoutable> {
  const e164 = toE164(to);
  if (!e164 || !/^AC[0-9a-f]{32}$/.test(accountSid)) return notRoutable("invalid");
  const whatsapp = /^whatsapp:/i.test(to.trim());
  const [row] = whatsapp
    ? await sql<
      { id: string; organisation_id: string; twilio_account_id: string; active: boolean }[]
    >`
        select w.id, w.organisation_id, w.twilio_account_id, w.active
        from public.twilio_accounts t
        join public.whatsapp_channels w
          on w.twilio_account_id = t.id and w.provider = 'twilio' and w.twilio_sender = ${e164}
        where t.account_sid = ${accountSid}`
    : await sql<
      { id: string; organisation_id: string; twilio_account_id: string; active: boolean }[]
    >`
        select p.id, p.organisation_id, p.twilio_account_id, p.active and p.messaging_enabled as active
        from public.twilio_accounts t
        join public.phone_numbers p on p.twilio_account_id = t.id and p.e164 = ${e164}
        where t.account_sid = ${accountSid}
        order by p.active desc
        limit 1`;
  if (!row) return notRoutable("unknown");
  if (!row.active) return notRoutable("inactive");
  return {
    routable: true,
    organisationId: row.organisation_id,
    twilioAccountId: row.twilio_account_id,
    channel: whatsapp
      ? { kind: "whatsapp", channelId: row.id }
      : { kind: "sms", phoneNumberId: row.id },
  };
}

export type TwilioAccountRoute = {
  routable: true;
  organisationId: string;
  twilioAccountId: string;
};

/** A Twilio status callback: only the account says whose it is (`To` is the patient). */
export async function routeTwilioAccount(
  sql: Sql,
  accountSid: string,
): Promise<TwilioAccountRoute | NotRoutable> {
  if (!/^AC[0-9a-f]{32}$/.test(accountSid)) return notRoutable("invalid");
  const [row] = await sql<{ id: string; organisation_id: string }[]>`
    select t.id, t.organisation_id from public.twilio_accounts t where t.account_sid = ${accountSid}`;
  if (!row) return notRoutable("unknown");
  return { routable: true, organisationId: row.organisation_id, twilioAccountId: row.id };
}
