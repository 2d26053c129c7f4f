// Benchmark (not a test): the pure slot finder alone, no database — 14 days of availability for a
// clinic with 5 practitioners and 3,000 busy ranges, across the London spring-forward.
//
//   npx -y deno@2.9.6 run -A scripts/bench/slots.ts [--iterations 500] [--busy 3000]
import { option, percentile } from "./_cli.ts";
import {
  findSlots,
  type SlotQuery,
  type WeeklyInterval,
} from "../../supabase/functions/_shared/domain/slots.ts";

const iterations = Number(option("iterations", "500"));
const busyCount = Number(option("busy", "3000"));

const DAY = 86_400_000;
const MINUTE = 60_000;
const from = "2026-03-23"; // Monday; the clocks go forward on Sunday 29 March
const to = "2026-04-05";
const now = Date.parse("2026-03-23T07:00:00Z");

// Northside Dental's week; two practitioners keep their own hours.
const clinicHours: WeeklyInterval[] = [
  ...[1, 2, 3, 4, 5].flatMap((weekday) => [
    { weekday, opens: "08:30", closes: "12:30" },
    { weekday, opens: "13:30", closes: "18:00" },
  ]),
  { weekday: 6, opens: "09:00", closes: "13:00" },
];
const practitioners: SlotQuery["practitioners"] = [
  { id: "p1", name: "Dr Hale", hours: null },
  { id: "p2", name: "Dr Abbot", hours: null },
  { id: "p3", name: "Hygienist Cole", hours: null },
  {
    id: "p4",
    name: "Dr Reyes",
    hours: [1, 3, 5].map((weekday) => ({ weekday, opens: "10:00", closes: "19:00" })),
  },
  {
    id: "p5",
    name: "Dr Night",
    hours: [2, 4].map((weekday) => ({ weekday, opens: "16:00", closes: "01:00" })),
  },
];

// Deterministic pseudo-random numbers, so every run measures the same input.
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

/** `busyCount` 30-minute blocked ranges (with a 10-minute buffer) over `spanDays` from `from`. */
function busyRanges(spanDays: number): SlotQuery["busy"] {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: busyCount }, () => {
    const day = Math.floor(random() * spanDays);
    const quarter = 32 + Math.floor(random() * 40); // 08:00–18:00 UTC on the quarter hour
    const begins = start + day * DAY + quarter * 15 * MINUTE;
    return {
      practitionerId: practitioners[Math.floor(random() * practitioners.length)].id,
      from: begins - 10 * MINUTE,
      until: begins + 40 * MINUTE,
    };
  });
}

function query(busy: SlotQuery["busy"]): SlotQuery {
  return {
    timeZone: "Europe/London",
    now,
    from,
    to,
    service: { durationMinutes: 30, bufferBeforeMinutes: 10, bufferAfterMinutes: 10 },
    clinicHours,
    practitioners,
    closures: [
      { startsOn: "2026-04-03", endsOn: "2026-04-03", practitionerId: null }, // Good Friday
      { startsOn: "2026-03-25", endsOn: "2026-03-27", practitionerId: "p2" },
    ],
    busy,
    rules: { slotIntervalMinutes: 15, minNoticeMinutes: 120, horizonDays: 60 },
  };
}

const scenarios: [string, SlotQuery][] = [
  // What the clinic's 3,000 appointments look like spread over four months, all passed in.
  [`${busyCount} busy over 120 days`, query(busyRanges(120))],
  // All of them inside the 14 days: the busiest input the finder could get.
  [`${busyCount} busy within 14 days`, query(busyRanges(14))],
];

console.log(
  `findSlots benchmark: 14 days (${from} – ${to}), ${practitioners.length} practitioners, ` +
    `${iterations} runs each`,
);
for (const [name, q] of scenarios) {
  for (let i = 0; i < 20; i++) findSlots(q); // warm up the JIT and the zone's formatter
  const times: number[] = [];
  let slots = 0;
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    slots = findSlots(q).length;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(28)} p50 ${percentile(times, 0.5).toFixed(2)} ms   p95 ${
      percentile(times, 0.95).toFixed(2)
    } ms   ${slots} slots`,
  );
}
