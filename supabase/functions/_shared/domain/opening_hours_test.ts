import assert from "node:assert/strict";
import {
  addDays,
  closureOn,
  describeWeek,
  isoWeekday,
  localClock,
  localDateOf,
  localDateTimeOf,
  openingStatus,
  parseTimeOfDay,
  zonedDateTimeToInstant,
} from "./opening_hours.ts";
import type { Closure, OpeningHoursConfig, WorkingHoursInterval } from "./receptionist_config.ts";

const utc = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString() ?? null;

// Mon–Fri 08:30–12:30 & 13:30–18:00, Sat 09:00–13:00: the Northside Dental week.
const dentalWeek: WorkingHoursInterval[] = [
  ...([1, 2, 3, 4, 5] as const).flatMap((weekday) => [
    { weekday, opens: "08:30", closes: "12:30" },
    { weekday, opens: "13:30", closes: "18:00" },
  ]),
  { weekday: 6, opens: "09:00", closes: "13:00" },
];

function config(
  timezone: string,
  workingHours: WorkingHoursInterval[],
  closures: Closure[] = [],
): OpeningHoursConfig {
  return { timezone, workingHours, closures };
}

/** Compares the whole status with instants as ISO strings, so a failure shows everything. */
function assertStatus(
  cfg: OpeningHoursConfig,
  at: string,
  expected: { open: boolean; closesAt?: string; nextOpensAt?: string; closure?: string },
) {
  const status = openingStatus(cfg, utc(at));
  assert.deepEqual(
    {
      open: status.open,
      closesAt: iso(status.closesAt),
      nextOpensAt: iso(status.nextOpensAt),
      closure: status.closure?.reason ?? null,
    },
    {
      open: expected.open,
      closesAt: expected.closesAt ?? null,
      nextOpensAt: expected.nextOpensAt ?? null,
      closure: expected.closure ?? null,
    },
    `at ${at}`,
  );
}

// ---------------------------------------------------------------------------
// Calendar and time helpers
// ---------------------------------------------------------------------------

Deno.test("dates and times parse strictly", () => {
  assert.equal(parseTimeOfDay("00:00"), 0);
  assert.equal(parseTimeOfDay("13:30"), 810);
  assert.equal(parseTimeOfDay("13:30:00"), 810, "PostgreSQL time");
  assert.equal(parseTimeOfDay("24:00"), 1440);
  for (const bad of ["24:30", "9:00", "12:60", "noon", "12:00:30"]) {
    assert.throws(() => parseTimeOfDay(bad), RangeError, bad);
  }
  assert.equal(addDays("2026-12-31", 1), "2027-01-01");
  assert.equal(addDays("2026-03-01", -1), "2026-02-28");
  assert.equal(isoWeekday("2026-03-29"), 7, "29 March 2026 is a Sunday");
  assert.equal(isoWeekday("2026-03-30"), 1);
  assert.throws(() => addDays("2026-02-30", 1), RangeError);
});

Deno.test("Europe/London spring forward (29 March 2026, 01:00 GMT → 02:00 BST)", () => {
  const tz = "Europe/London";
  assert.equal(iso(zonedDateTimeToInstant(tz, "2026-03-29", "00:30")), "2026-03-29T00:30:00.000Z");
  // 01:30 does not exist: moved forward by the gap, to 02:30 BST.
  assert.equal(iso(zonedDateTimeToInstant(tz, "2026-03-29", "01:30")), "2026-03-29T01:30:00.000Z");
  assert.equal(iso(zonedDateTimeToInstant(tz, "2026-03-29", "02:00")), "2026-03-29T01:00:00.000Z");
  assert.equal(iso(zonedDateTimeToInstant(tz, "2026-03-29", "12:00")), "2026-03-29T11:00:00.000Z");
  assert.equal(iso(zonedDateTimeToInstant(tz, "2026-03-28", "24:00")), "2026-03-29T00:00:00.000Z");
  assert.deepEqual(localDateTimeOf(tz, utc("2026-03-29T00:59:00Z")), {
    date: "2026-03-29",
    time: "00:59",
  });
  assert.deepEqual(localDateTimeOf(tz, utc("2026-03-29T01:00:00Z")), {
    date: "2026-03-29",
    time: "02:00",
  });
});

