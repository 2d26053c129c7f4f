import assert from "node:assert/strict";
import {
  normaliseMetaMessage,
  normaliseMetaStatus,
  normaliseTwilioMessage,
  normaliseTwilioStatus,
} from "./normalise.ts";
import { parseMetaDelivery } from "../meta/webhook.ts";
import { delivery } from "../../../tests/api/_meta_delivery.ts";

const SENDER = [{ profile: { name: "Anna Petrova" }, wa_id: "447700900123" }];
const metadata = { display_phone_number: "15550001111", phone_number_id: "100000000000001" };
const meta = (type: string, body: Record<string, unknown>) => ({
  from: "447700900123",
  id: `wamid.${type}`,
  timestamp: "1764650000",
  type,
  ...body,
  metadata,
  contacts: SENDER,
});

Deno.test("Meta text: body, sender as +wa_id, profile name, Meta's time", () => {
  const m = normaliseMetaMessage(meta("text", { text: { body: "Привет 😀" } }))!;
  assert.deepEqual(m, {
    providerMessageId: "wamid.text",
    from: "+447700900123",
    profileName: "Anna Petrova",
    at: new Date(1764650000_000),
    kind: "text",
    body: "Привет 😀",
    details: {},
  });
});

Deno.test("Meta interactive button and list replies, template quick-reply button", () => {
  const button = normaliseMetaMessage(meta("interactive", {
    interactive: { type: "button_reply", button_reply: { id: "slot_1", title: "Mon 10:00" } },
  }))!;
  assert.equal(button.kind, "interactive");
  assert.equal(button.body, "Mon 10:00");
  assert.deepEqual(
    { id: button.details.id, title: button.details.title },
    { id: "slot_1", title: "Mon 10:00" },
  );
  const list = normaliseMetaMessage(meta("interactive", {
    interactive: {
      type: "list_reply",
      list_reply: { id: "r2", title: "Physio", description: "30 min" },
    },
  }))!;
  assert.equal(list.body, "Physio");
  assert.equal(list.details.description, "30 min");
  const template = normaliseMetaMessage(
    meta("button", { button: { payload: "CONFIRM_1", text: "Confirm" } }),
  )!;
  assert.deepEqual([template.kind, template.body, template.details], [
    "button",
    "Confirm",
    { id: "CONFIRM_1", title: "Confirm" },
  ]);
});

Deno.test("Meta media of every kind is kept as a reference with caption, hash, file name, voice", () => {
  for (const kind of ["image", "audio", "video", "document", "sticker"]) {
    const m = normaliseMetaMessage(meta(kind, {
      [kind]: {
        id: `media-${kind}`,
        mime_type: "application/x-test",
        sha256: "abc=",
        ...(kind === "document" ? { filename: "referral.pdf", caption: "my referral" } : {}),
        ...(kind === "audio" ? { voice: true } : {}),
      },
    }))!;
    assert.equal(m.kind, kind);
    const media = m.details.media as Record<string, unknown>;
    assert.equal(media.provider, "meta");
    assert.equal(media.id, `media-${kind}`);
    assert.equal(media.sha256, "abc=");
    if (kind === "document") {
      assert.equal(m.body, "my referral");
      assert.equal(media.filename, "referral.pdf");
    }
    if (kind === "audio") assert.equal(media.voice, true);
  }
});

Deno.test("Meta location, reaction (and removed reaction), contact cards", () => {
  const location = normaliseMetaMessage(meta("location", {
    location: { latitude: 51.5, longitude: -0.12, name: "Clinic car park" },
  }))!;
  assert.equal(location.kind, "location");
  assert.equal(location.body, "Clinic car park");
  assert.equal(location.details.latitude, 51.5);
  const reaction = normaliseMetaMessage(
    meta("reaction", { reaction: { message_id: "wamid.OUT", emoji: "👍" } }),
  )!;
  assert.deepEqual([reaction.kind, reaction.body, reaction.details], [
    "reaction",
    "👍",
    { reacted_to: "wamid.OUT", emoji: "👍" },
  ]);
  const removed = normaliseMetaMessage(
    meta("reaction", { reaction: { message_id: "wamid.OUT" } }),
  )!;
  assert.deepEqual(removed.details, { reacted_to: "wamid.OUT", emoji: "" });
  // Through the envelope, so the delivery's sender contacts and the cards do not collide.
  const parsed = parseMetaDelivery(JSON.stringify(delivery(metadata.phone_number_id, {
    name: "Anna Petrova",
    messages: [{
      id: "wamid.cards",
      timestamp: "1764650000",
      type: "contacts",
      contacts: [{ name: { formatted_name: "Dr Who" }, phones: [{ phone: "+4420" }] }],
    }],
  })));
  assert.ok(parsed.ok);
  const cards = normaliseMetaMessage(parsed.events[0].payload)!;
  assert.equal(cards.kind, "contacts");
  assert.equal(cards.body, "Dr Who");
  assert.equal(cards.profileName, "Anna Petrova");
  assert.equal((cards.details.contacts as unknown[]).length, 1);
});

Deno.test("Meta unsupported, unknown and malformed types are kept as unsupported with the errors", () => {
  const errors = [{ code: 131051, title: "Message type unknown" }];
  const m = normaliseMetaMessage(meta("unsupported", { errors, unsupported: { type: "poll" } }))!;
  assert.deepEqual([m.kind, m.details.errors], ["unsupported", errors]);
  const unknown = normaliseMetaMessage(meta("hologram", { hologram: {} }))!;
  assert.equal(unknown.kind, "unsupported");
  assert.equal(unknown.details.type, "hologram");
  const malformed = normaliseMetaMessage(meta("text", { text: { body: 5 } }))!;
  assert.equal(malformed.kind, "unsupported");
  assert.match(JSON.stringify(malformed.details.errors), /Malformed text/);
  assert.equal(normaliseMetaMessage({ type: "text" }), null);
});

