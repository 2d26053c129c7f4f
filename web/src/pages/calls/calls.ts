import type { Enums, Tables } from "@frontdesk/database";
import { keysetAfter } from "../../data/paged_list.ts";
import type { Read } from "../../data/query.ts";
import { supabase } from "../../supabase.ts";
import { isDate } from "../appointments/agenda.ts";

export type CallOutcome = Enums<"call_outcome">;
export type CallStatus = Enums<"call_status">;

/** A call as the list shows it: the caller's contact embedded when the number is known. */
export type Call =
  & Pick<
    Tables<"calls">,
    | "id"
    | "from_e164"
    | "status"
    | "started_at"
    | "duration_seconds"
    | "outcome"
    | "contact_id"
    | "created_at"
  >
  & { contact: { name: string | null } | null };

export const CALL_COLUMNS =
  "id, from_e164, status, started_at, duration_seconds, outcome, contact_id, created_at, contact:contacts(name)";

/** A call's own page: everything it recorded. */
export type CallDetail =
  & Call
  & Pick<
    Tables<"calls">,
    "to_e164" | "ended_at" | "ended_reason" | "language" | "summary" | "recording_url"
  >
  & { transcript: TranscriptLine[] | null };

export type TranscriptLine = { role: string; text: string; seconds_from_start?: number };

export type CallbackTask = Pick<
  Tables<"callback_tasks">,
  | "id"
  | "call_id"
  | "contact_id"
  | "kind"
  | "caller_name"
  | "callback_e164"
  | "reason"
  | "urgency"
  | "recording_url"
  | "status"
  | "assigned_to"
  | "done_at"
  | "created_at"
>;

export const TASK_COLUMNS =
  "id, call_id, contact_id, kind, caller_name, callback_e164, reason, urgency, recording_url, status, assigned_to, done_at, created_at";

export const OUTCOMES: { value: CallOutcome; label: string }[] = [
  { value: "booked", label: "Booked" },
  { value: "rescheduled", label: "Rescheduled" },
  { value: "cancelled", label: "Cancelled" },
  { value: "message_taken", label: "Message taken" },
  { value: "transferred", label: "Transferred" },
  { value: "answered", label: "Answered" },
  { value: "abandoned", label: "Abandoned" },
];

export const STATUSES: { value: CallStatus; label: string }[] = [
  { value: "ringing", label: "Ringing" },
  { value: "in_progress", label: "In progress" },
  { value: "forwarding", label: "Forwarding" },
  { value: "ended", label: "Ended" },
];

/** The list's filters, as the address carries them (`#/calls?outcome=booked&date=2026-12-01`). */
export type CallFilters = {
  date?: string;
  outcome?: CallOutcome;
  status?: CallStatus;
  /** Digits of the caller's number ("7700 900101" → "7700900101"). */
  caller?: string;
};

/** The filters in an address's query; anything unknown is left out rather than refused. */
export function callFilters(query: Record<string, string | undefined>): CallFilters {
  const caller = query.caller?.replace(/\D/g, "");
  return {
    date: isDate(query.date) ? query.date : undefined,
    outcome: OUTCOMES.find((o) => o.value === query.outcome)?.value,
    status: STATUSES.find((s) => s.value === query.status)?.value,
    caller: caller || undefined,
  };
}

/** "4:05" for 245 seconds, "1:02:03" past an hour; "—" while a call has no length yet. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || seconds < 0) return "—";
  const s = Math.round(seconds);
  const two = (n: number) => String(n).padStart(2, "0");
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  return hours ? `${hours}:${two(minutes)}:${two(s % 60)}` : `${minutes}:${two(s % 60)}`;
}

export function labelOf<T extends string>(
  choices: { value: T; label: string }[],
  value: T | null,
): string {
  return choices.find((c) => c.value === value)?.label ?? "";
}

/**
 * A page of the clinic's calls, newest first, matching the filters. `range` is the chosen day's
 * [from, until) in the clinic's time zone.
 */
export function fetchCalls(
  organisationId: string,
  filters: CallFilters,
  range: { from: string; until: string } | undefined,
  after: Call | undefined,
  limit: number,
): PromiseLike<Read<Call[]>> {
  let query = supabase().from("calls").select(CALL_COLUMNS)
    .eq("organisation_id", organisationId);
  if (range) query = query.gte("created_at", range.from).lt("created_at", range.until);
  if (filters.outcome) query = query.eq("outcome", filters.outcome);
  if (filters.status) query = query.eq("status", filters.status);
  if (filters.caller) query = query.like("from_e164", `%${filters.caller}%`);
  if (after) query = query.or(keysetAfter("created_at", after));
  return query.order("created_at", { ascending: false }).order("id", { ascending: false })
    .limit(limit).overrideTypes<Call[], { merge: false }>();
}

/** The caller as staff know them: the contact's name, else the number. */
export function callerOf(
  call: { from_e164: string | null; contact: { name: string | null } | null },
  format: (e164: string) => string,
): string {
  return call.contact?.name ?? (call.from_e164 ? format(call.from_e164) : "Unknown number");
}

/** Marks a task done or open again, or assigns it; RLS lets every member of the clinic. */
export async function changeTask(
  id: string,
  change: { status?: "open" | "done"; assigned_to?: string | null },
): Promise<{ error: unknown }> {
  const { data, error } = await supabase().from("callback_tasks").update(change).eq("id", id)
    .select("id");
  if (error) return { error };
  if (data.length) return { error: null };
  return { error: new Error("Nothing was changed: the task is no longer there.") };
}
