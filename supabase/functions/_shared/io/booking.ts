// The booking operations every channel uses — the dashboard through the `booking` function, the
// voice and WhatsApp assistants through their tool calls: check availability, book, cancel,
// reschedule, a contact's upcoming appointments. Each takes a supabase-js client: with a user's
// JWT row-level security decides what it may see and do; with the service role (service code)
// the organisation id it is given is the only boundary, so it is always explicit.
//
// Availability is one round trip (availability_inputs, which includes the mirrored busy time of
// the practitioners' Google calendars) and the pure findSlots. Booking writes go through the
// RPCs, where the exclusion constraint has the last word: a lost race (23P01) answers "taken"
// with the next three free times, never an error. A caller may pass a live re-check of the
// Google calendars (google/recheck.ts) that runs just before writing.
//
// Inputs and outputs are shaped for an AI caller: few fields, times in the clinic's zone with
// the weekday ("Tuesday 8 December, 10:30") beside ISO with offset, ids it can pass back.
import type { SupabaseClient } from "@supabase/supabase-js";
import { z } from "zod";
import type { Database } from "../database.types.ts";
import {
  decodeSlotId,
  encodeSlotId,
  isoInZone,
  type SlotRef,
  takenMessage,
  timeLabel,
} from "../domain/booking_text.ts";
import { addDays, localDateOf } from "../domain/opening_hours.ts";
import { phoneInCountry, toE164 } from "../domain/phone.ts";
import { findSlots, nextSlots, type Slot, type SlotQuery } from "../domain/slots.ts";
import type { CalendarRecheck } from "../google/recheck.ts";

export type Db = SupabaseClient<Database>;

/** Why an operation cannot be done, in words, with the HTTP status that fits (503: try again). */
export class BookingRefusal extends Error {
  constructor(message: string, readonly status: 400 | 403 | 404 | 409 | 503 = 400) {
    super(message);
  }
}

// ---------------------------------------------------------------------------
// Inputs (zod: the `booking` function and the assistants' tool calls parse with these)
// ---------------------------------------------------------------------------

const uuid = (what: string) => z.uuid({ error: `${what} must be an id from an earlier answer` });
const localDate = (what: string) =>
  z.string({ error: `${what} must be a date` }).regex(/^\d{4}-\d{2}-\d{2}$/, {
    error: `${what} must be a date written YYYY-MM-DD`,
  });
const instant = z.iso.datetime({
  offset: true,
  error: "start must be a time with its offset, e.g. 2026-12-08T10:30:00+00:00",
});
const slotId = z.string({ error: "slotId must be a slot id from an availability answer" })
  .max(200);

const MAX_RANGE_DAYS = 62;
const ALTERNATIVES = 3;

export const availabilityInput = z.strictObject({
  organisationId: uuid("organisationId"),
  serviceId: uuid("serviceId"),
  practitionerId: uuid("practitionerId").optional(),
  from: localDate("from"),
  to: localDate("to"),
  preference: z.enum(["morning", "afternoon", "evening"], {
    error: "preference must be morning (before 12:00), afternoon (12:00–17:00) or evening " +
      "(from 17:00)",
  }).optional(),
  limit: z.int({ error: "limit must be a whole number" }).min(1).max(200).default(10),
})
  .refine((v) => v.from <= v.to, { error: "to must not be before from", path: ["to"] })
  .refine((v) => v.to <= addDays(v.from, MAX_RANGE_DAYS - 1), {
    error: `Ask for at most ${MAX_RANGE_DAYS} days at once`,
    path: ["to"],
  });

const contactFields = {
  phone: z.string({ error: "phone must be a text" }).trim().min(1, "phone is required").max(40),
  name: z.string({ error: "name must be a text" }).trim().min(1, "name is required").max(200),
};
const source = z.enum(["dashboard", "voice", "whatsapp"], {
  error: "source must be dashboard, voice or whatsapp",
});

/** By slot id when the body has one, else by exact start: the first problem is then precise. */
function slotOrStart<A extends z.ZodType, B extends z.ZodType>(bySlot: A, byStart: B) {
  return z.unknown().transform((value, ctx): z.output<A> | z.output<B> => {
    const chosen = typeof value === "object" && value !== null && "slotId" in value
      ? bySlot
      : byStart;
    const parsed = chosen.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ ...issue, code: "custom" });
      }
      return z.NEVER;
    }
    return parsed.data;
  });
}

