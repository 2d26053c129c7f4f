// One organisation's receptionist configuration, as the prompt builder and opening-hours logic
// take it (camelCase, one object per row), assembled from the tables by config_rows.ts. Row order
// is unspecified: consumers sort explicitly.
import type { Enums } from "../database.types.ts";

/** A language code as stored in `organisations.languages` ("en", "ru", "en-GB"). */
export type LanguageCode = string;

/** Text per language: `{ en: "…", ru: "…" }`; a missing key means "not translated". */
export type Translations = Readonly<Record<LanguageCode, string>>;

export type Tone = Enums<"assistant_tone">;
export type AfterHoursBehaviour = Enums<"after_hours_behaviour">;
export type IntentAction = Enums<"intent_action">;
export type FaqKind = Enums<"faq_kind">;
/** ISO weekday: Monday = 1 … Sunday = 7. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export type Organisation = {
  id: string;
  name: string;
  /** IANA zone name; opening hours and closures are read in it. */
  timezone: string;
  languages: readonly LanguageCode[];
  defaultLanguage: LanguageCode;
};

/** An entry of the platform-wide `voice_agents` catalog. */
export type VoiceAgent = {
  id: string;
  displayName: string;
  provider: string;
  providerVoiceId: string;
  languages: readonly LanguageCode[];
};

export type AssistantSettings = {
  assistantName: string;
  greetings: Translations;
  tone: Tone;
  /** Free text written by the clinic's staff. */
  extraInstructions: string;
  voiceAgent: VoiceAgent | null;
  botEnabled: boolean;
  aiRepliesEnabled: boolean;
  maxMessagesPerHour: number;
  /** E.164, e.g. "+442079460000". */
  escalationPhone: string | null;
  afterHours: AfterHoursBehaviour;
};

export type Intent = {
  id: string;
  name: string;
  examplePhrases: readonly string[];
  responses: Translations;
  action: IntentAction;
  active: boolean;
  position: number;
};

export type FaqEntry = {
  id: string;
  kind: FaqKind;
  question: string;
  answer: string;
  category: string;
  language: LanguageCode;
  active: boolean;
};

/**
 * One opening interval in the organisation's local time. `opens`/`closes` are "HH:MM"
 * (PostgreSQL's "HH:MM:SS" is accepted too). `closes` <= `opens` means the interval runs past
 * midnight into the next day; "24:00" is midnight at the end of the day.
 */
export type WorkingHoursInterval = {
  weekday: Weekday;
  opens: string;
  closes: string;
};

/** Whole local days, "YYYY-MM-DD", both ends inclusive. */
export type Closure = {
  startsOn: string;
  endsOn: string;
  reason: string;
};

export type Service = {
  id: string;
  name: string;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  active: boolean;
};

export type ReceptionistConfig = {
  organisation: Organisation;
  assistant: AssistantSettings;
  intents: readonly Intent[];
  faq: readonly FaqEntry[];
  workingHours: readonly WorkingHoursInterval[];
  closures: readonly Closure[];
  services: readonly Service[];
};

/** What opening-hours logic needs; `openingHoursOf` extracts it from a full configuration. */
export type OpeningHoursConfig = {
  timezone: string;
  workingHours: readonly WorkingHoursInterval[];
  closures: readonly Closure[];
};
