// The receptionist configuration assembled from its tables' rows: the one mapper behind both the
// functions' loader (../io/receptionist_config_store.ts) and the dashboard's prompt preview, so
// the preview shows what the assistants receive. Rows are as PostgREST and to_jsonb print them.
import type { Tables } from "../database.types.ts";
import type { ReceptionistConfig, Translations, Weekday } from "./receptionist_config.ts";

/**
 * Columns whose shape the database checks but the generated types cannot say: jsonb language
 * maps (`private.check_language_map`) and weekdays (`check (weekday between 1 and 7)`).
 */
type Checked<Row, Columns> = Omit<Row, keyof Columns> & Columns;

export type OrganisationRow = Pick<
  Tables<"organisations">,
  "id" | "name" | "timezone" | "languages" | "default_language"
>;
export type AssistantSettingsRow = Checked<
  Pick<
    Tables<"assistant_settings">,
    | "assistant_name"
    | "greetings"
    | "tone"
    | "extra_instructions"
    | "voice_agent_id"
    | "bot_enabled"
    | "ai_replies_enabled"
    | "max_messages_per_hour"
    | "escalation_phone"
    | "after_hours"
  >,
  { greetings: Translations }
>;
export type VoiceAgentRow = Pick<
  Tables<"voice_agents">,
  | "id"
  | "display_name"
  | "provider"
  | "provider_voice_id"
  | "languages"
  | "sample_greeting"
  | "active"
>;
export type IntentRow = Checked<
  Pick<
    Tables<"intents">,
    "id" | "name" | "example_phrases" | "responses" | "action" | "active" | "position"
  >,
  { responses: Translations }
>;
export type FaqRow = Pick<
  Tables<"faq_entries">,
  "id" | "kind" | "question" | "answer" | "category" | "language" | "active"
>;
/** `opens`/`closes` as PostgreSQL prints a time ("08:00:00"). */
export type WorkingHoursRow = Checked<
  Pick<Tables<"working_hours">, "id" | "weekday" | "opens" | "closes">,
  { weekday: Weekday }
>;
export type ClosureRow = Pick<Tables<"closures">, "id" | "starts_on" | "ends_on" | "reason">;
export type ServiceRow = Pick<
  Tables<"services">,
  | "id"
  | "name"
  | "duration_minutes"
  | "buffer_before_minutes"
  | "buffer_after_minutes"
  | "active"
>;

/** Everything the configuration is built from: one organisation's rows and the voices it may use. */
export type ConfigRows = {
  settings: AssistantSettingsRow;
  voices: VoiceAgentRow[];
  intents: IntentRow[];
  faq: FaqRow[];
  workingHours: WorkingHoursRow[];
  closures: ClosureRow[];
  services: ServiceRow[];
};

/** "08:00:00" → "08:00". */
export function hhmm(time: string): string {
  return time.slice(0, 5);
}

/**
 * The configuration the prompt builder takes. Only closures not over by `today` (the clinic's
 * local date, "YYYY-MM-DD") are included, and a voice only while the catalog offers it.
 */
export function toReceptionistConfig(
  organisation: OrganisationRow,
  rows: ConfigRows,
  today: string,
): ReceptionistConfig {
  const { settings } = rows;
  const voice = rows.voices.find((v) => v.id === settings.voice_agent_id && v.active);
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
