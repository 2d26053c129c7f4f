import { computed, signal } from "@preact/signals";
import type { Session, SupabaseClient } from "@supabase/supabase-js";

/**
 * The signed-in session as Supabase Auth reports it: undefined until Auth has read the stored
 * session (its INITIAL_SESSION event), then the session or null. Nothing else writes it.
 */
export const session = signal<Session | null | undefined>(undefined);

/** The signed-in user's id, or null: changes only when a different person signs in or out. */
export const userId = computed(() => session.value?.user.id ?? null);

/**
 * True once a password-reset link has signed the user in (Auth's PASSWORD_RECOVERY event), until
 * they have chosen a new password or signed out.
 */
export const recoveringPassword = signal(false);

export function followSession(client: SupabaseClient) {
  client.auth.onAuthStateChange((event, current) => {
    if (event === "PASSWORD_RECOVERY") recoveringPassword.value = true;
    if (!current) recoveringPassword.value = false;
    session.value = current;
  });
}
