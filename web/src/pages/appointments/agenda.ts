// The agenda's calendar arithmetic and layout, pure so they are unit-tested without a browser.
// Days are the clinic's local calendar dates ("YYYY-MM-DD"); moments are ISO timestamps.

import {
  addDays,
  isoWeekday,
  localDateOf,
  zonedDateTimeToInstant,
} from "@frontdesk/domain/opening_hours.ts";

export { addDays };

export type AgendaView = "day" | "week";

/** Whether a string is a real calendar date ("2026-02-30" is not). */
export function isDate(text: string | undefined): text is string {
  return !!text && /^\d{4}-\d{2}-\d{2}$/.test(text) &&
    new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;
}

/** The calendar date a moment falls on in a time zone. */
export function localDate(at: Date | string, timeZone: string): string {
  return localDateOf(timeZone, new Date(at));
}

/** The days a view shows: the day itself, or its week from Monday to Sunday. */
export function daysShown(date: string, view: AgendaView): string[] {
  if (view === "day") return [date];
  const monday = addDays(date, 1 - isoWeekday(date));
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/** The moment a local day starts in a time zone (its midnight, or after a gap skipping it). */
export function startOfDay(date: string, timeZone: string): string {
  return zonedDateTimeToInstant(timeZone, date, "00:00").toISOString();
}

/** The moments bounding the days shown, [from, until): the bounds of the agenda's one query. */
export function rangeOf(days: string[], timeZone: string): { from: string; until: string } {
  return {
    from: startOfDay(days[0], timeZone),
    until: startOfDay(addDays(days.at(-1)!, 1), timeZone),
  };
}

export type AgendaAppointment = {
  id: string;
  starts_at: string;
  practitioner_id: string;
};

export type AgendaColumn<A, P> = { practitioner: P; appointments: A[] };
export type AgendaDay<A, P> = { date: string; columns: AgendaColumn<A, P>[] };

/**
 * The agenda laid out: each day shown, a column per practitioner (in the order given) holding
 * their appointments that day by start time. A practitioner no longer listed (deactivated) who
 * still has appointments in the range gets a column too, from `missing`, so nothing is hidden.
 */
export function layoutAgenda<A extends AgendaAppointment, P extends { id: string }>(
  appointments: A[],
  practitioners: P[],
  days: string[],
  timeZone: string,
  missing: (appointment: A) => P,
): AgendaDay<A, P>[] {
  const columns = [...practitioners];
  for (const appointment of appointments) {
    if (!columns.some((p) => p.id === appointment.practitioner_id)) {
      columns.push(missing(appointment));
    }
  }
  const sorted = appointments.toSorted((a, b) =>
    Date.parse(a.starts_at) - Date.parse(b.starts_at) || a.id.localeCompare(b.id)
  );
  return days.map((date) => ({
    date,
    columns: columns.map((practitioner) => ({
      practitioner,
      appointments: sorted.filter((a) =>
        a.practitioner_id === practitioner.id && localDate(a.starts_at, timeZone) === date
      ),
    })),
  }));
}
