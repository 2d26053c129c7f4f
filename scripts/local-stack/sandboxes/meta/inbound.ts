// Messages from a patient, built as Meta posts them (PROVIDERS §4.4): every type, with a media
// object the functions can fetch through Graph for image/audio/video/document/sticker. Each
// message goes in its own delivery, signed with the number's app secret; `duplicate` posts the
// same bytes again, `outOfOrder` posts a batch newest first.
import { z } from "zod";
import type { SandboxContext } from "./context.ts";
import { newWamid } from "./graph.ts";
import type { BusinessNumber } from "./store.ts";
import { deliver, envelope, metaJson, metaSignature } from "./webhook.ts";

const MEDIA_TYPES = ["image", "audio", "video", "document", "sticker"] as const;

export const inboundMessage = z.object({
  phone_number_id: z.string().regex(/^\d+$/),
  /** The patient's wa_id (digits; a leading + is dropped). */
  from: z.string().regex(/^\+?\d{5,15}$/).transform((s) => s.replace(/^\+/, "")),
  name: z.string().max(200).optional(),
  type: z.enum([
    "text",
    "interactive",
    "button",
    ...MEDIA_TYPES,
    "location",
    "reaction",
    "unsupported",
  ]).default("text"),
  /** text: the body; interactive/button: the title; media: the caption. */
  text: z.string().max(4096).optional(),
  /** interactive: the reply id; button: the payload. */
  reply_id: z.string().max(256).optional(),
  interactive_type: z.enum(["button_reply", "list_reply"]).default("button_reply"),
  mime_type: z.string().max(100).optional(),
  filename: z.string().max(200).optional(),
  voice: z.boolean().optional(),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
  location_name: z.string().max(200).optional(),
  address: z.string().max(500).optional(),
  /** reaction: the wamid reacted to, and the emoji ("" removes the reaction). */
  reacted_to: z.string().max(300).optional(),
  emoji: z.string().max(20).optional(),
  /** Replying to this wamid (context). */
  context_id: z.string().max(300).optional(),
  /** A wamid to use (default: a new one). */
  id: z.string().min(1).max(300).optional(),
  /** Unix seconds (default now). */
  timestamp: z.number().int().positive().optional(),
}).strict();

export type InboundMessage = z.infer<typeof inboundMessage>;

export const inboundRequest = z.union([
  inboundMessage.extend({ duplicate: z.number().int().min(1).max(2000).default(1) }).strict(),
  z.object({
    messages: z.array(inboundMessage).min(1).max(50),
    /** Post them newest first. */
    out_of_order: z.boolean().default(false),
    duplicate: z.number().int().min(1).max(2000).default(1),
  }).strict(),
]);

/** The number the message is for; unknown ids go through the platform app with made-up metadata. */
function numberFor(ctx: SandboxContext, id: string): BusinessNumber {
  return ctx.store.numbers.get(id) ??
    {
      id,
      wabaId: "100000000000000",
      displayPhoneNumber: "15550000000",
      token: null,
      appId: "platform",
    };
}

const DEFAULT_MIME: Record<typeof MEDIA_TYPES[number], string> = {
  image: "image/jpeg",
  audio: "audio/ogg; codecs=opus",
  video: "video/mp4",
  document: "application/pdf",
  sticker: "image/webp",
};

/** Small bytes standing for the file (what the functions download). */
function mediaBytes(type: string, mime: string): Uint8Array {
  const head: Record<string, number[]> = {
    "image/jpeg": [0xff, 0xd8, 0xff, 0xe0],
    "application/pdf": [0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34],
  };
  const prefix = head[mime] ?? [];
  const fill = new TextEncoder().encode(` sandbox ${type} ${crypto.randomUUID()}`);
  return new Uint8Array([...prefix, ...fill]);
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

async function makeMedia(ctx: SandboxContext, m: InboundMessage, type: typeof MEDIA_TYPES[number]) {
  const mimeType = m.mime_type ?? DEFAULT_MIME[type];
  const bytes = mediaBytes(type, mimeType);
  const sha256 = b64(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource)));
  const id = String(1_000_000_000_000_000 + Math.floor(Math.random() * 8_999_999_999_999_999))
    .slice(0, 16);
  ctx.store.media.set(id, {
    id,
    phoneNumberId: m.phone_number_id,
    mimeType,
    sha256,
    bytes: b64(bytes),
    filename: m.filename ?? null,
    at: ctx.store.now(),
  });
  return {
    id,
    mime_type: mimeType,
    sha256,
    ...(m.text !== undefined && type !== "audio" && type !== "sticker" ? { caption: m.text } : {}),
    ...(type === "document" ? { filename: m.filename ?? "document.pdf" } : {}),
    ...(type === "audio" ? { voice: m.voice ?? true } : {}),
    ...(type === "sticker" ? { animated: false } : {}),
  };
}

