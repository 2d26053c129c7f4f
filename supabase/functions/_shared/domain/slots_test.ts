import assert from "node:assert/strict";
import { findSlots, nextSlots, type Slot, type SlotQuery, type WeeklyInterval } from "./slots.ts";
import { localDateTimeOf } from "./opening_hours.ts";

// A one-chair clinic in London on Monday 7 December 2026, asked on the Friday before: 30-minute
// appointments on a 30-minute grid, no buffers, no notice to speak of. Each test changes what it is about.
function query(changes: Partial<SlotQuery> = {}): SlotQuery {
  return {
    timeZone: "Europe/London",
    now: Date.parse("2026-12-04T12:00:00Z"),
    from: "2026-12-07",
    to: "2026-12-07",
    service: { durationMinutes: 30, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 },
    clinicHours: [hours(1, "09:00", "11:00")],
    practitioners: [{ id: "hale", name: "Dr Hale", hours: null }],
    closures: [],
    busy: [],
    rules: { slotIntervalMinutes: 30, minNoticeMinutes: 0, horizonDays: 60 },
    ...changes,
  };
}

function hours(weekday: number, opens: string, closes: string): WeeklyInterval {
  return { weekday, opens, closes };
}

const two = [
  { id: "hale", name: "Dr Hale", hours: null },
  { id: "abbot", name: "Dr Abbot", hours: null },
];

/** Slots as local "HH:MM" (with the date when `withDate`) and, if not only Hale, who. */
function local(slots: Slot[], timeZone = "Europe/London", withDate = false): string[] {
  return slots.map(({ start, practitionerIds }) => {
    const { date, time } = localDateTimeOf(timeZone, new Date(start));
    const who = practitionerIds.join(",") === "hale" ? "" : ` ${practitionerIds.join(",")}`;
    return `${withDate ? `${date} ` : ""}${time}${who}`;
  });
}

const utc = (slots: Slot[]) => slots.map((s) => new Date(s.start).toISOString().slice(5, 16));

Deno.test("a plain morning: every 30 minutes, the last one ending at closing time", () => {
  const slots = findSlots(query());
  assert.deepEqual(local(slots), ["09:00", "09:30", "10:00", "10:30"]);
  assert.deepEqual(slots[0], {
    start: Date.parse("2026-12-07T09:00:00Z"),
    end: Date.parse("2026-12-07T09:30:00Z"),
    practitionerIds: ["hale"],
  });
});

Deno.test("interval ≠ duration: the grid steps by the interval, each slot lasts the duration", () => {
  const service = { durationMinutes: 50, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 };
  const slots = findSlots(
    query({ service, rules: { slotIntervalMinutes: 20, minNoticeMinutes: 0, horizonDays: 60 } }),
  );
  assert.deepEqual(local(slots), ["09:00", "09:20", "09:40", "10:00"], "10:20 would end 11:10");
  assert.ok(slots.every((s) => s.end - s.start === 50 * 60_000));
  // The grid starts at each opening, not on the hour.
  const offGrid = findSlots(query({ clinicHours: [hours(1, "09:10", "10:30")] }));
  assert.deepEqual(local(offGrid), ["09:10", "09:40"]);
});

Deno.test("split day: nothing straddles the lunch break; touching intervals join", () => {
  const service = { durationMinutes: 60, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 };
  const split = [hours(1, "08:30", "10:30"), hours(1, "13:30", "15:00")];
  assert.deepEqual(local(findSlots(query({ service, clinicHours: split }))), [
    "08:30",
    "09:00",
    "09:30",
    "13:30",
    "14:00",
  ]);
  const touching = [hours(1, "09:00", "10:00"), hours(1, "10:00", "11:00")];
  assert.deepEqual(
    local(findSlots(query({ service, clinicHours: touching }))),
    ["09:00", "09:30", "10:00"],
    "09:30–10:30 runs from one interval into the next",
  );
});

Deno.test("buffers keep clear of busy time but may run outside working hours", () => {
  // Hale is blocked 10:00–10:30; the service needs 10 minutes before and 5 after.
  const service = { durationMinutes: 30, bufferBeforeMinutes: 10, bufferAfterMinutes: 5 };
  const slots = findSlots(query({
    clinicHours: [hours(1, "09:00", "12:00")],
    service,
    rules: { slotIntervalMinutes: 15, minNoticeMinutes: 0, horizonDays: 60 },
    busy: [{
      practitionerId: "hale",
      from: Date.parse("2026-12-07T10:00:00Z"),
      until: Date.parse("2026-12-07T10:30:00Z"),
    }],
  }));
  // 09:15 blocks 09:05–09:50; 09:30 would block until 10:05. 10:30 would block from 10:20.
  // 09:00's buffer starts at 08:50 and 11:30's ends at 12:05, outside hours: allowed.
  assert.deepEqual(local(slots), ["09:00", "09:15", "10:45", "11:00", "11:15", "11:30"]);
});

