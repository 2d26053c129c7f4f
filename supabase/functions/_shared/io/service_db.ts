// The Data API as the service role, for service code that calls the booking operations
// (io/booking.ts): nothing but the organisation id each operation names bounds it.
import { createClient } from "@supabase/supabase-js";
import type { Database } from "../database.types.ts";
import type { Db } from "./booking.ts";

let client: Db | undefined;

export function serviceDb(): Db {
  client ??= createClient<Database>(
    Deno.env.get("SUPABASE_URL") ?? "",
    Deno.env.get("SUPABASE_SERVICE_ROLE_KEY") ?? "",
    { auth: { persistSession: false, autoRefreshToken: false } },
  );
  return client;
}
