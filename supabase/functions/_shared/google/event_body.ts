// The Google Calendar event an appointment is shown as. Staff see what they need to recognise
// it (service, patient name, practitioner) and no more: no phone number, email or notes, since
// calendars are often shared wider than the dashboard.
import { isoInZone } from "../domain/booking_text.ts";
import { eventIdFor } from "./event_id.ts";

/** An appointment as the push reads it, with the names it is shown by. */
export interface AppointmentForEvent {
  id: string;
  startsAt: Date;
  endsAt: Date;
  serviceName: string;
  patientName: string | null;
  practitionerName: string;
  /** The clinic's IANA time zone. */
  timeZone: string;
}

/** The fields of a Google Event frontdesk writes (Calendar v3 `Event`). */
export interface CalendarEvent {
  id: string;
  summary: string;
  description: string;
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  transparency: "opaque";
  status: "confirmed";
  reminders: { useDefault: true };
  extendedProperties: { private: { appointmentId: string } };
}

/** The event as Google must hold it for this appointment (insert body; also the full patch). */
export function eventFor(appointment: AppointmentForEvent): CalendarEvent {
  const { timeZone } = appointment;
  const patient = appointment.patientName?.trim();
  return {
    id: eventIdFor(appointment.id),
    summary: patient ? `${appointment.serviceName} — ${patient}` : appointment.serviceName,
    description: `With ${appointment.practitionerName}. Booked by Frontdesk.`,
    start: { dateTime: isoInZone(timeZone, appointment.startsAt.getTime()), timeZone },
    end: { dateTime: isoInZone(timeZone, appointment.endsAt.getTime()), timeZone },
    // Busy: the clinic's calendar shows the practitioner taken, as the appointment does here.
    transparency: "opaque",
    // Also brings back an event of this id that was deleted (Google keeps its id taken).
    status: "confirmed",
    reminders: { useDefault: true },
    extendedProperties: { private: { appointmentId: appointment.id.toLowerCase() } },
  };
}
