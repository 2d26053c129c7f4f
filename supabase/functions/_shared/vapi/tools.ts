// The voice assistant's tool calls (Vapi `tool-calls`, PROVIDERS §1.3) on the booking
// operations every channel uses, for the organisation and caller of one call: the caller's number
// is the patient's key (a contact found or created by it), appointments are booked with source
// `voice` and linked to the call, a message becomes a callback task, and the call's outcome
// follows what was done. Every result is one line written to be said, with the exact toolCallId,
// in Vapi's order; a bad call or a failure is a result too — this never throws.
import { oneLine } from "../domain/ordering.ts";
import { addDays, localDateOf } from "../domain/opening_hours.ts";
import { PROMPT_TOOLS } from "../domain/prompt.ts";
import type { ReceptionistConfig } from "../domain/receptionist_config.ts";
import { spokenAppointment, spokenList, spokenSlot, spokenTime } from "../domain/speech.ts";
import { VAPI_TRANSFER_TOOL } from "../domain/assistant.ts";
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
import { createCallbackTask, linkAppointment, recordCall } from "../io/calls.ts";
import type { Sql } from "../io/db.ts";
import { toE164 } from "../domain/phone.ts";
import type { ToolCall } from "./messages.ts";

export type ToolContext = {
  /** Service role: the organisation id below is the boundary, so every operation names it. */
  db: Db;
  sql: Sql;
  config: ReceptionistConfig;
  /** Our calls.id and Vapi's id of the call. */
  callId: string;
  vapiCallId: string;
  /** The number the caller rings from (E.164), when Vapi knows it. */
  callerNumber: string | null;
  now: Date;
  recheck?: CalendarRecheck;
};

export type ToolResult = { toolCallId: string; name: string; result: string };

const T = PROMPT_TOOLS;
const FIND_MY_APPOINTMENTS = "find_my_appointments";
const MAX_RESULT_CHARS = 1200;
const OFFERED = 3;
const DEFAULT_DAYS = 7;
const MAX_DAYS = 14;
const SORRY = "That did not work just now. Apologise, and offer to take a message with " +
  `${T.takeMessage}.`;

type Args = Record<string, unknown>;
type Handler = (ctx: ToolContext, args: Args) => Promise<string> | string;

const HANDLERS: Readonly<Record<string, Handler>> = {
  [T.checkAvailability]: checkAvailabilityTool,
  [T.bookAppointment]: bookTool,
  [FIND_MY_APPOINTMENTS]: findMyAppointmentsTool,
  [T.cancelAppointment]: cancelTool,
  [T.rescheduleAppointment]: rescheduleTool,
  [T.takeMessage]: takeMessageTool,
  [T.lookupFaq]: lookupFaqTool,
  [T.transferToHuman]: transferTool,
  [VAPI_TRANSFER_TOOL]: transferTool,
};

/** The results of a `tool-calls` message, one per call, in order. */
export async function runToolCalls(ctx: ToolContext, calls: ToolCall[]): Promise<ToolResult[]> {
  const results: ToolResult[] = [];
  // One after the other: a call may depend on the one before (find, then cancel).
  for (const call of calls) {
    results.push({ toolCallId: call.id, name: call.name, result: await runOne(ctx, call) });
  }
  return results;
}

async function runOne(ctx: ToolContext, call: ToolCall): Promise<string> {
  const handler = Object.hasOwn(HANDLERS, call.name) ? HANDLERS[call.name] : undefined;
  if (!handler) {
    return said(
      `There is no tool called ${JSON.stringify(call.name.slice(0, 64))}. The tools are ` +
        `${Object.keys(HANDLERS).filter((n) => n !== VAPI_TRANSFER_TOOL).join(", ")}.`,
    );
  }
  if (call.args === null) {
    return said(`The arguments of ${call.name} were not a JSON object; call it again.`);
  }
  try {
    return said(await handler(ctx, call.args));
  } catch (error) {
    if (error instanceof BookingRefusal) return said(error.message);
    if (error instanceof ArgumentProblem) return said(error.message);
    console.error(
      `vapi: tool ${call.name} failed: ${error instanceof Error ? error.name : "unknown"}`,
    );
    return SORRY;
  }
}

/** One line, bounded: Vapi drops results with line breaks (PROVIDERS §7.5). */
function said(text: string): string {
  const line = oneLine(text);
  return line.length <= MAX_RESULT_CHARS ? line : `${line.slice(0, MAX_RESULT_CHARS - 1)}…`;
}

class ArgumentProblem extends Error {}

function text(args: Args, name: string, { required = false, max = 500 } = {}): string {
  const value = args[name];
  if (typeof value === "string" && value.trim() !== "") return oneLine(value).slice(0, max);
  if (typeof value === "number") return String(value);
  if (required) throw new ArgumentProblem(`${name} is missing: ask the caller, then call again.`);
  return "";
}

