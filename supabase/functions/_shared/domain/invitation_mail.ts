// The invitation mail: who invites whom into which clinic with which role, the link, and until
// when it works (in the clinic's time zone).
import type { Enums } from "../database.types.ts";
import type { Mail } from "./mail.ts";

export type InvitationRole = Enums<"organisation_role">;

export interface InvitationMailInput {
  to: string;
  link: string;
  organisationName: string;
  organisationTimezone: string;
  inviterName: string;
  role: InvitationRole;
  expiresAt: string;
}

const ROLE_WORDS: Record<InvitationRole, string> = {
  owner: "an owner",
  admin: "an admin",
  member: "a member",
};

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** "8 December 2026 at 14:05 GMT", in the clinic's zone (UTC if the zone is unknown). */
export function formatExpiry(iso: string, timeZone: string): string {
  const options: Intl.DateTimeFormatOptions = {
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  };
  try {
    return new Intl.DateTimeFormat("en-GB", { ...options, timeZone }).format(new Date(iso));
  } catch {
    return new Intl.DateTimeFormat("en-GB", { ...options, timeZone: "UTC" }).format(new Date(iso));
  }
}

export function invitationMail(input: InvitationMailInput): Mail {
  const role = ROLE_WORDS[input.role];
  const expires = formatExpiry(input.expiresAt, input.organisationTimezone);
  const subject = `${input.inviterName} invited you to ${input.organisationName} on Frontdesk`;
  const text = `${subject}

${input.inviterName} invited you to join ${input.organisationName} as ${role}.

Accept the invitation:

${input.link}

The link works until ${expires}. Sign in or create an account with this address (${input.to}) to accept it.

If you did not expect this invitation, you can ignore this mail.
`;
  const html = `<h2>${escapeHtml(subject)}</h2>

<p>${escapeHtml(input.inviterName)} invited you to join <strong>${
    escapeHtml(input.organisationName)
  }</strong> as ${role}.</p>
<p><a href="${escapeHtml(input.link)}">Accept the invitation</a></p>
<p>The link works until ${escapeHtml(expires)}. Sign in or create an account with this address (${
    escapeHtml(input.to)
  }) to accept it.</p>
<p>If you did not expect this invitation, you can ignore this mail.</p>`;
  return { to: input.to, subject, text, html };
}
