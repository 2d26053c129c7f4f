import assert from "node:assert/strict";
import { calendarOutcome } from "./calendar_outcome.ts";

Deno.test("connected names the account", () => {
  assert.deepEqual(calendarOutcome("connected", undefined, "calendar@northside.test"), {
    tone: "success",
    message: "Connected as calendar@northside.test.",
  });
});

Deno.test("an unticked permission is named in Google's words", () => {
  const outcome = calendarOutcome(
    "missing_scope",
    "https://www.googleapis.com/auth/calendar.readonly",
    null,
  );
  assert.equal(outcome?.tone, "error");
  assert.match(outcome!.message, /“See and download any calendar you can access” was unticked/);
});

Deno.test("every refusal says nothing was connected and what to do; unknown outcomes say nothing", () => {
  for (const outcome of ["denied", "expired", "used", "not_admin", "invalid", "failed"]) {
    const said = calendarOutcome(outcome, undefined, null);
    assert.equal(said?.tone, "error", outcome);
    assert.match(said!.message, /^Google Calendar was not connected: /, outcome);
  }
  assert.equal(calendarOutcome(undefined, undefined, null), null);
  assert.equal(calendarOutcome("<script>", undefined, null), null);
  assert.equal(calendarOutcome("toString", undefined, null), null);
});
