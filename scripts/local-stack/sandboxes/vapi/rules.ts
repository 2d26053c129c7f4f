// How the sandbox's "model" turns a caller line into tool calls: simple deterministic rules,
// enough for the demo and tests (production uses Vapi's real model). A line's intent picks the
// tools (by the names the assistant declares), and each tool's arguments are filled from facts
// read off the line (day, time, name, urgency…) by the parameter names its schema declares.
import type { FunctionTool } from "./schema.ts";

export type Intent =
  | "book"
  | "reschedule"
  | "cancel"
  | "message"
  | "transfer"
  | "goodbye"
  | "question"
  | "chat";

/** Tool names that serve each step, matched against the assistant's function tools. */
const STEPS: Record<string, RegExp> = {
  availability: /availab|free_slots|list_slots|find_slots/i,
  book: /^book/i,
  find: /find_my|my_appointments|list_appointments|lookup_appointment/i,
  cancel: /cancel/i,
  reschedule: /reschedul|move_appointment/i,
  message: /take_message|message|callback/i,
  faq: /faq|question|answer/i,
};

const PLAN: Record<Intent, string[]> = {
  book: ["availability", "book"],
  reschedule: ["find", "availability", "reschedule"],
  cancel: ["find", "cancel"],
  message: ["message"],
  transfer: [],
  goodbye: [],
  question: ["faq"],
  chat: [],
};

