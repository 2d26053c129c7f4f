import assert from "node:assert/strict";
import { decodeSlotId, encodeSlotId, isoInZone, takenMessage, timeLabel } from "./booking_text.ts";

const SERVICE = "5b0c7c2e-8d3f-4a51-9a55-1f0e6f1c2a01";
const PRACTITIONER = "0e7d3f6a-2b4c-4e8f-8a1d-9c3b5e7f1a22";

Deno.test("a slot id gives back the service, start and practitioner it was made from", () => {
  const start = Date.UTC(2026, 11, 8, 10, 30);
  for (const practitionerId of [PRACTITIONER, null]) {
    const id = encodeSlotId({ serviceId: SERVICE, start, practitionerId });
    assert.match(id, /^[A-Za-z0-9_-]+$/, "URL-safe, no padding");
    assert.deepEqual(decodeSlotId(id), { serviceId: SERVICE, start, practitionerId });
  }
});

Deno.test("a slot id that was not made by encodeSlotId is refused", () => {
  const b64 = (text: string) => btoa(text).replace(/=+$/, "");
  for (
    const bad of [
      "",
      "not a slot!",
      b64(`${SERVICE}|1796725800000`), // no practitioner part
      b64(`${SERVICE}|tomorrow|`),
      b64(`nope|1796725800000|`),
      b64(`${SERVICE}|1796725800000|${PRACTITIONER}|x`),
      b64(`${SERVICE}|1796725800000|not-a-uuid`),
      "%%%",
    ]
  ) {
    assert.equal(decodeSlotId(bad), null, bad);
  }
});

Deno.test("labels read the clinic's wall clock with the weekday, across DST", () => {
  assert.equal(
    timeLabel("Europe/London", Date.UTC(2026, 11, 8, 10, 30)),
    "Tuesday 8 December, 10:30",
  );
  // Summer time: 09:00 UTC is 10:00 in London, and 12:00 in Riga.
  assert.equal(timeLabel("Europe/London", Date.UTC(2026, 5, 1, 9, 0)), "Monday 1 June, 10:00");
  assert.equal(timeLabel("Europe/Riga", Date.UTC(2026, 5, 1, 9, 0)), "Monday 1 June, 12:00");
  // The local date, not UTC's: 23:30 UTC on a Sunday is Monday morning in Kolkata.
  assert.equal(timeLabel("Asia/Kolkata", Date.UTC(2026, 2, 1, 23, 30)), "Monday 2 March, 05:00");
  // The repeated hour of 25 October 2026 in London reads 01:30 both times.
  assert.equal(
    timeLabel("Europe/London", Date.UTC(2026, 9, 25, 0, 30)),
    "Sunday 25 October, 01:30",
  );
  assert.equal(
    timeLabel("Europe/London", Date.UTC(2026, 9, 25, 1, 30)),
    "Sunday 25 October, 01:30",
  );
});

Deno.test("ISO times carry the clinic's offset and name the same instant", () => {
  const cases: [string, number, string][] = [
    ["Europe/London", Date.UTC(2026, 11, 8, 10, 30), "2026-12-08T10:30:00+00:00"],
    ["Europe/London", Date.UTC(2026, 5, 1, 9, 0), "2026-06-01T10:00:00+01:00"],
    ["America/New_York", Date.UTC(2026, 10, 1, 5, 30), "2026-11-01T01:30:00-04:00"],
    ["America/New_York", Date.UTC(2026, 10, 1, 6, 30), "2026-11-01T01:30:00-05:00"],
    ["Asia/Kolkata", Date.UTC(2026, 2, 1, 23, 30), "2026-03-02T05:00:00+05:30"],
    ["UTC", Date.UTC(2026, 0, 1, 0, 0, 15), "2026-01-01T00:00:15+00:00"],
  ];
  for (const [zone, instant, iso] of cases) {
    assert.equal(isoInZone(zone, instant), iso, zone);
    assert.equal(Date.parse(iso), instant, `${iso} is the same instant`);
  }
});

Deno.test("a taken answer says why and lists the alternatives unambiguously", () => {
  assert.equal(
    takenMessage("That time was just taken: Dr Hale is booked 10:00–10:30", [
      { label: "Tuesday 8 December, 10:30" },
      { label: "Tuesday 8 December, 10:45" },
    ]),
    "That time was just taken: Dr Hale is booked 10:00–10:30. The next free times are " +
      "Tuesday 8 December, 10:30; Tuesday 8 December, 10:45.",
  );
  assert.equal(
    takenMessage("That time is no longer free.", []),
    "That time is no longer free. There is no other free time soon.",
  );
});
