// What the Appointments and Contacts pages read and ask. Free times, booking, moving and
// cancelling go through the `booking` edge function (the one availability and booking
// implementation every channel uses), called with the user's JWT so row-level security applies;
// marking completed or no-show is the database's RPC.
import type { Enums } from "@frontdesk/database";
import type { Read } from "../../data/query.ts";
import { supabase } from "../../supabase.ts";

export type AppointmentStatus = Enums<"appointment_status">;
export type CalendarSync = Enums<"calendar_sync_state">;

export type Practitioner = { id: string; display_name: string; active: boolean; position: number };

export type Contact = {
  id: string;
  name: string | null;
  phone: string;
  email: string | null;
  preferred_language: string | null;
  notes: string | null;
  created_at: string;
};

export type Appointment = {
  id: string;
  starts_at: string;
  ends_at: string;
  status: AppointmentStatus;
  source: string;
  practitioner_id: string;
  service_id: string;
  contact_id: string;
  cancellation_reason: string | null;
  /** Whether Google Calendar shows it as it is; null while no calendar is connected. */
  calendar_sync: CalendarSync | null;
  calendar_sync_error: string | null;
  updated_at: string;
  practitioner: { display_name: string } | null;
  service: { name: string } | null;
  contact: { id: string; name: string | null; phone: string } | null;
};

/** One read, the names embedded: the agenda, a contact's page. */
export const APPOINTMENT_COLUMNS = "id, starts_at, ends_at, status, source, practitioner_id, " +
  "service_id, contact_id, cancellation_reason, calendar_sync, calendar_sync_error, updated_at, " +
  "practitioner:practitioners(display_name), " +
  "service:services(name), contact:contacts(id, name, phone)";

export const STATUS_LABELS: Record<AppointmentStatus, string> = {
  booked: "Booked",
  cancelled: "Cancelled",
  completed: "Completed",
  no_show: "No-show",
};

export const SYNC_LABELS: Record<CalendarSync, string> = {
  synced: "Calendar ✓",
  pending: "Calendar: pending",
  failed: "Calendar: failed",
};

/** A free time as the booking function gives it. */
export type Slot = {
  slotId: string;
  start: string;
  label: string;
  practitioners: { id: string; name: string }[];
};

/** A booking or a move: done, or the time was taken meanwhile (with the next free ones). */
export type BookingOutcome =
  | { status: "booked" | "rescheduled"; appointment: { appointmentId: string; start: string } }
  | { status: "taken"; message: string; alternatives: Slot[] };

/** Calls the booking function; its refusals ({message}) come back as errors in words. */
async function callBooking<T>(body: Record<string, unknown>): Promise<Read<T>> {
  const { data, error } = await supabase().functions.invoke("booking", { body });
  if (!error) return { data: data as T, error: null };
  const response = (error as { context?: unknown }).context;
  if (response instanceof Response) {
    try {
      const answer = await response.clone().json();
      if (typeof answer?.message === "string") {
        return { data: null, error: new Error(answer.message) };
      }
    } catch { /* not JSON: the generic words below */ }
  }
  return { data: null, error };
}

/** Free times for a service on one day, for one practitioner or anyone. */
export async function freeSlots(
  query: { organisationId: string; serviceId: string; practitionerId?: string; date: string },
): Promise<Read<Slot[]>> {
  const answer = await callBooking<{ slots: Slot[] }>({
    action: "availability",
    organisationId: query.organisationId,
    serviceId: query.serviceId,
    practitionerId: query.practitionerId,
    from: query.date,
    to: query.date,
    limit: 200,
  });
  return answer.data ? { data: answer.data.slots, error: null } : answer;
}

export function book(
  request: { organisationId: string; slotId: string; phone: string; name: string },
): Promise<Read<BookingOutcome>> {
  return callBooking({ action: "book", source: "dashboard", ...request });
}

export function reschedule(
  request: { appointmentId: string; slotId: string },
): Promise<Read<BookingOutcome>> {
  return callBooking({ action: "reschedule", ...request });
}

export async function cancelAppointment(appointmentId: string, reason: string) {
  const { error } = await callBooking({ action: "cancel", appointmentId, reason });
  return { error };
}

export async function setStatus(appointmentId: string, status: AppointmentStatus) {
  const { error } = await supabase().rpc("set_appointment_status", {
    appointment_id: appointmentId,
    status,
  });
  return { error };
}

/** A clinic's practitioners in their order (only the active ones unless `all`). */
export async function readPractitioners(
  organisationId: string,
  all = false,
): Promise<Read<Practitioner[]>> {
  let query = supabase().from("practitioners").select("id, display_name, active, position")
    .eq("organisation_id", organisationId);
  if (!all) query = query.eq("active", true);
  const { data, error } = await query.order("position").order("display_name");
  return error ? { data: null, error } : { data: data as Practitioner[], error: null };
}

/**
 * Contacts whose name or number contains what was typed (the number also as the clinic dials it),
 * by name; the 50 first.
 */
export async function searchContacts(
  organisationId: string,
  typed: string,
  phone: string | undefined,
): Promise<Read<Contact[]>> {
  let query = supabase().from("contacts")
    .select("id, name, phone, email, preferred_language, notes, created_at")
    .eq("organisation_id", organisationId);
  const text = typed.trim().replace(/[%_,()"\\]/g, " ").trim();
  if (text) {
    const digits = (phone ?? text).replace(/[^\d+]/g, "");
    const parts = [`name.ilike.*${text}*`];
    if (digits.replace("+", "").length >= 3) parts.push(`phone.like.*${digits.replace("+", "")}*`);
    query = query.or(parts.join(","));
  }
  const { data, error } = await query.order("name", { nullsFirst: false }).order("id").limit(50);
  return error ? { data: null, error } : { data: data as Contact[], error: null };
}
