import type { SupabaseClient } from "@supabase/supabase-js";
import { supabase } from "./supabase.ts";

/**
 * Updates or deletes one row by id. Row-level security turns a refused write into "no rows" rather
 * than an error, so that case fails with `refused`, in words the page can show; the database's own
 * errors (overlapping hours, a duplicate number…) come back as they are.
 */
export async function changeRow(
  table: string,
  id: string,
  change: Record<string, unknown> | "delete",
  refused: string,
): Promise<{ error: unknown }> {
  // Any table by name: the callers know their rows' types, this helper does not.
  const db: SupabaseClient = supabase();
  const query = change === "delete"
    ? db.from(table).delete().eq("id", id).select("id")
    : db.from(table).update(change).eq("id", id).select("id");
  const { data, error } = await query;
  if (error) return { error };
  return { error: data.length ? null : new Error(refused) };
}
