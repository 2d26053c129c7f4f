// Sending mail from edge functions through an HTTP mail API in Resend's format (the way Supabase
// documents for Edge Functions): POST {MAIL_API_URL}/emails with a bearer key, answered {id}.
// Locally MAIL_API_URL points at the stack's mail sandbox, which writes to the outbox.
import type { Mail } from "../domain/mail.ts";

export interface MailConfig {
  apiUrl: string;
  apiKey: string;
  from: string;
}

export type MailResult = { sent: true; id: string } | { sent: false; reason: string };

/** The mail settings from the environment, or what is missing (mail is then not sent). */
export function mailConfig(env: (name: string) => string | undefined): MailConfig | string {
  const apiKey = env("MAIL_API_KEY");
  const from = env("MAIL_FROM");
  if (!apiKey || !from) return "MAIL_API_KEY and MAIL_FROM must be set to send mail";
  return {
    apiUrl: (env("MAIL_API_URL") || "https://api.resend.com").replace(/\/+$/, ""),
    apiKey,
    from,
  };
}

/**
 * Sends one mail. `idempotencyKey` makes a retry of the same mail harmless (the API answers the
 * first id again). Never throws: a refusal or an unreachable API comes back as `sent: false`
 * with a reason for the logs (no addresses or contents in it).
 */
export async function sendMail(
  config: MailConfig,
  mail: Mail,
  idempotencyKey: string,
  timeoutMs = 10_000,
): Promise<MailResult> {
  try {
    const response = await fetch(`${config.apiUrl}/emails`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${config.apiKey}`,
        "content-type": "application/json",
        "idempotency-key": idempotencyKey,
      },
      body: JSON.stringify({ from: config.from, ...mail }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.json().catch(() => null) as Record<string, unknown> | null;
    if (response.ok && typeof body?.id === "string") return { sent: true, id: body.id };
    const name = typeof body?.name === "string" ? body.name : "no error name";
    return { sent: false, reason: `mail API answered ${response.status} (${name})` };
  } catch (err) {
    return { sent: false, reason: `mail API unreachable: ${(err as Error).name}` };
  }
}
