import assert from "node:assert/strict";
import { WHATSAPP_WINDOW_MS, windowClosesAt, windowOpen } from "./messaging_window.ts";

const last = new Date("2026-12-01T10:00:00Z");
const at = (ms: number) => new Date(last.getTime() + ms);

Deno.test("WhatsApp: open for 24 hours after the patient's last message, closed from then on", () => {
  assert.equal(WHATSAPP_WINDOW_MS, 86_400_000);
  assert.equal(windowOpen("whatsapp", last, last), true);
  assert.equal(windowOpen("whatsapp", last, at(WHATSAPP_WINDOW_MS - 1)), true);
  assert.equal(windowOpen("whatsapp", last, at(WHATSAPP_WINDOW_MS)), false);
  assert.equal(windowOpen("whatsapp", last, at(WHATSAPP_WINDOW_MS + 1)), false);
  assert.equal(windowOpen("whatsapp", last, at(7 * WHATSAPP_WINDOW_MS)), false);
  // A last message stamped slightly ahead of our clock (provider skew) still counts.
  assert.equal(windowOpen("whatsapp", last, at(-60_000)), true);
});

Deno.test("WhatsApp: closes at last inbound + 24 h, from a Date or the database's text", () => {
  assert.deepEqual(windowClosesAt("whatsapp", last), new Date("2026-12-02T10:00:00Z"));
  assert.deepEqual(
    windowClosesAt("whatsapp", "2026-12-01 10:00:00+00"),
    new Date("2026-12-02T10:00:00Z"),
  );
  assert.equal(
    windowOpen("whatsapp", "2026-12-01T11:00:00+01:00", new Date("2026-12-02T09:59:59Z")),
    true,
  );
  assert.equal(
    windowOpen("whatsapp", "2026-12-01T11:00:00+01:00", new Date("2026-12-02T10:00:00Z")),
    false,
  );
});

Deno.test("WhatsApp: a patient who never wrote (or an unreadable time) has no open window", () => {
  for (const none of [null, undefined, "not a time"]) {
    assert.equal(windowOpen("whatsapp", none, last), false);
    assert.equal(windowClosesAt("whatsapp", none), null);
  }
});

Deno.test("SMS and the test chat have no window: always open, never closes", () => {
  for (const channel of ["sms", "test"] as const) {
    for (const lastInbound of [null, last, "2020-01-01T00:00:00Z"]) {
      assert.equal(windowOpen(channel, lastInbound, at(30 * WHATSAPP_WINDOW_MS)), true);
      assert.equal(windowClosesAt(channel, lastInbound), null);
    }
  }
});

Deno.test("now defaults to the clock", () => {
  assert.equal(windowOpen("whatsapp", new Date(Date.now() - 60_000)), true);
  assert.equal(windowOpen("whatsapp", new Date(Date.now() - WHATSAPP_WINDOW_MS - 1000)), false);
});
