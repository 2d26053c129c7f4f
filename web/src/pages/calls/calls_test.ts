import assert from "node:assert/strict";
import { callerOf, callFilters, formatDuration } from "./calls.ts";

Deno.test("callFilters: known values kept, anything else left out, the caller as digits", () => {
  assert.deepEqual(
    callFilters({ date: "2026-12-01", outcome: "booked", status: "ended", caller: "+44 7700-900" }),
    { date: "2026-12-01", outcome: "booked", status: "ended", caller: "447700900" },
  );
  assert.deepEqual(
    callFilters({ date: "yesterday", outcome: "won", status: "ENDED", caller: "abc" }),
    { date: undefined, outcome: undefined, status: undefined, caller: undefined },
  );
  assert.deepEqual(callFilters({}), {
    date: undefined,
    outcome: undefined,
    status: undefined,
    caller: undefined,
  });
});

Deno.test("formatDuration: minutes and seconds, hours when there are some, a dash for none", () => {
  assert.equal(formatDuration(0), "0:00");
  assert.equal(formatDuration(6), "0:06");
  assert.equal(formatDuration(245), "4:05");
  assert.equal(formatDuration(3723), "1:02:03");
  assert.equal(formatDuration(null), "—");
});

Deno.test("callerOf: the contact's name, else the number formatted, else unknown", () => {
  const format = (e164: string) => `formatted ${e164}`;
  assert.equal(callerOf({ from_e164: "+44", contact: { name: "Ben" } }, format), "Ben");
  assert.equal(callerOf({ from_e164: "+44", contact: { name: null } }, format), "formatted +44");
  assert.equal(callerOf({ from_e164: null, contact: null }, format), "Unknown number");
});
