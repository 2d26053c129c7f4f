import assert from "node:assert/strict";
import { toE164 } from "./phone.ts";

Deno.test("toE164 accepts what Twilio and people send", () => {
  assert.equal(toE164("+442079460001"), "+442079460001");
  assert.equal(toE164("whatsapp:+442079460001"), "+442079460001");
  assert.equal(toE164(" +44 (20) 7946-0001 "), "+442079460001");
  assert.equal(toE164("0037167000001"), "+37167000001");
});

Deno.test("toE164 rejects what is not an international number", () => {
  for (
    const bad of ["", "02079460001", "+0123456789", "+12", "client:alice", "+4420794600011234567"]
  ) {
    assert.equal(toE164(bad), null, bad);
  }
});
