import assert from "node:assert/strict";
import {
  type Conversation,
  describeContent,
  inboxFilters,
  mediaUrl,
  type Message,
  replyBlocked,
  upsertMessage,
} from "./conversations.ts";

const NOW = Date.parse("2026-12-02T12:00:00Z");
const hoursAgo = (hours: number) => new Date(NOW - hours * 3600_000).toISOString();
const subscribed = { whatsapp_opted_out_at: null, sms_opted_out_at: null };

function conversation(
  channel: Conversation["channel"],
  lastInbound: string | null,
  contact: Partial<NonNullable<Conversation["contact"]>> = {},
): Pick<Conversation, "channel" | "last_inbound_at" | "contact"> {
  return {
    channel,
    last_inbound_at: lastInbound,
    contact: { id: "c", name: "Ann", phone: "+447700900001", ...subscribed, ...contact },
  };
}

Deno.test("WhatsApp replies are open for 24 hours after the patient's last message", () => {
  assert.equal(replyBlocked(conversation("whatsapp", hoursAgo(23.9)), NOW), null);
  assert.match(replyBlocked(conversation("whatsapp", hoursAgo(24)), NOW)!, /24-hour window/);
  assert.match(replyBlocked(conversation("whatsapp", hoursAgo(72)), NOW)!, /templates/);
  // A thread the patient never wrote in (staff cannot start one free-form).
  assert.match(replyBlocked(conversation("whatsapp", null), NOW)!, /24-hour window/);
});

Deno.test("SMS and the test chat have no window", () => {
  assert.equal(replyBlocked(conversation("sms", hoursAgo(500)), NOW), null);
  assert.equal(replyBlocked(conversation("test", null), NOW), null);
});

Deno.test("an opt-out blocks replies on its own channel only, before the window", () => {
  const optedOut = hoursAgo(1);
  assert.match(
    replyBlocked(conversation("whatsapp", hoursAgo(1), { whatsapp_opted_out_at: optedOut }), NOW)!,
    /opted out of WhatsApp/,
  );
  assert.match(
    replyBlocked(conversation("sms", hoursAgo(1), { sms_opted_out_at: optedOut }), NOW)!,
    /opted out of SMS/,
  );
  assert.equal(
    replyBlocked(conversation("sms", hoursAgo(1), { whatsapp_opted_out_at: optedOut }), NOW),
    null,
  );
});

Deno.test("inbox filters keep only what they know", () => {
  assert.deepEqual(inboxFilters({ show: "needs_me", unread: "1", channel: "sms" }), {
    show: "needs_me",
    unread: true,
    channel: "sms",
  });
  assert.deepEqual(inboxFilters({ show: "everything", unread: "yes", channel: "test" }), {
    show: undefined,
    unread: undefined,
    channel: undefined,
  });
});

Deno.test("media, locations, reactions and unsupported messages are described", () => {
  assert.equal(describeContent("text", {}), null);
  assert.equal(
    describeContent("image", { media: { provider: "meta", id: "1", mime_type: "image/jpeg" } }),
    "Photo · image/jpeg",
  );
  assert.equal(
    describeContent("audio", { media: { mime_type: "audio/ogg", voice: true } }),
    "Voice message · audio/ogg",
  );
  assert.equal(
    describeContent("document", { media: { mime_type: "application/pdf", filename: "x.pdf" } }),
    "Document · x.pdf · application/pdf",
  );
  assert.equal(
    describeContent("location", { latitude: 51.5, longitude: -0.12, name: "Clinic" }),
    "Location 51.5, -0.12 · Clinic",
  );
  assert.equal(describeContent("reaction", { reacted_to: "wamid.1", emoji: "👍" }), "Reacted 👍");
  assert.match(describeContent("unsupported", { errors: [] })!, /does not pass on/);
  assert.equal(mediaUrl({ media: { url: "javascript:alert(1)" } }), null);
  assert.equal(mediaUrl({ media: { url: "https://x.test/a.jpg" } }), "https://x.test/a.jpg");
});

Deno.test("a live message replaces its earlier self or joins in time order", () => {
  const message = (id: string, at: string, delivery: Message["delivery"] = null) =>
    ({ id, created_at: at, delivery }) as Message;
  const list = [message("a", "2026-12-02T10:00:00Z"), message("c", "2026-12-02T10:02:00Z")];
  assert.deepEqual(
    upsertMessage(list, message("b", "2026-12-02T10:01:00Z")).map((m) => m.id),
    ["a", "b", "c"],
  );
  const updated = upsertMessage(list, message("c", "2026-12-02T10:02:00Z", "read"));
  assert.equal(updated.length, 2);
  assert.equal(updated[1].delivery, "read");
});