export const bookInput = slotOrStart(
  z.strictObject({ organisationId: uuid("organisationId"), slotId, ...contactFields, source }),
  z.strictObject({
    organisationId: uuid("organisationId"),
    serviceId: uuid("serviceId"),
    start: instant,
    practitionerId: uuid("practitionerId").optional(),
    ...contactFields,
    source,
  }),
);

export const cancelInput = z.strictObject({
  appointmentId: uuid("appointmentId"),
  reason: z.string({ error: "reason must be a text" }).trim().max(500).default(""),
});

export const rescheduleInput = slotOrStart(
  z.strictObject({ appointmentId: uuid("appointmentId"), slotId }),
  z.strictObject({
    appointmentId: uuid("appointmentId"),
    start: instant,
    practitionerId: uuid("practitionerId").optional(),
  }),
);

export const upcomingInput = z.strictObject({
  organisationId: uuid("organisationId"),
  phone: contactFields.phone,
});

export type AvailabilityInput = z.input<typeof availabilityInput>;
export type BookInput = z.output<typeof bookInput>;
export type CancelInput = z.input<typeof cancelInput>;
export type RescheduleInput = z.output<typeof rescheduleInput>;
export type UpcomingInput = z.input<typeof upcomingInput>;

/** The input an operation was given, parsed, or a refusal naming the first thing wrong. */
function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.join(".");
  // Messages mostly name their field; "Too big" and the like do not.
  const where = field && !issue.message.includes(field) ? `${field}: ` : "";
  throw new BookingRefusal(`${where}${issue.message}`);
}

// ---------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------

export interface SlotAnswer {
  slotId: string;
  start: string; // ISO with the clinic's offset
  label: string; // "Tuesday 8 December, 10:30"
  practitioners: { id: string; name: string }[];
}

export interface AppointmentAnswer {
  appointmentId: string;
  status: Database["public"]["Enums"]["appointment_status"];
  start: string;
  end: string;
  label: string;
  service: { id: string; name: string };
  practitioner: { id: string; name: string };
  contact: { id: string; name: string | null; phone: string };
}

export type Taken = { status: "taken"; message: string; alternatives: SlotAnswer[] };
export type BookResult = { status: "booked"; appointment: AppointmentAnswer } | Taken;
export type RescheduleResult = { status: "rescheduled"; appointment: AppointmentAnswer } | Taken;

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

type Refused = { message: string; code?: string; hint?: string | null };

/** The Data API's refusal in the database's words, with a fitting status; an outage as 503. */
function refusal(error: Refused, status: number): BookingRefusal {
  const message = error.hint
    ? `${error.message.replace(/\.?$/, ".")} ${error.hint}`
    : error.message;
  if (error.code === "PT404" || status === 404) return new BookingRefusal(message, 404);
  if (error.code === "42501" || status === 401 || status === 403) {
    return new BookingRefusal(message, 403);
  }
  if (status === 409) return new BookingRefusal(message, 409);
  if (status >= 400 && status < 500) return new BookingRefusal(message, 400);
  console.error(`booking: the Data API answered ${status} (${error.code ?? "no code"})`);
  return new BookingRefusal("Booking is not available just now. Please try again.", 503);
}

/** What findSlots needs for a service over a range of days, and the names to answer with. */
interface Inputs {
  timeZone: string;
  serviceName: string;
  names: Map<string, string>;
  query: Omit<SlotQuery, "now" | "from" | "to" | "preference">;
}

/** availability_inputs' busy time: per practitioner, [from, until] pairs in epoch ms. */
export type BusyEntries = { practitionerId: string; ranges: [number, number][] }[];

/** findSlots' busy list from availability_inputs' entries. */
export function busyRanges(entries: BusyEntries): SlotQuery["busy"] {
  return entries.flatMap(({ practitionerId, ranges }) =>
    ranges.map(([from, until]) => ({ practitionerId, from, until }))
  );
}

type RawInputs = Omit<Inputs["query"], "busy"> & {
  service: Inputs["query"]["service"] & { name: string };
  busy: BusyEntries;
};

