import assert from "node:assert/strict";
import { phoneInCountry, toE164 } from "./phone.ts";

Deno.test("toE164 accepts what Twilio and people send", () => {
  assert.equal(toE164("+442079460001"), "+442079460001");
  assert.equal(toE164("whatsapp:+442079460001"), "+442079460001");
  assert.equal(toE164(" +44 (20) 7946-0001 "), "+442079460001");
  assert.equal(toE164("0037167000001"), "+37167000001");
});

Deno.test("toE164 rejects what is not an international number", () => {
  for (
    const bad of [
      "",
      "02079460001",
      "+0123456789",
      "+12",
      "client:alice",
      "+4420794600011234567",
    ]
  ) {
    assert.equal(toE164(bad), null, bad);
  }
});

Deno.test("phoneInCountry reads national numbers in the clinic's country", () => {
  assert.equal(phoneInCountry("07946 000000", "GB"), "+447946000000");
  assert.equal(phoneInCountry("0044 7946 000000", "LV"), "+447946000000");
  assert.equal(phoneInCountry("+371 2000 0000", "GB"), "+37120000000");
  assert.equal(phoneInCountry("2000 0000", "lv"), "+37120000000");
  assert.equal(phoneInCountry("+44 7946 000000", null), "+447946000000");
  assert.equal(phoneInCountry("07946 000000", null), null, "national needs a country");
  for (const bad of ["", "hello", "07946", "07946 000000 ext. 12"]) {
    assert.equal(phoneInCountry(bad, "GB"), null, bad);
  }
});
