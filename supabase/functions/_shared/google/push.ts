// The job `google.push_appointment` ({appointment_id}): makes the clinic's Google Calendar show
// the appointment as it is now, then records how that went on the appointment (its sync state,
// shown in the dashboard). Idempotent: the event id is derived from the appointment id, so a job
// run again after a crash meets its own event instead of making a second one.
import type { Sql } from "../io/db.ts";
import { type Job, JobFailedPermanently, type JobHandler, JobPostponed } from "../jobs/types.ts";
import { googleCalendar, type GoogleCalendarClient } from "./client.ts";
import { GoogleApiError, GoogleNeedsReauth, GoogleNotConnected } from "./errors.ts";
import { type CalendarEvent, eventFor } from "./event_body.ts";
import {
  type AppointmentStatus,
  type ConnectionStatus,
  pushPlan,
  type SyncState,
} from "./push_plan.ts";
import { REAUTH_SENTENCE } from "./tokens.ts";

/** While the grant needs renewing the job waits this long (reconnecting resumes it at once). */
const REAUTH_WAIT_MS = 6 * 60 * 60 * 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface PushRow {
  id: string;
  organisation_id: string;
  status: AppointmentStatus;
  starts_at: Date;
  ends_at: Date;
  calendar_sync: SyncState | null;
  calendar_event_calendar_id: string | null;
  service_name: string;
  patient_name: string | null;
  practitioner_name: string;
  time_zone: string;
  connection: ConnectionStatus | null;
  calendar_id: string;
}

/** The appointment with everything its event shows and where it belongs, in one query. */
async function loadAppointment(sql: Sql, appointmentId: string): Promise<PushRow | undefined> {
  const [row] = await sql<PushRow[]>`
    select a.id, a.organisation_id, a.status, a.starts_at, a.ends_at, a.calendar_sync,
      a.calendar_event_calendar_id, s.name as service_name, c.name as patient_name,
      p.display_name as practitioner_name, o.timezone as time_zone, cc.status as connection,
      coalesce(p.google_calendar_id, cc.calendar_id, 'primary') as calendar_id
    from public.appointments a
    join public.services s on s.id = a.service_id
    join public.contacts c on c.id = a.contact_id
    join public.practitioners p on p.id = a.practitioner_id
    join public.organisations o on o.id = a.organisation_id
    left join public.calendar_connections cc on cc.organisation_id = a.organisation_id
    where a.id = ${appointmentId}`;
  return row;
}

interface Outcome {
  state: SyncState | null;
  error: string | null;
  /** The calendar its event is in now, when this run knows it (undefined: unchanged). */
  eventCalendarId?: string | null;
}

/**
 * Records the outcome on the appointment. When the appointment changed again meanwhile, its
 * newer push is already waiting: it stays pending for that one.
 */
async function record(sql: Sql, appointmentId: string, outcome: Outcome): Promise<void> {
  const knowsCalendar = outcome.eventCalendarId !== undefined;
  await sql`
    update public.appointments a set
      calendar_sync = case
        when exists (select from private.jobs j where j.kind = 'google.push_appointment'
                     and j.dedupe_key = ${appointmentId} and j.status = 'pending')
          then 'pending'::public.calendar_sync_state
        else ${outcome.state}::public.calendar_sync_state end,
      calendar_sync_error = ${outcome.error},
      calendar_synced_at = case when ${
    outcome.state === "synced"
  } then now() else a.calendar_synced_at end,
      calendar_event_calendar_id = case when ${knowsCalendar}
        then ${outcome.eventCalendarId ?? null} else a.calendar_event_calendar_id end
    where a.id = ${appointmentId}`;
}

/** Inserts the event; a 409 is an earlier insert of ours (its private property says so). */
async function insert(google: GoogleCalendarClient, calendarId: string, event: CalendarEvent) {
  try {
    await google.insertEvent(calendarId, event);
  } catch (error) {
    if (!(error instanceof GoogleApiError && error.kind === "duplicate")) throw error;
    const existing = await google.getEvent(calendarId, event.id);
    if (
      existing.extendedProperties?.private?.appointmentId !==
        event.extendedProperties.private.appointmentId
    ) {
      throw new JobFailedPermanently(
        "Google Calendar already has another event with this appointment's event id.",
      );
    }
    await google.patchEvent(calendarId, event.id, withoutId(event));
  }
}

