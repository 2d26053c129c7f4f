import type { Enums, Tables } from "@frontdesk/database";
import { keysetAfter } from "../../data/paged_list.ts";
import type { Read } from "../../data/query.ts";
import { supabase } from "../../supabase.ts";

export type ConversationStatus = Enums<"conversation_status">;
export type Delivery = Enums<"message_delivery">;

/** The patient as a conversation shows them. */
export type ConversationContact = Pick<
  Tables<"contacts">,
  "id" | "name" | "phone" | "whatsapp_opted_out_at" | "sms_opted_out_at"
>;

/** A conversation as the inbox lists it, with its patient. */
export type Conversation =
  & Pick<
    Tables<"conversations">,
    | "id"
    | "organisation_id"
    | "channel"
    | "contact_id"
    | "status"
    | "assigned_to"
    | "last_inbound_at"
    | "last_message_at"
    | "last_message_preview"
    | "unread_count"
    | "attention_reason"
    | "created_at"
  >
  & { contact: ConversationContact | null };

export const CONVERSATION_COLUMNS =
  "id, organisation_id, channel, contact_id, status, assigned_to, last_inbound_at, last_message_at, last_message_preview, unread_count, attention_reason, created_at, contact:contacts(id, name, phone, whatsapp_opted_out_at, sms_opted_out_at)";

export type Message = Pick<
  Tables<"messages">,
  | "id"
  | "conversation_id"
  | "organisation_id"
  | "direction"
  | "author"
  | "author_user_id"
  | "kind"
  | "body"
  | "details"
  | "delivery"
  | "error_code"
  | "error_message"
  | "created_at"
>;

export const MESSAGE_COLUMNS =
  "id, conversation_id, organisation_id, direction, author, author_user_id, kind, body, details, delivery, error_code, error_message, created_at";

export const STATUS_LABELS: Record<ConversationStatus, string> = {
  bot: "Assistant",
  waiting_for_staff: "Needs staff",
  staff: "Staff",
  resolved: "Resolved",
};

/** Which conversations the list shows: "needs me" is waiting for staff, or taken over by me. */
export type InboxShow = "needs_me" | "bot" | "staff" | "resolved";

export const SHOW_CHOICES: { value: InboxShow | ""; label: string }[] = [
  { value: "", label: "All open and resolved" },
  { value: "needs_me", label: "Needs me" },
  { value: "bot", label: "With the assistant" },
  { value: "staff", label: "With staff" },
  { value: "resolved", label: "Resolved" },
];

export type InboxFilters = { show?: InboxShow; unread?: boolean; channel?: "whatsapp" | "sms" };

/** The filters an address carries (`#/inbox?show=needs_me&unread=1&channel=sms`). */
export function inboxFilters(query: Record<string, string | undefined>): InboxFilters {
  const show = SHOW_CHOICES.find((c) => c.value && c.value === query.show)?.value || undefined;
  const channel = query.channel === "whatsapp" || query.channel === "sms"
    ? query.channel
    : undefined;
  return { show, unread: query.unread === "1" || undefined, channel };
}

/** The PostgREST filter for "needs me": waiting for staff, or taken over by `me`. */
export function needsMeFilter(me: string): string {
  return `status.eq.waiting_for_staff,and(status.eq.staff,assigned_to.eq.${me})`;
}

/**
 * A page of the clinic's patient conversations (the Assistant page's test chat is not one), the
 * latest message first.
 */
export function fetchConversations(
  organisationId: string,
  me: string,
  filters: InboxFilters,
  after: Conversation | undefined,
  limit: number,
): PromiseLike<Read<Conversation[]>> {
  let query = supabase().from("conversations").select(CONVERSATION_COLUMNS)
    .eq("organisation_id", organisationId).neq("channel", "test")
    .not("last_message_at", "is", null);
  if (filters.show === "needs_me") query = query.or(needsMeFilter(me));
  else if (filters.show) query = query.eq("status", filters.show);
  if (filters.unread) query = query.gt("unread_count", 0);
  if (filters.channel) query = query.eq("channel", filters.channel);
  if (after) query = query.or(keysetAfter("last_message_at", after));
  return query.order("last_message_at", { ascending: false }).order("id", { ascending: false })
    .limit(limit).overrideTypes<Conversation[], { merge: false }>();
}

