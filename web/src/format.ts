const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

let relative: Intl.RelativeTimeFormat | undefined;

/** "3 days ago", "in 2 weeks", "just now": how long ago (or until) a moment, roughly. */
export function timeFromNow(iso: string, now = Date.now()): string {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  relative ??= new Intl.RelativeTimeFormat("en", { numeric: "always" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.trunc(seconds / size), unit);
  }
  return "just now";
}

/** A calendar date a person reads ("12 Mar 2027"), in the browser's time zone. */
export function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString("en-GB", { dateStyle: "medium" });
}

const dateTimes = new Map<string, Intl.DateTimeFormat>();

/** "22 Nov 2026, 16:01:02 GMT": a moment in a given IANA time zone (the clinic's). */
export function formatDateTime(iso: string, timeZone: string): string {
  let format = dateTimes.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat("en-GB", {
        timeZone,
        day: "numeric",
        month: "short",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
        timeZoneName: "short",
      });
    } catch {
      // A zone this browser does not know: UTC, labelled as such, rather than nothing.
      return formatDateTime(iso, "UTC");
    }
    dateTimes.set(timeZone, format);
  }
  return format.format(new Date(iso));
}

/** "1 phone number", "3 phone numbers". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
