// The booking tools every assistant uses — the voice receptionist (Vapi `tool-calls`) and the
// chat assistant (OpenAI tool calls) — on the booking operations, for one organisation and one
// patient: the number they call or write from is their key, appointments are booked with the
// channel's source, and each change is reported to the channel (linked to the call or the
// conversation). Results are one line written for the model, never thrown: a bad call or a
// failure is a result too. Channels add their own tools (take a message, hand over) through
// `runTools`' handler table.
import { oneLine } from "../domain/ordering.ts";
import { addDays, localDateOf } from "../domain/opening_hours.ts";
import { PROMPT_TOOLS } from "../domain/prompt.ts";
import type { ReceptionistConfig } from "../domain/receptionist_config.ts";
import { spokenAppointment, spokenList, spokenSlot, spokenTime } from "../domain/speech.ts";
import type { CalendarRecheck } from "../google/recheck.ts";
import {
  type AppointmentAnswer,
  book,
  BookingRefusal,
  cancel,
  checkAvailability,
  type Db,
  reschedule,
  type SlotAnswer,
  upcomingForPhone,
} from "../io/booking.ts";
import type { Sql } from "../io/db.ts";
import { toE164 } from "../domain/phone.ts";

export type ToolCall = { id: string; name: string; args: Record<string, unknown> | null };
export type ToolResult = { toolCallId: string; name: string; result: string };

export type AppointmentAction = "booked" | "rescheduled" | "cancelled";

export type BookingSession = {
  /** Service role: the organisation id of `config` is the boundary, so every operation names it. */
  db: Db;
  sql: Sql;
  config: ReceptionistConfig;
  now: Date;
  recheck?: CalendarRecheck;
  /** Who the model talks to, as its results name them. */
  person: "caller" | "patient";
  source: "voice" | "whatsapp";
  /** The patient's own number (E.164), when known. */
  patientPhone: string | null;
  /** A booking change was made for this contact (appointmentId null: they were only found). */
  changed(
    appointmentId: string | null,
    action: AppointmentAction | null,
    contactId: string,
  ): Promise<void>;
};

export type Args = Record<string, unknown>;
export type ToolHandler<S> = (session: S, args: Args) => Promise<string> | string;

export const T = PROMPT_TOOLS;
export const FIND_MY_APPOINTMENTS = "find_my_appointments";
const MAX_RESULT_CHARS = 1200;
const OFFERED = 3;
const DEFAULT_DAYS = 7;
const MAX_DAYS = 14;
const SORRY = "That did not work just now. Apologise, and offer to take a message with " +
  `${T.takeMessage}.`;

/** A tool was called wrongly: the message says how to call it right. */
export class ArgumentProblem extends Error {}

/** The tools every channel has, by the names the prompt uses. */
export const BOOKING_TOOLS: Readonly<Record<string, ToolHandler<BookingSession>>> = {
  [T.checkAvailability]: checkAvailabilityTool,
  [T.bookAppointment]: bookTool,
  [FIND_MY_APPOINTMENTS]: findMyAppointmentsTool,
  [T.cancelAppointment]: cancelTool,
  [T.rescheduleAppointment]: rescheduleTool,
  [T.lookupFaq]: lookupFaqTool,
};

/**
 * The results of a round of tool calls, one per call, in order. `hidden` names aliases the
 * "no such tool" answer does not list.
 */
export async function runTools<S extends BookingSession>(
  session: S,
  calls: readonly ToolCall[],
  handlers: Readonly<Record<string, ToolHandler<S>>>,
  hidden: readonly string[] = [],
): Promise<ToolResult[]> {
  const results: ToolResult[] = [];
  // One after the other: a call may depend on the one before (find, then cancel).
  for (const call of calls) {
    results.push({
      toolCallId: call.id,
      name: call.name,
      result: await runOne(session, call, handlers, hidden),
    });
  }
  return results;
}

async function runOne<S extends BookingSession>(
  session: S,
  call: ToolCall,
  handlers: Readonly<Record<string, ToolHandler<S>>>,
  hidden: readonly string[],
): Promise<string> {
  const handler = Object.hasOwn(handlers, call.name) ? handlers[call.name] : undefined;
  if (!handler) {
    return said(
      `There is no tool called ${JSON.stringify(call.name.slice(0, 64))}. The tools are ` +
        `${Object.keys(handlers).filter((n) => !hidden.includes(n)).join(", ")}.`,
    );
  }
  if (call.args === null) {
    return said(`The arguments of ${call.name} were not a JSON object; call it again.`);
  }
  try {
    return said(await handler(session, call.args));
  } catch (error) {
    if (error instanceof BookingRefusal) return said(error.message);
    if (error instanceof ArgumentProblem) return said(error.message);
    console.error(
      `${session.source}: tool ${call.name} failed: ${
        error instanceof Error ? error.name : "unknown"
      }`,
    );
    return SORRY;
  }
}

/** One line, bounded: Vapi drops results with line breaks (PROVIDERS §7.5). */
function said(text: string): string {
  const line = oneLine(text);
  return line.length <= MAX_RESULT_CHARS ? line : `${line.slice(0, MAX_RESULT_CHARS - 1)}…`;
}

