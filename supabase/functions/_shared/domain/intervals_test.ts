import assert from "node:assert/strict";
import fc from "fast-check";
import { clamp, covers, intersect, type Interval, merge, subtract } from "./intervals.ts";

const iv = (start: number, end: number): Interval => ({ start, end });

// ---------------------------------------------------------------------------
// Examples
// ---------------------------------------------------------------------------

Deno.test("merge joins overlapping and touching intervals and drops empty ones", () => {
  assert.deepEqual(merge([]), []);
  assert.deepEqual(merge([iv(5, 5), iv(7, 3)]), [], "empty and inverted intervals hold nothing");
  assert.deepEqual(merge([iv(10, 20), iv(0, 5), iv(5, 8), iv(15, 30), iv(40, 50)]), [
    iv(0, 8),
    iv(10, 30),
    iv(40, 50),
  ]);
  assert.deepEqual(merge([iv(0, 100), iv(10, 20)]), [iv(0, 100)], "a contained interval");
  assert.deepEqual(merge([iv(0, 10), iv(11, 20)]), [iv(0, 10), iv(11, 20)], "a gap stays");
});

Deno.test("subtract cuts busy times out of free times", () => {
  // Open 09:00–17:00 (as minutes), lunch 12:00–13:00, an appointment at the start of the day.
  assert.deepEqual(subtract([iv(540, 1020)], [iv(720, 780), iv(540, 570)]), [
    iv(570, 720),
    iv(780, 1020),
  ]);
  assert.deepEqual(subtract([iv(0, 10)], [iv(0, 10)]), [], "removing everything");
  assert.deepEqual(subtract([iv(0, 10)], [iv(-5, 20)]), [], "a cut wider than the interval");
  assert.deepEqual(subtract([iv(0, 10)], [iv(10, 20)]), [iv(0, 10)], "a touching cut removes none");
  assert.deepEqual(subtract([iv(0, 10), iv(20, 30)], [iv(5, 25)]), [iv(0, 5), iv(25, 30)]);
  assert.deepEqual(subtract([], [iv(0, 1)]), []);
  assert.deepEqual(subtract([iv(3, 4)], []), [iv(3, 4)]);
});

Deno.test("intersect keeps what both have", () => {
  assert.deepEqual(intersect([iv(0, 10), iv(20, 30)], [iv(5, 25)]), [iv(5, 10), iv(20, 25)]);
  assert.deepEqual(intersect([iv(0, 10)], [iv(10, 20)]), [], "touching intervals share no instant");
  assert.deepEqual(intersect([iv(0, 30)], [iv(0, 5), iv(10, 15)]), [iv(0, 5), iv(10, 15)]);
  assert.deepEqual(intersect([], [iv(0, 5)]), []);
});

Deno.test("clamp keeps the part inside a range", () => {
  assert.deepEqual(clamp([iv(0, 10), iv(20, 30), iv(40, 50)], iv(5, 45)), [
    iv(5, 10),
    iv(20, 30),
    iv(40, 45),
  ]);
  assert.deepEqual(clamp([iv(0, 10)], iv(10, 20)), []);
  assert.deepEqual(clamp([iv(0, 10)], iv(8, 3)), [], "an empty range");
});

Deno.test("covers: the start is in, the end is not", () => {
  assert.equal(covers([iv(0, 10)], 0), true);
  assert.equal(covers([iv(0, 10)], 9), true);
  assert.equal(covers([iv(0, 10)], 10), false);
  assert.equal(covers([], 0), false);
});

Deno.test("real instants: a day's opening hours minus a booking, within a booking window", () => {
  const at = (time: string) => Date.parse(`2026-12-07T${time}:00Z`);
  const open = [iv(at("08:00"), at("12:00")), iv(at("13:00"), at("18:00"))];
  const booked = [iv(at("08:30"), at("09:00"))];
  const window = iv(at("08:15"), at("23:00"));
  assert.deepEqual(clamp(subtract(open, booked), window), [
    iv(at("08:15"), at("08:30")),
    iv(at("09:00"), at("12:00")),
    iv(at("13:00"), at("18:00")),
  ]);
});

// ---------------------------------------------------------------------------
// Properties: each operation is the set operation it names, instant by instant
// ---------------------------------------------------------------------------

// Small coordinates make overlaps, touching ends and empty intervals common.
const interval = fc.record({
  start: fc.integer({ min: -20, max: 60 }),
  end: fc.integer({ min: -20, max: 60 }),
});
const intervals = fc.array(interval, { maxLength: 8 });
const instants = Array.from({ length: 84 }, (_, i) => i - 22);

function assertNormalised(result: Interval[]) {
  for (const [k, i] of result.entries()) {
    assert.ok(i.start < i.end, `non-empty: ${JSON.stringify(i)}`);
    if (k > 0) assert.ok(result[k - 1].end < i.start, `sorted, apart: ${JSON.stringify(result)}`);
  }
}

function assertSameSet(result: Interval[], expected: (instant: number) => boolean) {
  assertNormalised(result);
  for (const t of instants) assert.equal(covers(result, t), expected(t), `at ${t}`);
}

Deno.test("property: merge covers exactly the instants of its input", () => {
  fc.assert(fc.property(intervals, (a) => assertSameSet(merge(a), (t) => covers(a, t))));
});

Deno.test("property: subtract is set difference", () => {
  fc.assert(
    fc.property(
      intervals,
      intervals,
      (a, b) => assertSameSet(subtract(a, b), (t) => covers(a, t) && !covers(b, t)),
    ),
  );
});

Deno.test("property: intersect is set intersection and commutes", () => {
  fc.assert(
    fc.property(intervals, intervals, (a, b) => {
      assertSameSet(intersect(a, b), (t) => covers(a, t) && covers(b, t));
      assert.deepEqual(intersect(a, b), intersect(b, a));
    }),
  );
});

Deno.test("property: clamp keeps exactly the instants inside the range", () => {
  fc.assert(
    fc.property(
      intervals,
      interval,
      (a, range) =>
        assertSameSet(clamp(a, range), (t) => covers(a, t) && range.start <= t && t < range.end),
    ),
  );
});

Deno.test("property: merge is idempotent and the results are unique", () => {
  fc.assert(
    fc.property(intervals, intervals, (a, b) => {
      assert.deepEqual(merge(merge(a)), merge(a));
      // Two normalised lists for the same set are the same list.
      assert.deepEqual(merge([...subtract(a, b), ...intersect(a, b)]), merge(a));
    }),
  );
});

Deno.test("property: the operations never change their inputs", () => {
  fc.assert(
    fc.property(intervals, intervals, (a, b) => {
      const before = JSON.stringify([a, b]);
      merge(a), subtract(a, b), intersect(a, b), clamp(a, b[0] ?? iv(0, 1));
      assert.equal(JSON.stringify([a, b]), before);
    }),
  );
});
