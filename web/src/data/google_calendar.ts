import { FunctionsHttpError } from "@supabase/supabase-js";
import type { Tables } from "@frontdesk/database";
import { type Read, readAll } from "./query.ts";
import { supabase } from "../supabase.ts";

export type GoogleCalendar = Pick<
  Tables<"google_calendars">,
  "calendar_id" | "summary" | "is_primary" | "time_zone"
>;

export type PractitionerCalendar = Pick<
  Tables<"practitioners">,
  "id" | "display_name" | "active" | "google_calendar_id"
>;

/** The google-oauth function: a refusal comes back as an error in its words. */
async function googleOauth<T>(
  route: "start" | "disconnect",
  organisationId: string,
): Promise<Read<T>> {
  const { data, error } = await supabase().functions.invoke<T>(`google-oauth/${route}`, {
    body: { organisation_id: organisationId },
  });
  if (!error) return { data: data!, error: null };
  if (error instanceof FunctionsHttpError) {
    const body = await (error.context as Response).json().catch(() => null);
    if (typeof body?.message === "string") return { data: null, error: { message: body.message } };
  }
  return { data: null, error };
}

/** Google's consent page for this clinic (owners and admins); the browser goes there next. */
export function startCalendarConnection(organisationId: string) {
  return googleOauth<{ url: string }>("start", organisationId);
}

/** Revokes Frontdesk's access at Google and forgets the tokens. */
export function disconnectCalendar(organisationId: string) {
  return googleOauth<{ disconnected: true; revoked: boolean }>("disconnect", organisationId);
}

/** The connected account's calendars and which one each practitioner uses. */
export function readPractitionerCalendars(
  organisationId: string,
): Promise<Read<{ calendars: GoogleCalendar[]; practitioners: PractitionerCalendar[] }>> {
  const db = supabase();
  return readAll({
    calendars: db.from("google_calendars")
      .select("calendar_id, summary, is_primary, time_zone")
      .eq("organisation_id", organisationId)
      .order("is_primary", { ascending: false })
      .order("summary"),
    practitioners: db.from("practitioners")
      .select("id, display_name, active, google_calendar_id")
      .eq("organisation_id", organisationId)
      .order("position")
      .order("display_name"),
  });
}

/** null: the connection's primary calendar. */
export function setPractitionerCalendar(practitionerId: string, calendarId: string | null) {
  return supabase().from("practitioners")
    .update({ google_calendar_id: calendarId })
    .eq("id", practitionerId);
}

/** Whether the clinic's Google Calendar needs an owner to reconnect it, and why. */
export function readCalendarAttention(
  organisationId: string,
): PromiseLike<Read<Pick<Tables<"calendar_connections">, "status" | "last_error"> | null>> {
  return supabase().from("calendar_connections")
    .select("status, last_error")
    .eq("organisation_id", organisationId)
    .maybeSingle();
}
