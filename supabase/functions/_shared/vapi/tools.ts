// The voice assistant's tool calls (Vapi `tool-calls`, PROVIDERS §1.3): the booking tools every
// assistant shares (assistant/tools.ts) for the organisation and caller of one call — source
// `voice`, bookings linked to the call, the call's outcome following what was done — plus the
// phone's own: a message becomes a callback task, and a transfer to the front desk. Every
// result is one line written to be said, with the exact toolCallId, in Vapi's order.
import { oneLine } from "../domain/ordering.ts";
import { VAPI_TRANSFER_TOOL } from "../domain/assistant.ts";
import type { ReceptionistConfig } from "../domain/receptionist_config.ts";
import type { CalendarRecheck } from "../google/recheck.ts";
import {
  type Args,
  ArgumentProblem,
  BOOKING_TOOLS,
  type BookingSession,
  runTools,
  T,
  text,
  type ToolHandler,
  type ToolResult,
} from "../assistant/tools.ts";
import type { Db } from "../io/booking.ts";
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

export type { ToolResult };

type Outcome = "booked" | "rescheduled" | "cancelled" | "message_taken" | "transferred";
type CallSession = BookingSession & { call: ToolContext };

const HANDLERS: Readonly<Record<string, ToolHandler<CallSession>>> = {
  ...BOOKING_TOOLS,
  [T.takeMessage]: takeMessageTool,
  [T.transferToHuman]: transferTool,
  [VAPI_TRANSFER_TOOL]: transferTool,
};

/** The results of a `tool-calls` message, one per call, in order. */
export function runToolCalls(ctx: ToolContext, calls: ToolCall[]): Promise<ToolResult[]> {
  const session: CallSession = {
    db: ctx.db,
    sql: ctx.sql,
    config: ctx.config,
    now: ctx.now,
    recheck: ctx.recheck,
    person: "caller",
    source: "voice",
    patientPhone: ctx.callerNumber,
    call: ctx,
    async changed(appointmentId, action, contactId) {
      if (appointmentId && action) {
        await linkAppointment(ctx.sql, ctx.callId, appointmentId, action);
      }
      await recordOutcome(ctx, action, contactId);
    },
  };
  return runTools(session, calls, HANDLERS, [VAPI_TRANSFER_TOOL]);
}

async function takeMessageTool(s: CallSession, args: Args): Promise<string> {
  const ctx = s.call;
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

async function transferTool(s: CallSession): Promise<string> {
  const phone = s.config.assistant.escalationPhone;
  if (!phone) {
    return "No transfer number is set: offer to take a message with take_message instead.";
  }
  await recordOutcome(s.call, "transferred", null);
  return `Transfer the call to the clinic's front desk on ${phone}.`;
}

function recordOutcome(ctx: ToolContext, outcome: Outcome | null, contactId: string | null) {
  return recordCall(ctx.sql, {
    organisationId: ctx.config.organisation.id,
    vapiCallId: ctx.vapiCallId,
    ...(outcome ? { outcome } : {}),
    ...(contactId ? { contactId } : {}),
  });
}
