import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { busyBlocks, type GoogleEvent } from "./busy.ts";
import { eventIdFor } from "./event_id.ts";

const ms = (iso: string) => Date.parse(iso);
const timed = (id: string, start: string, end: string, more: Partial<GoogleEvent> = {}) => ({
  id,
  status: "confirmed",
  start: { dateTime: start },
  end: { dateTime: end },
  ...more,
});
const spans = (events: GoogleEvent[], zone = "Europe/London") =>
  busyBlocks(events, zone).map((b) => [b.eventId, b.startsAt, b.endsAt]);

Deno.test("a timed event blocks its span, whatever offset it is written with", () => {
  assertEquals(
    spans([
      timed("b", "2026-12-03T10:00:00+01:00", "2026-12-03T10:30:00+01:00"),
      timed("a", "2026-12-03T08:00:00Z", "2026-12-03T08:45:00Z"),
    ]),
    [
      ["a", ms("2026-12-03T08:00:00Z"), ms("2026-12-03T08:45:00Z")],
      ["b", ms("2026-12-03T09:00:00Z"), ms("2026-12-03T09:30:00Z")],
    ],
  );
});

Deno.test("a local dateTime without offset is read in its own time zone, else the calendar's", () => {
  assertEquals(
    spans([
      {
        id: "x",
        start: { dateTime: "2026-07-01T09:00:00", timeZone: "America/New_York" },
        end: { dateTime: "2026-07-01T10:00:00", timeZone: "America/New_York" },
      },
      {
        id: "y",
        start: { dateTime: "2026-07-01T09:00:00" },
        end: { dateTime: "2026-07-01T09:30:00" },
      },
    ]),
    [
      ["y", ms("2026-07-01T08:00:00Z"), ms("2026-07-01T08:30:00Z")],
      ["x", ms("2026-07-01T13:00:00Z"), ms("2026-07-01T14:00:00Z")],
    ],
  );
});

Deno.test("cancelled, free (transparent) and declined events block nothing", () => {
  const at = ["2026-12-03T10:00:00Z", "2026-12-03T11:00:00Z"] as const;
  assertEquals(
    spans([
      timed("cancelled", ...at, { status: "cancelled" }),
      timed("free", ...at, { transparency: "transparent" }),
      timed("declined", ...at, { attendees: [{ self: true, responseStatus: "declined" }] }),
      timed("someone-else-declined", ...at, {
        attendees: [{ responseStatus: "declined" }, { self: true, responseStatus: "accepted" }],
      }),
      timed("tentative", ...at, { status: "tentative", transparency: "opaque" }),
    ]).map(([id]) => id),
    ["someone-else-declined", "tentative"],
  );
});

Deno.test("events without a usable time are skipped, not guessed", () => {
  assertEquals(
    spans([
      { id: "no-times" },
      { id: "no-end", start: { dateTime: "2026-12-03T10:00:00Z" } },
      timed("backwards", "2026-12-03T11:00:00Z", "2026-12-03T10:00:00Z"),
      timed("empty", "2026-12-03T11:00:00Z", "2026-12-03T11:00:00Z"),
      timed("garbage", "soon", "later"),
      { id: "bad-zone", start: { date: "2026-12-03" }, end: { date: "2026-12-04" } },
    ], "Not/AZone"),
    [],
  );
});

Deno.test("an all-day event blocks the whole local day(s) of the calendar's zone", () => {
  assertEquals(
    spans(
      [{ id: "d", start: { date: "2026-12-03" }, end: { date: "2026-12-05" } }],
      "Europe/Madrid",
    ),
    [["d", ms("2026-12-02T23:00:00Z"), ms("2026-12-04T23:00:00Z")]],
  );
  assertEquals(
    spans(
      [{ id: "d", start: { date: "2026-12-03" }, end: { date: "2026-12-04" } }],
      "Pacific/Auckland",
    ),
    [["d", ms("2026-12-02T11:00:00Z"), ms("2026-12-03T11:00:00Z")]],
  );
});

Deno.test("all-day events on DST days are 23 and 25 hours long", () => {
  const [spring] = busyBlocks(
    [{ id: "s", start: { date: "2026-03-29" }, end: { date: "2026-03-30" } }],
    "Europe/London",
  );
  assertEquals([spring.startsAt, spring.endsAt], [
    ms("2026-03-29T00:00:00Z"),
    ms("2026-03-29T23:00:00Z"),
  ]);
  const [autumn] = busyBlocks(
    [{ id: "a", start: { date: "2026-11-01" }, end: { date: "2026-11-02" } }],
    "America/New_York",
  );
  assertEquals(autumn.endsAt - autumn.startsAt, 25 * 3_600_000);
  assertEquals(autumn.startsAt, ms("2026-11-01T04:00:00Z"));
});

Deno.test("a timed event across a DST change keeps its real length", () => {
  const [night] = busyBlocks(
    [timed("n", "2026-10-25T00:30:00+01:00", "2026-10-25T03:30:00+00:00")],
    "Europe/London",
  );
  assertEquals(night.endsAt - night.startsAt, 4 * 3_600_000);
});

Deno.test("a block keeps its candidate appointment: from the private property, else the id", () => {
  const blocks = busyBlocks([
    timed(
      eventIdFor("3f1c2b9e-8d7a-4c65-b0e1-2a9f8c7d6e5b"),
      "2026-12-03T10:00:00Z",
      "2026-12-03T11:00:00Z",
    ),
    timed("staffmeeting1", "2026-12-03T12:00:00Z", "2026-12-03T13:00:00Z", {
      extendedProperties: { private: { appointmentId: "a1b2" } },
    }),
    timed("staffmeeting2", "2026-12-03T14:00:00Z", "2026-12-03T15:00:00Z"),
  ], "UTC");
  assertEquals(blocks.map((b) => b.appointmentId), [
    "3f1c2b9e-8d7a-4c65-b0e1-2a9f8c7d6e5b",
    "a1b2",
    null,
  ]);
});
