// The receptionist configuration's tables (20261122170000_receptionist_configuration.sql) as the
// dashboard reads them through PostgREST, and the configuration the prompt builder takes, assembled
// from those rows exactly as the edge functions' loader (receptionist_config_store.ts) does.
import type { SupabaseClient } from "@supabase/supabase-js";
import type { Organisation } from "../organisations/memberships.ts";
import type {
  AfterHoursBehaviour,
  FaqKind,
  IntentAction,
  ReceptionistConfig,
  Tone,
  Weekday,
} from "./shared.ts";

export type AssistantSettingsRow = {
  assistant_name: string;
  greetings: Record<string, string>;
  tone: Tone;
  extra_instructions: string;
  voice_agent_id: string | null;
  bot_enabled: boolean;
  ai_replies_enabled: boolean;
  max_messages_per_hour: number;
  escalation_phone: string | null;
  after_hours: AfterHoursBehaviour;
};

export type VoiceAgentRow = {
  id: string;
  display_name: string;
  provider: string;
  provider_voice_id: string;
  languages: string[];
  sample_greeting: string;
};

export type IntentRow = {
  id: string;
  name: string;
  example_phrases: string[];
  responses: Record<string, string>;
  action: IntentAction;
  active: boolean;
  position: number;
};

export type FaqRow = {
  id: string;
  kind: FaqKind;
  question: string;
  answer: string;
  category: string;
  language: string;
  active: boolean;
};

/** `opens`/`closes` as PostgreSQL prints a time ("08:00:00"). */
export type WorkingHoursRow = { id: string; weekday: Weekday; opens: string; closes: string };

export type ClosureRow = { id: string; starts_on: string; ends_on: string; reason: string };

export type ServiceRow = {
  id: string;
  name: string;
  duration_minutes: number;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  active: boolean;
};

export const SETTINGS_COLUMNS =
  "assistant_name, greetings, tone, extra_instructions, voice_agent_id, bot_enabled, " +
  "ai_replies_enabled, max_messages_per_hour, escalation_phone, after_hours";
const VOICE_COLUMNS = "id, display_name, provider, provider_voice_id, languages, sample_greeting";
export const INTENT_COLUMNS = "id, name, example_phrases, responses, action, active, position";
export const FAQ_COLUMNS = "id, kind, question, answer, category, language, active";
export const WORKING_HOURS_COLUMNS = "id, weekday, opens, closes";
export const CLOSURE_COLUMNS = "id, starts_on, ends_on, reason";
export const SERVICE_COLUMNS =
  "id, name, duration_minutes, buffer_before_minutes, buffer_after_minutes, active";

/** A read's result: the rows, or what went wrong (for describeError). */
export type Read<T> = { data: T; error: null } | { data: null; error: unknown };

type OrganisationTable = "intents" | "faq_entries" | "working_hours" | "closures" | "services";

/** Every row of one organisation in one of its configuration tables (sorted by the caller). */
export async function readRows<T>(
  client: SupabaseClient,
  table: OrganisationTable,
  columns: string,
  organisationId: string,
): Promise<Read<T[]>> {
  const { data, error } = await client.from(table).select(columns).eq(
    "organisation_id",
    organisationId,
  );
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

export type ConfigRows = {
  settings: AssistantSettingsRow;
  voices: VoiceAgentRow[];
  intents: IntentRow[];
  faq: FaqRow[];
  workingHours: WorkingHoursRow[];
  closures: ClosureRow[];
  services: ServiceRow[];
};

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

/** "08:00:00" → "08:00" (the loader's `to_char(…, 'HH24:MI')`). */
export function hhmm(time: string): string {
  return time.slice(0, 5);
}

/**
 * The configuration the prompt builder takes, from the rows: the same object the edge functions'
 * loader builds in SQL, so the preview is what the assistant receives. Like the loader, only
 * closures that are not over by `today` (the clinic's local date, "YYYY-MM-DD") are included.
 */
export function toConfig(
  organisation: Organisation,
  rows: ConfigRows,
  today: string,
): ReceptionistConfig {
  const { settings } = rows;
  const voice = rows.voices.find((v) => v.id === settings.voice_agent_id);
  return {
    organisation: {
      id: organisation.id,
      name: organisation.name,
      timezone: organisation.timezone,
      languages: organisation.languages,
      defaultLanguage: organisation.default_language,
    },
    assistant: {
      assistantName: settings.assistant_name,
      greetings: settings.greetings,
      tone: settings.tone,
      extraInstructions: settings.extra_instructions,
      voiceAgent: voice
        ? {
          id: voice.id,
          displayName: voice.display_name,
          provider: voice.provider,
          providerVoiceId: voice.provider_voice_id,
          languages: voice.languages,
        }
        : null,
      botEnabled: settings.bot_enabled,
      aiRepliesEnabled: settings.ai_replies_enabled,
      maxMessagesPerHour: settings.max_messages_per_hour,
      escalationPhone: settings.escalation_phone,
      afterHours: settings.after_hours,
    },
    intents: rows.intents.map((i) => ({
      id: i.id,
      name: i.name,
      examplePhrases: i.example_phrases,
      responses: i.responses,
      action: i.action,
      active: i.active,
      position: i.position,
    })),
    faq: rows.faq.map((f) => ({
      id: f.id,
      kind: f.kind,
      question: f.question,
      answer: f.answer,
      category: f.category,
      language: f.language,
      active: f.active,
    })),
    workingHours: rows.workingHours.map((w) => ({
      weekday: w.weekday,
      opens: hhmm(w.opens),
      closes: hhmm(w.closes),
    })),
    closures: rows.closures.filter((c) => c.ends_on >= today).map((c) => ({
      startsOn: c.starts_on,
      endsOn: c.ends_on,
      reason: c.reason,
    })),
    services: rows.services.map((s) => ({
      id: s.id,
      name: s.name,
      durationMinutes: s.duration_minutes,
      bufferBeforeMinutes: s.buffer_before_minutes,
      bufferAfterMinutes: s.buffer_after_minutes,
      active: s.active,
    })),
  };
}

/** Code-point order, as the prompt builder sorts (locale-independent). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Intents in the order the prompt lists them: position, then name. */
export function compareIntents(a: IntentRow, b: IntentRow): number {
  return a.position - b.position || compareText(oneLine(a.name), oneLine(b.name)) ||
    compareText(a.id, b.id);
}
