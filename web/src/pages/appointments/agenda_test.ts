import assert from "node:assert/strict";
import {
  addDays,
  daysShown,
  isDate,
  layoutAgenda,
  localDate,
  rangeOf,
  startOfDay,
} from "./agenda.ts";

Deno.test("a week runs Monday to Sunday, across months and years", () => {
  assert.deepEqual(daysShown("2026-12-02", "day"), ["2026-12-02"]);
  const week = daysShown("2027-01-03", "week"); // a Sunday
  assert.equal(week[0], "2026-12-28");
  assert.equal(week[6], "2027-01-03");
  assert.equal(addDays("2026-03-01", -1), "2026-02-28");
  assert.equal(isDate("2026-02-29"), false);
  assert.equal(isDate("2028-02-29"), true);
  assert.equal(isDate("tomorrow"), false);
});

Deno.test("a local day starts at the clinic's midnight, also on the nights clocks change", () => {
  assert.equal(startOfDay("2026-12-02", "Europe/London"), "2026-12-02T00:00:00.000Z");
  assert.equal(startOfDay("2026-07-02", "Europe/London"), "2026-07-01T23:00:00.000Z");
  // London springs forward at 01:00 on 29 March: that day has 23 hours.
  assert.deepEqual(rangeOf(["2026-03-29"], "Europe/London"), {
    from: "2026-03-29T00:00:00.000Z",
    until: "2026-03-29T23:00:00.000Z",
  });
  assert.equal(startOfDay("2026-11-02", "America/New_York"), "2026-11-02T05:00:00.000Z");
  assert.equal(startOfDay("2026-11-01", "America/New_York"), "2026-11-01T04:00:00.000Z");
  assert.equal(startOfDay("2026-12-02", "Asia/Kolkata"), "2026-12-01T18:30:00.000Z");
  // Clocks that skip midnight (Santiago, September): the day starts at 01:00.
  assert.equal(
    localDate(startOfDay("2026-09-06", "America/Santiago"), "America/Santiago"),
    "2026-09-06",
  );
});

Deno.test("the agenda has a column per practitioner a day, each by start time", () => {
  const hale = { id: "p1", name: "Dr Hale" };
  const ng = { id: "p2", name: "Ms Ng" };
  const appointments = [
    { id: "b", practitioner_id: "p1", starts_at: "2026-12-02T11:00:00Z" },
    { id: "a", practitioner_id: "p1", starts_at: "2026-12-02T09:00:00Z" },
    // 23:30 UTC on the 2nd is the 3rd in Sydney and the 2nd in London.
    { id: "c", practitioner_id: "p2", starts_at: "2026-12-02T23:30:00Z" },
    { id: "d", practitioner_id: "gone", starts_at: "2026-12-03T10:00:00Z" },
  ];
  const days = layoutAgenda(
    appointments,
    [hale, ng],
    ["2026-12-02", "2026-12-03"],
    "Europe/London",
    (a) => ({ id: a.practitioner_id, name: "Former practitioner" }),
  );
  const ids = days.map((day) =>
    day.columns.map((column) => [column.practitioner.name, column.appointments.map((a) => a.id)])
  );
  assert.deepEqual(ids, [
    [["Dr Hale", ["a", "b"]], ["Ms Ng", ["c"]], ["Former practitioner", []]],
    [["Dr Hale", []], ["Ms Ng", []], ["Former practitioner", ["d"]]],
  ]);
  const sydney = layoutAgenda(appointments, [ng], ["2026-12-03"], "Australia/Sydney", (a) => ({
    id: a.practitioner_id,
    name: "x",
  }));
  assert.deepEqual(sydney[0].columns[0].appointments.map((a) => a.id), ["c"]);
});
