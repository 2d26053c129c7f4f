import assert from "node:assert/strict";
import { ordinal, spokenAppointment, spokenList, spokenSlot, spokenTime } from "./speech.ts";

const LONDON = "Europe/London";
// Monday 7 December 2026, 09:00 in London (UTC+0).
const NOW = Date.parse("2026-12-07T09:00:00Z");

Deno.test("ordinals: st, nd, rd, th and the teens", () => {
  const cases: [number, string][] = [
    [1, "1st"],
    [2, "2nd"],
    [3, "3rd"],
    [4, "4th"],
    [9, "9th"],
    [11, "11th"],
    [12, "12th"],
    [13, "13th"],
    [21, "21st"],
    [22, "22nd"],
    [23, "23rd"],
    [30, "30th"],
    [31, "31st"],
  ];
  for (const [n, said] of cases) assert.equal(ordinal(n), said);
});

Deno.test("a slot as said on the phone: weekday, ordinal, time and who", () => {
  const slot = { start: "2026-12-09T10:30:00+00:00", practitioners: [{ name: "Dr Hale" }] };
  assert.equal(spokenSlot(LONDON, slot, NOW), "Wednesday the 9th at 10:30 with Dr Hale");
  const two = { ...slot, practitioners: [{ name: "Dr Hale" }, { name: "Dr Moss" }] };
  assert.equal(spokenSlot(LONDON, two, NOW), "Wednesday the 9th at 10:30 with Dr Hale or Dr Moss");
  assert.equal(
    spokenSlot(LONDON, { ...slot, practitioners: [] }, NOW),
    "Wednesday the 9th at 10:30",
  );
});

Deno.test("today and tomorrow are named; the month only beyond three weeks or in the past", () => {
  assert.equal(
    spokenTime(LONDON, Date.parse("2026-12-07T15:00:00Z"), NOW),
    "today, Monday the 7th at 15:00",
  );
  assert.equal(
    spokenTime(LONDON, Date.parse("2026-12-08T08:15:00Z"), NOW),
    "tomorrow, Tuesday the 8th at 08:15",
  );
  assert.equal(
    spokenTime(LONDON, Date.parse("2026-12-27T10:00:00Z"), NOW),
    "Sunday the 27th at 10:00",
  );
  assert.equal(
    spokenTime(LONDON, Date.parse("2027-01-04T10:00:00Z"), NOW),
    "Monday the 4th of January at 10:00",
  );
  assert.equal(
    spokenTime(LONDON, Date.parse("2026-12-01T10:00:00Z"), NOW),
    "Tuesday the 1st of December at 10:00",
  );
});

Deno.test("times are the clinic's wall clock, across DST and zones", () => {
  // 10:30 in Riga in summer is 07:30 UTC; London in summer is UTC+1.
  const july = Date.parse("2026-07-01T06:00:00Z");
  assert.equal(
    spokenTime("Europe/Riga", Date.parse("2026-07-02T07:30:00Z"), july),
    "tomorrow, Thursday the 2nd at 10:30",
  );
  assert.equal(
    spokenTime(LONDON, Date.parse("2026-07-02T09:30:00Z"), july),
    "tomorrow, Thursday the 2nd at 10:30",
  );
  // Late evening UTC is already the next day in Auckland.
  assert.equal(
    spokenTime("Pacific/Auckland", Date.parse("2026-12-07T22:00:00Z"), NOW),
    "tomorrow, Tuesday the 8th at 11:00",
  );
});

Deno.test("an appointment: service with its article, when, with whom; always one line", () => {
  const appointment = {
    start: "2026-12-09T10:30:00+00:00",
    service: { name: "Check-up" },
    practitioner: { name: "Dr Hale" },
  };
  assert.equal(
    spokenAppointment(LONDON, appointment, NOW),
    "a Check-up on Wednesday the 9th at 10:30 with Dr Hale",
  );
  assert.equal(
    spokenAppointment(LONDON, { ...appointment, service: { name: "Initial\nassessment" } }, NOW),
    "an Initial assessment on Wednesday the 9th at 10:30 with Dr Hale",
  );
  assert.equal(
    spokenAppointment(LONDON, { ...appointment, start: "2026-12-08T10:30:00+00:00" }, NOW),
    "a Check-up tomorrow, Tuesday the 8th at 10:30 with Dr Hale",
  );
});

Deno.test("lists: or/and, semicolons when items have commas", () => {
  assert.equal(spokenList([]), "");
  assert.equal(spokenList(["A"]), "A");
  assert.equal(spokenList(["A", "B"]), "A or B");
  assert.equal(spokenList(["A", "B", "C"], "and"), "A, B and C");
  assert.equal(spokenList(["tomorrow, 9", "today, 10"]), "tomorrow, 9 or today, 10");
  assert.equal(spokenList(["x, 1", "y", "z"]), "x, 1; y or z");
});
