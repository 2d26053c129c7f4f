import { FunctionsHttpError } from "@supabase/supabase-js";
import type { Role } from "../../organisations/memberships.ts";
import { roleLabel } from "../../organisations/roles.ts";
import { supabase } from "../../supabase.ts";

/** What the invitations function answers: the invitation (its token shown once) and the mail. */
export type Sent = {
  invitation: {
    id: string;
    email: string;
    role: Role;
    expires_at: string;
    token: string;
    /** The role of the pending invitation this one replaced, if there was one. */
    replaced_role: Role | null;
  };
  mailed: boolean;
  message: string;
};

export type SendRequest =
  | { organisation_id: string; email: string; role: Role }
  | { invitation_id: string };

/**
 * Invites (or mails a pending invitation again, with a fresh link) through the `invitations` edge
 * function, which creates the invitation with the caller's rights and mails the link. A refusal
 * comes back as an error with the function's words.
 */
export async function sendInvitation(
  request: SendRequest,
): Promise<{ data: Sent; error: null } | { data: null; error: unknown }> {
  const { data, error } = await supabase().functions.invoke<Sent>("invitations", {
    body: request,
  });
  if (!error) return { data: data!, error: null };
  if (error instanceof FunctionsHttpError) {
    const body = await (error.context as Response).json().catch(() => null);
    if (typeof body?.error === "string") return { data: null, error: { message: body.error } };
  }
  return { data: null, error };
}

/** "This replaces the earlier invitation as admin." when a pending one was replaced. */
export function replacementNote(replaced: Role | null): string {
  return replaced
    ? ` This replaces the earlier invitation as ${roleLabel(replaced).toLowerCase()}.`
    : "";
}