/** The newest `limit` messages of a conversation, oldest first (as a thread reads). */
export async function fetchMessages(conversationId: string, limit = 200): Promise<Read<Message[]>> {
  const { data, error } = await supabase().from("messages").select(MESSAGE_COLUMNS)
    .eq("conversation_id", conversationId)
    .order("created_at", { ascending: false }).order("id", { ascending: false }).limit(limit)
    .overrideTypes<Message[], { merge: false }>();
  if (error) return { data: null, error };
  return { data: data.reverse(), error: null };
}

/** `message` in `list` (by id) or appended, the list kept in time order. */
export function upsertMessage(list: Message[], message: Message): Message[] {
  const at = list.findIndex((m) => m.id === message.id);
  if (at >= 0) return list.with(at, message);
  const next = [...list, message];
  next.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
  return next;
}

/** How long WhatsApp lets a business answer freely after the patient's last message. */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Why staff cannot reply, in words, or null when they can: the same rule send_staff_reply applies
 * (a patient who opted out of the channel gets nothing; on WhatsApp, free-form messages only
 * within 24 hours of the patient's last message; SMS has no window).
 */
export function replyBlocked(
  conversation: Pick<Conversation, "channel" | "last_inbound_at" | "contact">,
  now = Date.now(),
): string | null {
  const { channel, contact } = conversation;
  const optedOut = channel === "whatsapp"
    ? contact?.whatsapp_opted_out_at
    : channel === "sms" && contact?.sms_opted_out_at;
  if (optedOut) {
    return `The patient opted out of ${
      CHANNEL_LABELS[channel]
    } messages (they sent STOP) until they send START.`;
  }
  if (channel !== "whatsapp") return null;
  const last = Date.parse(conversation.last_inbound_at ?? "");
  if (!(now - last < WHATSAPP_WINDOW_MS)) {
    return "WhatsApp's 24-hour window is closed: the patient last wrote over 24 hours ago, and WhatsApp then allows only approved templates. Reply once they write again.";
  }
  return null;
}

/** Delivery as the thread shows it: a tick and its name. */
export const DELIVERY_TICKS: Record<Delivery, { tick: string; label: string }> = {
  pending: { tick: "◷", label: "Sending" },
  queued: { tick: "◷", label: "Queued" },
  sent: { tick: "✓", label: "Sent" },
  delivered: { tick: "✓✓", label: "Delivered" },
  read: { tick: "✓✓", label: "Read" },
  failed: { tick: "✕", label: "Failed" },
};

export const CHANNEL_LABELS: Record<Enums<"conversation_channel">, string> = {
  whatsapp: "WhatsApp",
  sms: "SMS",
  test: "Test chat",
};

/** A conversation's patient as staff know them: the contact's name, else their number. */
export function patientName(
  conversation: Pick<Conversation, "contact">,
  format: (e164: string) => string,
): string {
  const contact = conversation.contact;
  if (!contact) return "Unknown patient";
  return contact.name || format(contact.phone);
}

type Details = Record<string, unknown>;

/**
 * What a message that is not plain text holds, in words ("Photo · image/jpeg", "Location 51.5,
 * -0.12 · Clinic"), or null for text. The body (caption, title) is shown beside it.
 */
export function describeContent(kind: string, details: unknown): string | null {
  const d = (details ?? {}) as Details;
  const media = (d.media ?? {}) as Details;
  const mime = typeof media.mime_type === "string" ? ` · ${media.mime_type}` : "";
  const file = typeof media.filename === "string" ? ` · ${media.filename}` : "";
  switch (kind) {
    case "text":
    case "template":
      return null;
    case "interactive":
    case "button":
      return "Tapped a button";
    case "image":
      return `Photo${mime}`;
    case "sticker":
      return `Sticker${mime}`;
    case "video":
      return `Video${mime}`;
    case "audio":
      return `${media.voice ? "Voice message" : "Audio"}${mime}`;
    case "document":
      return `Document${file}${mime}`;
    case "location": {
      const place = [d.name, d.address].filter((part) => typeof part === "string" && part);
      return `Location ${d.latitude}, ${d.longitude}${
        place.length ? ` · ${place.join(", ")}` : ""
      }`;
    }
    case "reaction":
      return d.emoji ? `Reacted ${d.emoji}` : "Removed a reaction";
    case "contacts":
      return "Shared a contact card";
    default:
      return "A kind of message WhatsApp does not pass on (e.g. a poll): ask for text or a photo.";
  }
}

/** Where an attached file can be opened, if the message has a link to it. */
export function mediaUrl(details: unknown): string | null {
  const media = ((details ?? {}) as Details).media as Details | undefined;
  return typeof media?.url === "string" && /^https?:/.test(media.url) ? media.url : null;
}
