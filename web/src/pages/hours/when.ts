import { addDays, isoWeekday, localDateOf, type OpeningStatus } from "../../receptionist/shared.ts";

const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string, options: Intl.DateTimeFormatOptions, at: Date): string {
  const key = `${timeZone} ${JSON.stringify(options)}`;
  let found = formats.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat("en-GB", { timeZone, ...options });
    formats.set(key, found);
  }
  return found.format(at);
}

/** "today at 15:00", "tomorrow at 08:00", "Monday 4 January at 08:00", in the clinic's zone. */
export function describeMoment(timeZone: string, at: Date, now: Date): string {
  const time = format(timeZone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }, at);
  const day = localDateOf(timeZone, at);
  const today = localDateOf(timeZone, now);
  if (day === today) return `today at ${time}`;
  if (day === addDays(today, 1)) return `tomorrow at ${time}`;
  const date = format(timeZone, { weekday: "long", day: "numeric", month: "long" }, at);
  return `${date} at ${time}`;
}

/** "Open now · closes today at 19:00", "Closed now (Christmas) · opens Monday 28 December at 08:00". */
export function describeStatus(status: OpeningStatus, timeZone: string, now: Date): string {
  if (status.open) {
    return status.closesAt
      ? `Open now · closes ${describeMoment(timeZone, status.closesAt, now)}`
      : "Open now";
  }
  const closed = status.closure
    ? `Closed today${status.closure.reason ? ` (${status.closure.reason})` : ""}`
    : "Closed now";
  return status.nextOpensAt
    ? `${closed} · opens ${describeMoment(timeZone, status.nextOpensAt, now)}`
    : `${closed} · no opening in the next 60 days`;
}

/** "Thu 24 Dec 2026" for a calendar date ("YYYY-MM-DD"), whatever the browser's zone. */
export function formatDay(date: string): string {
  return format(
    "UTC",
    { weekday: "short", day: "numeric", month: "short", year: "numeric" },
    new Date(`${date}T00:00:00Z`),
  );
}

/**
 * The weeks of a month as calendar dates ("YYYY-MM-DD"), Monday first; days outside the month are
 * null. `month` is "YYYY-MM".
 */
export function monthWeeks(month: string): (string | null)[][] {
  const first = `${month}-01`;
  const leading = isoWeekday(first) - 1;
  const cells: (string | null)[] = Array(leading).fill(null);
  for (let day = first; day.startsWith(month); day = addDays(day, 1)) cells.push(day);
  while (cells.length % 7) cells.push(null);
  const weeks = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/** The month ("YYYY-MM") `count` months after the one given. */
export function addMonths(month: string, count: number): string {
  const [year, index] = month.split("-").map(Number);
  const total = year * 12 + (index - 1) + count;
  return `${Math.floor(total / 12)}-${String(total % 12 + 1).padStart(2, "0")}`;
}

/** "December 2026" for "2026-12". */
export function formatMonth(month: string): string {
  return format("UTC", { month: "long", year: "numeric" }, new Date(`${month}-01T00:00:00Z`));
}
