import type { Tables } from "@frontdesk/database";
import { type Credentials, readCredentials } from "../../credentials/credentials.ts";
import { type Read, readAll, useQuery } from "../../data/query.ts";
import { supabase } from "../../supabase.ts";

export type TwilioAccount = Pick<Tables<"twilio_accounts">, "id" | "account_sid" | "label">;

export type PhoneNumber = Pick<
  Tables<"phone_numbers">,
  | "id"
  | "twilio_account_id"
  | "e164"
  | "label"
  | "voice_enabled"
  | "messaging_enabled"
  | "active"
  | "voice_connection"
  | "voice_connection_error"
  | "updated_at"
  | "send_problem"
  | "send_problem_at"
>;

export type WhatsAppChannel = Pick<
  Tables<"whatsapp_channels">,
  | "id"
  | "provider"
  | "label"
  | "meta_phone_number_id"
  | "meta_waba_id"
  | "display_phone_number"
  | "twilio_account_id"
  | "twilio_sender"
  | "active"
  | "meta_app_id"
  | "send_problem"
  | "send_problem_at"
>;

export type MetaApp = Pick<Tables<"meta_apps">, "id" | "label" | "meta_app_id">;

export type CalendarConnection = Pick<
  Tables<"calendar_connections">,
  "id" | "account_email" | "calendar_id" | "status" | "last_error"
>;

export type Channels = {
  twilioAccounts: TwilioAccount[];
  phoneNumbers: PhoneNumber[];
  whatsappChannels: WhatsAppChannel[];
  metaApps: MetaApp[];
  calendar: CalendarConnection | null;
  credentials: Credentials;
};

/** What each section of the channels page gets. */
export type SectionProps = {
  organisationId: string;
  /** The clinic's country (ISO 3166 alpha-2): how numbers typed in national format are read. */
  country: string;
  channels: Channels;
  /** Owners and admins change channels; members only look. */
  manages: boolean;
  reload: () => Promise<void>;
};

/**
 * Everything on the channels page for one organisation: undefined until the first load. `reload`
 * after any change; it resolves once the new state is shown (the previous one stays on failure).
 */
export function useChannels(organisationId: string) {
  const { data, error, reload } = useQuery(() => readChannels(organisationId), [organisationId]);
  return { channels: data, error, reload };
}

function readChannels(organisationId: string): Promise<Read<Channels>> {
  const db = supabase();
  return readAll({
    twilioAccounts: db.from("twilio_accounts")
      .select("id, account_sid, label")
      .eq("organisation_id", organisationId)
      .order("created_at"),
    phoneNumbers: db.from("phone_numbers")
      .select(
        "id, twilio_account_id, e164, label, voice_enabled, messaging_enabled, active, voice_connection, voice_connection_error, updated_at, send_problem, send_problem_at",
      )
      .eq("organisation_id", organisationId)
      .order("created_at"),
    whatsappChannels: db.from("whatsapp_channels")
      .select(
        "id, provider, label, meta_phone_number_id, meta_waba_id, display_phone_number, twilio_account_id, twilio_sender, active, meta_app_id, send_problem, send_problem_at",
      )
      .eq("organisation_id", organisationId)
      .order("created_at"),
    metaApps: db.from("meta_apps")
      .select("id, label, meta_app_id")
      .eq("organisation_id", organisationId)
      .order("created_at"),
    calendar: db.from("calendar_connections")
      .select("id, account_email, calendar_id, status, last_error")
      .eq("organisation_id", organisationId)
      .maybeSingle(),
    credentials: readCredentials(organisationId),
  });
}

/** A Twilio account as people recognise it: its label, else its SID. */
export function accountName(accounts: TwilioAccount[], id: string | null): string {
  const account = accounts.find((a) => a.id === id);
  return account ? account.label || account.account_sid : "Unknown account";
}
