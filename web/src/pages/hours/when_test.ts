import assert from "node:assert/strict";
import { formatMonth } from "../../format.ts";
import { addMonths, monthWeeks } from "./when.ts";

Deno.test("monthWeeks lays a month out Monday first, padded to whole weeks", () => {
  // 1 December 2026 is a Tuesday; the 31st a Thursday.
  const weeks = monthWeeks("2026-12");
  assert.equal(weeks.length, 5);
  assert.deepEqual(weeks[0], [
    null,
    "2026-12-01",
    "2026-12-02",
    "2026-12-03",
    "2026-12-04",
    "2026-12-05",
    "2026-12-06",
  ]);
  assert.deepEqual(weeks[4], [
    "2026-12-28",
    "2026-12-29",
    "2026-12-30",
    "2026-12-31",
    null,
    null,
    null,
  ]);
  assert.equal(weeks.flat().filter(Boolean).length, 31);
});

Deno.test("monthWeeks handles leap February and a month starting on Monday", () => {
  assert.equal(monthWeeks("2028-02").flat().filter(Boolean).length, 29);
  const june = monthWeeks("2026-06"); // 1 June 2026 is a Monday
  assert.equal(june[0][0], "2026-06-01");
  assert.equal(june.at(-1)!.filter(Boolean).at(-1), "2026-06-30");
});

Deno.test("addMonths crosses years both ways", () => {
  assert.equal(addMonths("2026-12", 1), "2027-01");
  assert.equal(addMonths("2026-01", -1), "2025-12");
  assert.equal(addMonths("2026-11", 14), "2028-01");
  assert.equal(formatMonth("2027-01", "en-GB"), "January 2027");
});
