// The receptionist's pure logic, shared with the edge functions rather than copied: the prompt the
// dashboard previews is built by the very code the voice and WhatsApp assistants run. These
// modules do no I/O and import nothing but each other, so they bundle into the app as they are.
export { buildPrompt, type BuiltPrompt, type Channel } from "@frontdesk/domain/prompt.ts";
export {
  addDays,
  closureOn,
  describeWeek,
  isoWeekday,
  localDateOf,
  type OpeningStatus,
  openingStatus,
  parseTimeOfDay,
} from "@frontdesk/domain/opening_hours.ts";
export type {
  AfterHoursBehaviour,
  FaqKind,
  IntentAction,
  ReceptionistConfig,
  Tone,
  Translations,
  Weekday,
} from "@frontdesk/domain/receptionist_config.ts";
