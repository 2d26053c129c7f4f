// Every date and time the dashboard shows is written here, one way: in the browser's locale (the
// reader's conventions: "1 Dec 2026" or "Dec 1, 2026") and, for moments, in the clinic's time zone
// (where the clinic's day starts and ends, whatever the reader's device says). `locale` is left
// out by the app (the browser's own); tests pass one.

const formats = new Map<string, Intl.DateTimeFormat>();

function formatter(
  options: Intl.DateTimeFormatOptions,
  timeZone: string,
  locale?: string,
): Intl.DateTimeFormat {
  const key = `${locale} ${timeZone} ${JSON.stringify(options)}`;
  let found = formats.get(key);
  if (!found) {
    try {
      found = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    } catch {
      // A zone this browser does not know: UTC, labelled as such when a time is shown.
      return formatter(options, "UTC", locale);
    }
    formats.set(key, found);
  }
  return found;
}

/** The one way a date is written: day, short month name and year, in the reader's order. */
const DATE: Intl.DateTimeFormatOptions = { day: "numeric", month: "short", year: "numeric" };
const DAY: Intl.DateTimeFormatOptions = { weekday: "short", ...DATE };
const TIME: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit" };

/** A calendar date ("YYYY-MM-DD") as a Date at its UTC midnight, to format in UTC. */
function calendarDate(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

/** "1 Dec 2026": the day a moment falls on in the clinic's time zone. */
export function formatDate(iso: string, timeZone: string, locale?: string): string {
  return formatter(DATE, timeZone, locale).format(new Date(iso));
}

/** "1 Dec 2026, 16:01 GMT": a moment in the clinic's time zone, the zone named. */
export function formatDateTime(iso: string, timeZone: string, locale?: string): string {
  return formatter({ ...DATE, ...TIME, timeZoneName: "short" }, timeZone, locale)
    .format(new Date(iso));
}

/** "16:01" (or "4:01 PM"): the time of a moment in the clinic's time zone. */
export function formatTime(at: Date, timeZone: string, locale?: string): string {
  return formatter(TIME, timeZone, locale).format(at);
}

/** "Tue, 1 Dec 2026": a calendar date ("YYYY-MM-DD", a clinic's local day) with its weekday. */
export function formatDay(date: string, locale?: string): string {
  return formatter(DAY, "UTC", locale).format(calendarDate(date));
}

/** "1 Dec 2026 – 3 Dec 2026", or one day: a range of calendar dates, both ends included. */
export function formatDays(first: string, last: string, locale?: string): string {
  return first === last
    ? formatDay(first, locale)
    : `${formatDay(first, locale)} – ${formatDay(last, locale)}`;
}

/** "December 2026" for "2026-12". */
export function formatMonth(month: string, locale?: string): string {
  return formatter({ month: "long", year: "numeric" }, "UTC", locale)
    .format(calendarDate(`${month}-01`));
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

const relatives = new Map<string | undefined, Intl.RelativeTimeFormat>();

/** "3 days ago", "in 2 weeks", "now": how long ago (or until) a moment, roughly. */
export function timeFromNow(iso: string, now = Date.now(), locale?: string): string {
  let relative = relatives.get(locale);
  if (!relative) {
    relative = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
    relatives.set(locale, relative);
  }
  const seconds = (new Date(iso).getTime() - now) / 1000;
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.trunc(seconds / size), unit);
  }
  return relative.format(0, "second");
}

/** "1 phone number", "3 phone numbers". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** "1,234" (or "1 234"): a count in the reader's way of grouping digits. */
export function formatCount(count: number, locale?: string): string {
  return count.toLocaleString(locale);
}