async function update(google: GoogleCalendarClient, calendarId: string, event: CalendarEvent) {
  try {
    await google.patchEvent(calendarId, event.id, withoutId(event));
  } catch (error) {
    // Deleted in Google by someone: the appointment still stands, so it goes back.
    if (
      !(error instanceof GoogleApiError && (error.kind === "not_found" || error.kind === "gone"))
    ) {
      throw error;
    }
    await insert(google, calendarId, event);
  }
}

/** Deletes the event; already gone is done. */
async function remove(google: GoogleCalendarClient, calendarId: string, eventId: string) {
  try {
    await google.deleteEvent(calendarId, eventId);
  } catch (error) {
    if (
      !(error instanceof GoogleApiError && (error.kind === "not_found" || error.kind === "gone"))
    ) {
      throw error;
    }
  }
}

function withoutId({ id: _id, ...rest }: CalendarEvent) {
  return rest;
}

/** Writes what the plan says; answers the calendar the event is in afterwards (null: none). */
async function apply(sql: Sql, row: PushRow): Promise<string | null> {
  const plan = pushPlan({
    status: row.status,
    connection: row.connection,
    calendarId: row.calendar_id,
    eventCalendarId: row.calendar_event_calendar_id,
    sync: row.calendar_sync,
  });
  if (plan.action === "nothing") return row.calendar_event_calendar_id;
  const google = googleCalendar(sql, row.organisation_id);
  const event = eventFor({
    id: row.id,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    serviceName: row.service_name,
    patientName: row.patient_name,
    practitionerName: row.practitioner_name,
    timeZone: row.time_zone,
  });
  switch (plan.action) {
    case "insert":
      await insert(google, plan.calendarId, event);
      return plan.calendarId;
    case "patch":
      await update(google, plan.calendarId, event);
      return plan.calendarId;
    case "move":
      await remove(google, plan.from, event.id);
      await insert(google, plan.to, event);
      return plan.to;
    case "delete":
      await remove(google, plan.calendarId, event.id);
      return null;
  }
}

export const pushAppointment: JobHandler = async (job: Job, { sql }) => {
  const appointmentId = (job.payload as { appointment_id?: unknown } | null)?.appointment_id;
  if (typeof appointmentId !== "string" || !UUID.test(appointmentId)) {
    throw new JobFailedPermanently("The job names no appointment");
  }
  const row = await loadAppointment(sql, appointmentId);
  if (!row) return; // gone with its organisation: nothing to show
  if (row.connection === null || row.connection === "disconnected") {
    return await record(sql, row.id, { state: null, error: null });
  }
  try {
    const eventCalendarId = await apply(sql, row);
    await record(sql, row.id, { state: "synced", error: null, eventCalendarId });
  } catch (error) {
    if (error instanceof GoogleNotConnected) {
      return await record(sql, row.id, { state: null, error: null });
    }
    if (error instanceof GoogleNeedsReauth) {
      await record(sql, row.id, { state: "pending", error: REAUTH_SENTENCE });
      throw new JobPostponed(new Date(Date.now() + REAUTH_WAIT_MS), REAUTH_SENTENCE);
    }
    const message = error instanceof Error ? error.message : String(error);
    const permanent = error instanceof JobFailedPermanently ||
      (error instanceof GoogleApiError && error.kind !== "retry" && error.kind !== "auth");
    if (permanent) {
      const reason = `Google Calendar refused the event: ${message}`;
      await record(sql, row.id, { state: "failed", error: reason });
      throw new JobFailedPermanently(reason);
    }
    const lastAttempt = job.attempts >= job.max_attempts;
    await record(sql, row.id, {
      state: lastAttempt ? "failed" : "pending",
      error: lastAttempt
        ? `${message}. Gave up after ${job.attempts} attempt${job.attempts === 1 ? "" : "s"}.`
        : `${message}. Trying again shortly.`,
    });
    throw error;
  }
};
