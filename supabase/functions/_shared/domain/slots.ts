// Free appointment slots: the one availability rule every channel uses (like Cal.com's slot
// builder). Pure: "now" and every busy range are parameters.
//
// Semantics, for each practitioner (those in the query: active and performing the service):
// - Hours: their own weekly hours, or the clinic's when they have none (`hours: null`; an empty
//   list means never). An interval whose close is not after its opening ends the next day.
// - Grid: candidate starts are the opening's local wall-clock time plus whole multiples of the
//   slot interval, until its close (a Monday 09:10 opening at 15 min: 09:10, 09:25, …). A local
//   time that does not exist (spring-forward gap) is never offered; one that occurs twice
//   (fall-back) is offered once, at its earlier occurrence. Durations are real minutes.
// - Fit: the appointment itself, [start, start + duration), lies within their working time
//   (adjacent intervals join) and on no local day closed for the clinic or for them (closures
//   are whole local days and cut a night interval at midnight).
// - Buffers: [start − buffer before, end + buffer after) overlaps none of their busy ranges (the
//   blocked ranges of booked appointments, themselves widened). Buffers may run outside working
//   hours and into closed days: they keep appointments apart, not inside the day.
// - Window: now + minimum notice ≤ start < now + horizon days, the start's local date within
//   [from, to], and with a preference, its local time before 12:00 (morning), 12:00–17:00
//   (afternoon) or from 17:00 (evening).
// The result is sorted by start, one slot per start with the sorted ids of the practitioners free
// for it.

import { merge, subtract } from "./intervals.ts";
import type { Interval } from "./intervals.ts";
import {
  addDays,
  type DayInterval,
  intervalsByWeekday,
  isoWeekday,
  localClock,
  localDateOf,
} from "./opening_hours.ts";
import { compareText } from "./ordering.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;

/** ISO weekday (1 = Monday) and local times "HH:MM[:SS]", as working_hours rows. */
export interface WeeklyInterval {
  weekday: number;
  opens: string;
  closes: string;
}

export type Preference = "morning" | "afternoon" | "evening";

export interface SlotQuery {
  timeZone: string;
  /** Epoch ms. */
  now: number;
  /** Local dates, both inclusive, "YYYY-MM-DD". */
  from: string;
  to: string;
  service: { durationMinutes: number; bufferBeforeMinutes: number; bufferAfterMinutes: number };
  clinicHours: WeeklyInterval[];
  practitioners: { id: string; name: string; hours: WeeklyInterval[] | null }[];
  /** Whole local days; `practitionerId` null closes the clinic, else it is that one's time off. */
  closures: { startsOn: string; endsOn: string; practitionerId: string | null }[];
  /** Blocked ranges of booked appointments, epoch ms, half-open. */
  busy: { practitionerId: string; from: number; until: number }[];
  rules: { slotIntervalMinutes: number; minNoticeMinutes: number; horizonDays: number };
  preference?: Preference;
}

/** Epoch ms, half-open; `practitionerIds` sorted. */
export interface Slot {
  start: number;
  end: number;
  practitionerIds: string[];
}