async function availabilityInputs(
  db: Db,
  organisationId: string,
  serviceId: string,
  from: string,
  to: string,
): Promise<Inputs> {
  const { data, error, status } = await db.rpc("availability_inputs", {
    organisation_id: organisationId,
    service_id: serviceId,
    from_date: from,
    to_date: to,
  });
  if (error) throw refusal(error, status);
  const raw = data as unknown as RawInputs;
  return {
    timeZone: raw.timeZone,
    serviceName: raw.service.name,
    names: new Map(raw.practitioners.map((p) => [p.id, p.name])),
    query: { ...raw, busy: busyRanges(raw.busy) },
  };
}

/**
 * The inputs for a slot's local day and the next (the zone comes with the answer, so ask from
 * the UTC day before to two after): enough to check the slot and, if it is taken, to offer
 * the alternatives on those days without another read.
 */
function inputsAround(db: Db, organisationId: string, slot: SlotRef): Promise<Inputs> {
  const utcDay = new Date(slot.start).toISOString().slice(0, 10);
  return availabilityInputs(
    db,
    organisationId,
    slot.serviceId,
    addDays(utcDay, -1),
    addDays(utcDay, 2),
  );
}

/** A booked range that does not count as busy: the appointment being moved. */
type Ignored = { practitionerId: string; from: number; until: number };

interface SlotSearch {
  from: string;
  to: string;
  practitionerId?: string | null;
  preference?: SlotQuery["preference"];
  ignore?: Ignored;
}

function slotsOf(inputs: Inputs, search: SlotSearch): Slot[] {
  const { practitionerId, ignore } = search;
  const { practitioners, busy } = inputs.query;
  return findSlots({
    ...inputs.query,
    now: Date.now(),
    from: search.from,
    to: search.to,
    preference: search.preference,
    practitioners: practitionerId
      ? practitioners.filter((p) => p.id === practitionerId)
      : practitioners,
    busy: ignore
      ? busy.filter((b) =>
        b.practitionerId !== ignore.practitionerId || b.from !== ignore.from ||
        b.until !== ignore.until
      )
      : busy,
  });
}

function slotAnswer(
  inputs: Inputs,
  serviceId: string,
  slot: Slot,
  practitionerId: string | null,
): SlotAnswer {
  return {
    slotId: encodeSlotId({ serviceId, start: slot.start, practitionerId }),
    start: isoInZone(inputs.timeZone, slot.start),
    label: timeLabel(inputs.timeZone, slot.start),
    practitioners: slot.practitionerIds.map((id) => ({ id, name: inputs.names.get(id) ?? "" })),
  };
}

function requireKnownPractitioner(inputs: Inputs, practitionerId: string | null | undefined) {
  if (practitionerId && !inputs.names.has(practitionerId)) {
    throw new BookingRefusal(
      `That practitioner does not perform ${inputs.serviceName}, or is not active`,
      404,
    );
  }
}

/** The slot a book or reschedule request names: by slot id, or by service and exact start. */
function requestedSlot(
  input: { slotId: string } | { start: string; practitionerId?: string },
  serviceId: string,
): SlotRef {
  if (!("slotId" in input)) {
    return {
      serviceId,
      start: Date.parse(input.start),
      practitionerId: input.practitionerId ?? null,
    };
  }
  const slot = decodeSlotId(input.slotId);
  if (!slot) throw new BookingRefusal("That slotId is not one an availability answer gave");
  if (serviceId && slot.serviceId !== serviceId) {
    throw new BookingRefusal("That slot is for another service than this appointment's");
  }
  return slot;
}

/**
 * Who is free at exactly the slot's start (the practitioner asked for, or everyone free, the
 * appointment's own practitioner first when moving it); none when the time is not free.
 */
function freeAt(inputs: Inputs, slot: SlotRef, ignore?: Ignored): string[] {
  const day = localDateOf(inputs.timeZone, new Date(slot.start));
  const found = slotsOf(inputs, {
    from: day,
    to: day,
    practitionerId: slot.practitionerId,
    ignore,
  }).find((s) => s.start === slot.start);
  const ids = found?.practitionerIds ?? [];
  const own = ignore?.practitionerId;
  return own && ids.includes(own) ? [own, ...ids.filter((id) => id !== own)] : ids;
}

