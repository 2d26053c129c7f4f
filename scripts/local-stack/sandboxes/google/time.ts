// Time as Google Calendar reads and writes it: RFC 3339 instants, `{dateTime, timeZone}` and
// all-day `{date}` event times, and wall clocks in IANA time zones (the booking engine's zone
// arithmetic: DST follows the system's time zone database as Google's follows its own).
import {
  localDateOf,
  localDateTimeOf,
  zonedDateTimeToInstant,
} from "@frontdesk/domain/opening_hours.ts";

/** An event's start or end as the API carries it. */
export interface EventTime {
  date?: string;
  dateTime?: string;
  timeZone?: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/i;

export function isTimeZone(timeZone: string): boolean {
  try {
    localDateOf(timeZone, new Date(0));
    return true;
  } catch {
    return false;
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The wall clock in `timeZone` at `ms`, as [year, month (1-12), day, hour, minute, second]. */
export function wallClock(ms: number, timeZone: string): number[] {
  const { date, time } = localDateTimeOf(timeZone, new Date(ms));
  // Zone offsets are whole minutes: the seconds are UTC's.
  const second = Math.floor((((ms % 60000) + 60000) % 60000) / 1000);
  return [...date.split("-"), ...time.split(":")].map(Number).concat(second);
}

/** How far `timeZone`'s wall clock is ahead of UTC at `ms`. */
export function offsetMs(ms: number, timeZone: string): number {
  const { date, time } = localDateTimeOf(timeZone, new Date(ms));
  return Date.parse(`${date}T${time}:00Z`) - (ms - (((ms % 60000) + 60000) % 60000));
}

/** The instant a wall clock in `timeZone` shows; in a DST gap, the time after it. */
export function instantOf(
  [y, mo, d, h = 0, mi = 0, s = 0]: number[],
  timeZone: string,
): number {
  const date = `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
  return zonedDateTimeToInstant(timeZone, date, `${pad(h)}:${pad(mi)}`).getTime() + s * 1000;
}

/** `ms` as RFC 3339 in `timeZone`'s offset, "Z" where that is UTC, as Google writes times. */
export function formatInZone(ms: number, timeZone: string): string {
  const [y, mo, d, h, mi, s] = wallClock(ms, timeZone);
  const offset = Math.round(offsetMs(ms, timeZone) / 60000);
  const zone = offset === 0
    ? "Z"
    : `${offset < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(offset) / 60))}:${
      pad(Math.abs(offset) % 60)
    }`;
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${zone}`;
}

/** An RFC 3339 timestamp with an offset (as `timeMin`, `timeMax` must be), or null. */
export function parseInstant(text: string): number | null {
  const m = text.match(DATE_TIME);
  if (!m || !m[8]) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

function validDate(y: number, mo: number, d: number): boolean {
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/**
 * The instant an event time stands for, or why it is refused (Google's message). A `date` is
 * midnight in the calendar's time zone; a `dateTime` without offset is read in its `timeZone`.
 */
export function eventInstant(
  time: EventTime,
  calendarTimeZone: string,
  which: "start" | "end",
): number | string {
  if (time.timeZone !== undefined && !isTimeZone(time.timeZone)) {
    return `Invalid time zone definition for ${which} time.`;
  }
  if (time.date !== undefined && time.dateTime === undefined) {
    const m = time.date.match(DATE);
    if (!m || !validDate(+m[1], +m[2], +m[3])) return `Invalid ${which} time.`;
    return instantOf([+m[1], +m[2], +m[3]], time.timeZone ?? calendarTimeZone);
  }
  if (time.dateTime === undefined) return `Missing ${which} time.`;
  if (time.date !== undefined) return `Invalid ${which} time.`;
  const m = time.dateTime.match(DATE_TIME);
  if (!m || !validDate(+m[1], +m[2], +m[3]) || +m[4] > 23 || +m[5] > 59 || +(m[6] ?? 0) > 59) {
    return `Invalid ${which} time.`;
  }
  if (m[8]) return Date.parse(time.dateTime);
  if (!time.timeZone) return `Missing time zone definition for ${which} time.`;
  return instantOf([+m[1], +m[2], +m[3], +m[4], +m[5], +(m[6] ?? 0)], time.timeZone);
}

/** Google's own rendering of a stored event time: a `dateTime` in its (or the calendar's) zone. */
export function normaliseEventTime(time: EventTime, ms: number, calendarTimeZone: string) {
  if (time.dateTime === undefined) return { date: time.date };
  const out: EventTime = { dateTime: formatInZone(ms, time.timeZone ?? calendarTimeZone) };
  if (time.timeZone) out.timeZone = time.timeZone;
  return out;
}

/** Midnight starting the Monday of the week holding `ms`, in `timeZone`. */
export function startOfWeek(ms: number, timeZone: string): number {
  const [y, mo, d] = wallClock(ms, timeZone);
  const weekday = (new Date(Date.UTC(y, mo - 1, d)).getUTCDay() + 6) % 7; // Monday = 0
  const monday = new Date(Date.UTC(y, mo - 1, d - weekday));
  return instantOf(
    [monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate()],
    timeZone,
  );
}