function requireMinutes(name: string, value: number, min: number) {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be a whole number of at least ${min}, not ${value}`);
  }
}

/** Whether [start, end) lies inside one of `stretches` (normalised). */
function within(stretches: readonly Interval[], start: number, end: number): boolean {
  const i = firstEndingAfter(stretches, start);
  return i < stretches.length && stretches[i].start <= start && end <= stretches[i].end;
}

/** Whether [start, end) overlaps one of `ranges` (normalised). */
function overlaps(ranges: readonly Interval[], start: number, end: number): boolean {
  const i = firstEndingAfter(ranges, start);
  return i < ranges.length && ranges[i].start < end;
}

/** Index of the first interval ending after `instant` (binary search; the list is sorted). */
function firstEndingAfter(intervals: readonly Interval[], instant: number): number {
  let [low, high] = [0, intervals.length];
  while (low < high) {
    const mid = (low + high) >> 1;
    if (intervals[mid].end <= instant) low = mid + 1;
    else high = mid;
  }
  return low;
}

function matchesPreference(preference: Preference | undefined, minuteOfDay: number): boolean {
  switch (preference) {
    case "morning":
      return minuteOfDay < 720;
    case "afternoon":
      return minuteOfDay >= 720 && minuteOfDay < 1020;
    case "evening":
      return minuteOfDay >= 1020;
    default:
      return true;
  }
}

/** Free slots for the query; see the header for the exact rules. Invalid input: RangeError. */
export function findSlots(query: SlotQuery): Slot[] {
  const { timeZone, now, service, rules } = query;
  if (!Number.isFinite(now)) throw new RangeError("now must be an instant");
  requireMinutes("durationMinutes", service.durationMinutes, 1);
  requireMinutes("bufferBeforeMinutes", service.bufferBeforeMinutes, 0);
  requireMinutes("bufferAfterMinutes", service.bufferAfterMinutes, 0);
  requireMinutes("slotIntervalMinutes", rules.slotIntervalMinutes, 1);
  requireMinutes("minNoticeMinutes", rules.minNoticeMinutes, 0);
  requireMinutes("horizonDays", rules.horizonDays, 0);
  // Parses both dates (a RangeError if invalid).
  if (addDays(query.from, 0) > addDays(query.to, 0)) return [];

  const earliest = now + rules.minNoticeMinutes * MINUTE;
  const latest = now + rules.horizonDays * DAY; // exclusive
  // Only dates that can hold a start in the window; a day earlier for intervals past midnight.
  const firstDate = maxText(
    addDays(query.from, -1),
    addDays(localDateOf(timeZone, new Date(earliest)), -1),
  );
  const lastDate = minText(query.to, localDateOf(timeZone, new Date(latest)));
  if (firstDate > lastDate || earliest >= latest) return [];

  const clock = localClock(timeZone);
  const duration = service.durationMinutes * MINUTE;
  const before = service.bufferBeforeMinutes * MINUTE;
  const after = service.bufferAfterMinutes * MINUTE;
  const closedDays = (closures: SlotQuery["closures"]) =>
    closures.map((c) => ({
      start: clock.instant(c.startsOn, 0),
      end: clock.instant(addDays(c.endsOn, 1), 0),
    }));
  const clinicClosed = closedDays(query.closures.filter((c) => c.practitionerId === null));
  const clinicWeek = intervalsByWeekday(query.clinicHours);

  // Busy ranges by practitioner, only those that can touch a start in the window with its buffers.
  const busyOf = new Map<string, Interval[]>();
  for (const { practitionerId, from, until } of query.busy) {
    if (until <= earliest - before || from >= latest + duration + after) continue;
    const ranges = busyOf.get(practitionerId);
    if (ranges) ranges.push({ start: from, end: until });
    else busyOf.set(practitionerId, [{ start: from, end: until }]);
  }

  const free = new Map<number, string[]>();
  for (const practitioner of query.practitioners) {
    const week = practitioner.hours === null ? clinicWeek : intervalsByWeekday(practitioner.hours);
    // Starts come from openings up to lastDate; the working time reaches a day further, so an
    // appointment may run past midnight into the next day's hours.
    const openings: { date: string; interval: DayInterval }[] = [];
    const workingOpenings: { date: string; interval: DayInterval }[] = [];
    for (let date = firstDate; date <= addDays(lastDate, 1); date = addDays(date, 1)) {
      for (const interval of week[isoWeekday(date)]) {
        workingOpenings.push({ date, interval });
        if (date <= lastDate) openings.push({ date, interval });
      }
    }
    const working = subtract(
      merge(workingOpenings.map(({ date, interval: { opens, closes, nextDay } }) => ({
        start: clock.instant(date, opens),
        end: clock.instant(date, closes + (nextDay ? 1440 : 0)),
      }))),
      [
        ...clinicClosed,
        ...closedDays(query.closures.filter((c) => c.practitionerId === practitioner.id)),
      ],
    );
    const busy = merge(busyOf.get(practitioner.id) ?? []);

    for (const { date, interval: { opens, closes, nextDay } } of openings) {
      const close = closes + (nextDay ? 1440 : 0);
      for (let minute = opens; minute < close; minute += rules.slotIntervalMinutes) {
        const start = clock.existing(date, minute);
        if (start === null || start < earliest || start >= latest) continue;
        const end = start + duration;
        if (!within(working, start, end) || overlaps(busy, start - before, end + after)) continue;
        const startDate = minute < 1440 ? date : addDays(date, Math.floor(minute / 1440));
        if (startDate < query.from || startDate > query.to) continue;
        if (!matchesPreference(query.preference, minute % 1440)) continue;
        const ids = free.get(start);
        if (!ids) free.set(start, [practitioner.id]);
        else if (!ids.includes(practitioner.id)) ids.push(practitioner.id);
      }
    }
  }

  return [...free.entries()]
    .sort(([a], [b]) => a - b)
    .map(([start, ids]) => ({
      start,
      end: start + duration,
      practitionerIds: ids.sort(compareText),
    }));
}

function maxText(a: string, b: string): string {
  return a > b ? a : b;
}

function minText(a: string, b: string): string {
  return a < b ? a : b;
}

/**
 * The first `n` slots starting at or after `after` (epoch ms) — the alternatives offered when a
 * time was just taken; a slot at that very time with another practitioner counts.
 */
export function nextSlots(slots: readonly Slot[], after: number, n: number): Slot[] {
  return slots.filter((slot) => slot.start >= after).slice(0, Math.max(0, n));
}
