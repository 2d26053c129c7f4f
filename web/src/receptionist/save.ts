import { supabase } from "../supabase.ts";

export type ConfigTable = "intents" | "faq_entries" | "working_hours" | "closures" | "services";

const REFUSED = "Nothing was changed: only owners and admins can change the assistant's " +
  "configuration, and what you changed must still exist.";

/**
 * Updates or deletes one configuration row. Row-level security turns a refused write into "no
 * rows" rather than an error, so that case is reported in words; the database's own errors
 * (overlapping hours, a language the clinic does not speak…) come back as they are.
 */
export async function changeRow(
  table: ConfigTable,
  id: string,
  change: Record<string, unknown> | "delete",
): Promise<{ error: unknown }> {
  const query = change === "delete"
    ? supabase().from(table).delete().eq("id", id).select("id")
    : supabase().from(table).update(change).eq("id", id).select("id");
  const { data, error } = await query;
  if (error) return { error };
  return { error: data.length ? null : new Error(REFUSED) };
}

/** Adds one configuration row to the organisation. */
export async function addRow(
  table: ConfigTable,
  organisationId: string,
  row: Record<string, unknown>,
): Promise<{ error: unknown }> {
  const { error } = await supabase().from(table).insert({
    organisation_id: organisationId,
    ...row,
  });
  return { error };
}