/** The caller's number unless another one was given (then as the clinic would dial it). */
function phoneOf(ctx: ToolContext, given: string): string {
  const phone = given || ctx.callerNumber;
  if (!phone) {
    throw new ArgumentProblem(
      "The caller's number is hidden: ask for a phone number and pass it as phone.",
    );
  }
  return phone;
}

const zoneOf = (ctx: ToolContext) => ctx.config.organisation.timezone;
const speakSlot = (ctx: ToolContext, slot: SlotAnswer) =>
  `${spokenSlot(zoneOf(ctx), slot, ctx.now.getTime())} (slot_id ${slot.slotId})`;
const speakAppointment = (ctx: ToolContext, appointment: AppointmentAnswer) =>
  spokenAppointment(zoneOf(ctx), appointment, ctx.now.getTime());

function serviceNamed(ctx: ToolContext, name: string) {
  const services = ctx.config.services.filter((s) => s.active);
  const wanted = name.toLowerCase();
  const found = services.find((s) => oneLine(s.name).toLowerCase() === wanted) ??
    services.find((s) => s.id === name) ??
    services.find((s) => oneLine(s.name).toLowerCase().includes(wanted));
  if (found) return found;
  throw new ArgumentProblem(
    services.length === 0
      ? "Nothing can be booked by phone at this clinic: offer to take a message."
      : `There is no service called ${JSON.stringify(name)}. The services are ` +
        `${spokenList(services.map((s) => oneLine(s.name)))}.`,
  );
}

function dateArg(args: Args, name: string): string | null {
  const value = args[name];
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null;
}

async function checkAvailabilityTool(ctx: ToolContext, args: Args): Promise<string> {
  const service = serviceNamed(ctx, text(args, "service", { required: true }));
  const today = localDateOf(zoneOf(ctx), ctx.now);
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
  const { slots } = await checkAvailability(ctx.db, {
    organisationId: ctx.config.organisation.id,
    serviceId: service.id,
    from,
    to,
    preference,
    limit: practitioner || time ? 200 : OFFERED,
  });
  const withWhom = practitioner
    ? slots.filter((s) => s.practitioners.some((p) => p.name.toLowerCase().includes(practitioner)))
      .map((s) => ({
        ...s,
        practitioners: s.practitioners.filter((p) => p.name.toLowerCase().includes(practitioner)),
      }))
    : slots;
  const offered = (time ? nearest(withWhom, time) : withWhom).slice(0, OFFERED);
  const days = from === to ? `on ${dayOf(ctx, from)}` : `between ${dayOf(ctx, from)} and ` +
    dayOf(ctx, to);
  if (offered.length === 0) {
    return `No free times for ${oneLine(service.name)} ${days}. Offer other days.`;
  }
  return `Free times for ${oneLine(service.name)}: ${
    offered.map((s) => speakSlot(ctx, s))
      .join("; ")
  }. Offer these; book with the slot_id once the caller confirms.`;
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
function dayOf(ctx: ToolContext, date: string): string {
  const noon = Date.parse(`${date}T12:00:00Z`);
  return spokenTime("UTC", noon, Date.parse(`${localDateOf(zoneOf(ctx), ctx.now)}T12:00:00Z`))
    .replace(/ at 12:00$/, "");
}

async function bookTool(ctx: ToolContext, args: Args): Promise<string> {
  const slotId = text(args, "slot_id", { required: true, max: 200 });
  const name = text(args, "name", { required: true, max: 200 });
  const phone = phoneOf(ctx, text(args, "phone", { max: 40 }));
  const answer = await book(ctx.db, {
    organisationId: ctx.config.organisation.id,
    slotId,
    phone,
    name,
    source: "voice",
  }, { recheck: ctx.recheck });
  if (answer.status === "taken") return takenText(ctx, answer.message, answer.alternatives);
  const { appointment } = answer;
  await linkAppointment(ctx.sql, ctx.callId, appointment.appointmentId, "booked");
  await recordOutcome(ctx, "booked", appointment.contact.id);
  return `Booked: ${speakAppointment(ctx, appointment)}, for ${oneLine(name)}. Tell the caller.`;
}

function takenText(ctx: ToolContext, why: string, alternatives: SlotAnswer[]): string {
  const reason = why.split(/(?<=\.)\s/)[0];
  return alternatives.length === 0
    ? `${reason} There is no other free time soon: offer other days.`
    : `${reason} The next free times are ${
      alternatives.map((s) => speakSlot(ctx, s))
        .join("; ")
    }.`;
}

async function findMyAppointmentsTool(ctx: ToolContext): Promise<string> {
  const phone = phoneOf(ctx, "");
  const { contact, appointments } = await upcomingForPhone(ctx.db, {
    organisationId: ctx.config.organisation.id,
    phone,
  });
  if (contact) await recordOutcome(ctx, null, contact.id);
  if (appointments.length === 0) {
    return "There are no upcoming appointments booked with the number the caller is calling " +
      "from: ask which number they booked with.";
  }
  const listed = appointments.slice(0, 5).map((a) =>
    `${speakAppointment(ctx, a)} (appointment_id ${a.appointmentId})`
  );
  return `${appointments.length} upcoming appointment${appointments.length === 1 ? "" : "s"}` +
    `${contact?.name ? ` for ${oneLine(contact.name)}` : ""}: ${listed.join("; ")}.`;
}

/**
 * The appointment, if it is this clinic's and booked for the caller's number: a caller may only
 * change their own appointments.
 */
async function callersAppointment(ctx: ToolContext, appointmentId: string): Promise<boolean> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(appointmentId)) {
    return false;
  }
  const phone = toE164(phoneOf(ctx, ""));
  const [row] = await ctx.sql`
    select 1 from public.appointments a
    join public.contacts c on c.id = a.contact_id
    where a.id = ${appointmentId} and a.organisation_id = ${ctx.config.organisation.id}
      and c.phone = ${phone}`;
  return row !== undefined;
}

