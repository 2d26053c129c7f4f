import assert from "node:assert/strict";
import { DEMO_REFRESH_TOKEN } from "./store.ts";
import { testSandbox } from "./test_helpers.ts";

const CAL = "calendar@northside.test";
const EVENTS = `/calendars/${encodeURIComponent(CAL)}/events`;
const refresh = { grant_type: "refresh_token", refresh_token: DEMO_REFRESH_TOKEN };

async function connected() {
  const s = await testSandbox();
  const { access_token: token } = await (await s.tokenRequest(refresh)).json();
  const fault = async (body: Record<string, unknown>) => {
    const res = await s.controlJson("/faults", "POST", body);
    assert.equal(res.status, 200, JSON.stringify(await res.clone().json()));
    return (await res.json()).id as string;
  };
  const list = () => s.api(EVENTS, token);
  return { ...s, token, fault, list };
}

Deno.test("faults: `times` fail that many requests, then the endpoint works again", async () => {
  const s = await connected();
  await s.fault({ endpoint: "events.list", status: 503, times: 2 });
  for (let i = 0; i < 2; i++) {
    const res = await s.list();
    assert.equal(res.status, 503);
    assert.equal((await res.json()).error.errors[0].reason, "backendError");
  }
  assert.equal((await s.list()).status, 200);
  assert.equal(
    (await s.api("/users/me/calendarList", s.token)).status,
    200,
    "other endpoints untouched",
  );
});

Deno.test("faults: without `times` until cleared (by id or all); rate limits in Google's words", async () => {
  const s = await connected();
  const id = await s.fault({ endpoint: "events.list", status: 429 });
  for (let i = 0; i < 3; i++) {
    const res = await s.list();
    assert.equal(res.status, 429);
    assert.deepEqual((await res.json()).error.errors[0], {
      domain: "usageLimits",
      reason: "rateLimitExceeded",
      message: "Rate Limit Exceeded",
    });
  }
  assert.deepEqual(
    (await (await s.controlJson("/faults")).json()).map((f: { id: string }) => f.id),
    [id],
  );
  assert.equal((await s.controlJson(`/faults/${id}`, "DELETE")).status, 200);
  assert.equal((await s.list()).status, 200);
  await s.fault({ endpoint: "events.list", status: 500 });
  await s.fault({ endpoint: "token", status: 503 });
  assert.deepEqual(await (await s.controlJson("/faults", "DELETE")).json(), { removed: 2 });
  assert.equal((await s.list()).status, 200);
  assert.equal((await s.controlJson("/faults/nope", "DELETE")).status, 404);
});

Deno.test("faults: per account, only that account's requests fail", async () => {
  const s = await connected();
  const other = (await s.connect({ account: "frontdesk.demo@gmail.test" })).access_token;
  await s.fault({ endpoint: "events.list", status: 500, account: "frontdesk.demo@gmail.test" });
  assert.equal((await s.list()).status, 200);
  const res = await s.api(
    `/calendars/${encodeURIComponent("frontdesk.demo@gmail.test")}/events`,
    other,
  );
  assert.equal(res.status, 500);
});

Deno.test("faults: invalid_grant on token hits refreshes (not code exchanges); delay slows without failing", async () => {
  const s = await connected();
  await s.fault({ endpoint: "token", error: "invalid_grant", account: CAL });
  const code = (await s.consent()).get("code")!;
  const exchanged = await s.tokenRequest({
    grant_type: "authorization_code",
    code,
    redirect_uri: "http://127.0.0.1:54321/functions/v1/google-oauth/callback",
  });
  assert.equal(exchanged.status, 200, "reconnecting still works");
  const refreshed = await s.tokenRequest(refresh);
  assert.equal(refreshed.status, 400);
  assert.deepEqual(await refreshed.json(), {
    error: "invalid_grant",
    error_description: "Token has been expired or revoked.",
  });
  await s.controlJson("/faults", "DELETE");
  assert.equal((await s.tokenRequest(refresh)).status, 200);

  await s.fault({ endpoint: "events.list", delayMs: 150, times: 1 });
  const t = performance.now();
  assert.equal((await s.list()).status, 200);
  assert.ok(performance.now() - t >= 140, "delayed");
});

