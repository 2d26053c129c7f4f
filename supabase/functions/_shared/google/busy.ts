// Google Calendar events → the busy blocks frontdesk mirrors (pure). Only the time an event
// takes is kept: no titles, attendees or descriptions ever leave Google.
//
// Not busy: cancelled events, events marked "free" (transparency: transparent), invitations the
// calendar's owner declined, and events without a usable time. All-day events (`date`) block
// whole local days of the calendar's time zone, from midnight to midnight (a DST day is 23 or
// 25 hours long); timed events (`dateTime`) carry their offset.
//
// Events frontdesk itself created carry an id derived from an appointment id (base32hex of the
// uuid's 16 bytes, event_id.ts): a block keeps that candidate so the caller can drop the
// ones that are really the organisation's appointments (Google's own generated ids use the
// same alphabet, so the id alone does not tell).
import { zonedDateTimeToInstant } from "../domain/opening_hours.ts";
import { appointmentIdFromEventId } from "./event_id.ts";

/** The part of an event's start or end frontdesk reads. */
export interface GoogleEventTime {
  date?: string; // "YYYY-MM-DD", all-day
  dateTime?: string; // RFC 3339, with offset (or local with timeZone)
  timeZone?: string;
}

/** The part of a Google Calendar event (events.list item) frontdesk reads. */
export interface GoogleEvent {
  id: string;
  status?: string; // confirmed | tentative | cancelled
  transparency?: string; // opaque (default) | transparent
  start?: GoogleEventTime;
  end?: GoogleEventTime;
  attendees?: { self?: boolean; responseStatus?: string }[];
  extendedProperties?: { private?: Record<string, string> };
}

/** A span of time an event keeps busy, in epoch ms, half-open. */
export interface BusyBlock {
  eventId: string;
  startsAt: number;
  endsAt: number;
  /** The appointment this event may have been created for by frontdesk, else null. */
  appointmentId: string | null;
}

const OFFSET = /(Z|[+-]\d{2}:\d{2})$/i;

/** The instant an event's start or end means, in epoch ms; null when it has none. */
function instantOf(time: GoogleEventTime | undefined, calendarZone: string): number | null {
  if (!time) return null;
  if (time.dateTime) {
    if (OFFSET.test(time.dateTime)) {
      const ms = Date.parse(time.dateTime);
      return Number.isNaN(ms) ? null : ms;
    }
    const [date, clock] = time.dateTime.split("T");
    if (!date || !clock) return null;
    return instant(time.timeZone ?? calendarZone, date, clock.slice(0, 5));
  }
  if (time.date) return instant(calendarZone, time.date, "00:00");
  return null;
}

function instant(timeZone: string, date: string, time: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return null;
  try {
    const ms = zonedDateTimeToInstant(timeZone, date, time).getTime();
    return Number.isNaN(ms) ? null : ms;
  } catch {
    return null; // an unknown time zone
  }
}

function isBusy(event: GoogleEvent): boolean {
  if (event.status === "cancelled") return false;
  if (event.transparency === "transparent") return false;
  const self = event.attendees?.find((a) => a.self);
  return self?.responseStatus !== "declined";
}

/**
 * The busy blocks of a page (or all pages) of events.list results, for a calendar in
 * `calendarZone` (the list's `timeZone`), sorted by start.
 */
export function busyBlocks(events: readonly GoogleEvent[], calendarZone: string): BusyBlock[] {
  const blocks: BusyBlock[] = [];
  for (const event of events) {
    if (!event.id || !isBusy(event)) continue;
    const startsAt = instantOf(event.start, calendarZone);
    const endsAt = instantOf(event.end, calendarZone);
    if (startsAt === null || endsAt === null || endsAt <= startsAt) continue;
    const marked = event.extendedProperties?.private?.appointmentId;
    blocks.push({
      eventId: event.id,
      startsAt,
      endsAt,
      appointmentId: marked ?? appointmentIdFromEventId(event.id),
    });
  }
  return blocks.sort((a, b) => a.startsAt - b.startsAt || a.endsAt - b.endsAt);
}
