// Recording phone calls, the appointments they made and the callback tasks they leave, for the
// `vapi` and `twilio-voice` functions. Webhooks arrive in any order and are replayed, so each
// write is one idempotent statement: a call is found by either of its ids (Twilio's CallSid,
// Vapi's call id) — whichever arrives first creates the row, the other fills it in — later
// non-null values win, the status only moves forward (an ended call stays ended), and a replay
// changes nothing (not even updated_at). Two first events racing each other: the loser's insert
// yields to the winner's row and runs once more, now as an update.
import type { Enums, Json } from "../database.types.ts";
import type { Sql, Tx } from "./db.ts";

export type CallStatus = Enums<"call_status">;
export type CallOutcome = Enums<"call_outcome">;

export interface TranscriptMessage {
  role: "assistant" | "user" | "tool";
  text: string;
  seconds_from_start?: number;
}

export interface CallRecord {
  organisationId: string;
  phoneNumberId?: string | null;
  twilioCallSid?: string | null;
  vapiCallId?: string | null;
  from?: string | null;
  to?: string | null;
  status?: CallStatus | null;
  answeredBy?: "assistant" | "fallback" | null;
  startedAt?: Date | string | null;
  endedAt?: Date | string | null;
  endedReason?: string | null;
  language?: string | null;
  transcript?: TranscriptMessage[] | null;
  summary?: string | null;
  recordingUrl?: string | null;
  cost?: number | null;
  outcome?: CallOutcome | null;
  contactId?: string | null;
}

/** Runs an idempotent upsert-and-read once more when a concurrent first write won the race. */
async function once<T>(what: string, write: () => Promise<T | undefined>): Promise<T> {
  const result = (await write()) ?? (await write());
  if (result === undefined) throw new Error(`${what}: the row belongs to another organisation`);
  return result;
}

const instant = (value: Date | string | null | undefined) =>
  value == null ? null : new Date(value).toISOString();

/** Creates or completes the call with these ids; returns its id. */
export function recordCall(sql: Sql | Tx, call: CallRecord): Promise<{ id: string }> {
  if (!call.twilioCallSid && !call.vapiCallId) {
    throw new Error("recordCall needs the Twilio CallSid or the Vapi call id");
  }
  const v = {
    org: call.organisationId,
    number: call.phoneNumberId ?? null,
    sid: call.twilioCallSid ?? null,
    vapi: call.vapiCallId ?? null,
    from: call.from ?? null,
    to: call.to ?? null,
    status: call.status ?? null,
    answeredBy: call.answeredBy ?? null,
    startedAt: instant(call.startedAt),
    endedAt: instant(call.endedAt),
    endedReason: call.endedReason?.slice(0, 200) ?? null,
    language: call.language ?? null,
    transcript: call.transcript ? (call.transcript as unknown as Json) : null,
    summary: call.summary?.slice(0, 10000) ?? null,
    recordingUrl: call.recordingUrl ?? null,
    cost: call.cost ?? null,
    outcome: call.outcome ?? null,
    contact: call.contactId ?? null,
  };
  return once("recordCall", async () => {
    const [row] = await sql<{ id: string }[]>`
      with given as (
        select
          ${v.org}::uuid as organisation_id, ${v.number}::uuid as phone_number_id,
          ${v.sid}::text as twilio_call_sid, ${v.vapi}::text as vapi_call_id,
          ${v.from}::text as from_e164, ${v.to}::text as to_e164,
          ${v.status}::public.call_status as status, ${v.answeredBy}::text as answered_by,
          ${v.startedAt}::timestamptz as started_at, ${v.endedAt}::timestamptz as ended_at,
          ${v.endedReason}::text as ended_reason, ${v.language}::text as language,
          ${v.transcript === null ? null : sql.json(v.transcript)}::jsonb as transcript,
          ${v.summary}::text as summary, ${v.recordingUrl}::text as recording_url,
          ${v.cost}::numeric as cost, ${v.outcome}::public.call_outcome as outcome,
          ${v.contact}::uuid as contact_id
      ),
      existing as (
        select c.* from public.calls c, given g
        where c.organisation_id = g.organisation_id
          and (c.twilio_call_sid = g.twilio_call_sid or c.vapi_call_id = g.vapi_call_id)
        order by c.created_at
        limit 1
        for update of c
      ),
      merged as (
        select e.id,
          coalesce(e.twilio_call_sid, g.twilio_call_sid) as twilio_call_sid,
          coalesce(e.vapi_call_id, g.vapi_call_id) as vapi_call_id,
          coalesce(g.phone_number_id, e.phone_number_id) as phone_number_id,
          coalesce(g.contact_id, e.contact_id) as contact_id,
          coalesce(g.from_e164, e.from_e164) as from_e164,
          coalesce(g.to_e164, e.to_e164) as to_e164,
          greatest(e.status, g.status) as status,
          coalesce(g.answered_by, e.answered_by) as answered_by,
          coalesce(g.started_at, e.started_at) as started_at,
          coalesce(g.ended_at, e.ended_at) as ended_at,
          coalesce(g.ended_reason, e.ended_reason) as ended_reason,
          coalesce(g.language, e.language) as language,
          coalesce(g.transcript, e.transcript) as transcript,
          coalesce(g.summary, e.summary) as summary,
          coalesce(g.recording_url, e.recording_url) as recording_url,
          coalesce(g.cost, e.cost) as cost,
          coalesce(g.outcome, e.outcome) as outcome
        from existing e, given g
      ),
      updated as (
        update public.calls c set
          twilio_call_sid = m.twilio_call_sid, vapi_call_id = m.vapi_call_id,
          phone_number_id = m.phone_number_id, contact_id = m.contact_id,
          from_e164 = m.from_e164, to_e164 = m.to_e164, status = m.status,
          answered_by = m.answered_by, started_at = m.started_at, ended_at = m.ended_at,
          ended_reason = m.ended_reason, language = m.language, transcript = m.transcript,
          summary = m.summary, recording_url = m.recording_url, cost = m.cost, outcome = m.outcome
        from merged m
        where c.id = m.id
          and (c.twilio_call_sid, c.vapi_call_id, c.phone_number_id, c.contact_id, c.from_e164,
            c.to_e164, c.status, c.answered_by, c.started_at, c.ended_at, c.ended_reason,
            c.language, c.transcript, c.summary, c.recording_url, c.cost, c.outcome)
          is distinct from
            (m.twilio_call_sid, m.vapi_call_id, m.phone_number_id, m.contact_id, m.from_e164,
            m.to_e164, m.status, m.answered_by, m.started_at, m.ended_at, m.ended_reason,
            m.language, m.transcript, m.summary, m.recording_url, m.cost, m.outcome)
        returning c.id
      ),
      inserted as (
        insert into public.calls (
          organisation_id, phone_number_id, contact_id, twilio_call_sid, vapi_call_id, from_e164,
          to_e164, status, answered_by, started_at, ended_at, ended_reason, language, transcript,
          summary, recording_url, cost, outcome
        )
        select g.organisation_id, g.phone_number_id, g.contact_id, g.twilio_call_sid,
          g.vapi_call_id, g.from_e164, g.to_e164, coalesce(g.status, 'ringing'), g.answered_by,
          g.started_at, g.ended_at, g.ended_reason, g.language, coalesce(g.transcript, '[]'),
          g.summary, g.recording_url, g.cost, g.outcome
        from given g
        where not exists (select from existing)
        on conflict do nothing
        returning id
      )
      select id from inserted
      union all select id from existing`;
    return row;
  });
}

