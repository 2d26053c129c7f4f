// Opening hours in an organisation's own timezone: local wall-clock times to instants and back
// with Intl only, whether the clinic is open at an instant, and a human summary of the week.
// Pure: the instant is always a parameter.
//
// Local times that do not map to exactly one instant (DST) follow the "compatible" rule of
// Temporal and of JavaScript's own Date: a time in the spring-forward gap is moved forward by
// the length of the gap (London 01:30 on 29 March 2026 → 02:30 BST = 01:30 UTC), and a time
// in the repeated fall-back hour is its earlier occurrence (London 01:30 on 25 October 2026 →
// 01:30 BST = 00:30 UTC). So an interval that spans the repeated hour covers both occurrences,
// and one that spans the gap is an hour shorter.

import { compareText } from "./ordering.ts";
import type {
  Closure,
  OpeningHoursConfig,
  ReceptionistConfig,
  Weekday,
  WorkingHoursInterval,
} from "./receptionist_config.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;
const DEFAULT_HORIZON_DAYS = 60;

// ---------------------------------------------------------------------------
// Parsing "YYYY-MM-DD" and "HH:MM"
// ---------------------------------------------------------------------------

type LocalDate = { year: number; month: number; day: number };

function parseDate(date: string): LocalDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCMonth() === month - 1 && check.getUTCDate() === day) {
      return { year, month, day };
    }
  }
  throw new RangeError(`Invalid date "${date}": expected YYYY-MM-DD`);
}

/** Minutes after local midnight, 0 … 1440 ("24:00"); seconds (PostgreSQL "HH:MM:SS") must be 0. */
export function parseTimeOfDay(time: string): number {
  const m = /^(\d{2}):(\d{2})(?::00)?$/.exec(time);
  if (m) {
    const [hours, minutes] = [Number(m[1]), Number(m[2])];
    if ((hours < 24 && minutes < 60) || (hours === 24 && minutes === 0)) {
      return hours * 60 + minutes;
    }
  }
  throw new RangeError(`Invalid time "${time}": expected HH:MM between 00:00 and 24:00`);
}

