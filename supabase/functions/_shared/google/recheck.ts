// The live re-check at booking: just before a booking is written, the chosen time is read from
// the practitioners' Google calendars (events.list over the blocked time) and any staff event
// found there is written into the mirror, so the booking RPC refuses it in the same words as a
// mirrored one ("Dr Hale has another commitment in Google Calendar at 10:00–10:30").
//
// Bounded by a short timeout: Google unreachable, slow, or waiting for reauthorisation → the
// booking stands (the database is the source of truth) and the pull catches up. Availability
// never calls this.
import type { Sql } from "../io/db.ts";
import { busyBlocks } from "./busy.ts";
import { googleCalendar } from "./client.ts";
import { staffBlocks, writeBusy } from "./pull.ts";

export const RECHECK_TIMEOUT_MS = 1500;

/** Brings the mirror of these practitioners' calendars up to date over [from, until) (epoch ms);
 * never throws. */
export type CalendarRecheck = (
  organisationId: string,
  practitionerIds: readonly string[],
  from: number,
  until: number,
) => Promise<void>;

export function liveCalendarRecheck(
  sql: Sql,
  { timeoutMs = RECHECK_TIMEOUT_MS }: { timeoutMs?: number } = {},
): CalendarRecheck {
  return async (organisationId, practitionerIds, from, until) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), timeoutMs);
    });
    try {
      const outcome = await Promise.race([
        recheck(sql, organisationId, practitionerIds, from, until, timeoutMs),
        deadline,
      ]);
      if (outcome === "late") {
        console.warn(`booking: Google did not answer the re-check within ${timeoutMs} ms`);
      }
    } catch (error) {
      console.warn(`booking: the Google re-check failed: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  };
}

async function recheck(
  sql: Sql,
  organisationId: string,
  practitionerIds: readonly string[],
  from: number,
  until: number,
  timeoutMs: number,
): Promise<"done"> {
  const calendars = await sql<{ calendar_id: string; timezone: string }[]>`
    select distinct coalesce(p.google_calendar_id, c.calendar_id) as calendar_id, o.timezone
    from public.practitioners p
    join public.calendar_connections c
      on c.organisation_id = p.organisation_id and c.status = 'active'
    join public.organisations o on o.id = p.organisation_id
    where p.organisation_id = ${organisationId} and p.id = any (${practitionerIds}::uuid[])`;
  if (calendars.length === 0) return "done";
  const google = googleCalendar(sql, organisationId, { timeoutMs });
  const timeMin = new Date(from);
  const timeMax = new Date(until);
  await Promise.all(calendars.map(async ({ calendar_id: calendarId, timezone }) => {
    const page = await google.listEvents(calendarId, { timeMin, timeMax });
    const blocks = busyBlocks(page.items, page.timeZone ?? timezone)
      .filter((b) => b.startsAt < until && b.endsAt > from);
    await writeBusy(
      sql,
      { organisationId, calendarId },
      await staffBlocks(sql, organisationId, blocks),
    );
  }));
  return "done";
}
