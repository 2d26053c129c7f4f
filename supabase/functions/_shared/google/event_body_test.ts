import assert from "node:assert/strict";
import { eventFor } from "./event_body.ts";
import { appointmentIdFromEventId } from "./event_id.ts";

const base = {
  id: "7c9e6679-7425-40de-944b-e07fc1f90ae7",
  serviceName: "Check-up",
  patientName: "Ada Lovelace",
  practitionerName: "Dr Hale",
  timeZone: "Europe/London",
};

Deno.test("eventFor: id, summary, a description without personal data, busy, default reminders", () => {
  const event = eventFor({
    ...base,
    startsAt: new Date("2026-12-08T10:30:00Z"),
    endsAt: new Date("2026-12-08T11:00:00Z"),
  });
  assert.equal(appointmentIdFromEventId(event.id), base.id);
  assert.equal(event.summary, "Check-up — Ada Lovelace");
  assert.equal(event.description, "With Dr Hale. Booked by Frontdesk.");
  assert.equal(event.transparency, "opaque");
  assert.equal(event.status, "confirmed");
  assert.deepEqual(event.reminders, { useDefault: true });
  assert.deepEqual(event.extendedProperties, { private: { appointmentId: base.id } });
  assert.deepEqual(event.start, {
    dateTime: "2026-12-08T10:30:00+00:00",
    timeZone: "Europe/London",
  });
  assert.deepEqual(event.end, { dateTime: "2026-12-08T11:00:00+00:00", timeZone: "Europe/London" });
  assert.doesNotMatch(JSON.stringify(event), /\+44|@/);
});

Deno.test("eventFor: a patient without a name is summarised by the service alone", () => {
  for (const patientName of [null, "  "]) {
    const event = eventFor({
      ...base,
      patientName,
      startsAt: new Date("2026-12-08T10:30:00Z"),
      endsAt: new Date("2026-12-08T11:00:00Z"),
    });
    assert.equal(event.summary, "Check-up");
  }
});

Deno.test("eventFor: local times carry the offset of their own side of a DST change (London)", () => {
  // Spring: clocks go 01:00 GMT → 02:00 BST on 29 March 2026. 00:30 GMT is 00:30+00:00, and an
  // hour later it is 02:30+01:00 (01:30 local never exists).
  const spring = eventFor({
    ...base,
    startsAt: new Date("2026-03-29T00:30:00Z"),
    endsAt: new Date("2026-03-29T01:30:00Z"),
  });
  assert.equal(spring.start.dateTime, "2026-03-29T00:30:00+00:00");
  assert.equal(spring.end.dateTime, "2026-03-29T02:30:00+01:00");
  // Autumn: 02:00 BST → 01:00 GMT on 25 October 2026; 01:30 local happens twice.
  const autumn = eventFor({
    ...base,
    startsAt: new Date("2026-10-25T00:30:00Z"),
    endsAt: new Date("2026-10-25T01:30:00Z"),
  });
  assert.equal(autumn.start.dateTime, "2026-10-25T01:30:00+01:00");
  assert.equal(autumn.end.dateTime, "2026-10-25T01:30:00+00:00");
  // A week either side: the same 09:00 wall clock, a different UTC instant.
  const before = eventFor({
    ...base,
    startsAt: new Date("2026-03-27T09:00:00Z"),
    endsAt: new Date("2026-03-27T09:30:00Z"),
  });
  const after = eventFor({
    ...base,
    startsAt: new Date("2026-03-30T08:00:00Z"),
    endsAt: new Date("2026-03-30T08:30:00Z"),
  });
  assert.equal(before.start.dateTime, "2026-03-27T09:00:00+00:00");
  assert.equal(after.start.dateTime, "2026-03-30T09:00:00+01:00");
  for (const event of [spring, autumn, before, after]) {
    assert.equal(event.start.timeZone, "Europe/London");
    assert.equal(event.end.timeZone, "Europe/London");
  }
});

Deno.test("eventFor: the clinic's zone, with half-hour offsets", () => {
  const event = eventFor({
    ...base,
    timeZone: "Asia/Kolkata",
    startsAt: new Date("2026-12-08T04:30:00Z"),
    endsAt: new Date("2026-12-08T05:15:00Z"),
  });
  assert.deepEqual(event.start, {
    dateTime: "2026-12-08T10:00:00+05:30",
    timeZone: "Asia/Kolkata",
  });
  assert.deepEqual(event.end, { dateTime: "2026-12-08T10:45:00+05:30", timeZone: "Asia/Kolkata" });
});