/** The first rule that matches wins. */
export function intentOf(line: string): Intent {
  const l = line.toLowerCase();
  if (/\b(human|real person|a person|someone|receptionist|transfer|operator|staff)\b/.test(l)) {
    return "transfer";
  }
  if (/\b(cancel)\b/.test(l)) return "cancel";
  if (/\b(reschedule|move|change)\b/.test(l)) return "reschedule";
  if (/\b(message|call me back|callback|ring me back)\b/.test(l)) return "message";
  if (/\b(book|appointment|available|availability|free|slot|check-?up|cleaning)\b/.test(l)) {
    return "book";
  }
  if (/\b(bye|goodbye|that's all|that is all|hang up)\b/.test(l)) return "goodbye";
  return l.trim().endsWith("?") ? "question" : "chat";
}

export interface Facts {
  /** YYYY-MM-DD */
  date?: string;
  /** HH:MM */
  time?: string;
  name?: string;
  phone: string;
  reason: string;
  urgency: "urgent" | "normal";
  service?: string;
  practitioner?: string;
  /** The results of this call's earlier tool calls, newest last: ids are read off them. */
  results: string[];
}

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const DAY = 24 * 3600 * 1000;

/** What the line says, `now` giving "today"/"tomorrow"/weekday names their dates (UTC). */
export function factsOf(line: string, caller: string, now: number, results: string[] = []): Facts {
  const l = line.toLowerCase();
  const facts: Facts = {
    phone: caller,
    reason: line.replace(/\s+/g, " ").trim(),
    urgency: /\b(urgent|emergency|asap|pain)\b/.test(l) ? "urgent" : "normal",
    results,
  };
  const iso = l.match(/\b(\d{4}-\d{2}-\d{2})\b/);
  if (iso) facts.date = iso[1];
  else if (/\btomorrow\b/.test(l)) facts.date = new Date(now + DAY).toISOString().slice(0, 10);
  else if (/\btoday\b/.test(l)) facts.date = new Date(now).toISOString().slice(0, 10);
  else {
    const weekday = WEEKDAYS.findIndex((d) => new RegExp(`\\b${d}\\b`).test(l));
    if (weekday >= 0) {
      const ahead = (weekday - new Date(now).getUTCDay() + 7) % 7 || 7;
      facts.date = new Date(now + ahead * DAY).toISOString().slice(0, 10);
    }
  }
  const clock = l.match(/\b(\d{1,2})[:.](\d{2})\s*(am|pm)?\b/) ??
    l.match(/\b(\d{1,2})\s*(am|pm)\b/);
  if (clock) {
    let hour = Number(clock[1]);
    const minute = clock.length === 4 ? Number(clock[2]) : 0;
    const meridiem = clock.length === 4 ? clock[3] : clock[2];
    if (meridiem === "pm" && hour < 12) hour += 12;
    if (meridiem === "am" && hour === 12) hour = 0;
    if (hour < 24 && minute < 60) {
      facts.time = `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
    }
  }
  const name = line.match(
    /\b(?:[Mm]y name is|[Tt]his is|I am|I'm)\s+([A-Z][\p{L}'-]+(?:\s+[A-Z][\p{L}'-]+)?)/u,
  );
  if (name) facts.name = name[1];
  const doctor = line.match(/\b(Dr\.?\s+[A-Z][\p{L}'-]+)/u);
  if (doctor) facts.practitioner = doctor[1];
  const service = l.match(/\b(check-?up|cleaning|hygiene|filling|consultation|x-ray)\b/);
  if (service) facts.service = service[1];
  return facts;
}

/**
 * The id an earlier result gave for `param` (results write "(slot_id X)", "(appointment_id Y)"),
 * newest result first: the one at the caller's time when they said one, else the first — except
 * that a slot must be at the time asked (none offered there: the model reads the offers out).
 */
export function idFor(param: string, facts: Facts): string | undefined {
  const label = new RegExp(`\\b${param}[:=]?\\s+([^\\s);,]+)`, "g");
  for (const result of [...facts.results].reverse()) {
    const offers = result.split(/;\s*/).flatMap((part) =>
      [...part.matchAll(label)].map((m) => ({ part, id: m[1] }))
    );
    if (offers.length === 0) continue;
    const atTime = facts.time ? offers.find((o) => o.part.includes(`at ${facts.time}`)) : undefined;
    if (facts.time && !atTime && /slot/i.test(param)) return undefined;
    return (atTime ?? offers[0]).id;
  }
  const uuid = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i;
  for (const result of [...facts.results].reverse()) {
    const found = result.match(uuid)?.[0];
    if (found) return found;
  }
  return undefined;
}

/** The value of the fact a parameter asks for, by its name (and enum, format, description). */
function argumentFor(
  param: string,
  schema: Record<string, unknown>,
  facts: Facts,
): unknown {
  const p = param.toLowerCase();
  const options = Array.isArray(schema.enum) ? schema.enum.map(String) : null;
  const pick = (value: string | undefined) => {
    if (!options) return value;
    if (value === undefined) return undefined;
    const wanted = value.toLowerCase().replace(/-/g, "");
    return options.find((o) => o.toLowerCase().replace(/-/g, "").includes(wanted)) ?? options[0];
  };
  if (/(^|_)id$/.test(p)) return idFor(param, facts);
  if (/urgen|priority/.test(p)) return pick(facts.urgency);
  if (/preference|part_of_day/.test(p)) {
    if (!facts.time) return undefined;
    const hour = Number(facts.time.slice(0, 2));
    return pick(hour < 12 ? "morning" : hour < 17 ? "afternoon" : "evening");
  }
  if (/phone|number|callback/.test(p)) return facts.phone;
  if (/name/.test(p)) return facts.name ?? "Sam Caller";
  if (/reason|message|note|summary|details|question/.test(p)) return facts.reason;
  // A required service the caller did not name: the first the clinic offers.
  if (/service|treatment|type/.test(p)) return pick(facts.service) ?? options?.[0];
  if (/practitioner|doctor|staff|provider|dentist/.test(p)) return facts.practitioner;
  const isDate = /YYYY-MM-DD/.test(String(schema.description ?? "")) || schema.format === "date" ||
    /^(from|to|on)$/.test(p);
  const wantsDateTime = !isDate &&
    (/start|datetime|date_time|when|slot/.test(p) || schema.format === "date-time" ||
      (/date|day/.test(p) && /time/.test(p)));
  if (wantsDateTime) {
    if (!facts.date) return undefined;
    return facts.time ? `${facts.date}T${facts.time}` : facts.date;
  }
  if (isDate || /date|day/.test(p)) return facts.date;
  if (/time/.test(p)) return facts.time;
  return undefined;
}

/** Arguments for a function tool: only its declared parameters, only those with a value. */
export function argumentsFor(tool: FunctionTool, facts: Facts): Record<string, unknown> {
  const properties = tool.function.parameters?.properties ?? {};
  const args: Record<string, unknown> = {};
  for (const [param, schema] of Object.entries(properties)) {
    const value = argumentFor(param, schema, facts);
    if (value !== undefined) args[param] = value;
  }
  return args;
}

/** Whether the arguments lack a required id (the model would not call the tool without it). */
export function missesId(tool: FunctionTool, args: Record<string, unknown>): boolean {
  const required = tool.function.parameters?.required ?? [];
  return required.some((p) => /(^|_)id$/.test(p.toLowerCase()) && args[p] === undefined);
}

/** The function tools the line calls, in order (steps the assistant has no tool for skipped). */
export function toolsFor(intent: Intent, tools: FunctionTool[]): FunctionTool[] {
  return PLAN[intent].flatMap((step) => {
    const tool = tools.find((t) => STEPS[step].test(t.function.name));
    return tool ? [tool] : [];
  });
}
