import assert from "node:assert/strict";
import { formatPhone, parsePhone } from "./phone.ts";

Deno.test("parsePhone reads national numbers in the clinic's country", () => {
  const cases: [string, string, string][] = [
    ["07946 000000", "GB", "+447946000000"],
    ["07946000000", "GB", "+447946000000"],
    ["020 7946 0000", "GB", "+442079460000"],
    ["(020) 7946-0000", "GB", "+442079460000"],
    ["020.7946.0000", "gb", "+442079460000"],
    ["67 000 001", "LV", "+37167000001"],
    ["(201) 555-0123", "US", "+12015550123"],
  ];
  for (const [typed, country, e164] of cases) {
    assert.deepEqual(parsePhone(typed, country), { e164 }, `${typed} in ${country}`);
  }
});

Deno.test("parsePhone reads international numbers whatever the clinic's country", () => {
  const cases: [string, string, string][] = [
    ["+44 20 7946 0000", "LV", "+442079460000"],
    ["+44 (0)20 7946 0000", "US", "+442079460000"],
    ["0044 20 7946 0000", "GB", "+442079460000"],
    ["+371 6700 0001", "GB", "+37167000001"],
    ["  +1 201 555 0123  ", "GB", "+12015550123"],
    ["+442079460000", "GB", "+442079460000"],
  ];
  for (const [typed, country, e164] of cases) {
    assert.deepEqual(parsePhone(typed, country), { e164 }, `${typed} in ${country}`);
  }
});

Deno.test("parsePhone refuses what cannot be dialled, saying why", () => {
  assert.deepEqual(parsePhone("   ", "GB"), { error: "Enter a phone number." });
  for (const typed of ["12345", "07946 00000", "abc", "+44", "0201 555 0123"]) {
    const { error, e164 } = parsePhone(typed, typed === "0201 555 0123" ? "US" : "GB");
    assert.deepEqual(e164, undefined, typed);
    assert.match(error!, /is not a phone number in (the )?United (Kingdom|States)/, typed);
    assert.match(error!, /with \+ and the country code/);
  }
  assert.match(parsePhone("+44 20 7946 0000 ext 12", "GB").error!, /extension/);
});

Deno.test("formatPhone groups E.164 numbers as people read them", () => {
  assert.deepEqual(formatPhone("+442079460000"), "+44 20 7946 0000");
  assert.deepEqual(formatPhone("+37167000001"), "+371 67 000 001");
  assert.deepEqual(formatPhone("not a number"), "not a number");
});