Deno.test("Europe/London fall back (25 October 2026, 02:00 BST → 01:00 GMT)", () => {
  const tz = "Europe/London";
  // 01:30 happens twice: the earlier (BST) occurrence.
  assert.equal(iso(zonedDateTimeToInstant(tz, "2026-10-25", "01:30")), "2026-10-25T00:30:00.000Z");
  assert.equal(iso(zonedDateTimeToInstant(tz, "2026-10-25", "02:00")), "2026-10-25T02:00:00.000Z");
  assert.equal(iso(zonedDateTimeToInstant(tz, "2026-10-24", "23:00")), "2026-10-24T22:00:00.000Z");
  assert.equal(localDateTimeOf(tz, utc("2026-10-25T01:30:00Z")).time, "01:30", "second 01:30");
});

Deno.test("Europe/Riga transitions at 03:00/04:00 local on the same dates", () => {
  const tz = "Europe/Riga";
  // Spring: 03:00 EET → 04:00 EEST; 03:30 does not exist.
  assert.equal(iso(zonedDateTimeToInstant(tz, "2026-03-29", "02:59")), "2026-03-29T00:59:00.000Z");
  assert.equal(iso(zonedDateTimeToInstant(tz, "2026-03-29", "03:30")), "2026-03-29T01:30:00.000Z");
  assert.equal(iso(zonedDateTimeToInstant(tz, "2026-03-29", "04:00")), "2026-03-29T01:00:00.000Z");
  // Autumn: 04:00 EEST → 03:00 EET; 03:30 happens twice.
  assert.equal(iso(zonedDateTimeToInstant(tz, "2026-10-25", "03:30")), "2026-10-25T00:30:00.000Z");
  assert.equal(iso(zonedDateTimeToInstant(tz, "2026-10-25", "04:00")), "2026-10-25T02:00:00.000Z");
  assert.equal(localDateOf(tz, utc("2026-10-24T21:30:00Z")), "2026-10-25");
});

Deno.test("Asia/Kolkata is +05:30 all year", () => {
  const tz = "Asia/Kolkata";
  assert.equal(iso(zonedDateTimeToInstant(tz, "2026-01-05", "09:00")), "2026-01-05T03:30:00.000Z");
  assert.equal(iso(zonedDateTimeToInstant(tz, "2026-07-06", "09:00")), "2026-07-06T03:30:00.000Z");
  assert.equal(localDateOf(tz, utc("2026-03-01T18:29:00Z")), "2026-03-01");
  assert.equal(localDateOf(tz, utc("2026-03-01T18:30:00Z")), "2026-03-02");
});

