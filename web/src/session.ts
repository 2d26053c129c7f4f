import { computed, signal } from "@preact/signals";
import type { Session, SupabaseClient } from "@supabase/supabase-js";
import { rememberInvitation } from "./pages/invitation/pending.ts";

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

/** What a mailed link was for: the app says so in the link's return address (`?link=`). */
export type LinkKind = "signup" | "recovery";

/**
 * A mailed link that did not sign in (used, expired, invalid), as Auth reports it in the
 * address it returns to (`#error_code=otp_expired&error_description=…`); null once dismissed.
 */
export const linkError = signal<{ kind: LinkKind; code: string; description: string } | null>(
  null,
);

/**
 * Where a mailed link should return to: the app, saying what the link was for and the invitation
 * being accepted, if any (the link may be opened in another tab, without this tab's storage).
 */
export function linkReturnAddress(kind: LinkKind, invitationToken?: string): string {
  const query = new URLSearchParams({ link: kind });
  if (invitationToken) query.set("invitation", invitationToken);
  return `${location.origin}/?${query}`;
}

/** Reads what a mailed link brought back, then tidies the address bar. */
function readReturnAddress() {
  const query = new URLSearchParams(location.search);
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ""));
  const kind: LinkKind = query.get("link") === "signup" ? "signup" : "recovery";
  const code = fragment.get("error_code");
  if (code) {
    linkError.value = {
      kind,
      code,
      description: fragment.get("error_description") ?? "The link is not valid.",
    };
  }
  const invitation = query.get("invitation");
  if (invitation) rememberInvitation(invitation);
  // An error is shown here, not left for Auth (a reload would show it again); a session in the
  // hash stays for Auth to take.
  if (query.has("link") || invitation || code) {
    history.replaceState(history.state, "", `${location.pathname}${code ? "" : location.hash}`);
  }
}

export function followSession(client: SupabaseClient) {
  client.auth.onAuthStateChange((event, current) => {
    if (event === "PASSWORD_RECOVERY") recoveringPassword.value = true;
    if (!current) recoveringPassword.value = false;
    if (current) linkError.value = null;
    session.value = current;
  });
}

readReturnAddress();
