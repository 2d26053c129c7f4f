import assert from "node:assert/strict";
import { classifyGoogleError, GoogleApiError } from "./errors.ts";

/** Calendar's error body (developers.google.com/workspace/calendar/api/guides/errors). */
function calendarError(code: number, domain: string, reason: string, message = reason) {
  return { error: { errors: [{ domain, reason, message }], code, message } };
}

Deno.test("401 means the access token needs refreshing", () => {
  assert.equal(classifyGoogleError(401, calendarError(401, "global", "authError")), "auth");
});

Deno.test("rate and usage limits, 429, 5xx and no answer are retried later", () => {
  for (
    const reason of [
      "userRateLimitExceeded",
      "rateLimitExceeded",
      "dailyLimitExceeded",
      "quotaExceeded",
    ]
  ) {
    assert.equal(
      classifyGoogleError(403, calendarError(403, "usageLimits", reason)),
      "retry",
      reason,
    );
  }
  assert.equal(
    classifyGoogleError(403, calendarError(403, "usageLimits", "calendarUsageLimitsExceeded")),
    "retry",
  );
  assert.equal(
    classifyGoogleError(429, calendarError(429, "usageLimits", "rateLimitExceeded")),
    "retry",
  );
  assert.equal(classifyGoogleError(500, calendarError(500, "global", "backendError")), "retry");
  assert.equal(classifyGoogleError(503, undefined), "retry");
  assert.equal(classifyGoogleError(0, "no answer within 10000 ms"), "retry");
});

Deno.test("a 403 that is not a limit will not change by waiting", () => {
  assert.equal(
    classifyGoogleError(403, calendarError(403, "calendar", "forbiddenForNonOrganizer")),
    "permanent",
  );
  assert.equal(classifyGoogleError(403, undefined), "permanent");
});

Deno.test("404, 409 and 410 are named; other 4xx are permanent", () => {
  assert.equal(classifyGoogleError(404, calendarError(404, "global", "notFound")), "not_found");
  assert.equal(
    classifyGoogleError(
      409,
      calendarError(409, "global", "duplicate", "The requested identifier already exists."),
    ),
    "duplicate",
  );
  assert.equal(classifyGoogleError(410, calendarError(410, "global", "deleted")), "gone");
  assert.equal(
    classifyGoogleError(400, calendarError(400, "calendar", "timeRangeEmpty")),
    "permanent",
  );
  assert.equal(classifyGoogleError(400, { error: "invalid_grant" }), "permanent");
});

Deno.test("GoogleApiError carries the status, Google's reason and the kind; OAuth errors too", () => {
  const duplicate = new GoogleApiError(
    "events.insert",
    409,
    calendarError(409, "global", "duplicate", "The requested identifier already exists."),
  );
  assert.equal(duplicate.status, 409);
  assert.equal(duplicate.reason, "duplicate");
  assert.equal(duplicate.kind, "duplicate");
  assert.match(duplicate.message, /events\.insert: 409 duplicate The requested identifier/);

  const grant = new GoogleApiError("token refresh", 400, {
    error: "invalid_grant",
    error_description: "Token has been expired or revoked.",
  });
  assert.equal(grant.reason, "invalid_grant");
  assert.equal(
    grant.message,
    "Google token refresh: 400 invalid_grant Token has been expired or revoked.",
  );

  const silent = new GoogleApiError("freeBusy", 0, "no answer within 150 ms");
  assert.equal(silent.kind, "retry");
  assert.equal(silent.message, "Google freeBusy: no answer within 150 ms");
});
