// The local "SMTP server": every mail the Auth stand-in sends becomes one JSON
// file in the outbox folder, {to, subject, text, html, link, sent_at}.
// Texts follow GoTrue's default templates (internal/mailer/templatemailer).

import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { randomBytes } from "node:crypto";

export interface OutboxMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  link: string;
  sent_at: string;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  ).replace(/'/g, "&#39;");
}

export function recoveryMail(to: string, link: string, otp: string): Omit<OutboxMail, "sent_at"> {
  return {
    to,
    subject: "Reset your password",
    html: `<h2>Reset your password</h2>

<p>We received a request to reset your password. Follow the link below to choose a new one.</p>
<p><a href="${escapeHtml(link)}">Reset password</a></p>
<p>Alternatively, enter the code: ${otp}</p>
<p>If you didn't request this, you can safely ignore this email.</p>`,
    text: `Reset your password

We received a request to reset your password. Follow the link below to choose a new one.

${link}

Alternatively, enter the code: ${otp}

If you didn't request this, you can safely ignore this email.
`,
    link,
  };
}

export function emailChangeMail(
  to: string,
  newEmail: string,
  link: string,
  otp: string,
): Omit<OutboxMail, "sent_at"> {
  return {
    to,
    subject: "Confirm your new email address",
    html: `<h2>Confirm your new email address</h2>

<p>Follow the link below to confirm ${escapeHtml(newEmail)} as your new email address.</p>
<p><a href="${escapeHtml(link)}">Confirm new email address</a></p>
<p>Alternatively, enter the code: ${otp}</p>
<p>If you didn't request this change, you can safely ignore this email.</p>`,
    text: `Confirm your new email address

Follow the link below to confirm ${newEmail} as your new email address.

${link}

Alternatively, enter the code: ${otp}

If you didn't request this change, you can safely ignore this email.
`,
    link,
  };
}

/** Writes the mail atomically (temp file + rename) so readers never see half a file. */
export async function deliver(outboxDir: string, mail: Omit<OutboxMail, "sent_at">): Promise<void> {
  await mkdir(outboxDir, { recursive: true });
  const sentAt = new Date();
  const full: OutboxMail = { ...mail, sent_at: sentAt.toISOString() };
  const name = `${sentAt.getTime()}-${randomBytes(6).toString("hex")}.json`;
  const tmp = join(outboxDir, `.${name}.tmp`);
  await writeFile(tmp, JSON.stringify(full, null, 2) + "\n", { mode: 0o600 });
  await rename(tmp, join(outboxDir, name));
}