Deno.test("a busy range only blocks its own practitioner; touching ranges do not overlap", () => {
  const busy = [{
    practitionerId: "hale",
    from: Date.parse("2026-12-07T09:30:00Z"),
    until: Date.parse("2026-12-07T10:00:00Z"),
  }];
  assert.deepEqual(local(findSlots(query({ practitioners: two, busy }))), [
    "09:00 abbot,hale",
    "09:30 abbot",
    "10:00 abbot,hale",
    "10:30 abbot,hale",
  ]);
});

Deno.test("minimum notice and horizon bound the start", () => {
  const now = Date.parse("2026-12-07T08:00:00Z");
  const notice = findSlots(
    query({ now, rules: { slotIntervalMinutes: 30, minNoticeMinutes: 120, horizonDays: 60 } }),
  );
  assert.deepEqual(local(notice), ["10:00", "10:30"], "now + 2 h = 10:00 is still offered");

  // Horizon 1 day from Sunday 09:45: Monday 09:00 and 09:30 are in, 09:45 onwards is not.
  const horizon = findSlots(query({
    now: Date.parse("2026-12-06T09:45:00Z"),
    rules: { slotIntervalMinutes: 30, minNoticeMinutes: 0, horizonDays: 1 },
  }));
  assert.deepEqual(local(horizon), ["09:00", "09:30"]);
  const past = findSlots(query({ now: Date.parse("2026-12-08T00:00:00Z") }));
  assert.deepEqual(past, [], "a day already gone");
});

Deno.test("clinic closures shut everyone; time off shuts one practitioner", () => {
  const week = { from: "2026-12-07", to: "2026-12-09", practitioners: two };
  const clinicHours = [1, 2, 3].map((d) => hours(d, "09:00", "10:00"));
  const slots = findSlots(query({
    ...week,
    clinicHours,
    closures: [
      { startsOn: "2026-12-08", endsOn: "2026-12-08", practitionerId: null },
      { startsOn: "2026-12-09", endsOn: "2026-12-20", practitionerId: "abbot" },
    ],
  }));
  assert.deepEqual(local(slots, "Europe/London", true), [
    "2026-12-07 09:00 abbot,hale",
    "2026-12-07 09:30 abbot,hale",
    "2026-12-09 09:00",
    "2026-12-09 09:30",
  ]);
});

Deno.test("own hours replace the clinic's; an empty list means never", () => {
  const practitioners = [
    { id: "hale", name: "Dr Hale", hours: null },
    { id: "abbot", name: "Dr Abbot", hours: [hours(1, "10:00", "12:00")] },
    { id: "cole", name: "Cole", hours: [] },
  ];
  assert.deepEqual(local(findSlots(query({ practitioners }))), [
    "09:00",
    "09:30",
    "10:00 abbot,hale",
    "10:30 abbot,hale",
    "11:00 abbot",
    "11:30 abbot",
  ]);
});

Deno.test("a night shift runs past midnight; a closed day cuts it at midnight", () => {
  const night = {
    clinicHours: [hours(1, "22:00", "02:00")],
    service: { durationMinutes: 60, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 },
    rules: { slotIntervalMinutes: 60, minNoticeMinutes: 0, horizonDays: 60 },
    from: "2026-12-07",
    to: "2026-12-08",
  };
  assert.deepEqual(local(findSlots(query(night)), "Europe/London", true), [
    "2026-12-07 22:00",
    "2026-12-07 23:00",
    "2026-12-08 00:00",
    "2026-12-08 01:00",
  ]);
  const closures = [{ startsOn: "2026-12-08", endsOn: "2026-12-08", practitionerId: null }];
  assert.deepEqual(local(findSlots(query({ ...night, closures }))), ["22:00", "23:00"]);
  // Asked only for Tuesday: the slots after midnight of Monday's shift.
  assert.deepEqual(local(findSlots(query({ ...night, from: "2026-12-08" }))), ["00:00", "01:00"]);
});

