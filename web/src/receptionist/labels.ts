import type { Choice } from "../ui/mod.ts";
import type { AfterHoursBehaviour, FaqKind, IntentAction, Tone } from "./shared.ts";

export const TONES: (Choice & { value: Tone })[] = [
  { value: "professional", label: "Professional: calm, clear and precise" },
  { value: "friendly", label: "Friendly: approachable, plain words" },
  { value: "warm", label: "Warm: patient and reassuring" },
  { value: "concise", label: "Concise: the shortest polite answer" },
];

export const AFTER_HOURS: (Choice & { value: AfterHoursBehaviour })[] = [
  { value: "take_message", label: "Take a message" },
  { value: "transfer", label: "Transfer to the escalation phone" },
  { value: "book_only", label: "Only book, move and cancel appointments" },
];

export const ACTIONS: (Choice & { value: IntentAction })[] = [
  { value: "answer", label: "Just answer" },
  { value: "book", label: "Book an appointment" },
  { value: "cancel", label: "Cancel or move an appointment" },
  { value: "transfer", label: "Hand over to a person" },
  { value: "take_message", label: "Take a message" },
];

export const FAQ_KINDS: (Choice & { value: FaqKind; help: string })[] = [
  {
    value: "faq",
    label: "FAQ answer",
    help: "The assistant gives this answer in its own words.",
  },
  {
    value: "canned_reply",
    label: "Canned reply",
    help: "Sent word for word on WhatsApp when the question matches.",
  },
];

/** ISO weekdays: index 0 is Monday (1). */
export const WEEKDAYS = [
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
] as const;

export function labelOf<T extends string>(choices: (Choice & { value: T })[], value: T): string {
  return choices.find((c) => c.value === value)?.label ?? value;
}

/** Only owners and admins change the assistant: what everyone else is told. */
export const READ_ONLY_NOTE = "Only owners and admins can change this.";
