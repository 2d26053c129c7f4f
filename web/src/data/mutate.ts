import type { Signal } from "@preact/signals";
import type { SupabaseClient } from "@supabase/supabase-js";
import { supabase } from "../supabase.ts";

/**
 * Shows a change at once, then asks the server for it. If the server refuses, what was shown
 * before comes back (unless something newer, e.g. a reload, has replaced it meanwhile) and the
 * refusal is returned for the page's message (useAction words it).
 */
export async function mutate<T>(
  shown: Signal<T | undefined>,
  change: (current: T) => T,
  request: () => PromiseLike<{ error: unknown }>,
): Promise<{ error: unknown }> {
  const before = shown.value;
  if (before === undefined) return { error: new Error("Nothing is shown yet to change.") };
  const after = change(before);
  shown.value = after;
  let error: unknown;
  try {
    ({ error } = await request());
  } catch (thrown) {
    error = thrown ?? {};
  }
  if (error && shown.value === after) shown.value = before;
  return { error };
}

/** Tables whose rows pages add and change one at a time, and what owners and admins change. */
const CHANGED_BY_MANAGERS = {
  twilio_accounts: "channels",
  phone_numbers: "channels",
  whatsapp_channels: "channels",
  meta_apps: "channels",
  intents: "the assistant's configuration",
  faq_entries: "the assistant's configuration",
  working_hours: "the assistant's configuration",
  closures: "the assistant's configuration",
  services: "the assistant's configuration",
  practitioners: "practitioners",
  practitioner_hours: "practitioners",
} as const;

export type ChangedTable = keyof typeof CHANGED_BY_MANAGERS;

/**
 * Updates or deletes one row by id. Row-level security turns a refused write into "no rows" rather
 * than an error, so that case fails with a refusal in words; the database's own errors
 * (overlapping hours, a duplicate number…) come back as they are.
 */
export async function changeRow(
  table: ChangedTable,
  id: string,
  change: Record<string, unknown> | "delete",
): Promise<{ error: unknown }> {
  // Any of these tables by name: the callers know their rows' types, this helper does not.
  const db: SupabaseClient = supabase();
  const query = change === "delete"
    ? db.from(table).delete().eq("id", id).select("id")
    : db.from(table).update(change).eq("id", id).select("id");
  const { data, error } = await query;
  if (error) return { error };
  if (data.length) return { error: null };
  return {
    error: new Error(
      `Nothing was changed: only owners and admins can change ${CHANGED_BY_MANAGERS[table]}, ` +
        "and what you changed must still exist.",
    ),
  };
}

/** Adds one row to the organisation (the database's refusals come back as they are). */
export async function addRow(
  table: ChangedTable,
  organisationId: string,
  row: Record<string, unknown>,
): Promise<{ error: unknown }> {
  const db: SupabaseClient = supabase();
  const { error } = await db.from(table).insert({ organisation_id: organisationId, ...row });
  return { error };
}