/** Records that the call booked, rescheduled or cancelled the appointment (once). */
export async function linkAppointment(
  sql: Sql | Tx,
  callId: string,
  appointmentId: string,
  action: "booked" | "rescheduled" | "cancelled",
): Promise<void> {
  await sql`
    insert into public.call_appointments (organisation_id, call_id, appointment_id, action)
    select c.organisation_id, c.id, ${appointmentId}::uuid, ${action}::public.call_outcome
    from public.calls c where c.id = ${callId}::uuid
    on conflict do nothing`;
}

export interface CallbackTaskInput {
  organisationId: string;
  callId?: string | null;
  contactId?: string | null;
  kind: "message" | "voicemail";
  callerName?: string | null;
  callbackE164?: string | null;
  reason?: string | null;
  urgency?: Enums<"callback_urgency">;
  recordingUrl?: string | null;
}

/**
 * A message or voicemail for staff to call back; one per call and kind — a replay returns the
 * same task (a recording that arrives later is added to it).
 */
export function createCallbackTask(
  sql: Sql | Tx,
  task: CallbackTaskInput,
): Promise<{ id: string }> {
  const v = {
    org: task.organisationId,
    call: task.callId ?? null,
    contact: task.contactId ?? null,
    name: task.callerName?.trim().slice(0, 120) || null,
    callback: task.callbackE164?.trim().slice(0, 64) || null,
    reason: task.reason?.trim().slice(0, 2000) ?? "",
    urgency: task.urgency ?? "normal",
    recording: task.recordingUrl ?? null,
  };
  return once("createCallbackTask", async () => {
    const [row] = await sql<{ id: string }[]>`
      with written as (
        insert into public.callback_tasks as t (
          organisation_id, call_id, contact_id, kind, caller_name, callback_e164, reason, urgency,
          recording_url
        ) values (
          ${v.org}::uuid, ${v.call}::uuid, ${v.contact}::uuid, ${task.kind}, ${v.name},
          ${v.callback}, ${v.reason}, ${v.urgency}::public.callback_urgency, ${v.recording}
        )
        on conflict (call_id, kind) do update set recording_url = excluded.recording_url
          where t.recording_url is null and excluded.recording_url is not null
            and t.organisation_id = excluded.organisation_id
        returning t.id
      )
      select id from written
      union all
      select t.id from public.callback_tasks t
      where t.call_id = ${v.call}::uuid and t.kind = ${task.kind}
        and t.organisation_id = ${v.org}::uuid
        and not exists (select from written)`;
    return row;
  });
}
