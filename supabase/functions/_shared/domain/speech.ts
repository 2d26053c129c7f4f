// Times, slots and appointments as a voice assistant says them, in the clinic's zone: "Tuesday
// the 9th at 10:30 with Dr Hale". Always one line (Vapi drops a tool result with a line break,
// PROVIDERS §7.5); the month only when the day is not within the next three weeks, "today" and
// "tomorrow" when they apply. English, like the prompt's scaffolding: the model says it in the
// caller's language. Pure.
import { MONTHS, WEEKDAYS } from "./booking_text.ts";
import { addDays, wallClockMs } from "./opening_hours.ts";
import { oneLine } from "./ordering.ts";

/** Days ahead within which the weekday and date alone are unambiguous. */
const WITHOUT_MONTH_DAYS = 20;

/** "1st", "2nd", "3rd", "11th", "22nd". */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${["th", "st", "nd", "rd"][n % 10] ?? "th"}`;
}

/** "Tuesday the 9th at 10:30", "tomorrow, Tuesday the 9th at 10:30", "… the 9th of March …". */
export function spokenTime(timeZone: string, epochMs: number, now: number): string {
  const wall = new Date(wallClockMs(timeZone, epochMs));
  const date = wall.toISOString().slice(0, 10);
  const today = new Date(wallClockMs(timeZone, now)).toISOString().slice(0, 10);
  const month = date > addDays(today, WITHOUT_MONTH_DAYS) || date < today
    ? ` of ${MONTHS[wall.getUTCMonth()]}`
    : "";
  const day = `${WEEKDAYS[wall.getUTCDay()]} the ${ordinal(wall.getUTCDate())}${month}`;
  const relative = date === today ? "today, " : date === addDays(today, 1) ? "tomorrow, " : "";
  return `${relative}${day} at ${wall.toISOString().slice(11, 16)}`;
}

/** " with Dr Hale", " with Dr Hale or Dr Moss"; nothing without names. */
function withWhom(names: readonly string[]): string {
  const known = names.map(oneLine).filter((n) => n !== "");
  if (known.length === 0) return "";
  return ` with ${known.slice(0, -1).join(", ")}${known.length > 1 ? " or " : ""}${known.at(-1)}`;
}

export type SpokenSlot = { start: string; practitioners: readonly { name: string }[] };

/** A free time: "Tuesday the 9th at 10:30 with Dr Hale". */
export function spokenSlot(timeZone: string, slot: SpokenSlot, now: number): string {
  return spokenTime(timeZone, Date.parse(slot.start), now) +
    withWhom(slot.practitioners.map((p) => p.name));
}

export type SpokenAppointment = {
  start: string;
  service: { name: string };
  practitioner: { name: string };
};

/** "a Check-up on Tuesday the 9th at 10:30 with Dr Hale". */
export function spokenAppointment(
  timeZone: string,
  appointment: SpokenAppointment,
  now: number,
): string {
  const service = oneLine(appointment.service.name);
  const when = spokenTime(timeZone, Date.parse(appointment.start), now);
  return `${service ? `${article(service)} ${service} ` : ""}${
    when.startsWith("today") || when.startsWith("tomorrow") ? "" : "on "
  }${when}${withWhom([appointment.practitioner.name])}`;
}

function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? "an" : "a";
}

/** Items as one spoken list: "A", "A or B", "A, B or C" (semicolons when items have commas). */
export function spokenList(items: readonly string[], last: "or" | "and" = "or"): string {
  if (items.length <= 1) return items[0] ?? "";
  const separator = items.some((i) => i.includes(",")) ? "; " : ", ";
  return `${items.slice(0, -1).join(separator)} ${last} ${items.at(-1)}`;
}