/**
 * "Taken": why, and the next free times from the one asked for — on that day and the next
 * (where they nearly always are), else in the two weeks after. `fresh` are inputs read after
 * the time was found taken, which already cover the first two days.
 */
async function taken(
  db: Db,
  organisationId: string,
  timeZone: string,
  slot: SlotRef,
  reason: string,
  options: { ignore?: Ignored; fresh?: Inputs } = {},
): Promise<Taken> {
  const day = localDateOf(timeZone, new Date(slot.start));
  const alternatives: SlotAnswer[] = [];
  for (const [from, to] of [[day, addDays(day, 1)], [addDays(day, 2), addDays(day, 15)]]) {
    const inputs = from === day && options.fresh
      ? options.fresh
      : await availabilityInputs(db, organisationId, slot.serviceId, from, to);
    const search = { from, to, practitionerId: slot.practitionerId, ignore: options.ignore };
    alternatives.push(
      ...nextSlots(slotsOf(inputs, search), slot.start, ALTERNATIVES - alternatives.length)
        .map((s) => slotAnswer(inputs, slot.serviceId, s, slot.practitionerId)),
    );
    if (alternatives.length === ALTERNATIVES) break;
  }
  return { status: "taken", message: takenMessage(reason, alternatives), alternatives };
}

const APPOINTMENT_COLUMNS =
  "id, status, starts_at, ends_at, blocked_from, blocked_until, organisation_id, service_id, " +
  "practitioner_id, service:services(name), practitioner:practitioners(display_name), " +
  "contact:contacts(id, name, phone), organisation:organisations(timezone)";

type AppointmentRow = {
  id: string;
  status: AppointmentAnswer["status"];
  starts_at: string;
  ends_at: string;
  blocked_from: string;
  blocked_until: string;
  organisation_id: string;
  service_id: string;
  practitioner_id: string;
  service: { name: string };
  practitioner: { display_name: string };
  contact: { id: string; name: string | null; phone: string };
  organisation: { timezone: string };
};

async function readAppointment(db: Db, appointmentId: string): Promise<AppointmentRow> {
  const { data, error, status } = await db.from("appointments").select(APPOINTMENT_COLUMNS)
    .eq("id", appointmentId).maybeSingle();
  if (error) throw refusal(error, status);
  // Another clinic's appointment is invisible (RLS): the same answer as one that never was.
  if (!data) throw new BookingRefusal("There is no such appointment", 404);
  return data as unknown as AppointmentRow;
}

function appointmentAnswer(row: AppointmentRow): AppointmentAnswer {
  const timeZone = row.organisation.timezone;
  const start = Date.parse(row.starts_at);
  return {
    appointmentId: row.id,
    status: row.status,
    start: isoInZone(timeZone, start),
    end: isoInZone(timeZone, Date.parse(row.ends_at)),
    label: timeLabel(timeZone, start),
    service: { id: row.service_id, name: row.service.name },
    practitioner: { id: row.practitioner_id, name: row.practitioner.display_name },
    contact: row.contact,
  };
}

/**
 * The number as the clinic would dial it, in E.164; refused when it is not one. Only a number
 * without "+" needs the clinic's country (one read more). `asStored`: the number is a contact's
 * own as the provider gave it (E.164 already): taken as is, even where libphonenumber does not
 * know the range (e.g. the +44 7700 900xxx numbers reserved for drama).
 */
async function contactPhone(
  db: Db,
  organisationId: string,
  typed: string,
  asStored = false,
): Promise<string> {
  const stored = asStored ? toE164(typed) : null;
  if (stored) return stored;
  let country: string | null = null;
  if (!typed.trim().startsWith("+")) {
    const { data, error, status } = await db.from("organisations").select("country")
      .eq("id", organisationId).maybeSingle();
    if (error) throw refusal(error, status);
    if (!data) throw new BookingRefusal("There is no such clinic, or you are not in it", 404);
    country = data.country;
  }
  const e164 = phoneInCountry(typed, country);
  if (!e164) {
    throw new BookingRefusal(
      `"${typed}" is not a phone number: give it as dialled in the clinic's country, or with + ` +
        "and the country code",
    );
  }
  return e164;
}

