import { formatDay, formatTime } from "../../format.ts";
import { addDays, isoWeekday, localDateOf, type OpeningStatus } from "../../receptionist/shared.ts";

/** "today at 15:00", "tomorrow at 08:00", "Mon, 4 Jan 2027 at 08:00", in the clinic's zone. */
export function describeMoment(timeZone: string, at: Date, now: Date): string {
  const time = formatTime(at, timeZone);
  const day = localDateOf(timeZone, at);
  const today = localDateOf(timeZone, now);
  if (day === today) return `today at ${time}`;
  if (day === addDays(today, 1)) return `tomorrow at ${time}`;
  return `${formatDay(day)} at ${time}`;
}

/** "Open now · closes today at 19:00", "Closed now (Christmas) · opens Mon, 28 Dec 2026 at 08:00". */
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
