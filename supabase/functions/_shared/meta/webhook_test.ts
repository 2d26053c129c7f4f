import assert from "node:assert/strict";
import { parseMetaDelivery } from "./webhook.ts";

const metadata = { display_phone_number: "15550001111", phone_number_id: "100000000000001" };
const delivery = (value: Record<string, unknown>, field = "messages") =>
  JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{
      id: "1",
      changes: [{ field, value: { messaging_product: "whatsapp", metadata, ...value } }],
    }],
  });

Deno.test("messages and statuses become events with the contract's external ids", () => {
  const parsed = parseMetaDelivery(delivery({
    contacts: [{ wa_id: "447700900123", profile: { name: "Anna" } }],
    messages: [{
      from: "447700900123",
      id: "wamid.M",
      timestamp: "1764650000",
      type: "text",
      text: { body: "hi" },
    }],
    statuses: [{
      id: "wamid.O",
      status: "read",
      timestamp: "1764650001",
      recipient_id: "447700900123",
    }],
  }));
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.events.map((e) => [e.external_id, e.kind, e.phone_number_id]), [
    ["m:wamid.M", "message", "100000000000001"],
    ["s:wamid.O:read", "status", "100000000000001"],
  ]);
  assert.deepEqual(parsed.events[0].payload.contacts, [{
    wa_id: "447700900123",
    profile: { name: "Anna" },
  }]);
  assert.deepEqual(parsed.events[1].payload.metadata, metadata);
});

Deno.test("other fields are acknowledged as no events; malformed or foreign bodies say what is wrong", () => {
  const other = parseMetaDelivery(
    delivery({ event: "APPROVED" }, "message_template_status_update"),
  );
  assert.deepEqual(other, { ok: true, events: [] });
  for (
    const body of [
      "",
      "{",
      "[]",
      "null",
      '{"object":"page","entry":[]}',
      '{"object":"whatsapp_business_account"}',
    ]
  ) {
    const result = parseMetaDelivery(body);
    assert.equal(result.ok, false, body);
    if (!result.ok) assert.ok(result.message.length > 0);
  }
  const noMetadata = parseMetaDelivery(JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{ changes: [{ field: "messages", value: { messages: [] } }] }],
  }));
  assert.equal(noMetadata.ok, false);
  const badMessage = parseMetaDelivery(
    delivery({ messages: [{ id: "", type: "text", timestamp: "1" }] }),
  );
  assert.equal(badMessage.ok, false);
});
