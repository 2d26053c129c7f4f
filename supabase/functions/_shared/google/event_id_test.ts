import assert from "node:assert/strict";
import fc from "fast-check";
import { appointmentIdFromEventId, eventIdFor } from "./event_id.ts";

// An independent reading of base32hex: the uuid as one 128-bit number, shifted to 130 bits,
// written in base 32 with Google's digits.
function oracle(uuid: string): string {
  const value = BigInt(`0x${uuid.replaceAll("-", "")}`) << 2n;
  return value.toString(32).padStart(26, "0");
}

Deno.test("eventIdFor: known values, lowercase base32hex of the 16 bytes", () => {
  assert.equal(eventIdFor("00000000-0000-0000-0000-000000000000"), "0".repeat(26));
  assert.equal(eventIdFor("ffffffff-ffff-ffff-ffff-ffffffffffff"), "v".repeat(25) + "s");
  // RFC 4648 test vector "f" (0x66) is "co" in base32hex: the first byte shows in the first digits.
  assert.ok(eventIdFor("66000000-0000-0000-0000-000000000000").startsWith("co"));
  assert.equal(
    eventIdFor("7C9E6679-7425-40DE-944B-E07FC1F90AE7"),
    eventIdFor("7c9e6679-7425-40de-944b-e07fc1f90ae7"),
  );
});

Deno.test("eventIdFor refuses what is not a uuid", () => {
  for (
    const bad of [
      "",
      "not-a-uuid",
      "7c9e6679742540de944be07fc1f90ae7",
      "7c9e6679-7425-40de-944b-e07fc1f90ae",
    ]
  ) {
    assert.throws(() => eventIdFor(bad));
  }
});

Deno.test("appointmentIdFromEventId: null for every event id not derived from a uuid", () => {
  for (
    const other of [
      "",
      "abc",
      "0".repeat(25) + "1", // the two trailing bits must be zero
      "0".repeat(27),
      "0".repeat(25) + "w", // not base32hex
      "V".repeat(25) + "S", // Google's ids are lowercase
      "_googleevent123",
      "7kvq2rds1c9mrm1ef0ep2ikf3c_20261208t090000z", // an instance of a recurring event
    ]
  ) {
    assert.equal(appointmentIdFromEventId(other), null, other);
  }
});

Deno.test("event ids: property — matches base32hex, is a valid Google id, and round-trips", () => {
  fc.assert(
    fc.property(fc.uuid(), (uuid) => {
      const id = eventIdFor(uuid);
      assert.equal(id, oracle(uuid));
      assert.match(id, /^[0-9a-v]{26}$/);
      assert.equal(appointmentIdFromEventId(id), uuid.toLowerCase());
    }),
    { numRuns: 2000 },
  );
});

Deno.test("event ids: property — every 26-digit id either decodes to a uuid that encodes back, or is null", () => {
  const digit = fc.constantFrom(..."0123456789abcdefghijklmnopqrstuv");
  fc.assert(
    fc.property(fc.array(digit, { minLength: 26, maxLength: 26 }), (digits) => {
      const id = digits.join("");
      const uuid = appointmentIdFromEventId(id);
      if (uuid === null) assert.notEqual(parseInt(id[25], 32) % 4, 0);
      else assert.equal(eventIdFor(uuid), id);
    }),
    { numRuns: 2000 },
  );
});