Deno.test("preference: morning before 12:00, afternoon 12:00–17:00, evening from 17:00", () => {
  const day = {
    clinicHours: [hours(1, "11:00", "18:00")],
    service: { durationMinutes: 60, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 },
    rules: { slotIntervalMinutes: 60, minNoticeMinutes: 0, horizonDays: 60 },
  };
  assert.deepEqual(local(findSlots(query({ ...day, preference: "morning" }))), ["11:00"]);
  assert.deepEqual(local(findSlots(query({ ...day, preference: "afternoon" }))), [
    "12:00",
    "13:00",
    "14:00",
    "15:00",
    "16:00",
  ]);
  assert.deepEqual(local(findSlots(query({ ...day, preference: "evening" }))), ["17:00"]);
});

// ---------------------------------------------------------------------------
// Clock changes of 2026 and a half-hour zone
// ---------------------------------------------------------------------------

const hourly = {
  service: { durationMinutes: 60, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 },
  rules: { slotIntervalMinutes: 60, minNoticeMinutes: 0, horizonDays: 400 },
  now: Date.parse("2026-01-01T00:00:00Z"),
};

Deno.test("London, 29 March: 01:00–02:00 does not exist and is never offered", () => {
  const slots = findSlots(query({
    ...hourly,
    from: "2026-03-29",
    to: "2026-03-29",
    clinicHours: [hours(7, "00:00", "04:00")],
  }));
  assert.deepEqual(local(slots), ["00:00", "02:00", "03:00"]);
  // 00:00 GMT is followed directly by 02:00 BST: three real hours of opening.
  assert.deepEqual(utc(slots), ["03-29T00:00", "03-29T01:00", "03-29T02:00"]);
  // On a 45-minute grid 01:30 falls in the gap: it is skipped, not moved to 02:30.
  const offGrid = findSlots(query({
    ...hourly,
    from: "2026-03-29",
    to: "2026-03-29",
    clinicHours: [hours(7, "00:00", "04:00")],
    rules: { slotIntervalMinutes: 45, minNoticeMinutes: 0, horizonDays: 400 },
  }));
  assert.deepEqual(local(offGrid), ["00:00", "00:45", "02:15", "03:00"]);
});

Deno.test("London, 25 October: 01:00–02:00 happens twice and is offered once", () => {
  const slots = findSlots(query({
    ...hourly,
    from: "2026-10-25",
    to: "2026-10-25",
    clinicHours: [hours(7, "00:00", "03:00")],
  }));
  assert.deepEqual(local(slots), ["00:00", "01:00", "02:00"]);
  // 01:00 BST (00:00 UTC), not 01:00 GMT (01:00 UTC); the day has four real hours of opening.
  assert.deepEqual(utc(slots), ["10-24T23:00", "10-25T00:00", "10-25T02:00"]);
});

Deno.test("New York, 8 March: a Saturday night shift across the spring-forward gap", () => {
  const slots = findSlots(query({
    ...hourly,
    timeZone: "America/New_York",
    from: "2026-03-07",
    to: "2026-03-08",
    clinicHours: [hours(6, "22:00", "04:00")],
  }));
  assert.deepEqual(local(slots, "America/New_York"), ["22:00", "23:00", "00:00", "01:00", "03:00"]);
  assert.deepEqual(utc(slots), [
    "03-08T03:00",
    "03-08T04:00",
    "03-08T05:00",
    "03-08T06:00",
    "03-08T07:00",
  ]);
});

Deno.test("New York, 1 November: the repeated 01:00 is offered once, at its first occurrence", () => {
  const slots = findSlots(query({
    ...hourly,
    timeZone: "America/New_York",
    from: "2026-10-31",
    to: "2026-11-01",
    clinicHours: [hours(6, "22:00", "04:00")],
    rules: { slotIntervalMinutes: 30, minNoticeMinutes: 0, horizonDays: 400 },
  }));
  assert.deepEqual(local(slots, "America/New_York"), [
    "22:00",
    "22:30",
    "23:00",
    "23:30",
    "00:00",
    "00:30",
    "01:00",
    "01:30",
    "02:00",
    "02:30",
    "03:00",
  ]);
  const starts = utc(slots);
  assert.ok(starts.includes("11-01T05:00") && starts.includes("11-01T05:30"), "01:00/01:30 EDT");
  assert.ok(!starts.includes("11-01T06:00") && !starts.includes("11-01T06:30"), "not again EST");
  // 01:30 EDT lasts until 01:30 EST (06:30 UTC), one hour before 02:00 EST: still on offer.
  assert.ok(starts.includes("11-01T07:00"), "02:00 EST");
});

