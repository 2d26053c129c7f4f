// Invites someone into a clinic and mails them the link. The caller's own JWT calls
// invite_member through the Data API, so the database's role checks apply exactly as when the
// dashboard calls it. The mail is best effort: if it cannot be sent the invitation still stands
// and the answer says so (`mailed: false`), for the inviter to copy the link instead.
//
// POST {"organisation_id", "email", "role"}  invites (or re-invites: a fresh link)
// POST {"invitation_id"}                     mails a pending invitation again, with a fresh link
// Both answer 200 {invitation: {id, email, role, expires_at, token, replaced_role}, mailed, message}.
import type { SupabaseClient } from "@supabase/supabase-js";
import { decodeJwt } from "jose";
import { z } from "zod";
import type { Database } from "../_shared/database.types.ts";
import { callerClient } from "../_shared/http/caller.ts";
import { jsonResponse, preflight } from "../_shared/http/cors.ts";
import { invitationMail, type InvitationRole } from "../_shared/domain/invitation_mail.ts";
import { mailConfig, sendMail } from "../_shared/io/mail.ts";

const role = z.enum(["owner", "admin", "member"], {
  error: "role must be owner, admin or member",
});
const uuid = (what: string) => z.uuid({ error: `${what} must be a UUID` });

const invite = z.strictObject({
  organisation_id: uuid("organisation_id"),
  email: z.string({ error: "email must be a text" }).trim().min(1, "email is required").max(320),
  role: role.default("member"),
});
const resend = z.strictObject({ invitation_id: uuid("invitation_id") });
/** An object with `invitation_id` asks to mail again; anything else is read as an invitation. */
const body = z.unknown().transform((value, ctx) => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    ctx.addIssue({
      code: "custom",
      message:
        'Send {"organisation_id", "email", "role"} to invite, or {"invitation_id"} to mail again',
    });
    return z.NEVER;
  }
  const parsed = "invitation_id" in value ? resend.safeParse(value) : invite.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: "custom" });
    return z.NEVER;
  }
  return parsed.data;
});

type Db = SupabaseClient<Database>;

type Failure = { error: string; status: number };

/** A refusal from the Data API as an answer: its status (4xx) and the database's words. */
function refusal(
  error: { message: string; hint?: string | null },
  status: number,
): Failure {
  const message = error.hint
    ? `${error.message.replace(/\.?$/, ".")} ${error.hint}`
    : error.message;
  // The caller's input or rights were refused (4xx); anything else is not theirs to fix.
  if (status >= 400 && status < 500) return { error: message, status };
  console.error(`invitations: the Data API answered ${status}`);
  return { error: "The invitation could not be created just now. Please try again.", status: 503 };
}

async function pendingInvitation(
  db: Db,
  invitationId: string,
): Promise<{ organisation_id: string; email: string; role: InvitationRole } | Failure> {
  const { data, error, status } = await db
    .from("organisation_invitations")
    .select("organisation_id, email, role, accepted_at, revoked_at")
    .eq("id", invitationId)
    .maybeSingle();
  if (error) return refusal(error, status);
  // Invitations of other clinics are invisible (RLS): the same answer as one that never was.
  if (!data) {
    return { error: "There is no such invitation, or only owners and admins see it", status: 404 };
  }
  if (data.accepted_at) return { error: `${data.email} has already accepted it`, status: 409 };
  if (data.revoked_at) {
    return { error: "This invitation was withdrawn: invite the address again", status: 409 };
  }
  return { organisation_id: data.organisation_id, email: data.email, role: data.role };
}

Deno.serve(async (req) => {
  const early = preflight(req);
  if (early) return early;
  if (req.method !== "POST") return jsonResponse({ error: "Use POST" }, 405);

  // verify_jwt has checked the signature; the caller is whoever it names (anon is refused below).
  const authorization = req.headers.get("authorization") ?? "";
  const jwt = authorization.replace(/^Bearer\s+/i, "");
  const caller = decodeJwt(jwt);
  if (caller.role !== "authenticated" || typeof caller.sub !== "string") {
    return jsonResponse({ error: "Sign in to invite people" }, 401);
  }

  let parsed;
  try {
    parsed = body.safeParse(await req.json());
  } catch {
    return jsonResponse({ error: "The body must be JSON" }, 400);
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return jsonResponse({ error: issue.message }, 400);
  }

  const db = callerClient(authorization);

  let target: { organisation_id: string; email: string; role: InvitationRole };
  if ("invitation_id" in parsed.data) {
    const found = await pendingInvitation(db, parsed.data.invitation_id);
    if ("error" in found) return jsonResponse({ error: found.error }, found.status);
    target = found;
  } else {
    target = parsed.data;
  }

  const created = await db.rpc("invite_member", target);
  if (created.error) {
    const failed = refusal(created.error, created.status);
    return jsonResponse({ error: failed.error }, failed.status);
  }
  const row = created.data[0];
  const invitation = {
    id: row.invitation_id,
    email: row.invited_email,
    role: row.invited_role,
    expires_at: row.expires_at,
    token: row.token,
    replaced_role: row.replaced_role ?? null,
  };

  const mailed = await mailInvitation(db, caller.sub, target.organisation_id, invitation);
  return jsonResponse({
    invitation,
    mailed: mailed === true,
    message: mailed === true
      ? `Invitation mailed to ${invitation.email}.`
      : "The invitation mail could not be sent: copy the link below and send it yourself.",
  });
});

/** true once the mail API accepted the mail; otherwise why not (logged, not shown). */
async function mailInvitation(
  db: Db,
  inviterId: string,
  organisationId: string,
  invitation: {
    id: string;
    email: string;
    role: InvitationRole;
    expires_at: string;
    token: string;
  },
): Promise<true | string> {
  const config = mailConfig((name) => Deno.env.get(name));
  const appUrl = Deno.env.get("APP_URL")?.replace(/\/+$/, "");
  const problem = typeof config === "string" ? config : !appUrl ? "APP_URL must be set" : null;
  if (problem || typeof config === "string" || !appUrl) {
    console.error(`invitations: not mailed: ${problem}`);
    return problem!;
  }
  const [organisation, inviter] = await Promise.all([
    db.from("organisations").select("name, timezone").eq("id", organisationId).single(),
    db.from("profiles").select("display_name").eq("id", inviterId).maybeSingle(),
  ]);
  if (organisation.error) {
    console.error(`invitations: not mailed: reading the organisation failed`);
    return "reading the organisation failed";
  }
  const result = await sendMail(
    config,
    invitationMail({
      to: invitation.email,
      link: `${appUrl}/#/invitations/${invitation.token}`,
      organisationName: organisation.data.name,
      organisationTimezone: organisation.data.timezone,
      inviterName: inviter.data?.display_name || "A colleague",
      role: invitation.role,
      expiresAt: invitation.expires_at,
    }),
    `invitation/${invitation.id}`,
  );
  if (!result.sent) {
    console.error(`invitations: not mailed: ${result.reason}`);
    return result.reason;
  }
  return true;
}