function formatTimeOfDay(minutes: number): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** "YYYY-MM-DD" `days` later (or earlier); calendar arithmetic, no timezone involved. */
export function addDays(date: string, days: number): string {
  const { year, month, day } = parseDate(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** ISO weekday of a calendar date (Monday = 1). */
export function isoWeekday(date: string): Weekday {
  const { year, month, day } = parseDate(date);
  return (((new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7) + 1) as Weekday;
}

// ---------------------------------------------------------------------------
// Instants ↔ wall-clock time in a zone
// ---------------------------------------------------------------------------

// Building a DateTimeFormat is far slower than using one, and the zone list is small.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock reading in `timeZone` at `epochMs`, expressed as if it were UTC. */
export function wallClockMs(timeZone: string, epochMs: number): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
    if (part.type !== "literal") fields[part.type] = Number(part.value);
  }
  const wall = Date.UTC(
    fields.year,
    fields.month - 1,
    fields.day,
    fields.hour % 24, // some engines still print midnight as 24
    fields.minute,
    fields.second,
  );
  return wall + (((epochMs % 1000) + 1000) % 1000);
}

/** The local calendar date ("YYYY-MM-DD") in `timeZone` at `instant`. */
export function localDateOf(timeZone: string, instant: Date): string {
  return new Date(wallClockMs(timeZone, instant.getTime())).toISOString().slice(0, 10);
}

/** The local date and time ("HH:MM") in `timeZone` at `instant`. */
export function localDateTimeOf(timeZone: string, instant: Date): { date: string; time: string } {
  const iso = new Date(wallClockMs(timeZone, instant.getTime())).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

function offsetAt(timeZone: string, epochMs: number): number {
  return wallClockMs(timeZone, epochMs) - epochMs;
}

/**
 * The instants whose wall-clock reading is `wall`, earlier first, given the UTC offsets before and
 * after the one transition that may lie near it: none in a gap, two in a repeated hour.
 */
function instantsReading(
  timeZone: string,
  wall: number,
  offsetBefore: number,
  offsetAfter: number,
): number[] {
  if (offsetBefore === offsetAfter) return [wall - offsetBefore];
  return [wall - offsetBefore, wall - offsetAfter]
    .filter((epochMs) => wallClockMs(timeZone, epochMs) === wall)
    .sort((a, b) => a - b);
}

function localToEpochMs(timeZone: string, date: string, minutes: number): number {
  const { year, month, day } = parseDate(date);
  const wall = Date.UTC(year, month - 1, day) + minutes * MINUTE;
  // Offsets a day either side bracket any real-world transition on this date.
  const offsetBefore = offsetAt(timeZone, wall - DAY);
  const [first] = instantsReading(timeZone, wall, offsetBefore, offsetAt(timeZone, wall + DAY));
  // Repeated hour: the earlier occurrence. Gap: the offset from before the transition,
  // which lands the same distance past the gap.
  return first ?? wall - offsetBefore;
}

/** Local wall-clock times of one zone to instants; see `localClock`. */
export type LocalClock = {
  /** Resolved like `zonedDateTimeToInstant`: a time in a gap moves forward past it. */
  instant(date: string, minutes: number): number;
  /** Null when the local time does not exist (a DST gap). */
  existing(date: string, minutes: number): number | null;
};

/**
 * Local wall-clock times in `timeZone` to instants (epoch ms), for many times on few dates: each
 * date's offsets are looked up once. `minutes` count from the date's local midnight; 1440 and more
 * run into the following days. A repeated time is its earlier occurrence.
 */
export function localClock(timeZone: string): LocalClock {
  type Day = { midnight: number; before: number; after: number; transition: number };
  const days = new Map<string, Day>();
  const transitions: { at: number; before: number; after: number }[] = [];
  const dayOf = (date: string): Day => {
    let day = days.get(date);
    if (!day) {
      const { year, month, day: dayOfMonth } = parseDate(date);
      const midnight = Date.UTC(year, month - 1, dayOfMonth);
      // As in localToEpochMs: offsets a day before and after the date bracket its transition.
      let [low, high] = [midnight - DAY, midnight + 2 * DAY];
      const [before, after] = [offsetAt(timeZone, low), offsetAt(timeZone, high)];
      // The transition's instant (the first with the new offset), found once (the dates either
      // side see the same one), so each time of the date resolves by arithmetic.
      const known = transitions.find((t) =>
        t.before === before && t.after === after && low < t.at && t.at <= high
      );
      if (known) [low, high] = [known.at - 1, known.at];
      while (before !== after && high - low > 1) {
        const mid = Math.floor((low + high) / 2);
        if (offsetAt(timeZone, mid) === before) low = mid;
        else high = mid;
      }
      if (before !== after && !known) transitions.push({ at: high, before, after });
      day = { midnight, before, after, transition: high };
      days.set(date, day);
    }
    return day;
  };
  const resolve = (date: string, minutes: number) => {
    const carry = Math.floor(minutes / 1440);
    if (carry !== 0) [date, minutes] = [addDays(date, carry), minutes - carry * 1440];
    const { midnight, before, after, transition } = dayOf(date);
    const wall = midnight + minutes * MINUTE;
    const found = before === after ? [wall - before] : [
      ...(wall - after < transition ? [] : [wall - after]),
      ...(wall - before < transition ? [wall - before] : []),
    ].sort((a, b) => a - b);
    return { wall, before, found };
  };
  return {
    instant(date, minutes) {
      const { wall, before, found } = resolve(date, minutes);
      return found[0] ?? wall - before;
    },
    existing(date, minutes) {
      return resolve(date, minutes).found[0] ?? null;
    },
  };
}

/**
 * The instant of a local wall-clock time in `timeZone` ("24:00" is the next midnight); see the
 * header for how DST gaps and repeated hours are resolved.
 */
export function zonedDateTimeToInstant(timeZone: string, date: string, time: string): Date {
  return new Date(localToEpochMs(timeZone, date, parseTimeOfDay(time)));
}

// ---------------------------------------------------------------------------
// Opening status
// ---------------------------------------------------------------------------

export type OpeningStatus = {
  open: boolean;
  /** When open: the end of the current opening (adjacent intervals merged); null if beyond the horizon. */
  closesAt: Date | null;
  /** The next opening after now (when closed) or after `closesAt` (when open); null if none within the horizon. */
  nextOpensAt: Date | null;
  /** The closure covering today's local date, if any (the clinic is then closed all day). */
  closure: { reason: string } | null;
};

export type OpeningStatusOptions = {
  /** How many local days ahead to look for the next opening (default 60). */
  horizonDays?: number;
};

type Segment = { start: number; end: number };

export function openingHoursOf(config: ReceptionistConfig): OpeningHoursConfig {
  return {
    timezone: config.organisation.timezone,
    workingHours: config.workingHours,
    closures: config.closures,
  };
}

/** The closure covering a local date (the earliest-starting one if several overlap). */
export function closureOn(closures: readonly Closure[], date: string): Closure | null {
  let found: Closure | null = null;
  for (const closure of closures) {
    if (closure.startsOn <= date && date <= closure.endsOn) {
      if (!found || compareClosures(closure, found) < 0) found = closure;
    }
  }
  return found;
}

export function compareClosures(a: Closure, b: Closure): number {
  return compareText(a.startsOn, b.startsOn) || compareText(a.endsOn, b.endsOn) ||
    compareText(a.reason, b.reason);
}

/** A weekly interval in minutes after local midnight; `nextDay`: it closes the following day. */
export type DayInterval = { opens: number; closes: number; nextDay: boolean };

/** Weekly intervals indexed by ISO weekday (index 0 unused); invalid ones throw a RangeError. */
export function intervalsByWeekday(
  workingHours: readonly { weekday: number; opens: string; closes: string }[],
): DayInterval[][] {
  const byWeekday: DayInterval[][] = [[], [], [], [], [], [], [], []];
  for (const interval of workingHours) {
    if (!Number.isInteger(interval.weekday) || interval.weekday < 1 || interval.weekday > 7) {
      throw new RangeError(`Invalid weekday ${interval.weekday}: expected 1 (Monday) … 7`);
    }
    const opens = parseTimeOfDay(interval.opens);
    const closes = parseTimeOfDay(interval.closes);
    if (opens === 1440) throw new RangeError(`An interval cannot open at 24:00`);
    byWeekday[interval.weekday].push({ opens, closes, nextDay: closes <= opens });
  }
  return byWeekday;
}

/** The open stretches of intervals that start on `date`, minus any part on a closed local day. */
function segmentsStartingOn(
  timeZone: string,
  date: string,
  intervals: DayInterval[],
  closures: readonly Closure[],
): Segment[] {
  if (intervals.length === 0) return [];
  const nextDate = addDays(date, 1);
  const closedToday = closureOn(closures, date) !== null;
  const closedTomorrow = closureOn(closures, nextDate) !== null;
  if (closedToday && closedTomorrow) return []; // skip the conversions during long closures
  const midnight = localToEpochMs(timeZone, nextDate, 0);
  const segments: Segment[] = [];
  for (const { opens, closes, nextDay } of intervals) {
    const start = localToEpochMs(timeZone, date, opens);
    const end = nextDay ? localToEpochMs(timeZone, nextDate, closes) : localToEpochMs(
      timeZone,
      date,
      closes,
    );
    if (!closedToday) segments.push({ start, end: Math.min(end, midnight) });
    if (!closedTomorrow) segments.push({ start: Math.max(start, midnight), end });
  }
  return segments.filter((s) => s.end > s.start);
}

function mergeSegments(segments: Segment[]): Segment[] {
  const sorted = [...segments].sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Segment[] = [];
  for (const segment of sorted) {
    const last = merged[merged.length - 1];
    if (last && segment.start <= last.end) last.end = Math.max(last.end, segment.end);
    else merged.push({ ...segment });
  }
  return merged;
}

function resolve(segments: Segment[], at: number) {
  const merged = mergeSegments(segments);
  const current = merged.find((s) => s.start <= at && at < s.end);
  const next = merged.find((s) => s.start > at);
  return {
    open: current !== undefined,
    closesAt: current?.end ?? null,
    nextOpensAt: next?.start ?? null,
  };
}

/**
 * Whether the clinic is open at `at`, when it closes and when it next opens, from its weekly
 * hours in its own timezone and its closures (whole local days).
 */
export function openingStatus(
  config: OpeningHoursConfig,
  at: Date,
  options: OpeningStatusOptions = {},
): OpeningStatus {
  const horizonDays = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const now = at.getTime();
  if (!Number.isFinite(now)) throw new RangeError("Invalid instant");
  const { timezone, closures } = config;
  const byWeekday = intervalsByWeekday(config.workingHours);
  const today = localDateOf(timezone, at);
  const closure = closureOn(closures, today);

  const segments: Segment[] = [];
  let result = resolve(segments, now);
  // Yesterday's intervals may run past midnight into today. Later days only add intervals that
  // start after their own local midnight, so once every answer lies a day before the days still
  // to come, it is final.
  for (let offset = -1; offset <= horizonDays; offset++) {
    const date = addDays(today, offset);
    segments.push(...segmentsStartingOn(timezone, date, byWeekday[isoWeekday(date)], closures));
    result = resolve(segments, now);
    const settledBefore = now + (offset - 1) * DAY;
    const pending = result.open ? [result.closesAt, result.nextOpensAt] : [result.nextOpensAt];
    if (pending.every((t) => t !== null && t <= settledBefore)) break;
  }
  const horizonEnd = now + (horizonDays - 1) * DAY;
  const within = (t: number | null) => (t !== null && t <= horizonEnd ? new Date(t) : null);
  return {
    open: result.open,
    closesAt: result.open ? within(result.closesAt) : null,
    nextOpensAt: within(result.nextOpensAt),
    closure: closure ? { reason: closure.reason } : null,
  };
}

// ---------------------------------------------------------------------------
// Human summary of the week
// ---------------------------------------------------------------------------

type WeekWords = {
  days: readonly [string, string, string, string, string, string, string];
  closed: string;
  and: string;
  nextDay: string;
  noHours: string;
};

// Languages the catalog's voices speak; anything else is summarised in English.
const WEEK_WORDS: Record<string, WeekWords> = {
  en: {
    days: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    closed: "closed",
    and: "and",
    nextDay: "next day",
    noHours: "No regular opening hours",
  },
  ru: {
    days: ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"],
    closed: "выходной",
    and: "и",
    nextDay: "следующего дня",
    noHours: "Постоянных часов работы нет",
  },
  lv: {
    days: [
      "pirmdiena",
      "otrdiena",
      "trešdiena",
      "ceturtdiena",
      "piektdiena",
      "sestdiena",
      "svētdiena",
    ],
    closed: "slēgts",
    and: "un",
    nextDay: "nākamajā dienā",
    noHours: "Nav regulāra darba laika",
  },
  de: {
    days: ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
    closed: "geschlossen",
    and: "und",
    nextDay: "am Folgetag",
    noHours: "Keine regulären Öffnungszeiten",
  },
  fr: {
    days: ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    closed: "fermé",
    and: "et",
    nextDay: "le lendemain",
    noHours: "Pas d'horaires réguliers",
  },
  es: {
    days: ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    closed: "cerrado",
    and: "y",
    nextDay: "del día siguiente",
    noHours: "Sin horario regular",
  },
};

function weekWordsFor(language: string): WeekWords {
  return WEEK_WORDS[language] ?? WEEK_WORDS[language.split("-")[0]] ?? WEEK_WORDS.en;
}

/**
 * The week in one line, consecutive days with the same hours grouped:
 * "Monday–Friday: 08:30–12:30 and 13:30–18:00; Saturday: 09:00–13:00; Sunday: closed".
 */
export function describeWeek(
  workingHours: readonly WorkingHoursInterval[],
  language: string,
): string {
  const words = weekWordsFor(language);
  const byWeekday = intervalsByWeekday(workingHours);
  if (byWeekday.every((day) => day.length === 0)) return words.noHours;

  const dayText = (weekday: number) => {
    const intervals = [...byWeekday[weekday]].sort((a, b) =>
      a.opens - b.opens || a.closes - b.closes
    );
    if (intervals.length === 0) return words.closed;
    const ranges = intervals.map(({ opens, closes, nextDay }) =>
      `${formatTimeOfDay(opens)}–${formatTimeOfDay(closes)}${nextDay ? ` (${words.nextDay})` : ""}`
    );
    return ranges.length === 1
      ? ranges[0]
      : `${ranges.slice(0, -1).join(", ")} ${words.and} ${ranges[ranges.length - 1]}`;
  };

  const groups: { first: number; last: number; text: string }[] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    const text = dayText(weekday);
    const last = groups[groups.length - 1];
    if (last && last.text === text) last.last = weekday;
    else groups.push({ first: weekday, last: weekday, text });
  }
  const summary = groups.map(({ first, last, text }) => {
    const days = first === last
      ? words.days[first - 1]
      : `${words.days[first - 1]}–${words.days[last - 1]}`;
    return `${days}: ${text}`;
  }).join("; ");
  return summary.charAt(0).toUpperCase() + summary.slice(1);
}
