import assert from "node:assert/strict";
import {
  formatCount,
  formatDate,
  formatDateTime,
  formatDay,
  formatDays,
  formatMonth,
  formatTime,
  timeFromNow,
} from "./format.ts";

Deno.test("a moment's date is the clinic's day, not the reader's", () => {
  // 23:30 in London on 1 December is already 2 December in Riga and still 1 December in New York.
  const late = "2026-12-01T23:30:00Z";
  assert.equal(formatDate(late, "Europe/London", "en-GB"), "1 Dec 2026");
  assert.equal(formatDate(late, "Europe/Riga", "en-GB"), "2 Dec 2026");
  assert.equal(formatDate("2026-12-02T03:00:00Z", "America/New_York", "en-GB"), "1 Dec 2026");
  assert.equal(formatTime(new Date(late), "Europe/Riga", "en-GB"), "01:30");
  assert.equal(formatDateTime(late, "Europe/Riga", "en-GB"), "2 Dec 2026, 01:30 EET");
});

Deno.test("dates are written one way, in the reader's locale", () => {
  // The same day, whatever it is the date of: a moment, a calendar date, a range.
  assert.equal(formatDate("2026-12-08T12:00:00Z", "Europe/London", "en-GB"), "8 Dec 2026");
  assert.equal(formatDay("2026-12-08", "en-GB"), "Tue, 8 Dec 2026");
  assert.equal(
    formatDays("2026-12-24", "2026-12-28", "en-GB"),
    "Thu, 24 Dec 2026 – Mon, 28 Dec 2026",
  );
  assert.equal(formatDays("2026-12-24", "2026-12-24", "en-GB"), "Thu, 24 Dec 2026");
  // An American reader gets the American order, never a numeric 12/8/2026.
  assert.equal(formatDate("2026-12-08T12:00:00Z", "Europe/London", "en-US"), "Dec 8, 2026");
  assert.equal(formatDay("2026-12-08", "en-US"), "Tue, Dec 8, 2026");
  assert.equal(formatDay("2026-12-08", "de-DE"), "Di., 8. Dez. 2026");
  assert.equal(formatMonth("2027-01", "en-GB"), "January 2027");
  assert.equal(formatTime(new Date("2026-12-08T15:05:00Z"), "UTC", "en-US"), "03:05 PM");
});

Deno.test("a calendar date is the same day in every time zone of the reader", () => {
  // Calendar dates have no zone: formatting never shifts them to the day before.
  assert.equal(formatDay("2027-01-01", "en-GB"), "Fri, 1 Jan 2027");
});

Deno.test("an unknown time zone falls back to UTC rather than failing", () => {
  assert.equal(
    formatDateTime("2026-12-01T10:00:00Z", "Mars/Olympus_Mons", "en-GB"),
    "1 Dec 2026, 10:00 UTC",
  );
});

Deno.test("timeFromNow and counts follow the locale", () => {
  const now = Date.parse("2026-12-01T12:00:00Z");
  assert.equal(timeFromNow("2026-11-28T12:00:00Z", now, "en"), "3 days ago");
  assert.equal(timeFromNow("2026-12-15T12:00:00Z", now, "en"), "in 2 weeks");
  assert.equal(timeFromNow("2026-12-01T11:59:30Z", now, "en"), "now");
  assert.equal(formatCount(12345, "en-GB"), "12,345");
});
