// The local "SMTP server": every mail the Auth stand-in sends becomes one JSON
// file in the outbox folder, {to, subject, text, html, link, sent_at}.
// Texts follow GoTrue's default templates (internal/mailer/templatemailer).

import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { randomBytes } from "node:crypto";

/** A mail before it is sent; the outbox file adds sent_at. */
export interface OutboxMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  link: string;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  ).replace(/'/g, "&#39;");
}

// Links only, as hosted Supabase's default templates: the dashboard has no field for a code.

/** The signup confirmation ("Confirm Your Signup"). */
export function confirmationMail(to: string, link: string): OutboxMail {
  return {
    to,
    subject: "Confirm Your Signup",
    html: `<h2>Confirm your signup</h2>

<p>Follow this link to confirm your user:</p>
<p><a href="${escapeHtml(link)}">Confirm your mail</a></p>`,
    text: `Confirm your signup

Follow this link to confirm your user:

${link}
`,
    link,
  };
}

export function recoveryMail(to: string, link: string): OutboxMail {
  return {
    to,
    subject: "Reset Your Password",
    html: `<h2>Reset Password</h2>

<p>Follow this link to reset the password for your user:</p>
<p><a href="${escapeHtml(link)}">Reset Password</a></p>
<p>If you didn't request this, you can safely ignore this email.</p>`,
    text: `Reset Password

Follow this link to reset the password for your user:

${link}

If you didn't request this, you can safely ignore this email.
`,
    link,
  };
}

/** One of the two mails of an email change: to the current and to the new address. */
export function emailChangeMail(
  to: string,
  currentEmail: string,
  newEmail: string,
  link: string,
): OutboxMail {
  return {
    to,
    subject: "Confirm Email Change",
    html: `<h2>Confirm Change of Email</h2>

<p>Follow this link to confirm the update of your email from ${escapeHtml(currentEmail)} to ${
      escapeHtml(newEmail)
    }:</p>
<p><a href="${escapeHtml(link)}">Change Email</a></p>
<p>If you didn't request this change, you can safely ignore this email.</p>`,
    text: `Confirm Change of Email

Follow this link to confirm the update of your email from ${currentEmail} to ${newEmail}:

${link}

If you didn't request this change, you can safely ignore this email.
`,
    link,
  };
}

/** Writes the mail atomically (temp file + rename) so readers never see half a file. */
export async function deliver(outboxDir: string, mail: OutboxMail): Promise<void> {
  await mkdir(outboxDir, { recursive: true });
  const sentAt = new Date();
  const full = { ...mail, sent_at: sentAt.toISOString() };
  const name = `${sentAt.getTime()}-${randomBytes(6).toString("hex")}.json`;
  const tmp = join(outboxDir, `.${name}.tmp`);
  await writeFile(tmp, JSON.stringify(full, null, 2) + "\n", { mode: 0o600 });
  await rename(tmp, join(outboxDir, name));
}
