import type { SupabaseClient } from "@supabase/supabase-js";
import { changeRow as changeAnyRow } from "../change_row.ts";
import { supabase } from "../supabase.ts";

export type ConfigTable = "intents" | "faq_entries" | "working_hours" | "closures" | "services";

const REFUSED = "Nothing was changed: only owners and admins can change the assistant's " +
  "configuration, and what you changed must still exist.";

/** Updates or deletes one configuration row (see ../change_row.ts). */
export function changeRow(
  table: ConfigTable,
  id: string,
  change: Record<string, unknown> | "delete",
): Promise<{ error: unknown }> {
  return changeAnyRow(table, id, change, REFUSED);
}

/** Adds one configuration row to the organisation. */
export async function addRow(
  table: ConfigTable,
  organisationId: string,
  row: Record<string, unknown>,
): Promise<{ error: unknown }> {
  // Rows of any configuration table: typed by the callers.
  const db: SupabaseClient = supabase();
  const { error } = await db.from(table).insert({
    organisation_id: organisationId,
    ...row,
  });
  return { error };
}
