// WhatsApp's customer-service window (PROVIDERS §4.7 code 131047, §3.3 code 63016): free-form
// messages only within 24 hours of the patient's last message; after that only templates. SMS and
// the dashboard's test chat have no window.

export type ConversationChannel = "whatsapp" | "sms" | "test";

export const WHATSAPP_WINDOW_MS = 24 * 60 * 60_000;

function instant(value: Date | string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * When the window closes: the patient's last message + 24 h on WhatsApp. null when nothing closes
 * it (SMS, test) — and on WhatsApp when the patient never wrote (it never opened; windowOpen says
 * false).
 */
export function windowClosesAt(
  channel: ConversationChannel,
  lastInboundAt: Date | string | null | undefined,
): Date | null {
  if (channel !== "whatsapp") return null;
  const last = instant(lastInboundAt);
  return last === null ? null : new Date(last + WHATSAPP_WINDOW_MS);
}

/** Whether a free-form message may be sent now (the closing instant itself is outside). */
export function windowOpen(
  channel: ConversationChannel,
  lastInboundAt: Date | string | null | undefined,
  now: Date = new Date(),
): boolean {
  if (channel !== "whatsapp") return true;
  const closes = windowClosesAt(channel, lastInboundAt);
  return closes !== null && now.getTime() < closes.getTime();
}