Deno.test("Asia/Kolkata (+05:30) and Australia/Adelaide's spring-forward (4 October)", () => {
  const kolkata = findSlots(query({
    timeZone: "Asia/Kolkata",
    clinicHours: [hours(1, "09:00", "11:00")],
    rules: { slotIntervalMinutes: 45, minNoticeMinutes: 0, horizonDays: 60 },
  }));
  assert.deepEqual(local(kolkata, "Asia/Kolkata"), ["09:00", "09:45", "10:30"]);
  assert.deepEqual(utc(kolkata), ["12-07T03:30", "12-07T04:15", "12-07T05:00"]);

  // Adelaide: 02:00 ACST (+09:30) becomes 03:00 ACDT (+10:30).
  const adelaide = findSlots(query({
    ...hourly,
    timeZone: "Australia/Adelaide",
    from: "2026-10-04",
    to: "2026-10-04",
    clinicHours: [hours(7, "01:00", "04:00")],
    rules: { slotIntervalMinutes: 30, minNoticeMinutes: 0, horizonDays: 400 },
  }));
  // 01:30 ACST lasts until 03:30 ACDT, a real hour; 02:00 and 02:30 do not exist.
  assert.deepEqual(local(adelaide, "Australia/Adelaide"), ["01:00", "01:30", "03:00"]);
  assert.deepEqual(utc(adelaide), ["10-03T15:30", "10-03T16:00", "10-03T16:30"]);
});

// ---------------------------------------------------------------------------
// The result's shape, nextSlots, bad input
// ---------------------------------------------------------------------------

Deno.test("several days: sorted by start, ids sorted, a slot for each start", () => {
  const practitioners = [
    { id: "zed", name: "Zed", hours: null },
    { id: "abbot", name: "Dr Abbot", hours: [hours(2, "09:30", "10:30")] },
  ];
  const slots = findSlots(query({
    practitioners,
    from: "2026-12-07",
    to: "2026-12-08",
    clinicHours: [hours(2, "09:00", "10:00"), hours(1, "09:00", "10:00")],
  }));
  assert.deepEqual(local(slots, "Europe/London", true), [
    "2026-12-07 09:00 zed",
    "2026-12-07 09:30 zed",
    "2026-12-08 09:00 zed",
    "2026-12-08 09:30 abbot,zed",
    "2026-12-08 10:00 abbot",
  ]);
});

Deno.test("nextSlots: the first n at or after an instant (the same time with another counts)", () => {
  const slots = findSlots(query({ practitioners: two }));
  const taken = Date.parse("2026-12-07T09:30:00Z");
  assert.deepEqual(local(nextSlots(slots, taken, 3)), [
    "09:30 abbot,hale",
    "10:00 abbot,hale",
    "10:30 abbot,hale",
  ]);
  assert.deepEqual(nextSlots(slots, taken + 1, 3).length, 2);
  assert.deepEqual(nextSlots(slots, taken, 0), []);
});

Deno.test("invalid input fails with a RangeError, never a wrong answer", () => {
  const bad: Partial<SlotQuery>[] = [
    { timeZone: "Mars/Olympus" },
    { from: "2026-02-30" },
    { now: Number.NaN },
    { service: { durationMinutes: 0, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 } },
    { service: { durationMinutes: 30, bufferBeforeMinutes: -5, bufferAfterMinutes: 0 } },
    { rules: { slotIntervalMinutes: 0, minNoticeMinutes: 0, horizonDays: 60 } },
    { rules: { slotIntervalMinutes: 7.5, minNoticeMinutes: 0, horizonDays: 60 } },
    { clinicHours: [hours(8, "09:00", "10:00")] },
    { clinicHours: [hours(1, "9am", "10:00")] },
  ];
  for (const changes of bad) {
    assert.throws(() => findSlots(query(changes)), RangeError, JSON.stringify(changes));
  }
  assert.deepEqual(findSlots(query({ from: "2026-12-08", to: "2026-12-07" })), [], "from > to");
});

Deno.test("the last day asked for: an appointment may run past midnight into the next day's hours", () => {
  // Found by the property test: Saturday until midnight, then Sunday from midnight, asked for
  // Saturday only. 23:50 and 23:55 end on Sunday, inside Sunday's hours.
  const slots = findSlots(query({
    now: Date.parse("2026-03-28T00:00:00Z"),
    from: "2026-03-28",
    to: "2026-03-28",
    service: { durationMinutes: 10, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 },
    clinicHours: [hours(6, "22:00", "00:00"), hours(7, "00:00", "06:00")],
    rules: { slotIntervalMinutes: 5, minNoticeMinutes: 0, horizonDays: 1 },
  }));
  assert.deepEqual(local(slots).slice(-3), ["23:45", "23:50", "23:55"]);
});