/** A text argument, on one line and bounded; missing and required → ArgumentProblem. */
export function text(
  args: Args,
  name: string,
  { required = false, max = 500, person = "caller" } = {},
): string {
  const value = args[name];
  if (typeof value === "string" && value.trim() !== "") return oneLine(value).slice(0, max);
  if (typeof value === "number") return String(value);
  if (required) {
    throw new ArgumentProblem(`${name} is missing: ask the ${person}, then call again.`);
  }
  return "";
}

/** "calling" on the phone, "writing" in chat. */
const reaching = (s: BookingSession) => s.source === "voice" ? "calling" : "writing";

/**
 * The patient's number unless another one was given (then as the clinic would dial it);
 * `asStored`: it is their own, as the provider gave it.
 */
function phoneOf(s: BookingSession, given: string): { phone: string; asStored: boolean } {
  if (given) return { phone: given, asStored: false };
  if (!s.patientPhone) {
    throw new ArgumentProblem(
      `The ${s.person}'s number is hidden: ask for a phone number and pass it as phone.`,
    );
  }
  return { phone: s.patientPhone, asStored: true };
}

const zoneOf = (s: BookingSession) => s.config.organisation.timezone;
const speakSlot = (s: BookingSession, slot: SlotAnswer) =>
  `${spokenSlot(zoneOf(s), slot, s.now.getTime())} (slot_id ${slot.slotId})`;
const speakAppointment = (s: BookingSession, appointment: AppointmentAnswer) =>
  spokenAppointment(zoneOf(s), appointment, s.now.getTime());

function serviceNamed(s: BookingSession, name: string) {
  const services = s.config.services.filter((x) => x.active);
  const wanted = name.toLowerCase();
  const found = services.find((x) => oneLine(x.name).toLowerCase() === wanted) ??
    services.find((x) => x.id === name) ??
    services.find((x) => oneLine(x.name).toLowerCase().includes(wanted));
  if (found) return found;
  throw new ArgumentProblem(
    services.length === 0
      ? `Nothing can be booked ${
        s.source === "voice" ? "by phone" : "here"
      } at this clinic: offer to take a message.`
      : `There is no service called ${JSON.stringify(name)}. The services are ` +
        `${spokenList(services.map((x) => oneLine(x.name)))}.`,
  );
}

function dateArg(args: Args, name: string): string | null {
  const value = args[name];
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null;
}

async function checkAvailabilityTool(s: BookingSession, args: Args): Promise<string> {
  const service = serviceNamed(s, text(args, "service", { required: true, person: s.person }));
  const today = localDateOf(zoneOf(s), s.now);
  let from = dateArg(args, "from") ?? today;
  if (from < today) from = today;
  let to = dateArg(args, "to") ?? addDays(from, DEFAULT_DAYS - 1);
  if (to < from) to = from;
  if (to > addDays(from, MAX_DAYS - 1)) to = addDays(from, MAX_DAYS - 1);
  const preference = ["morning", "afternoon", "evening"].includes(String(args.preference))
    ? args.preference as "morning" | "afternoon" | "evening"
    : undefined;
  const practitioner = text(args, "practitioner").toLowerCase();
  const asked = text(args, "time");
  const time = /^\d{2}:\d{2}$/.test(asked) ? asked : "";
  const { slots } = await checkAvailability(s.db, {
    organisationId: s.config.organisation.id,
    serviceId: service.id,
    from,
    to,
    preference,
    limit: practitioner || time ? 200 : OFFERED,
  });
  const withWhom = practitioner
    ? slots.filter((x) => x.practitioners.some((p) => p.name.toLowerCase().includes(practitioner)))
      .map((x) => ({
        ...x,
        practitioners: x.practitioners.filter((p) => p.name.toLowerCase().includes(practitioner)),
      }))
    : slots;
  const offered = (time ? nearest(withWhom, time) : withWhom).slice(0, OFFERED);
  const days = from === to ? `on ${dayOf(s, from)}` : `between ${dayOf(s, from)} and ` +
    dayOf(s, to);
  if (offered.length === 0) {
    return `No free times for ${oneLine(service.name)} ${days}. Offer other days.`;
  }
  return `Free times for ${oneLine(service.name)}: ${
    offered.map((x) => speakSlot(s, x))
      .join("; ")
  }. Offer these; book with the slot_id once the ${s.person} confirms.`;
}

/** The time asked for first, then the next ones after it, then those before it. */
function nearest(slots: SlotAnswer[], time: string): SlotAnswer[] {
  const rank = (s: SlotAnswer) => {
    const clock = s.start.slice(11, 16);
    return clock === time ? 0 : clock > time ? 1 : 2;
  };
  return [...slots].sort((a, b) => rank(a) - rank(b));
}

/** "Wednesday the 9th": a local date as said. */
function dayOf(s: BookingSession, date: string): string {
  const noon = Date.parse(`${date}T12:00:00Z`);
  return spokenTime("UTC", noon, Date.parse(`${localDateOf(zoneOf(s), s.now)}T12:00:00Z`))
    .replace(/ at 12:00$/, "");
}

