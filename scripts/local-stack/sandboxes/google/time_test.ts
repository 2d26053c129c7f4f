import assert from "node:assert/strict";
import {
  eventInstant,
  formatInZone,
  instantOf,
  normaliseEventTime,
  parseInstant,
  startOfWeek,
} from "./time.ts";

const LONDON = "Europe/London";

Deno.test("eventInstant: offsets, zones, all-day dates, and Google's refusals", () => {
  const at = (t: object, zone = LONDON) => eventInstant(t, zone, "start");
  assert.equal(at({ dateTime: "2026-06-01T09:00:00+01:00" }), Date.parse("2026-06-01T08:00:00Z"));
  // Without an offset the time is read in its timeZone: BST in June, GMT in December.
  assert.equal(
    at({ dateTime: "2026-06-01T09:00:00", timeZone: LONDON }),
    Date.parse("2026-06-01T08:00:00Z"),
  );
  assert.equal(
    at({ dateTime: "2026-12-01T09:00:00", timeZone: LONDON }),
    Date.parse("2026-12-01T09:00:00Z"),
  );
  assert.equal(
    at({ dateTime: "2026-12-01T09:00", timeZone: "America/New_York" }),
    Date.parse("2026-12-01T14:00:00Z"),
  );
  // An offset wins over timeZone (the zone only says how to show it).
  assert.equal(
    at({ dateTime: "2026-12-01T09:00:00Z", timeZone: "Asia/Tokyo" }),
    Date.parse("2026-12-01T09:00:00Z"),
  );
  // All-day: midnight in the calendar's zone.
  assert.equal(at({ date: "2026-06-02" }), Date.parse("2026-06-01T23:00:00Z"));
  assert.equal(at({ date: "2026-06-02" }, "UTC"), Date.parse("2026-06-02T00:00:00Z"));

  assert.equal(
    at({ dateTime: "2026-12-01T09:00:00" }),
    "Missing time zone definition for start time.",
  );
  assert.equal(at({}), "Missing start time.");
  assert.equal(at({ dateTime: "2026-12-01 09:00:00Z" }), "Invalid start time.");
  assert.equal(at({ dateTime: "2026-12-01T25:00:00Z" }), "Invalid start time.");
  assert.equal(at({ date: "2026-13-01" }), "Invalid start time.");
  assert.equal(at({ date: "2026-12-01", dateTime: "2026-12-01T09:00:00Z" }), "Invalid start time.");
  assert.equal(
    at({ dateTime: "2026-12-01T09:00:00Z", timeZone: "Nowhere/Land" }),
    "Invalid time zone definition for start time.",
  );
});

Deno.test("wall clocks across DST: formatting, the gap and the repeated hour", () => {
  // 2026-03-29 01:00 GMT London springs to 02:00 BST; 2026-10-25 02:00 BST falls back to 01:00.
  assert.equal(formatInZone(Date.parse("2026-03-29T00:30:00Z"), LONDON), "2026-03-29T00:30:00Z");
  assert.equal(
    formatInZone(Date.parse("2026-03-29T01:30:00Z"), LONDON),
    "2026-03-29T02:30:00+01:00",
  );
  assert.equal(
    formatInZone(Date.parse("2026-12-01T14:00:00Z"), "America/New_York"),
    "2026-12-01T09:00:00-05:00",
  );
  assert.equal(
    formatInZone(Date.parse("2026-12-01T14:00:00Z"), "Asia/Kolkata"),
    "2026-12-01T19:30:00+05:30",
  );
  // 01:30 does not exist on 2026-03-29 in London: the time after the gap.
  assert.equal(instantOf([2026, 3, 29, 1, 30], LONDON), Date.parse("2026-03-29T01:30:00Z"));
  assert.equal(instantOf([2026, 3, 29, 9, 0], LONDON), Date.parse("2026-03-29T08:00:00Z"));
  assert.equal(instantOf([2026, 10, 25, 9, 0], LONDON), Date.parse("2026-10-25T09:00:00Z"));
});

Deno.test("normaliseEventTime: dateTime shown in its own zone, else the calendar's; dates unchanged", () => {
  const ms = Date.parse("2026-06-01T08:00:00Z");
  assert.deepEqual(
    normaliseEventTime({ dateTime: "2026-06-01T08:00:00Z", timeZone: "Europe/Madrid" }, ms, LONDON),
    { dateTime: "2026-06-01T10:00:00+02:00", timeZone: "Europe/Madrid" },
  );
  assert.deepEqual(normaliseEventTime({ dateTime: "2026-06-01T08:00:00Z" }, ms, LONDON), {
    dateTime: "2026-06-01T09:00:00+01:00",
  });
  assert.deepEqual(normaliseEventTime({ date: "2026-06-01" }, ms, LONDON), { date: "2026-06-01" });
});

Deno.test("parseInstant needs an offset; startOfWeek is Monday midnight in the zone", () => {
  assert.equal(
    parseInstant("2026-12-01T09:00:00.250+01:00"),
    Date.parse("2026-12-01T08:00:00.250Z"),
  );
  assert.equal(parseInstant("2026-12-01T09:00:00"), null);
  assert.equal(parseInstant("2026-12-01"), null);
  // Wednesday 2026-12-02 → Monday 2026-11-30; Sunday 2026-06-07 (BST) → Monday 2026-06-01.
  assert.equal(
    startOfWeek(Date.parse("2026-12-02T10:00:00Z"), LONDON),
    Date.parse("2026-11-30T00:00:00Z"),
  );
  assert.equal(
    startOfWeek(Date.parse("2026-06-07T22:30:00Z"), LONDON),
    Date.parse("2026-05-31T23:00:00Z"),
  );
});
