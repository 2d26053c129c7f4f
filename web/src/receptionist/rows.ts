// The receptionist configuration's tables as the dashboard reads them through PostgREST. The row
// types and the mapper to the prompt builder's configuration are the functions' own
// (@frontdesk/domain/config_rows.ts), so the preview is what the assistants receive.
import type { SupabaseClient } from "@supabase/supabase-js";
import type { Read } from "../data/query.ts";
import {
  type AssistantSettingsRow,
  type ClosureRow,
  type ConfigRows,
  type FaqRow,
  type IntentRow,
  type ServiceRow,
  type VoiceAgentRow,
  type WorkingHoursRow,
} from "@frontdesk/domain/config_rows.ts";

export type {
  AssistantSettingsRow,
  ClosureRow,
  ConfigRows,
  FaqRow,
  IntentRow,
  ServiceRow,
  VoiceAgentRow,
  WorkingHoursRow,
};
export { hhmm, toReceptionistConfig } from "@frontdesk/domain/config_rows.ts";
export { compareIntents } from "@frontdesk/domain/ordering.ts";

export const SETTINGS_COLUMNS =
  "assistant_name, greetings, tone, extra_instructions, voice_agent_id, bot_enabled, " +
  "ai_replies_enabled, max_messages_per_hour, escalation_phone, after_hours";
const VOICE_COLUMNS =
  "id, display_name, provider, provider_voice_id, languages, sample_greeting, active";
export const INTENT_COLUMNS = "id, name, example_phrases, responses, action, active, position";
export const FAQ_COLUMNS = "id, kind, question, answer, category, language, active";
export const WORKING_HOURS_COLUMNS = "id, weekday, opens, closes";
export const CLOSURE_COLUMNS = "id, starts_on, ends_on, reason";
export const SERVICE_COLUMNS =
  "id, name, duration_minutes, buffer_before_minutes, buffer_after_minutes, active";

type OrganisationTable = "intents" | "faq_entries" | "working_hours" | "closures" | "services";

/** Every row of one organisation in one of its configuration tables (sorted by the caller). */
export async function readRows<T>(
  client: SupabaseClient,
  table: OrganisationTable,
  columns: string,
  organisationId: string,
): Promise<Read<T[]>> {
  const query = client.from(table).select(columns).eq("organisation_id", organisationId);
  // A closure with a practitioner is their time off (Practitioners page), not the clinic's.
  const { data, error } = await (table === "closures" ? query.is("practitioner_id", null) : query);
  return error ? { data: null, error } : { data: data as T[], error: null };
}

export async function readSettings(
  client: SupabaseClient,
  organisationId: string,
): Promise<Read<AssistantSettingsRow>> {
  const { data, error } = await client.from("assistant_settings").select(SETTINGS_COLUMNS)
    .eq("organisation_id", organisationId).maybeSingle();
  if (error) return { data: null, error };
  // Every organisation gets its row when it is created; none means it is not readable.
  if (!data) {
    return { data: null, error: new Error("The assistant's settings could not be found.") };
  }
  return { data: data as unknown as AssistantSettingsRow, error: null };
}

/** The shared voice catalog (only its active voices are readable). */
export async function readVoices(client: SupabaseClient): Promise<Read<VoiceAgentRow[]>> {
  const { data, error } = await client.from("voice_agents").select(VOICE_COLUMNS)
    .order("display_name");
  return error ? { data: null, error } : { data: data as VoiceAgentRow[], error: null };
}

/** Everything the prompt is built from, in parallel. */
export async function readConfigRows(
  client: SupabaseClient,
  organisationId: string,
): Promise<Read<ConfigRows>> {
  const [settings, voices, intents, faq, workingHours, closures, services] = await Promise.all([
    readSettings(client, organisationId),
    readVoices(client),
    readRows<IntentRow>(client, "intents", INTENT_COLUMNS, organisationId),
    readRows<FaqRow>(client, "faq_entries", FAQ_COLUMNS, organisationId),
    readRows<WorkingHoursRow>(client, "working_hours", WORKING_HOURS_COLUMNS, organisationId),
    readRows<ClosureRow>(client, "closures", CLOSURE_COLUMNS, organisationId),
    readRows<ServiceRow>(client, "services", SERVICE_COLUMNS, organisationId),
  ]);
  for (const read of [settings, voices, intents, faq, workingHours, closures, services]) {
    if (read.error) return { data: null, error: read.error };
  }
  return {
    data: {
      settings: settings.data!,
      voices: voices.data!,
      intents: intents.data!,
      faq: faq.data!,
      workingHours: workingHours.data!,
      closures: closures.data!,
      services: services.data!,
    },
    error: null,
  };
}
