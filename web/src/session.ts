import { signal } from "@preact/signals";
import type { Session, SupabaseClient } from "@supabase/supabase-js";

/**
 * The signed-in session as Supabase Auth reports it: undefined until Auth has read the stored
 * session (its INITIAL_SESSION event), then the session or null. Nothing else writes it.
 */
export const session = signal<Session | null | undefined>(undefined);

export function followSession(client: SupabaseClient) {
  client.auth.onAuthStateChange((_event, current) => {
    session.value = current;
  });
}