/** Before a write: the live Google re-check of the candidates over the slot's blocked time. */
export interface WriteOptions {
  recheck?: CalendarRecheck;
  /** The phone is the contact's own, as its provider gave it (see contactPhone). */
  phoneAsStored?: boolean;
}

function recheckSlot(
  options: WriteOptions,
  organisationId: string,
  inputs: Inputs,
  slot: SlotRef,
  candidates: readonly string[],
): Promise<void> {
  if (!options.recheck) return Promise.resolve();
  const { durationMinutes, bufferBeforeMinutes, bufferAfterMinutes } = inputs.query.service;
  return options.recheck(
    organisationId,
    candidates,
    slot.start - bufferBeforeMinutes * 60_000,
    slot.start + (durationMinutes + bufferAfterMinutes) * 60_000,
  );
}

/** The exclusion constraint refused the write: another booking holds the time. */
const lostRace = (error: { code?: string }) => error.code === "23P01";

/**
 * Calls a booking RPC again when PostgreSQL broke a deadlock by rolling it back (40P01): when
 * a write that held up others for the same time fails, the writes it held up check each other
 * and may wait for each other. Once retried, it books or finds the time taken.
 */
async function retryDeadlock<T extends { error: { code?: string } | null }>(
  call: () => PromiseLike<T>,
): Promise<T> {
  let result = await call();
  for (let attempt = 1; attempt < 3 && result.error?.code === "40P01"; attempt++) {
    result = await call();
  }
  return result;
}

// ---------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------

/** Free times for a service over local dates (inclusive), the first `limit` of them. */
export async function checkAvailability(
  db: Db,
  input: AvailabilityInput,
): Promise<{ slots: SlotAnswer[] }> {
  const request = parse(availabilityInput, input);
  const { organisationId, serviceId, practitionerId = null } = request;
  const inputs = await availabilityInputs(
    db,
    organisationId,
    serviceId,
    request.from,
    request.to,
  );
  requireKnownPractitioner(inputs, practitionerId);
  const slots = slotsOf(inputs, request).slice(0, request.limit);
  return { slots: slots.map((slot) => slotAnswer(inputs, serviceId, slot, practitionerId)) };
}

/**
 * Books a slot for the contact with this phone number (found, or created with this name).
 * The time is checked afresh (and against Google with `options.recheck`); if it is no longer
 * free, or another booking wins the race for it, the answer is "taken" with the next free times.
 */
export async function book(
  db: Db,
  input: BookInput,
  options: WriteOptions = {},
): Promise<BookResult> {
  const request = parse(bookInput, input);
  const { organisationId } = request;
  const slot = requestedSlot(request, "serviceId" in request ? request.serviceId : "");
  const [phone, inputs] = await Promise.all([
    contactPhone(db, organisationId, request.phone, options.phoneAsStored),
    inputsAround(db, organisationId, slot),
  ]);
  requireKnownPractitioner(inputs, slot.practitionerId);
  const candidates = freeAt(inputs, slot);
  if (candidates.length === 0) {
    const fresh = { fresh: inputs };
    return await taken(db, organisationId, inputs.timeZone, slot, "That time is not free", fresh);
  }
  const [contact] = await Promise.all([
    db.rpc("find_or_create_contact", {
      organisation_id: organisationId,
      phone,
      name: request.name,
    }),
    recheckSlot(options, organisationId, inputs, slot, candidates),
  ]);
  if (contact.error) throw refusal(contact.error, contact.status);
  let reason = "That time was just taken";
  for (const practitionerId of candidates) {
    const booked = await retryDeadlock(() =>
      db.rpc("book_appointment", {
        organisation_id: organisationId,
        service_id: slot.serviceId,
        practitioner_id: practitionerId,
        starts_at: new Date(slot.start).toISOString(),
        contact_id: contact.data.id,
        source: request.source,
      })
    );
    if (!booked.error) {
      const { timeZone, serviceName, names } = inputs;
      return {
        status: "booked",
        appointment: appointmentAnswer({
          ...booked.data,
          service: { name: serviceName },
          practitioner: { display_name: names.get(practitionerId) ?? "" },
          contact: { id: contact.data.id, name: contact.data.name, phone: contact.data.phone },
          organisation: { timezone: timeZone },
        }),
      };
    }
    if (!lostRace(booked.error)) throw refusal(booked.error, booked.status);
    reason = booked.error.message;
  }
  return await taken(db, organisationId, inputs.timeZone, slot, reason);
}

