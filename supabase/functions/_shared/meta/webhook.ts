// Meta's WhatsApp Cloud API webhook delivery (PROVIDERS.md §4.4–4.5): the envelope, and the
// events it carries as we store them (private.inbound_events). Only the fields routing and
// dedupe need are required here; each message's own body is read by messaging/normalise.ts
// after the ack, so a message type Meta adds tomorrow is stored, not refused.
import { z } from "zod";

const id = z.string().min(1).max(256);
const unixSeconds = z.string().regex(/^[0-9]{1,12}$/);

const message = z.looseObject({ id, type: z.string().min(1).max(64), timestamp: unixSeconds });
const status = z.looseObject({ id, status: z.string().min(1).max(64), timestamp: unixSeconds });

const value = z.looseObject({
  metadata: z.looseObject({
    phone_number_id: z.string().min(1).max(64),
    display_phone_number: z.string().max(64).optional(),
  }),
  contacts: z.array(z.looseObject({})).max(100).optional(),
  messages: z.array(message).max(1000).optional(),
  statuses: z.array(status).max(1000).optional(),
});

const envelope = z.object({
  object: z.literal("whatsapp_business_account"),
  entry: z.array(
    z.looseObject({
      changes: z.array(z.looseObject({ field: z.string().max(128), value: z.unknown() })).max(100),
    }),
  ).max(100),
});

/** One delivery's event as stored: Meta's own object, plus `metadata` (and for a message the
 * delivery's `contacts`, the sender's profile; `sender_contacts` for a contact-card message). */
export interface MetaEvent {
  external_id: string;
  kind: "message" | "status";
  phone_number_id: string;
  payload: Record<string, unknown>;
}

export type MetaDelivery = { ok: true; events: MetaEvent[] } | { ok: false; message: string };

const issueText = (error: z.ZodError) => {
  const issue = error.issues[0];
  return `${issue.path.join(".") || "body"}: ${issue.message}`;
};

/**
 * The events of a delivery, or why it is not Meta's envelope (a 400's message). Changes of other
 * fields (template status, account updates) carry no messages and are acknowledged as nothing.
 */
export function parseMetaDelivery(body: string): MetaDelivery {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, message: "body is not JSON" };
  }
  const parsed = envelope.safeParse(json);
  if (!parsed.success) return { ok: false, message: issueText(parsed.error) };
  const events: MetaEvent[] = [];
  for (const entry of parsed.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== "messages") continue;
      const v = value.safeParse(change.value);
      if (!v.success) return { ok: false, message: `messages change: ${issueText(v.error)}` };
      const { metadata, contacts, messages = [], statuses = [] } = v.data;
      const phoneNumberId = metadata.phone_number_id;
      for (const m of messages) {
        events.push({
          external_id: `m:${m.id}`,
          kind: "message",
          phone_number_id: phoneNumberId,
          // A message of type contacts has its own `contacts` (the shared cards).
          payload: m.type === "contacts"
            ? { ...m, metadata, sender_contacts: contacts ?? [] }
            : { ...m, metadata, contacts: contacts ?? [] },
        });
      }
      for (const s of statuses) {
        events.push({
          external_id: `s:${s.id}:${s.status}`,
          kind: "status",
          phone_number_id: phoneNumberId,
          payload: { ...s, metadata },
        });
      }
    }
  }
  return { ok: true, events };
}
