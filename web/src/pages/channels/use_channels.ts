import type { Tables } from "@frontdesk/database";
import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { changeRow as changeAnyRow } from "../../change_row.ts";
import { type Credentials, readCredentials } from "../../credentials/credentials.ts";
import { describeError } from "../../errors.ts";
import { supabase } from "../../supabase.ts";

export type TwilioAccount = Pick<Tables<"twilio_accounts">, "id" | "account_sid" | "label">;

export type PhoneNumber = Pick<
  Tables<"phone_numbers">,
  "id" | "twilio_account_id" | "e164" | "label" | "voice_enabled" | "messaging_enabled" | "active"
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
>;

export type CalendarConnection = Pick<
  Tables<"calendar_connections">,
  "id" | "account_email" | "calendar_id" | "status"
>;

export type Channels = {
  twilioAccounts: TwilioAccount[];
  phoneNumbers: PhoneNumber[];
  whatsappChannels: WhatsAppChannel[];
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
  const channels = useSignal<Channels | undefined>(undefined);
  const error = useSignal<string | null>(null);
  const latest = useRef(0);

  async function reload() {
    const load = ++latest.current;
    const result = await readChannels(organisationId);
    if (load !== latest.current) return;
    if (!result.data) {
      error.value = describeError(result.error);
      return;
    }
    error.value = null;
    channels.value = result.data;
  }

  useEffect(() => {
    reload();
  }, [organisationId]);

  return { channels, error, reload };
}

async function readChannels(
  organisationId: string,
): Promise<{ data: Channels; error: null } | { data: null; error: unknown }> {
  const db = supabase();
  const [accounts, numbers, whatsapp, calendar, credentials] = await Promise.all([
    db.from("twilio_accounts")
      .select("id, account_sid, label")
      .eq("organisation_id", organisationId)
      .order("created_at"),
    db.from("phone_numbers")
      .select("id, twilio_account_id, e164, label, voice_enabled, messaging_enabled, active")
      .eq("organisation_id", organisationId)
      .order("created_at"),
    db.from("whatsapp_channels")
      .select(
        "id, provider, label, meta_phone_number_id, meta_waba_id, display_phone_number, " +
          "twilio_account_id, twilio_sender, active",
      )
      .eq("organisation_id", organisationId)
      .order("created_at"),
    db.from("calendar_connections")
      .select("id, account_email, calendar_id, status")
      .eq("organisation_id", organisationId)
      .maybeSingle(),
    readCredentials(organisationId),
  ]);
  const failed = [accounts, numbers, whatsapp, calendar, credentials].find((r) => r.error);
  if (failed) return { data: null, error: failed.error };
  return {
    data: {
      twilioAccounts: accounts.data as TwilioAccount[],
      phoneNumbers: numbers.data as PhoneNumber[],
      whatsappChannels: whatsapp.data as unknown as WhatsAppChannel[],
      calendar: calendar.data as CalendarConnection | null,
      credentials: credentials.data!,
    },
    error: null,
  };
}

/** A Twilio account as people recognise it: its label, else its SID. */
export function accountName(accounts: TwilioAccount[], id: string | null): string {
  const account = accounts.find((a) => a.id === id);
  return account ? account.label || account.account_sid : "Unknown account";
}

/** Saves one change to a channel row (see ../../change_row.ts). */
export function changeRow(
  table: "twilio_accounts" | "phone_numbers" | "whatsapp_channels",
  id: string,
  change: Record<string, unknown> | "delete",
): Promise<{ error: unknown }> {
  return changeAnyRow(
    table,
    id,
    change,
    "Nothing was changed: only owners and admins can change channels, and it must still exist.",
  );
}