/** Cancels a booked appointment, with the reason the patient or staff gave. */
export async function cancel(
  db: Db,
  input: CancelInput,
): Promise<{ status: "cancelled"; appointment: AppointmentAnswer }> {
  const request = parse(cancelInput, input);
  const { error, status } = await db.rpc("cancel_appointment", {
    appointment_id: request.appointmentId,
    reason: request.reason,
  });
  if (error) throw refusal(error, status);
  const row = await readAppointment(db, request.appointmentId);
  return { status: "cancelled", appointment: appointmentAnswer(row) };
}

/**
 * Moves a booked appointment to another free time of its service (the practitioner asked for,
 * else its own when free, else anyone free). Atomic: the old time is released only if the new
 * one is booked; a lost race answers "taken" with the next free times and changes nothing.
 */
export async function reschedule(
  db: Db,
  input: RescheduleInput,
  options: WriteOptions = {},
): Promise<RescheduleResult> {
  const request = parse(rescheduleInput, input);
  const current = await readAppointment(db, request.appointmentId);
  if (current.status !== "booked") {
    throw new BookingRefusal(
      `This appointment is ${current.status.replace("_", " ")}: only a booked one can be moved`,
      409,
    );
  }
  const slot = requestedSlot(request, current.service_id);
  const ignore = {
    practitionerId: current.practitioner_id,
    from: Date.parse(current.blocked_from),
    until: Date.parse(current.blocked_until),
  };
  const inputs = await inputsAround(db, current.organisation_id, slot);
  requireKnownPractitioner(inputs, slot.practitionerId);
  const timeZone = inputs.timeZone;
  const candidates = freeAt(inputs, slot, ignore);
  if (candidates.length === 0) {
    const reason = "That time is not free";
    return await taken(db, current.organisation_id, timeZone, slot, reason, {
      ignore,
      fresh: inputs,
    });
  }
  await recheckSlot(options, current.organisation_id, inputs, slot, candidates);
  let reason = "That time was just taken";
  for (const practitionerId of candidates) {
    const moved = await retryDeadlock(() =>
      db.rpc("reschedule_appointment", {
        appointment_id: current.id,
        starts_at: new Date(slot.start).toISOString(),
        practitioner_id: practitionerId,
      })
    );
    if (!moved.error) {
      return {
        status: "rescheduled",
        appointment: appointmentAnswer({
          ...current,
          ...moved.data,
          practitioner: { display_name: inputs.names.get(practitionerId) ?? "" },
        }),
      };
    }
    if (!lostRace(moved.error)) throw refusal(moved.error, moved.status);
    reason = moved.error.message;
  }
  return await taken(db, current.organisation_id, timeZone, slot, reason, { ignore });
}

/** The booked appointments from now on of the contact with this phone number, soonest first. */
export async function upcomingForPhone(
  db: Db,
  input: UpcomingInput,
  options: Pick<WriteOptions, "phoneAsStored"> = {},
): Promise<{
  contact: { id: string; name: string | null } | null;
  appointments: AppointmentAnswer[];
}> {
  const request = parse(upcomingInput, input);
  const phone = await contactPhone(
    db,
    request.organisationId,
    request.phone,
    options.phoneAsStored,
  );
  const found = await db.from("contacts").select("id, name")
    .eq("organisation_id", request.organisationId).eq("phone", phone).maybeSingle();
  if (found.error) throw refusal(found.error, found.status);
  if (!found.data) return { contact: null, appointments: [] };
  const { data, error, status } = await db.from("appointments").select(APPOINTMENT_COLUMNS)
    .eq("organisation_id", request.organisationId)
    .eq("contact_id", found.data.id)
    .eq("status", "booked")
    .gte("starts_at", new Date().toISOString())
    .order("starts_at")
    .limit(20);
  if (error) throw refusal(error, status);
  const rows = data as unknown as AppointmentRow[];
  return { contact: found.data, appointments: rows.map(appointmentAnswer) };
}
