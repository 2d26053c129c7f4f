// What Google must be told so that an appointment shows in the clinic's calendar exactly as it
// is here: pure, so every case is decided in one place and tested without Google.

export type AppointmentStatus = "booked" | "cancelled" | "completed" | "no_show";
export type ConnectionStatus = "active" | "needs_reauth" | "disconnected";
export type SyncState = "pending" | "synced" | "failed";

export interface PushState {
  status: AppointmentStatus;
  /** The organisation's calendar connection; null when it never connected one. */
  connection: ConnectionStatus | null;
  /** The calendar the appointment belongs in now (its practitioner's, else the clinic's). */
  calendarId: string;
  /** The calendar its event was last written to; null when none is known to exist. */
  eventCalendarId: string | null;
  sync: SyncState | null;
}

export type PushPlan =
  /** No event known: insert it (a 409 is our own earlier insert: confirm and patch it). */
  | { action: "insert"; calendarId: string }
  /** The event is there: bring it up to date (gone meanwhile: insert it again). */
  | { action: "patch"; calendarId: string }
  /** The practitioner's calendar changed: delete the event there, insert it in the new one. */
  | { action: "move"; from: string; to: string }
  /** Cancelled: the event goes (already gone counts as done). */
  | { action: "delete"; calendarId: string }
  | { action: "nothing" };

export function pushPlan(state: PushState): PushPlan {
  if (state.connection === null || state.connection === "disconnected") {
    return { action: "nothing" };
  }
  if (state.status === "cancelled") {
    if (state.eventCalendarId !== null) {
      return { action: "delete", calendarId: state.eventCalendarId };
    }
    // Never recorded, but an insert may have reached Google before its job was cut short.
    return state.sync === "synced"
      ? { action: "nothing" }
      : { action: "delete", calendarId: state.calendarId };
  }
  // Completed and no-show appointments stay in the calendar as they happened.
  if (state.eventCalendarId === null) return { action: "insert", calendarId: state.calendarId };
  if (state.eventCalendarId === state.calendarId) {
    return { action: "patch", calendarId: state.calendarId };
  }
  return { action: "move", from: state.eventCalendarId, to: state.calendarId };
}