async function bookTool(s: BookingSession, args: Args): Promise<string> {
  const slotId = text(args, "slot_id", { required: true, max: 200, person: s.person });
  const name = text(args, "name", { required: true, max: 200, person: s.person });
  const { phone, asStored } = phoneOf(s, text(args, "phone", { max: 40 }));
  const answer = await book(s.db, {
    organisationId: s.config.organisation.id,
    slotId,
    phone,
    name,
    source: s.source,
  }, { recheck: s.recheck, phoneAsStored: asStored });
  if (answer.status === "taken") return takenText(s, answer.message, answer.alternatives);
  const { appointment } = answer;
  await s.changed(appointment.appointmentId, "booked", appointment.contact.id);
  return `Booked: ${speakAppointment(s, appointment)}, for ${oneLine(name)}. Tell the ${s.person}.`;
}

function takenText(s: BookingSession, why: string, alternatives: SlotAnswer[]): string {
  const reason = why.split(/(?<=\.)\s/)[0];
  return alternatives.length === 0
    ? `${reason} There is no other free time soon: offer other days.`
    : `${reason} The next free times are ${
      alternatives.map((x) => speakSlot(s, x))
        .join("; ")
    }.`;
}

async function findMyAppointmentsTool(s: BookingSession): Promise<string> {
  const { phone } = phoneOf(s, "");
  const { contact, appointments } = await upcomingForPhone(s.db, {
    organisationId: s.config.organisation.id,
    phone,
  }, { phoneAsStored: true });
  if (contact) await s.changed(null, null, contact.id);
  if (appointments.length === 0) {
    return `There are no upcoming appointments booked with the number the ${s.person} is ` +
      `${reaching(s)} from: ask which number they booked with.`;
  }
  const listed = appointments.slice(0, 5).map((a) =>
    `${speakAppointment(s, a)} (appointment_id ${a.appointmentId})`
  );
  return `${appointments.length} upcoming appointment${appointments.length === 1 ? "" : "s"}` +
    `${contact?.name ? ` for ${oneLine(contact.name)}` : ""}: ${listed.join("; ")}.`;
}

/**
 * The appointment, if it is this clinic's and booked for the patient's number: a patient may
 * only change their own appointments.
 */
async function patientsAppointment(s: BookingSession, appointmentId: string): Promise<boolean> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(appointmentId)) {
    return false;
  }
  const phone = toE164(phoneOf(s, "").phone);
  const [row] = await s.sql`
    select 1 from public.appointments a
    join public.contacts c on c.id = a.contact_id
    where a.id = ${appointmentId} and a.organisation_id = ${s.config.organisation.id}
      and c.phone = ${phone}`;
  return row !== undefined;
}

const notTheirs = (s: BookingSession) =>
  `That appointment is not booked with the number the ${s.person} is ${reaching(s)} from: ` +
  `call ${FIND_MY_APPOINTMENTS} and use an appointment_id it returns.`;

async function cancelTool(s: BookingSession, args: Args): Promise<string> {
  const appointmentId = text(args, "appointment_id", {
    required: true,
    max: 100,
    person: s.person,
  });
  if (!(await patientsAppointment(s, appointmentId))) return notTheirs(s);
  const { appointment } = await cancel(s.db, {
    appointmentId,
    reason: text(args, "reason") ||
      `Cancelled by the patient ${s.source === "voice" ? "by phone" : "in a message"}`,
  });
  await s.changed(appointmentId, "cancelled", appointment.contact.id);
  return `Cancelled: ${speakAppointment(s, appointment)}. Tell the ${s.person}.`;
}

async function rescheduleTool(s: BookingSession, args: Args): Promise<string> {
  const appointmentId = text(args, "appointment_id", {
    required: true,
    max: 100,
    person: s.person,
  });
  const slotId = text(args, "slot_id", { required: true, max: 200, person: s.person });
  if (!(await patientsAppointment(s, appointmentId))) return notTheirs(s);
  const answer = await reschedule(s.db, { appointmentId, slotId }, { recheck: s.recheck });
  if (answer.status === "taken") return takenText(s, answer.message, answer.alternatives);
  await s.changed(appointmentId, "rescheduled", answer.appointment.contact.id);
  return `Moved: it is now ${speakAppointment(s, answer.appointment)}. Tell the ${s.person}.`;
}

function words(value: string): Set<string> {
  return new Set(value.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 2));
}

function lookupFaqTool(s: BookingSession, args: Args): string {
  const asked = words(text(args, "question", { required: true, person: s.person }));
  const best = s.config.faq.filter((e) => e.active)
    .map((entry) => {
      const known = words(`${entry.question} ${entry.category}`);
      let score = 0;
      for (const w of asked) if (known.has(w)) score++;
      return { entry, score };
    })
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score)[0];
  return best
    ? `The clinic's answer: ${oneLine(best.entry.answer)}`
    : "The clinic has no written answer to that: say you do not know and offer to take a " +
      `message with ${T.takeMessage}.`;
}