const NOT_THEIRS = "That appointment is not booked with the number the caller is calling from: " +
  `call ${FIND_MY_APPOINTMENTS} and use an appointment_id it returns.`;

async function cancelTool(ctx: ToolContext, args: Args): Promise<string> {
  const appointmentId = text(args, "appointment_id", { required: true, max: 100 });
  if (!(await callersAppointment(ctx, appointmentId))) return NOT_THEIRS;
  const { appointment } = await cancel(ctx.db, {
    appointmentId,
    reason: text(args, "reason") || "Cancelled by the patient by phone",
  });
  await linkAppointment(ctx.sql, ctx.callId, appointmentId, "cancelled");
  await recordOutcome(ctx, "cancelled", appointment.contact.id);
  return `Cancelled: ${speakAppointment(ctx, appointment)}. Tell the caller.`;
}

async function rescheduleTool(ctx: ToolContext, args: Args): Promise<string> {
  const appointmentId = text(args, "appointment_id", { required: true, max: 100 });
  const slotId = text(args, "slot_id", { required: true, max: 200 });
  if (!(await callersAppointment(ctx, appointmentId))) return NOT_THEIRS;
  const answer = await reschedule(ctx.db, { appointmentId, slotId }, { recheck: ctx.recheck });
  if (answer.status === "taken") return takenText(ctx, answer.message, answer.alternatives);
  await linkAppointment(ctx.sql, ctx.callId, appointmentId, "rescheduled");
  await recordOutcome(ctx, "rescheduled", answer.appointment.contact.id);
  return `Moved: it is now ${speakAppointment(ctx, answer.appointment)}. Tell the caller.`;
}

async function takeMessageTool(ctx: ToolContext, args: Args): Promise<string> {
  const name = text(args, "name", { max: 120 });
  const reason = text(args, "reason", { required: true, max: 2000 });
  const given = text(args, "callback_number", { max: 40 });
  const callback = (given && toE164(given)) || ctx.callerNumber;
  if (!callback) {
    throw new ArgumentProblem("Ask for a number to call back on and pass it as callback_number.");
  }
  const contact = await ctx.db.rpc("find_or_create_contact", {
    organisation_id: ctx.config.organisation.id,
    phone: callback,
    ...(name ? { name } : {}),
  });
  const contactId = contact.error ? null : contact.data.id;
  await createCallbackTask(ctx.sql, {
    organisationId: ctx.config.organisation.id,
    callId: ctx.callId,
    contactId,
    kind: "message",
    callerName: name || null,
    callbackE164: callback,
    reason,
    urgency: args.urgency === "urgent" ? "urgent" : "normal",
  });
  await recordOutcome(ctx, "message_taken", contactId);
  return `Message taken: the clinic's staff will call ${name ? oneLine(name) : "the caller"} ` +
    `back on ${callback}. Tell the caller.`;
}

function words(value: string): Set<string> {
  return new Set(value.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 2));
}

function lookupFaqTool(ctx: ToolContext, args: Args): string {
  const asked = words(text(args, "question", { required: true }));
  const best = ctx.config.faq.filter((e) => e.active)
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

async function transferTool(ctx: ToolContext): Promise<string> {
  const phone = ctx.config.assistant.escalationPhone;
  if (!phone) {
    return "No transfer number is set: offer to take a message with take_message instead.";
  }
  await recordOutcome(ctx, "transferred", null);
  return `Transfer the call to the clinic's front desk on ${phone}.`;
}

function recordOutcome(
  ctx: ToolContext,
  outcome: "booked" | "rescheduled" | "cancelled" | "message_taken" | "transferred" | null,
  contactId: string | null,
) {
  return recordCall(ctx.sql, {
    organisationId: ctx.config.organisation.id,
    vapiCallId: ctx.vapiCallId,
    ...(outcome ? { outcome } : {}),
    ...(contactId ? { contactId } : {}),
  });
}