Deno.test("a reply's context and forwarded flag are kept; long text is clipped to 4096", () => {
  const m = normaliseMetaMessage(meta("text", {
    text: { body: "я".repeat(5000) },
    context: { from: "15550001111", id: "wamid.OUT" },
  }))!;
  assert.equal([...m.body!].length, 4096);
  assert.deepEqual(m.details.context, { from: "15550001111", id: "wamid.OUT" });
});

Deno.test("Meta statuses: sent/delivered/read/played/failed with the error; others ignored", () => {
  const at = new Date(1764650000_000);
  for (
    const [status, delivery] of [["sent", "sent"], ["delivered", "delivered"], ["read", "read"], [
      "played",
      "read",
    ]]
  ) {
    assert.deepEqual(normaliseMetaStatus({ id: "wamid.X", status, timestamp: "1764650000" }), {
      providerMessageId: "wamid.X",
      delivery,
      at,
      errorCode: null,
      errorMessage: null,
    });
  }
  const failed = normaliseMetaStatus({
    id: "wamid.X",
    status: "failed",
    timestamp: "1764650000",
    errors: [{ code: 131047, title: "Re-engagement message", error_data: { details: "24 hours" } }],
  })!;
  assert.deepEqual([failed.delivery, failed.errorCode, failed.errorMessage], [
    "failed",
    "131047",
    "Re-engagement message: 24 hours",
  ]);
  assert.equal(normaliseMetaStatus({ id: "wamid.X", status: "deleted", timestamp: "1" }), null);
});

const twilio = (fields: Record<string, string>) => ({
  AccountSid: "AC" + "1".repeat(32),
  MessageSid: "SM" + "a".repeat(32),
  From: "whatsapp:+447700900123",
  To: "whatsapp:+15550002222",
  ...fields,
});

Deno.test("Twilio inbound: SMS and WhatsApp text, profile name, from without whatsapp:", () => {
  const sms = normaliseTwilioMessage(
    twilio({ From: "+447700900123", To: "+15550002222", Body: "Hi" }),
  )!;
  assert.deepEqual([sms.kind, sms.body, sms.from, sms.profileName], [
    "text",
    "Hi",
    "+447700900123",
    null,
  ]);
  const wa = normaliseTwilioMessage(twilio({ Body: "Здравствуйте", ProfileName: "Anna" }))!;
  assert.deepEqual([wa.kind, wa.body, wa.from, wa.profileName, wa.providerMessageId], [
    "text",
    "Здравствуйте",
    "+447700900123",
    "Anna",
    "SM" + "a".repeat(32),
  ]);
});

Deno.test("Twilio inbound: media (kinds by type, several kept), location, quick-reply button", () => {
  const photo = normaliseTwilioMessage(twilio({
    NumMedia: "2",
    Body: "my rash",
    MediaUrl0: "https://api.twilio.com/m0",
    MediaContentType0: "image/jpeg",
    MediaUrl1: "https://api.twilio.com/m1",
    MediaContentType1: "application/pdf",
  }))!;
  assert.equal(photo.kind, "image");
  assert.equal(photo.body, "my rash");
  assert.deepEqual(photo.details.media, {
    provider: "twilio",
    url: "https://api.twilio.com/m0",
    mime_type: "image/jpeg",
  });
  assert.equal((photo.details.more_media as unknown[]).length, 1);
  const voice = normaliseTwilioMessage(twilio({
    NumMedia: "1",
    MediaUrl0: "https://api.twilio.com/v",
    MediaContentType0: "audio/ogg",
  }))!;
  assert.equal(voice.kind, "audio");
  const pdf = normaliseTwilioMessage(twilio({
    NumMedia: "1",
    MediaUrl0: "https://api.twilio.com/d",
    MediaContentType0: "application/pdf",
  }))!;
  assert.equal(pdf.kind, "document");
  const location = normaliseTwilioMessage(twilio({
    MessageType: "location",
    Latitude: "51.5",
    Longitude: "-0.12",
    Label: "Home",
  }))!;
  assert.deepEqual([location.kind, location.body, location.details.longitude], [
    "location",
    "Home",
    -0.12,
  ]);
  const button = normaliseTwilioMessage(twilio({ ButtonText: "Yes", ButtonPayload: "CONFIRM" }))!;
  assert.deepEqual([button.kind, button.body, button.details.id], ["button", "Yes", "CONFIRM"]);
});

Deno.test("Twilio statuses map onto our delivery states; errors kept; inbound statuses ignored", () => {
  const at = new Date("2026-12-02T10:00:00Z");
  const cases: [string, string | null][] = [
    ["accepted", "queued"],
    ["queued", "queued"],
    ["sending", "queued"],
    ["sent", "sent"],
    ["delivered", "delivered"],
    ["read", "read"],
    ["undelivered", "failed"],
    ["failed", "failed"],
    ["received", null],
    ["receiving", null],
  ];
  for (const [status, delivery] of cases) {
    assert.equal(
      normaliseTwilioStatus(twilio({ MessageStatus: status }), at)?.delivery ?? null,
      delivery,
      status,
    );
  }
  const failed = normaliseTwilioStatus(
    twilio({ MessageStatus: "failed", ErrorCode: "63016" }),
    at,
  )!;
  assert.deepEqual([failed.errorCode, failed.at], ["63016", at]);
  assert.equal(
    normaliseTwilioStatus(twilio({ MessageStatus: "sent", ErrorCode: "0" }), at)!.errorCode,
    null,
  );
});
