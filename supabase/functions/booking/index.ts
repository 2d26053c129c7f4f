// The booking operations for the dashboard, with the caller's own JWT: row-level security and the
// RPCs' checks apply exactly as when the dashboard reads the tables itself. The assistants call
// the same operations (`_shared/io/booking.ts`) from their own functions.
//
// POST {"action": "availability", organisationId, serviceId, practitionerId?, from, to,
//       preference?, limit?}                                  → {slots}
// POST {"action": "book", organisationId, slotId | (serviceId, start, practitionerId?),
//       phone, name, source?}                                 → {status: "booked" | "taken", …}
// POST {"action": "cancel", appointmentId, reason?}           → {status: "cancelled", appointment}
// POST {"action": "reschedule", appointmentId, slotId | start} → {status: "rescheduled" | "taken", …}
// POST {"action": "upcoming", organisationId, phone}          → {contact, appointments}
// Bad input and refusals answer 4xx {message}.
import { decodeJwt } from "jose";
import { z } from "zod";
import { callerClient } from "../_shared/http/caller.ts";
import { jsonResponse, preflight } from "../_shared/http/cors.ts";
import {
  type AvailabilityInput,
  book,
  BookingRefusal,
  type BookInput,
  cancel,
  type CancelInput,
  checkAvailability,
  reschedule,
  type RescheduleInput,
  upcomingForPhone,
  type UpcomingInput,
} from "../_shared/io/booking.ts";
import { database } from "../_shared/io/db.ts";
import { liveCalendarRecheck } from "../_shared/google/recheck.ts";

// Before a booking or move is written, the chosen time is read from Google (service code: the
// clinic's tokens), once the caller's membership has been checked by the availability read.
const recheck = () => liveCalendarRecheck(database());

const ACTIONS = [
  "availability",
  "book",
  "cancel",
  "reschedule",
  "upcoming",
] as const;
const action = z.object({
  action: z.enum(ACTIONS, {
    error: `action must be one of ${ACTIONS.join(", ")}`,
  }),
});

Deno.serve(async (req) => {
  const early = preflight(req);
  if (early) return early;
  if (req.method !== "POST") return jsonResponse({ message: "Use POST" }, 405);

  // verify_jwt has checked the signature; anon may not book.
  const authorization = req.headers.get("authorization") ?? "";
  const caller = decodeJwt(authorization.replace(/^Bearer\s+/i, ""));
  if (caller.role !== "authenticated") {
    return jsonResponse(
      { message: "Sign in to see and book appointments" },
      401,
    );
  }

  let body: unknown;
  try {
    body = await req.json();
  } catch {
    body = null;
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return jsonResponse({ message: 'The body must be a JSON object: {"action": …, …}' }, 400);
  }
  const chosen = action.safeParse(body);
  if (!chosen.success) {
    return jsonResponse({ message: chosen.error.issues[0].message }, 400);
  }
  // The operations parse the rest themselves (their schemas are the assistants' tools' too).
  const { action: name, ...rest } = body as Record<string, unknown>;

  const db = callerClient(authorization);

  try {
    switch (chosen.data.action) {
      case "availability":
        return jsonResponse(
          await checkAvailability(db, rest as AvailabilityInput),
        );
      case "book":
        return jsonResponse(
          await book(db, { source: "dashboard", ...rest } as BookInput, { recheck: recheck() }),
        );
      case "cancel":
        return jsonResponse(await cancel(db, rest as CancelInput));
      case "reschedule":
        return jsonResponse(
          await reschedule(db, rest as RescheduleInput, { recheck: recheck() }),
        );
      case "upcoming":
        return jsonResponse(await upcomingForPhone(db, rest as UpcomingInput));
    }
  } catch (error) {
    if (error instanceof BookingRefusal) {
      return jsonResponse({ message: error.message }, error.status);
    }
    console.error(
      `booking: ${String(name)} failed: ${error instanceof Error ? error.name : "unknown"}`,
    );
    return jsonResponse({
      message: "Booking is not available just now. Please try again.",
    }, 503);
  }
});
