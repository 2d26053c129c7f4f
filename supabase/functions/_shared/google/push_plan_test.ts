import assert from "node:assert/strict";
import { pushPlan, type PushState } from "./push_plan.ts";

const booked: PushState = {
  status: "booked",
  connection: "active",
  calendarId: "hale@clinic.test",
  eventCalendarId: null,
  sync: "pending",
};

Deno.test("pushPlan: a new booking is inserted in its practitioner's calendar", () => {
  assert.deepEqual(pushPlan(booked), { action: "insert", calendarId: "hale@clinic.test" });
  // Waiting for re-authorisation still plans the push: the client then says it cannot.
  assert.deepEqual(pushPlan({ ...booked, connection: "needs_reauth" }), {
    action: "insert",
    calendarId: "hale@clinic.test",
  });
});

Deno.test("pushPlan: a synced appointment that changed is patched where its event is", () => {
  for (const status of ["booked", "completed", "no_show"] as const) {
    assert.deepEqual(
      pushPlan({ ...booked, status, eventCalendarId: "hale@clinic.test", sync: "pending" }),
      { action: "patch", calendarId: "hale@clinic.test" },
    );
  }
});

Deno.test("pushPlan: another practitioner's calendar → delete there, insert in the new one", () => {
  assert.deepEqual(pushPlan({ ...booked, eventCalendarId: "old@clinic.test" }), {
    action: "move",
    from: "old@clinic.test",
    to: "hale@clinic.test",
  });
});

Deno.test("pushPlan: a cancellation deletes the event where it is", () => {
  assert.deepEqual(
    pushPlan({ ...booked, status: "cancelled", eventCalendarId: "old@clinic.test" }),
    { action: "delete", calendarId: "old@clinic.test" },
  );
  // Not known to exist (an insert may have been cut short): delete where it would be.
  for (const sync of ["pending", "failed", null] as const) {
    assert.deepEqual(pushPlan({ ...booked, status: "cancelled", sync }), {
      action: "delete",
      calendarId: "hale@clinic.test",
    });
  }
  // Already deleted and recorded.
  assert.deepEqual(pushPlan({ ...booked, status: "cancelled", sync: "synced" }), {
    action: "nothing",
  });
});

Deno.test("pushPlan: nothing without a connected calendar", () => {
  for (const connection of [null, "disconnected"] as const) {
    for (const status of ["booked", "cancelled"] as const) {
      assert.deepEqual(
        pushPlan({ ...booked, connection, status, eventCalendarId: "hale@clinic.test" }),
        { action: "nothing" },
      );
    }
  }
});
