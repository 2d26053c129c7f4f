import assert from "node:assert/strict";
import { DEMO_ACCOUNT, DEMO_REFRESH_TOKEN } from "./store.ts";
import { testSandbox } from "./test_helpers.ts";
import { wallClock } from "./time.ts";

Deno.test("demo data: two accounts, staff events on the next working days in working hours, the demo refresh token", async () => {
  // Friday 2026-12-04, 15:00 in London: the events fall on Friday, Monday, Tuesday, Wednesday.
  const s = await testSandbox({ now: Date.parse("2026-12-04T15:00:00Z") });
  const { store } = s.sandbox.context;
  assert.deepEqual([...store.accounts.keys()], [DEMO_ACCOUNT, "frontdesk.demo@gmail.test"]);
  const events = [...store.calendarEvents(DEMO_ACCOUNT).values()];
  assert.deepEqual(
    events.map((e) => [e.resource.summary, wallClock(e.startMs, "Europe/London").slice(1, 5)]),
    [
      ["Staff meeting", [12, 4, 9, 0]],
      ["Dr Hale — conference call", [12, 7, 14, 0]],
      ["Team training: new X-ray unit", [12, 8, 11, 0]],
      ["Equipment service visit", [12, 9, 16, 30]],
    ],
  );
  const refreshed = await s.tokenRequest({
    grant_type: "refresh_token",
    refresh_token: DEMO_REFRESH_TOKEN,
  });
  assert.equal(refreshed.status, 200);
});

Deno.test("state: kept in its file across restarts (accounts, events, grants, channels); demo data made once", async () => {
  const dir = await Deno.makeTempDir();
  const dataFile = `${dir}/google.json`;
  try {
    const first = await testSandbox({ dataFile });
    const connection = await first.connect({ account: "frontdesk.demo@gmail.test" });
    const calendar = `/calendars/${encodeURIComponent("frontdesk.demo@gmail.test")}/events`;
    await first.api(calendar, connection.access_token, {
      method: "POST",
      json: {
        id: "kept00001",
        start: { dateTime: "2026-12-03T10:00:00Z" },
        end: { dateTime: "2026-12-03T11:00:00Z" },
      },
    });
    await first.api(`${calendar}/watch`, connection.access_token, {
      method: "POST",
      json: { id: "kept-channel", type: "web_hook", address: "http://127.0.0.1:1/hook" },
    });
    await first.sandbox.settled();
    assert.equal((await Deno.stat(dataFile)).mode! & 0o777, 0o600);

    const second = await testSandbox({ dataFile });
    const { store } = second.sandbox.context;
    assert.equal(store.calendarEvents(DEMO_ACCOUNT).size, 4, "demo events not made twice");
    assert.equal((await second.api(`${calendar}/kept00001`, connection.access_token)).status, 200);
    const refreshed = await second.tokenRequest({
      grant_type: "refresh_token",
      refresh_token: connection.refresh_token!,
    });
    assert.equal(refreshed.status, 200);
    assert.ok(store.channels.has("kept-channel"));
    await second.sandbox.settled();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("routes: the three base URLs, control and console; anything else is 404", async () => {
  const s = await testSandbox();
  assert.equal(
    (await s.call("/accounts/o/oauth2/v2/auth")).status,
    400,
    "consent page (no parameters)",
  );
  assert.equal((await s.call("/oauth2/token", { method: "POST" })).status, 400);
  assert.equal((await s.call("/oauth2/revoke", { method: "POST" })).status, 400);
  assert.equal((await s.call("/www/calendar/v3/users/me/calendarList")).status, 401);
  assert.equal((await s.call("/control/accounts")).status, 200);
  assert.equal((await s.call("")).status, 200);
  assert.equal((await s.call("/elsewhere")).status, 404);
});
