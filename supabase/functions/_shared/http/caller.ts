// The Data API as the caller: their JWT goes with every request, so row-level security and the
// RPCs' own checks apply exactly as when the dashboard reads the tables itself.
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "../database.types.ts";

/** A supabase-js client acting as whoever `authorization` ("Bearer <JWT>") names. */
export function callerClient(authorization: string): SupabaseClient<Database> {
  return createClient<Database>(
    Deno.env.get("SUPABASE_URL")!,
    Deno.env.get("SUPABASE_ANON_KEY")!,
    {
      global: { headers: { authorization } },
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    },
  );
}
