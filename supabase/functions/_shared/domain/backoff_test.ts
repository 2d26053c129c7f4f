import assert from "node:assert/strict";
import { firstRetryMs, maxRetryMs, retryDelayMs } from "./backoff.ts";

const none = () => 0;
const most = () => 1 - Number.EPSILON;

Deno.test("retryDelayMs doubles from 30 s and stops at an hour", () => {
  const schedule = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((a) => retryDelayMs(a, none) / 1000);
  assert.deepEqual(schedule, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
  assert.equal(retryDelayMs(10_000, none), maxRetryMs);
});

Deno.test("retryDelayMs jitter takes off at most a fifth, never adds", () => {
  assert.equal(retryDelayMs(1, most), 24_000);
  assert.equal(retryDelayMs(20, most), 48 * 60_000);
  for (let attempt = 1; attempt <= 12; attempt++) {
    const base = Math.min(firstRetryMs * 2 ** (attempt - 1), maxRetryMs);
    for (let i = 0; i < 200; i++) {
      const delay = retryDelayMs(attempt);
      assert.ok(delay <= base && delay >= base * 0.8, `attempt ${attempt}: ${delay}`);
    }
  }
});

Deno.test("retryDelayMs spreads jobs that failed together", () => {
  const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(3)));
  assert.ok(delays.size > 40, `only ${delays.size} distinct delays`);
});

Deno.test("retryDelayMs reads a nonsensical attempt count as the first", () => {
  for (const attempt of [0, -3, 0.5, Number.NaN, Number.NEGATIVE_INFINITY]) {
    assert.equal(retryDelayMs(attempt, none), firstRetryMs, String(attempt));
  }
  assert.equal(retryDelayMs(Number.POSITIVE_INFINITY, none), firstRetryMs);
  assert.equal(retryDelayMs(2.9, none), 60_000);
});