Deno.test("faults: bad requests to /faults are 400 in words", async () => {
  const s = await connected();
  for (
    const body of [
      { endpoint: "events.teleport", status: 500 },
      { endpoint: "events.list" },
      { endpoint: "events.list", status: 200 },
      { endpoint: "events.list", status: 500, times: 0 },
    ]
  ) {
    const res = await s.controlJson("/faults", "POST", body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(typeof (await res.json()).error, "string");
  }
});

Deno.test("request log: method, endpoint, status, account and fault, never a token; ?since= answers later ones", async () => {
  const s = await connected();
  await s.list();
  await s.api(EVENTS, "ya29.bogus");
  const id = await s.fault({ endpoint: "calendarList", status: 500, times: 1 });
  await s.api("/users/me/calendarList", s.token);
  const log = await (await s.controlJson("/requests")).json();
  assert.deepEqual(
    log.map((r: Record<string, unknown>) => [r.method, r.endpoint, r.status, r.account, r.fault]),
    [
      ["POST", "token", 200, CAL, null],
      ["GET", "events.list", 200, CAL, null],
      ["GET", "events.list", 401, null, null],
      ["GET", "calendarList", 500, CAL, id],
    ],
  );
  assert.ok(
    !JSON.stringify(log).includes(s.token) && !JSON.stringify(log).includes(DEMO_REFRESH_TOKEN),
  );
  const later = await (await s.controlJson(`/requests?since=${log[1].seq}`)).json();
  assert.deepEqual(later.map((r: { seq: number }) => r.seq), [log[2].seq, log[3].seq]);
});

Deno.test("control: accounts with extra calendars, staff events listed, revoking an account's grants", async () => {
  const s = await connected();
  const created = await s.controlJson("/accounts", "POST", {
    email: "Reception@Eastside.test",
    timeZone: "Europe/Madrid",
    calendars: [{ id: "room1@eastside.test", summary: "Room 1" }],
  });
  assert.equal(created.status, 200);
  assert.deepEqual(
    (await created.json()).calendars.map((
      c: { id: string; primary: boolean; timeZone: string },
    ) => [c.id, c.primary, c.timeZone]),
    [
      ["reception@eastside.test", true, "Europe/Madrid"],
      ["room1@eastside.test", false, "Europe/Madrid"],
    ],
  );
  const taken = await s.controlJson("/accounts", "POST", {
    email: "someone@else.test",
    calendars: [{ id: "room1@eastside.test", summary: "Mine" }],
  });
  assert.equal(taken.status, 409);
  assert.equal((await s.controlJson("/accounts", "POST", { email: "not an email" })).status, 400);
  const accounts = await (await s.controlJson("/accounts")).json();
  assert.deepEqual(accounts.map((a: { email: string }) => a.email), [
    CAL,
    "frontdesk.demo@gmail.test",
    "reception@eastside.test",
  ]);

  const staff = await s.controlJson(`/calendars/room1%40eastside.test/events`, "POST", {
    summary: "Deep clean",
    start: { date: "2026-12-04" },
    end: { date: "2026-12-05" },
  });
  assert.equal(staff.status, 200);
  const listed = await (await s.controlJson(`/calendars/room1%40eastside.test/events`)).json();
  assert.deepEqual(listed.items.map((e: { summary: string }) => e.summary), ["Deep clean"]);
  assert.equal((await s.controlJson(`/calendars/nope/events`)).status, 404);

  const revoked = await s.controlJson(`/accounts/${encodeURIComponent(CAL)}/revoke`, "POST");
  assert.deepEqual(await revoked.json(), { revoked: 1 });
  assert.equal((await s.list()).status, 401);
  assert.equal((await (await s.tokenRequest(refresh)).json()).error, "invalid_grant");
});

Deno.test("console: each account's calendars with this week's events, recent requests and faults", async () => {
  const s = await connected();
  await s.fault({ endpoint: "freeBusy", status: 503, account: CAL });
  await s.controlJson(EVENTS, "POST", {
    summary: "Booked <b>Ada</b>",
    start: { dateTime: "2026-12-03T10:00:00Z" },
    end: { dateTime: "2026-12-03T10:30:00Z" },
  });
  await s.controlJson(EVENTS, "POST", {
    summary: "Far future",
    start: { dateTime: "2027-03-03T10:00:00Z" },
    end: { dateTime: "2027-03-03T10:30:00Z" },
  });
  const res = await s.call("");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /^text\/html/);
  const page = await res.text();
  const texts = [
    CAL,
    "frontdesk.demo@gmail.test",
    "Staff meeting",
    "Booked &lt;b&gt;Ada&lt;/b&gt;",
  ];
  // The fault (endpoint, status, account) and the token request in the log.
  texts.push("<td>freeBusy</td><td>503</td>", "<td>POST</td><td>token</td><td>200</td>");
  for (const text of texts) {
    assert.ok(page.includes(text), text);
  }
  assert.ok(!page.includes("Far future"));
  assert.ok(!page.includes("<b>Ada"), "escaped");
});
