import { credentialKindLabel } from "../../credentials/credentials.ts";
import { formatDays } from "../../format.ts";
import { languageLabel } from "../../organisations/choices.ts";
import { countryName, formatPhone } from "../../phone.ts";

/** One audit row, as the page reads it. */
export type AuditEntry = {
  id: number;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string;
  target_id: string | null;
  details: Record<string, unknown>;
  created_at: string;
};

/** Who and what the ids in entries are: people by user id, channels by their row id. */
export type Names = { people: Map<string, string>; channels: Map<string, string> };

const CHANNEL_VERBS = ["created", "updated", "deleted"];
const CONFIGURATION_VERBS = ["created", "updated", "deleted"];

/** Every action the log records, by subject: the filters ask for exactly these. */
const ACTIONS: Record<string, string[]> = {
  member: ["added", "role_changed", "removed"],
  invitation: ["created", "revoked", "accepted", "updated"],
  organisation: ["updated"],
  assistant_settings: ["updated"],
  intent: CONFIGURATION_VERBS,
  faq_entry: CONFIGURATION_VERBS,
  working_hours: CONFIGURATION_VERBS,
  closure: CONFIGURATION_VERBS,
  service: CONFIGURATION_VERBS,
  credential: ["set", "rotated", "cleared", "decrypted"],
  twilio_account: CHANNEL_VERBS,
  phone_number: CHANNEL_VERBS,
  whatsapp_channel: CHANNEL_VERBS,
  meta_app: CHANNEL_VERBS,
  calendar_connection: CHANNEL_VERBS,
  conversation: ["taken_over", "handed_back", "resolved"],
};

const actionsOf = (...subjects: string[]) =>
  subjects.flatMap((subject) => ACTIONS[subject].map((verb) => `${subject}.${verb}`));

/**
 * The filters offered: the actions each shows ("" for everything), and its name in the page's
 * address ("#/audit?show=team").
 */
export const ACTION_FILTERS = [
  { show: "", value: "", label: "All changes" },
  { show: "team", value: actionsOf("member", "invitation").join(","), label: "Team" },
  {
    show: "settings",
    value: actionsOf("organisation", "assistant_settings", "intent", "faq_entry").join(","),
    label: "Clinic and assistant settings",
  },
  {
    show: "hours",
    value: actionsOf("working_hours", "closure").join(","),
    label: "Opening hours and closures",
  },
  { show: "services", value: actionsOf("service").join(","), label: "Services" },
  { show: "credentials", value: actionsOf("credential").join(","), label: "Credentials" },
  {
    show: "channels",
    value: actionsOf(
      "twilio_account",
      "phone_number",
      "whatsapp_channel",
      "meta_app",
      "calendar_connection",
    ).join(","),
    label: "Channels",
  },
  { show: "conversations", value: actionsOf("conversation").join(","), label: "Conversations" },
];

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** Fields as people know them, for "changed the time zone" and the details line. */
const FIELDS: Record<string, string> = {
  name: "name",
  slug: "address",
  timezone: "time zone",
  languages: "languages",
  default_language: "default language",
  country: "country",
  assistant_name: "assistant's name",
  greetings: "greeting",
  tone: "tone",
  extra_instructions: "extra instructions",
  voice_agent_id: "voice",
  bot_enabled: "assistant on",
  ai_replies_enabled: "AI replies on",
  max_messages_per_hour: "messages per hour",
  escalation_phone: "escalation phone",
  after_hours: "after hours",
  example_phrases: "example phrases",
  responses: "answers",
  action: "action",
  active: "active",
  position: "order",
  kind: "kind",
  question: "question",
  answer: "answer",
  category: "category",
  language: "language",
  weekday: "day",
  opens: "opens",
  closes: "closes",
  starts_on: "first day",
  ends_on: "last day",
  reason: "reason",
  duration_minutes: "duration (minutes)",
  buffer_before_minutes: "gap before (minutes)",
  buffer_after_minutes: "gap after (minutes)",
  role: "role",
  expires_at: "expires",
};