/** The message object and what a person reads of it. */
async function messageObject(ctx: SandboxContext, m: InboundMessage, id: string, at: number) {
  const base: Record<string, unknown> = {
    from: m.from,
    id,
    timestamp: String(m.timestamp ?? Math.floor(at / 1000)),
    type: m.type,
    ...(m.context_id
      ? {
        context: { from: numberFor(ctx, m.phone_number_id).displayPhoneNumber, id: m.context_id },
      }
      : {}),
  };
  const text = m.text ?? "";
  switch (m.type) {
    case "text":
      return { object: { ...base, text: { body: text || "Hello" } }, text: text || "Hello" };
    case "interactive": {
      const reply = { id: m.reply_id ?? "reply_1", title: text || "Yes" };
      return {
        object: { ...base, interactive: { type: m.interactive_type, [m.interactive_type]: reply } },
        text: reply.title,
      };
    }
    case "button":
      return {
        object: { ...base, button: { payload: m.reply_id ?? text ?? "Yes", text: text || "Yes" } },
        text: text || "Yes",
      };
    case "location": {
      const location = {
        latitude: m.latitude ?? 56.9496,
        longitude: m.longitude ?? 24.1052,
        ...(m.location_name ? { name: m.location_name } : {}),
        ...(m.address ? { address: m.address } : {}),
      };
      return {
        object: { ...base, location },
        text: `📍 ${location.latitude}, ${location.longitude}`,
      };
    }
    case "reaction":
      return {
        object: { ...base, reaction: { message_id: m.reacted_to ?? "", emoji: m.emoji ?? "👍" } },
        text: m.emoji ?? "👍",
      };
    case "unsupported":
      return {
        object: {
          ...base,
          errors: [{
            code: 131051,
            title: "Message type unknown",
            message: "Message type unknown",
            error_data: { details: "Message type is currently not supported." },
          }],
        },
        text: "(unsupported)",
      };
    default: {
      const media = await makeMedia(ctx, m, m.type);
      return { object: { ...base, [m.type]: media }, text: text || `(${m.type})` };
    }
  }
}

export interface Posted {
  wamid: string;
  /** Our function's HTTP status for each delivery of it (0 = no answer). */
  statuses: number[];
}

/** Builds the messages, then posts each (`duplicate` times, the same bytes) in the order asked. */
export async function postInbound(
  ctx: SandboxContext,
  messages: InboundMessage[],
  { duplicate = 1, outOfOrder = false } = {},
): Promise<Posted[]> {
  const built = [];
  for (const m of messages) {
    const at = ctx.store.now();
    const wamid = m.id ?? newWamid(m.from);
    const { object, text } = await messageObject(ctx, m, wamid, at);
    const number = numberFor(ctx, m.phone_number_id);
    const payload = envelope(number, {
      contacts: [{ profile: { name: m.name ?? "WhatsApp user" }, wa_id: m.from }],
      messages: [object],
    });
    const record = {
      id: wamid,
      phoneNumberId: m.phone_number_id,
      from: m.from,
      name: m.name ?? null,
      type: m.type,
      text,
      at,
      httpStatuses: [] as number[],
    };
    ctx.store.received(record);
    built.push({ record, payload, app: ctx.store.appFor(m.phone_number_id) });
  }
  const order = outOfOrder ? [...built].reverse() : built;
  for (const { record, payload, app } of order) {
    // The same bytes each time, as a retrying Meta sends them.
    const body = metaJson(payload);
    const signature = await metaSignature(app.secret, body);
    for (let i = 0; i < duplicate; i++) {
      record.httpStatuses.push(await deliver(ctx.fetch, app, payload, { body, signature }));
    }
    ctx.store.changed();
  }
  return built.map(({ record }) => ({ wamid: record.id, statuses: record.httpStatuses }));
}