Deno.test("localClock: what zonedDateTimeToInstant says, and null for a time that does not exist", () => {
  const at = (clock: ReturnType<typeof localClock>, date: string, minutes: number) => {
    const exact = clock.existing(date, minutes);
    return exact === null ? null : new Date(exact).toISOString();
  };
  const london = localClock("Europe/London");
  assert.equal(at(london, "2026-03-29", 90), null, "01:30 on 29 March");
  assert.equal(london.instant("2026-03-29", 90), Date.parse("2026-03-29T01:30:00Z"), "moved on");
  assert.equal(at(london, "2026-03-29", 120), "2026-03-29T01:00:00.000Z");
  assert.equal(at(london, "2026-10-25", 90), "2026-10-25T00:30:00.000Z", "the earlier 01:30");
  // Minutes past 1440 run into the next days: Saturday 24:00 + 90 = Sunday 01:30.
  assert.equal(at(london, "2026-03-28", 1440 + 90), null);
  assert.equal(at(london, "2026-10-23", 2 * 1440 + 90), "2026-10-25T00:30:00.000Z");
  assert.equal(at(localClock("Asia/Kolkata"), "2026-12-07", 540), "2026-12-07T03:30:00.000Z");

  // Every quarter hour of the transition days agrees with zonedDateTimeToInstant.
  const days: [string, string][] = [
    ["Europe/London", "2026-03-29"],
    ["Europe/London", "2026-10-25"],
    ["America/New_York", "2026-03-08"],
    ["America/New_York", "2026-11-01"],
    ["Australia/Adelaide", "2026-04-05"],
    ["Australia/Adelaide", "2026-10-04"],
  ];
  for (const [tz, date] of days) {
    const clock = localClock(tz);
    for (let minutes = 0; minutes < 1440; minutes += 15) {
      const time = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${
        String(minutes % 60).padStart(2, "0")
      }`;
      const expected = zonedDateTimeToInstant(tz, date, time).getTime();
      assert.equal(clock.instant(date, minutes), expected, `${tz} ${date} ${time}`);
      const exists = localDateTimeOf(tz, new Date(expected)).time === time;
      assert.equal(
        clock.existing(date, minutes),
        exists ? expected : null,
        `${tz} ${date} ${time}`,
      );
    }
  }
});

// ---------------------------------------------------------------------------
// Opening status
// ---------------------------------------------------------------------------

Deno.test("a split-shift day: open, lunch break, evening", () => {
  const cfg = config("Europe/London", dentalWeek);
  // Wednesday 15 July 2026 (BST).
  assertStatus(cfg, "2026-07-15T07:29:59Z", {
    open: false,
    nextOpensAt: "2026-07-15T07:30:00.000Z",
  });
  assertStatus(cfg, "2026-07-15T07:30:00Z", {
    open: true,
    closesAt: "2026-07-15T11:30:00.000Z",
    nextOpensAt: "2026-07-15T12:30:00.000Z",
  });
  assertStatus(cfg, "2026-07-15T11:45:00Z", {
    open: false,
    nextOpensAt: "2026-07-15T12:30:00.000Z",
  });
  assertStatus(cfg, "2026-07-15T16:59:59Z", {
    open: true,
    closesAt: "2026-07-15T17:00:00.000Z",
    nextOpensAt: "2026-07-16T07:30:00.000Z",
  });
  // Closing time itself is closed (intervals are half-open).
  assertStatus(cfg, "2026-07-15T17:00:00Z", {
    open: false,
    nextOpensAt: "2026-07-16T07:30:00.000Z",
  });
});

Deno.test("next opening across the weekend and the London spring-forward", () => {
  const cfg = config("Europe/London", dentalWeek);
  // Saturday 28 March 14:00 GMT: Sunday closed, Monday 08:30 is BST.
  assertStatus(cfg, "2026-03-28T14:00:00Z", {
    open: false,
    nextOpensAt: "2026-03-30T07:30:00.000Z",
  });
  // Friday 27 March 18:00 GMT → Saturday 09:00 GMT.
  assertStatus(cfg, "2026-03-27T18:00:00Z", {
    open: false,
    nextOpensAt: "2026-03-28T09:00:00.000Z",
  });
});

Deno.test("next opening across the weekend and the London fall-back", () => {
  const cfg = config("Europe/London", dentalWeek);
  // Saturday 24 October 12:30 BST: open until 13:00 BST, then Monday 08:30 GMT.
  assertStatus(cfg, "2026-10-24T11:30:00Z", {
    open: true,
    closesAt: "2026-10-24T12:00:00.000Z",
    nextOpensAt: "2026-10-26T08:30:00.000Z",
  });
});

Deno.test("an interval across the London transitions is an hour shorter or longer", () => {
  // Saturday night 22:00 to Sunday 06:00.
  const cfg = config("Europe/London", [{ weekday: 6, opens: "22:00", closes: "06:00" }]);
  assertStatus(cfg, "2026-03-29T01:30:00Z", {
    open: true,
    closesAt: "2026-03-29T05:00:00.000Z", // 7 hours after 22:00 GMT
    nextOpensAt: "2026-04-04T21:00:00.000Z",
  });
  for (const at of ["2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"]) { // both 01:30s
    assertStatus(cfg, at, {
      open: true,
      closesAt: "2026-10-25T06:00:00.000Z", // 9 hours after 22:00 BST
      nextOpensAt: "2026-10-31T22:00:00.000Z",
    });
  }
});

Deno.test("Europe/Riga: weekday openings move by the DST hour, nights across the switch", () => {
  const week: WorkingHoursInterval[] = [
    { weekday: 5, opens: "08:00", closes: "16:00" },
    { weekday: 1, opens: "08:00", closes: "19:00" },
    { weekday: 6, opens: "22:00", closes: "06:00" },
  ];
  const cfg = config("Europe/Riga", week);
  // Friday 27 March 08:00 EET (+2), Monday 30 March 08:00 EEST (+3).
  assertStatus(cfg, "2026-03-27T05:00:00Z", {
    open: false,
    nextOpensAt: "2026-03-27T06:00:00.000Z",
  });
  assertStatus(cfg, "2026-03-29T04:00:00Z", {
    open: false,
    nextOpensAt: "2026-03-30T05:00:00.000Z",
  });
  // Saturday night 22:00 EET → Sunday 06:00 EEST: 7 hours; 01:30Z is 04:30 EEST.
  assertStatus(cfg, "2026-03-29T01:30:00Z", {
    open: true,
    closesAt: "2026-03-29T03:00:00.000Z",
    nextOpensAt: "2026-03-30T05:00:00.000Z",
  });
  // Autumn: both 03:30s (00:30Z EEST, 01:30Z EET) are open; 22:00 EEST → 06:00 EET is 9 hours.
  for (const at of ["2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"]) {
    assertStatus(cfg, at, {
      open: true,
      closesAt: "2026-10-25T04:00:00.000Z",
      nextOpensAt: "2026-10-26T06:00:00.000Z",
    });
  }
  assertStatus(cfg, "2026-10-24T18:59:00Z", {
    open: false,
    nextOpensAt: "2026-10-24T19:00:00.000Z",
  });
});

Deno.test("Asia/Kolkata: opening times at a half-hour offset", () => {
  const cfg = config("Asia/Kolkata", [
    { weekday: 1, opens: "09:00", closes: "17:00" },
    { weekday: 2, opens: "09:00", closes: "17:00" },
  ]);
  // Monday 6 July 2026.
  assertStatus(cfg, "2026-07-06T03:29:00Z", {
    open: false,
    nextOpensAt: "2026-07-06T03:30:00.000Z",
  });
  assertStatus(cfg, "2026-07-06T03:30:00Z", {
    open: true,
    closesAt: "2026-07-06T11:30:00.000Z",
    nextOpensAt: "2026-07-07T03:30:00.000Z",
  });
  // Sunday 18:45 UTC is already Monday 00:15 in Kolkata: opens the same local morning.
  assertStatus(cfg, "2026-07-05T18:45:00Z", {
    open: false,
    nextOpensAt: "2026-07-06T03:30:00.000Z",
  });
});

Deno.test("midnight-spanning intervals are open the next morning, also from Sunday into Monday", () => {
  const cfg = config("Europe/London", [
    { weekday: 5, opens: "22:00", closes: "02:00" },
    { weekday: 7, opens: "23:00", closes: "01:00" },
  ]);
  // Saturday 11 July 2026 01:30 BST: Friday's night is still open.
  assertStatus(cfg, "2026-07-11T00:30:00Z", {
    open: true,
    closesAt: "2026-07-11T01:00:00.000Z",
    nextOpensAt: "2026-07-12T22:00:00.000Z",
  });
  assertStatus(cfg, "2026-07-11T01:00:00Z", {
    open: false,
    nextOpensAt: "2026-07-12T22:00:00.000Z",
  });
  // Monday 13 July 00:30 BST: Sunday's 23:00–01:00.
  assertStatus(cfg, "2026-07-12T23:30:00Z", {
    open: true,
    closesAt: "2026-07-13T00:00:00.000Z",
    nextOpensAt: "2026-07-17T21:00:00.000Z",
  });
});

Deno.test("touching intervals close once, at the end of the last (24:00 and past midnight)", () => {
  const cfg = config("UTC", [
    { weekday: 1, opens: "09:00", closes: "24:00" },
    { weekday: 2, opens: "00:00", closes: "03:00" },
    { weekday: 2, opens: "03:00", closes: "05:00" },
  ]);
  assertStatus(cfg, "2026-07-06T23:00:00Z", {
    open: true,
    closesAt: "2026-07-07T05:00:00.000Z",
    nextOpensAt: "2026-07-13T09:00:00.000Z",
  });
});

Deno.test("a closure shuts whole local days and says why", () => {
  const christmas = { startsOn: "2026-12-24", endsOn: "2026-12-28", reason: "Christmas" };
  const cfg = config("Europe/London", dentalWeek, [christmas]);
  // Thursday 24 December 10:00 would be open.
  assertStatus(cfg, "2026-12-24T10:00:00Z", {
    open: false,
    nextOpensAt: "2026-12-29T08:30:00.000Z",
    closure: "Christmas",
  });
  // Wednesday 23 December evening: the next opening skips the closure.
  assertStatus(cfg, "2026-12-23T18:30:00Z", {
    open: false,
    nextOpensAt: "2026-12-29T08:30:00.000Z",
  });
  // The last working day before it still closes at its own time.
  assertStatus(cfg, "2026-12-23T16:00:00Z", {
    open: true,
    closesAt: "2026-12-23T18:00:00.000Z",
    nextOpensAt: "2026-12-29T08:30:00.000Z",
  });
});

Deno.test("a closure cuts a midnight-spanning interval at the local midnight", () => {
  const cfg = config("Europe/London", [{ weekday: 5, opens: "22:00", closes: "02:00" }], [
    { startsOn: "2026-07-11", endsOn: "2026-07-11", reason: "Staff training" },
  ]);
  assertStatus(cfg, "2026-07-10T22:00:00Z", {
    open: true,
    closesAt: "2026-07-10T23:00:00.000Z", // Saturday 00:00 BST
    nextOpensAt: "2026-07-17T21:00:00.000Z",
  });
  assertStatus(cfg, "2026-07-11T00:30:00Z", {
    open: false,
    nextOpensAt: "2026-07-17T21:00:00.000Z",
    closure: "Staff training",
  });
});

Deno.test("overlapping closures report the earliest-starting one", () => {
  const closures = [
    { startsOn: "2026-08-01", endsOn: "2026-08-31", reason: "Summer" },
    { startsOn: "2026-07-20", endsOn: "2026-08-10", reason: "Refurbishment" },
  ];
  assert.equal(closureOn(closures, "2026-08-05")?.reason, "Refurbishment");
  assert.equal(closureOn(closures, "2026-08-20")?.reason, "Summer");
  assert.equal(closureOn(closures, "2026-09-01"), null);
});

Deno.test("never opening within the horizon gives null", () => {
  assertStatus(config("Europe/London", []), "2026-07-15T10:00:00Z", { open: false });
  const longClosure = config("Europe/London", dentalWeek, [
    { startsOn: "2026-07-01", endsOn: "2026-12-31", reason: "Rebuilding" },
  ]);
  assertStatus(longClosure, "2026-07-15T10:00:00Z", { open: false, closure: "Rebuilding" });
  // A longer horizon finds the reopening.
  const status = openingStatus(longClosure, utc("2026-07-15T10:00:00Z"), { horizonDays: 200 });
  assert.equal(iso(status.nextOpensAt), "2027-01-01T08:30:00.000Z");
});

Deno.test("open around the clock never reports a closing time within the horizon", () => {
  const always = config(
    "Europe/Riga",
    ([1, 2, 3, 4, 5, 6, 7] as const).map((weekday) => ({
      weekday,
      opens: "00:00",
      closes: "24:00",
    })),
  );
  assertStatus(always, "2026-03-29T01:30:00Z", { open: true });
});

Deno.test("input order does not matter", () => {
  const shuffled = config("Europe/London", [...dentalWeek].reverse());
  assertStatus(shuffled, "2026-07-15T11:45:00Z", {
    open: false,
    nextOpensAt: "2026-07-15T12:30:00.000Z",
  });
});

Deno.test("invalid configuration fails loudly", () => {
  const at = utc("2026-07-15T10:00:00Z");
  assert.throws(() => openingStatus(config("Mars/Olympus", dentalWeek), at), RangeError);
  assert.throws(
    () => openingStatus(config("UTC", [{ weekday: 1, opens: "9:00", closes: "17:00" }]), at),
    RangeError,
  );
  assert.throws(() => openingStatus(config("UTC", dentalWeek), new Date(NaN)), RangeError);
});

// ---------------------------------------------------------------------------
// Week summary
// ---------------------------------------------------------------------------

Deno.test("describeWeek groups equal days, in English and Russian", () => {
  assert.equal(
    describeWeek(dentalWeek, "en"),
    "Monday–Friday: 08:30–12:30 and 13:30–18:00; Saturday: 09:00–13:00; Sunday: closed",
  );
  assert.equal(
    describeWeek([...dentalWeek].reverse(), "ru"),
    "Понедельник–пятница: 08:30–12:30 и 13:30–18:00; суббота: 09:00–13:00; воскресенье: выходной",
  );
});

Deno.test("describeWeek: overnight intervals, PostgreSQL times, unknown languages, no hours", () => {
  const week: WorkingHoursInterval[] = [
    { weekday: 5, opens: "22:00:00", closes: "02:00:00" },
    { weekday: 7, opens: "10:00", closes: "24:00" },
  ];
  assert.equal(
    describeWeek(week, "en-GB"),
    "Monday–Thursday: closed; Friday: 22:00–02:00 (next day); Saturday: closed; Sunday: 10:00–24:00",
  );
  assert.equal(describeWeek(week, "xx"), describeWeek(week, "en"));
  assert.equal(describeWeek([], "en"), "No regular opening hours");
});