const CHANNELS: Record<string, string> = {
  twilio_account: "the Twilio account",
  phone_number: "the phone number",
  whatsapp_channel: "the WhatsApp number",
  meta_app: "the Meta app",
  calendar_connection: "the Google Calendar",
};

const text = (value: unknown) => typeof value === "string" ? value : "";
const quoted = (value: unknown) => `“${text(value)}”`;
const hhmm = (value: unknown) => text(value).slice(0, 5);
const fieldLabel = (key: string) => FIELDS[key] ?? key.replaceAll("_", " ");

/** A value in words: yes/no, lists joined, a time without seconds, a language map as "en: …". */
function valueText(key: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return "none";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (key === "weekday" && typeof value === "number") return WEEKDAYS[value - 1] ?? String(value);
  if ((key === "opens" || key === "closes") && typeof value === "string") return hhmm(value);
  if (key === "languages" && Array.isArray(value)) return value.map(languageLabel).join(", ");
  if (key === "default_language" && typeof value === "string") return languageLabel(value);
  if (key === "country" && typeof value === "string") return countryName(value);
  if (PHONES.includes(key) && typeof value === "string") return formatPhone(value);
  if (Array.isArray(value)) return value.map((v) => valueText("", v)).join(", ") || "none";
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.map(([k, v]) => `${k}: ${valueText("", v)}`).join("; ") || "none";
  }
  return String(value);
}

/** Fields holding an E.164 number, shown grouped as people read them. */
const PHONES = ["e164", "display_phone_number", "escalation_phone"];

type Change = { from: unknown; to: unknown };
const changesOf = (details: Record<string, unknown>) =>
  (details.changes ?? {}) as Record<string, Change>;

/** "name, time zone": the fields an update changed. */
function changedFields(details: Record<string, unknown>): string {
  return Object.keys(changesOf(details)).map(fieldLabel).join(", ");
}

/** An opening interval in words: "Tuesday 09:00–17:00". */
function interval(details: Record<string, unknown>): string {
  const day = valueText("weekday", details.weekday);
  return details.opens ? `${day} ${hhmm(details.opens)}–${hhmm(details.closes)}` : day;
}

function closure(details: Record<string, unknown>): string {
  const days = formatDays(text(details.starts_on), text(details.ends_on));
  return details.reason ? `${days}, ${text(details.reason)}` : days;
}

/** The person an entry is about: their name then, else their address, else their id. */
function person(entry: AuditEntry, names: Names): string {
  return text(entry.details.name) || (entry.target_id && names.people.get(entry.target_id)) ||
    text(entry.details.email) || "someone";
}

/** Who did it: their current name, else the address recorded then; service code is "Frontdesk". */
export function actorName(entry: AuditEntry, names: Names): string {
  if (!entry.actor_id) return entry.actor_label === "system" ? "Frontdesk" : entry.actor_label;
  return names.people.get(entry.actor_id) ?? entry.actor_label;
}

/** The name a channel row's audit details carry (its label, number or id), if any. */
export function nameFromDetails(details: Record<string, unknown>): string | null {
  for (const key of ["e164", "twilio_sender", "display_phone_number", "meta_phone_number_id"]) {
    const value = details[key];
    if (typeof value === "string" && value) {
      const shown = PHONES.includes(key) ? formatPhone(value) : value;
      return typeof details.label === "string" && details.label
        ? `${shown} (${details.label})`
        : shown;
    }
  }
  for (const key of ["label", "account_sid", "account_email"]) {
    const value = details[key];
    if (typeof value === "string" && value) return value;
  }
  return null;
}

/**
 * What happened, as a sentence: "Marcus Reid changed the role of Priya Shah from member to
 * admin", "Olivia Bennett changed opening hours (Tuesday)".
 */
