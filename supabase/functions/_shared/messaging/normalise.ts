// Provider payloads (as stored in private.inbound_events) → the fields of a public.messages
// row, and provider statuses → our delivery states. Pure: the messaging.ingest job
// (process.ts) does the I/O. Every inbound type becomes a message someone can read in the inbox;
// what we cannot read is kept as `unsupported` with Meta's errors, never dropped. Media stays a
// provider reference (id or URL, type, hash, file name): nothing is downloaded here.
import { z } from "zod";

export type MessageKind =
  | "text"
  | "interactive"
  | "button"
  | "image"
  | "audio"
  | "video"
  | "document"
  | "sticker"
  | "location"
  | "reaction"
  | "contacts"
  | "unsupported";

export type Delivery = "queued" | "sent" | "delivered" | "read" | "failed";

export interface InboundMessage {
  providerMessageId: string;
  /** The patient's number as the provider gives it (+digits for Meta's wa_id). */
  from: string | null;
  /** The patient's profile name, when the provider says. */
  profileName: string | null;
  at: Date | null;
  kind: MessageKind;
  /** Text, caption, or the title of a chosen button (≤ 4096). */
  body: string | null;
  details: Record<string, unknown>;
}

export interface DeliveryUpdate {
  providerMessageId: string;
  delivery: Delivery;
  at: Date | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export const MAX_BODY = 4096;
const clip = (text: string | null | undefined, max = MAX_BODY): string | null =>
  typeof text === "string" && text.length > 0 ? [...text].slice(0, max).join("") : null;

const seconds = (text: unknown): Date | null =>
  typeof text === "string" && /^[0-9]{1,12}$/.test(text) ? new Date(Number(text) * 1000) : null;

const str = z.string().max(MAX_BODY * 4);
const opt = str.optional();
const metaError = z.looseObject({
  code: z.union([z.number(), z.string()]).optional(),
  title: opt,
  message: opt,
  error_data: z.looseObject({ details: opt }).optional(),
});
const media = z.looseObject({
  id: str,
  mime_type: opt,
  sha256: opt,
  caption: opt,
  filename: opt,
  voice: z.boolean().optional(),
});
// The delivery's `contacts`: who sent it (wa_id and profile name).
const senderContacts = z.array(
  z.looseObject({ wa_id: opt, profile: z.looseObject({ name: opt }).optional() }),
).max(100);
const metaMessage = z.looseObject({
  id: str,
  from: opt,
  timestamp: opt,
  type: str,
  context: z.looseObject({
    id: opt,
    from: opt,
    forwarded: z.boolean().optional(),
    frequently_forwarded: z.boolean().optional(),
  }).optional(),
  errors: z.array(metaError).optional(),
});

// Each type's own object (PROVIDERS.md §4.4; media above); one that does not match is kept as
// unsupported.
const metaBodies = {
  text: z.looseObject({ body: str }),
  interactive: z.looseObject({
    type: str,
    button_reply: z.looseObject({ id: str, title: str }).optional(),
    list_reply: z.looseObject({ id: str, title: str, description: opt }).optional(),
  }),
  button: z.looseObject({ payload: opt, text: str }),
  location: z.looseObject({
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    name: opt,
    address: opt,
  }),
  reaction: z.looseObject({ message_id: str, emoji: opt }),
  contacts: z.array(z.looseObject({ name: z.looseObject({ formatted_name: opt }).optional() })),
} as const;

type Shaped = Pick<InboundMessage, "kind" | "body" | "details">;

function unsupported(type: string, errors: unknown[] | undefined, why?: string): Shaped {
  return {
    kind: "unsupported",
    body: null,
    details: {
      type,
      errors: errors?.length ? errors : [{ title: why ?? `Message type ${type} is not read` }],
    },
  };
}

function metaShape(type: string, raw: Record<string, unknown>, errors?: unknown[]): Shaped {
  const read = <S extends z.ZodType>(schema: S): z.infer<S> | null => {
    const parsed = schema.safeParse(raw[type]);
    return parsed.success ? parsed.data : null;
  };
  const malformed = () => unsupported(type, errors, `Malformed ${type} message`);
  switch (type) {
    case "text": {
      const b = read(metaBodies.text);
      return b ? { kind: "text", body: clip(b.body), details: {} } : malformed();
    }
    case "interactive": {
      const b = read(metaBodies.interactive);
      if (!b) return malformed();
      const reply = b.button_reply ?? b.list_reply;
      if (!reply) return unsupported(`interactive ${b.type}`, errors);
      return {
        kind: "interactive",
        body: clip(reply.title),
        details: {
          type: b.type,
          id: reply.id,
          title: reply.title,
          description: b.list_reply?.description,
        },
      };
    }
    case "button": {
      const b = read(metaBodies.button);
      if (!b) return malformed();
      return {
        kind: "button",
        body: clip(b.text),
        details: { id: b.payload ?? null, title: b.text },
      };
    }
    case "location": {
      const b = read(metaBodies.location);
      if (!b) return malformed();
      return {
        kind: "location",
        body: clip(b.name ?? b.address ?? null),
        details: { latitude: b.latitude, longitude: b.longitude, name: b.name, address: b.address },
      };
    }
    case "reaction": {
      // An empty (or absent) emoji is Meta's "reaction removed".
      const b = read(metaBodies.reaction);
      if (!b) return malformed();
      return {
        kind: "reaction",
        body: clip(b.emoji),
        details: { reacted_to: b.message_id, emoji: b.emoji ?? "" },
      };
    }
    case "contacts": {
      const b = read(metaBodies.contacts);
      if (!b) return malformed();
      const names = b.map((c) => c.name?.formatted_name).filter(Boolean);
      return { kind: "contacts", body: clip(names.join(", ")), details: { contacts: b } };
    }
    case "image":
    case "audio":
    case "video":
    case "document":
    case "sticker": {
      // A reference at Meta (the media id; fetched with the channel's token when needed).
      const b = read(media);
      if (!b) return malformed();
      return {
        kind: type,
        body: clip(b.caption),
        details: {
          media: {
            provider: "meta",
            id: b.id,
            mime_type: b.mime_type ?? null,
            sha256: b.sha256 ?? null,
            filename: b.filename,
            voice: b.voice,
          },
        },
      };
    }
    default:
      return unsupported(type, errors);
  }
}

/** A Meta message event (the message object with the delivery's `contacts`). */
export function normaliseMetaMessage(payload: Record<string, unknown>): InboundMessage | null {
  const parsed = metaMessage.safeParse(payload);
  if (!parsed.success) return null;
  const m = parsed.data;
  const senders = senderContacts.safeParse(
    m.type === "contacts" ? payload.sender_contacts : payload.contacts,
  );
  const contacts = senders.success ? senders.data : [];
  const contact = contacts.find((c) => c.wa_id === m.from) ?? contacts[0];
  const waId = m.from ?? contact?.wa_id;
  const shaped = metaShape(m.type, payload, m.errors);
  if (m.context && (m.context.id || m.context.forwarded || m.context.frequently_forwarded)) {
    shaped.details.context = m.context;
  }
  return {
    providerMessageId: m.id,
    from: waId && /^[0-9]{5,20}$/.test(waId) ? `+${waId}` : null,
    profileName: clip(contact?.profile?.name, 120),
    at: seconds(m.timestamp),
    ...shaped,
  };
}

const META_DELIVERY: Record<string, Delivery> = {
  sent: "sent",
  delivered: "delivered",
  read: "read",
  played: "read",
  failed: "failed",
};

/** A Meta status event → our delivery state (null: a status we do not track, e.g. deleted). */
export function normaliseMetaStatus(payload: Record<string, unknown>): DeliveryUpdate | null {
  const delivery = META_DELIVERY[String(payload.status)];
  if (!delivery || typeof payload.id !== "string") return null;
  const errors = z.array(metaError).safeParse(payload.errors);
  const error = errors.success ? errors.data[0] : undefined;
  return {
    providerMessageId: payload.id,
    delivery,
    at: seconds(payload.timestamp),
    errorCode: error?.code === undefined ? null : String(error.code),
    errorMessage: error
      ? clip(
        [error.title ?? error.message, error.error_data?.details].filter(Boolean).join(": "),
        500,
      )
      : null,
  };
}

const field = (form: Record<string, unknown>, name: string): string | null => {
  const v = form[name];
  return typeof v === "string" ? v : Array.isArray(v) && typeof v[0] === "string" ? v[0] : null;
};

/** Twilio's `From`/`To` → E.164 text (`whatsapp:+44…` → `+44…`). */
export const twilioAddress = (text: string | null): string | null =>
  text ? text.replace(/^whatsapp:/i, "").trim() || null : null;

function mediaKind(mime: string | null): MessageKind {
  const top = mime?.split("/")[0];
  return top === "image" || top === "audio" || top === "video" ? top : "document";
}

/** A Twilio inbound form (SMS or WhatsApp). */
export function normaliseTwilioMessage(form: Record<string, unknown>): InboundMessage | null {
  const sid = field(form, "MessageSid");
  if (!sid) return null;
  const text = field(form, "Body");
  const base = {
    providerMessageId: sid,
    from: twilioAddress(field(form, "From")),
    profileName: clip(field(form, "ProfileName"), 120),
    at: null,
  };
  const count = Math.min(Number(field(form, "NumMedia") ?? 0) || 0, 10);
  const media = [];
  for (let n = 0; n < count; n++) {
    const url = field(form, `MediaUrl${n}`);
    if (url) {
      media.push({ provider: "twilio", url, mime_type: field(form, `MediaContentType${n}`) });
    }
  }
  if (media.length > 0) {
    return {
      ...base,
      kind: mediaKind(media[0].mime_type),
      body: clip(text),
      details: media.length > 1
        ? { media: media[0], more_media: media.slice(1) }
        : { media: media[0] },
    };
  }
  const latitude = Number(field(form, "Latitude"));
  const longitude = Number(field(form, "Longitude"));
  if (field(form, "Latitude") !== null && Number.isFinite(latitude) && Number.isFinite(longitude)) {
    const name = field(form, "Label") ?? undefined;
    const address = field(form, "Address") ?? undefined;
    return {
      ...base,
      kind: "location",
      body: clip(name ?? address ?? null),
      details: { latitude, longitude, name, address },
    };
  }
  const buttonText = field(form, "ButtonText");
  if (buttonText) {
    return {
      ...base,
      kind: "button",
      body: clip(buttonText),
      details: { id: field(form, "ButtonPayload"), title: buttonText },
    };
  }
  return { ...base, kind: "text", body: clip(text), details: {} };
}

const TWILIO_DELIVERY: Record<string, Delivery> = {
  accepted: "queued",
  scheduled: "queued",
  queued: "queued",
  sending: "queued",
  sent: "sent",
  delivered: "delivered",
  partially_delivered: "delivered",
  read: "read",
  undelivered: "failed",
  failed: "failed",
  canceled: "failed",
};

/** A Twilio status callback form → our delivery state (null for statuses of inbound messages). */
export function normaliseTwilioStatus(
  form: Record<string, unknown>,
  receivedAt: Date | null,
): DeliveryUpdate | null {
  const sid = field(form, "MessageSid");
  const delivery = TWILIO_DELIVERY[field(form, "MessageStatus") ?? ""];
  if (!sid || !delivery) return null;
  const code = field(form, "ErrorCode");
  return {
    providerMessageId: sid,
    delivery,
    // Twilio's callbacks carry no time of their own: when we received it.
    at: receivedAt,
    errorCode: code && code !== "0" ? code : null,
    errorMessage: clip(field(form, "ErrorMessage"), 500),
  };
}
