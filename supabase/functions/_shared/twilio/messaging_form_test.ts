import assert from "node:assert/strict";
import { readMessagingForm } from "./messaging_form.ts";

const ACCOUNT = "AC" + "0123456789abcdef".repeat(2);
const SID = "SM" + "f".repeat(32);

Deno.test("an inbound form: ids, To, and the external id m:<MessageSid>", () => {
  assert.deepEqual(
    readMessagingForm("inbound", {
      AccountSid: ACCOUNT,
      MessageSid: SID,
      From: "+447700900123",
      To: "whatsapp:+15550002222",
      Body: "",
    }),
    { accountSid: ACCOUNT, messageSid: SID, to: "whatsapp:+15550002222", externalId: `m:${SID}` },
  );
});

Deno.test("a status form: the external id s:<MessageSid>:<MessageStatus>", () => {
  const form = readMessagingForm("status", {
    AccountSid: ACCOUNT,
    MessageSid: SID,
    MessageStatus: "delivered",
  });
  assert.ok(typeof form !== "string");
  assert.equal(form.externalId, `s:${SID}:delivered`);
});

Deno.test("forms Twilio would not send are refused with what is wrong", () => {
  const cases: [Parameters<typeof readMessagingForm>[0], Record<string, string>][] = [
    ["inbound", { MessageSid: SID, From: "+1", To: "+15550002222" }],
    ["inbound", { AccountSid: "AC1", MessageSid: SID, From: "+447700900123", To: "+15550002222" }],
    ["inbound", {
      AccountSid: ACCOUNT,
      MessageSid: "CA" + "f".repeat(32),
      From: "+447700900123",
      To: "+1555",
    }],
    ["inbound", { AccountSid: ACCOUNT, MessageSid: SID, To: "+15550002222" }],
    ["status", { AccountSid: ACCOUNT, MessageSid: SID }],
    ["status", { AccountSid: ACCOUNT, MessageSid: SID, MessageStatus: "DELIVERED!" }],
  ];
  for (const [route, form] of cases) {
    const result = readMessagingForm(route, form);
    assert.equal(typeof result, "string", JSON.stringify(form));
  }
});