export function describeEntry(entry: AuditEntry, names: Names): string {
  const actor = actorName(entry, names);
  const d = entry.details;
  const [subject, verb] = entry.action.split(".");
  const role = text(d.role);
  const added = verb === "created" ? "added" : verb === "deleted" ? "removed" : "changed";
  const what = verb === "updated" ? ` (${changedFields(d)})` : "";

  switch (subject) {
    case "member": {
      const who = person(entry, names);
      const themselves = entry.actor_id !== null && entry.actor_id === entry.target_id;
      if (verb === "added") {
        return themselves || !entry.actor_id
          ? `${who} joined as ${role}`
          : `${actor} added ${who} as ${role}`;
      }
      if (verb === "role_changed") {
        const change = changesOf(d).role ?? { from: "?", to: "?" };
        return `${actor} changed the role of ${who} from ${text(change.from)} to ${
          text(change.to)
        }`;
      }
      return themselves ? `${who} left the clinic` : `${actor} removed ${who} (${role})`;
    }
    case "invitation": {
      const email = text(d.email);
      if (verb === "created") return `${actor} invited ${email} as ${role}`;
      if (verb === "revoked") return `${actor} withdrew the invitation of ${email} (${role})`;
      if (verb === "accepted") return `${email} accepted the invitation as ${role}`;
      return `${actor} changed the invitation of ${email} (${changedFields(d)})`;
    }
    case "organisation":
      return `${actor} changed the clinic's ${changedFields(d)}`;
    case "assistant_settings":
      return `${actor} changed the assistant's ${changedFields(d)}`;
    case "intent":
      return `${actor} ${added} the intent ${quoted(d.name)}${what}`;
    case "faq_entry":
      return `${actor} ${added} the FAQ entry ${quoted(d.question)}${what}`;
    case "working_hours":
      return verb === "updated"
        ? `${actor} changed opening hours (${valueText("weekday", d.weekday)})`
        : `${actor} ${added} opening hours (${interval(d)})`;
    case "closure":
      return `${actor} ${added} a closure (${closure(d)})`;
    case "service":
      return `${actor} ${added} the service ${quoted(d.name)}${what}`;
    case "credential": {
      const channel = entry.target_id && names.channels.get(entry.target_id);
      const kind = `${credentialKindLabel(entry.target_type)}${channel ? ` of ${channel}` : ""}`;
      if (verb === "decrypted") return `${actor} used the ${kind}`;
      const did = verb === "cleared" ? "removed" : verb;
      return `${actor} ${did} the ${kind}`;
    }
    case "conversation": {
      if (verb === "taken_over") {
        return `${actor} took over a conversation${d.by === "reply" ? " by replying" : ""}`;
      }
      if (verb === "handed_back") return `${actor} handed a conversation back to the assistant`;
      return `${actor} resolved a conversation`;
    }
  }
  if (subject in CHANNELS) {
    const name = (entry.target_id && names.channels.get(entry.target_id)) ?? nameFromDetails(d);
    return `${actor} ${added} ${CHANNELS[subject]}${name ? ` ${name}` : ""}${what}`;
  }
  return `${actor}: ${entry.action}`;
}

/**
 * The particulars on one line: an update's changes ("Closes: 17:00 → 18:00"); what an added or
 * removed row held; nothing where the sentence says it all.
 */
export function describeDetails(entry: AuditEntry, names: Names): string {
  const changes = changesOf(entry.details);
  if (Object.keys(changes).length) {
    return Object.entries(changes)
      .map(([key, { from, to }]) =>
        `${capitalise(fieldLabel(key))}: ${valueText(key, from)} → ${valueText(key, to)}`
      )
      .join("; ");
  }
  const [subject, verb] = entry.action.split(".");
  if (!["intent", "faq_entry", "service"].includes(subject) && !(subject in CHANNELS)) return "";
  if (verb === "updated") return "";
  const shown = subject === "faq_entry"
    ? ["answer", "language", "category"]
    : subject === "intent"
    ? ["example_phrases", "responses", "action"]
    : subject === "service"
    ? ["duration_minutes", "buffer_before_minutes", "buffer_after_minutes"]
    : Object.keys(entry.details);
  return shown
    .filter((key) => entry.details[key] !== undefined && entry.details[key] !== null)
    .filter((key) => entry.details[key] !== "")
    .map((key) => {
      const value = entry.details[key];
      const channel = typeof value === "string" ? names.channels.get(value) : undefined;
      return `${capitalise(fieldLabel(channel ? key.replace(/_id$/, "") : key))}: ${
        channel ?? valueText(key, value)
      }`;
    })
    .join("; ");
}

function capitalise(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}
