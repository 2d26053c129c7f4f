import { signal } from "@preact/signals";

const STORAGE_KEY = "frontdesk.invitation";

/**
 * An invitation link opened while signed out, until the page that accepts it has run. `signedUp`:
 * the visitor then created a new account, so the database has already accepted every invitation
 * to that address (it does so when an address signs up).
 */
export type PendingInvitation = { token: string; signedUp: boolean };

/** Kept in sessionStorage: it survives signing in or up (even a redirect from a mail) in this tab. */
export const pendingInvitation = signal<PendingInvitation | null>(read());

export function rememberInvitation(token: string, signedUp = false) {
  write({ token, signedUp });
}

export function forgetInvitation() {
  write(null);
}

function write(value: PendingInvitation | null) {
  pendingInvitation.value = value;
  try {
    if (value) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch { /* storage disabled: it lasts until the page reloads */ }
}

function read(): PendingInvitation | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? "null");
    return typeof stored?.token === "string" ? stored : null;
  } catch {
    return null;
  }
}

/** The link a person opens to accept an invitation (the token is shown to the inviter once). */
export function invitationLink(token: string): string {
  return `${location.origin}/#${invitationAddress(token)}`;
}

/** The dashboard address of an invitation (routed to AcceptInvitationPage). */
export function invitationAddress(token: string): string {
  return `/invitations/${encodeURIComponent(token)}`;
}
