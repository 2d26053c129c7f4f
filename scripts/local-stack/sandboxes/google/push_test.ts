import assert from "node:assert/strict";
import { resourceIdOf } from "./push.ts";
import { DEMO_REFRESH_TOKEN } from "./store.ts";
import { testSandbox } from "./test_helpers.ts";

const CAL = "calendar@northside.test";
const EVENTS = `/calendars/${encodeURIComponent(CAL)}/events`;
const HOOK = "http://127.0.0.1:54321/functions/v1/google-calendar-webhook";

async function watching(opts: { failPush?: boolean } = {}) {
  const s = await testSandbox(opts);
  const { access_token: token } = await (await s.tokenRequest({
    grant_type: "refresh_token",
    refresh_token: DEMO_REFRESH_TOKEN,
  })).json();
  const expiration = s.now() + 3600_000;
  const res = await s.api(`${EVENTS}/watch`, token, {
    method: "POST",
    json: {
      id: "chan-1",
      type: "web_hook",
      address: HOOK,
      token: "secret-1",
      expiration: String(expiration),
    },
  });
  assert.equal(res.status, 200);
  return { ...s, token, channel: await res.json(), expiration };
}

Deno.test("events.watch: answers the channel and sends a `sync` notification with Google's headers and no body", async () => {
  const s = await watching();
  assert.deepEqual(s.channel, {
    kind: "api#channel",
    id: "chan-1",
    resourceId: resourceIdOf(CAL),
    resourceUri: `http://127.0.0.1:54321/_local/google/www/calendar/v3/calendars/${
      encodeURIComponent(CAL)
    }/events?alt=json`,
    token: "secret-1",
    expiration: String(s.expiration),
  });
  const channels = await (await s.controlJson("/channels")).json();
  assert.deepEqual(
    channels.map((c: Record<string, unknown>) => [c.id, c.calendarId, c.hasToken, c.token]),
    [
      ["chan-1", CAL, true, undefined],
    ],
  );
  await s.sandbox.settled();
  assert.equal(s.notifications.length, 1);
  const [sync] = s.notifications;
  assert.equal(sync.url, HOOK);
  assert.equal(sync.body, "");
  assert.deepEqual(
    Object.fromEntries(Object.entries(sync.headers).filter(([k]) => k.startsWith("x-goog-"))),
    {
      "x-goog-channel-id": "chan-1",
      "x-goog-channel-token": "secret-1",
      "x-goog-channel-expiration": new Date(s.expiration).toUTCString(),
      "x-goog-resource-id": resourceIdOf(CAL),
      "x-goog-resource-uri": s.channel.resourceUri,
      "x-goog-resource-state": "sync",
      "x-goog-message-number": "1",
    },
  );
});

Deno.test("push: every change through the API or the control API sends `exists`, numbered; stop ends them", async () => {
  const s = await watching();
  const event = {
    id: "pushed01",
    start: { dateTime: "2026-12-03T10:00:00Z" },
    end: { dateTime: "2026-12-03T11:00:00Z" },
  };
  await s.api(EVENTS, s.token, { method: "POST", json: event });
  await s.api(`${EVENTS}/pushed01`, s.token, { method: "PATCH", json: { summary: "x" } });
  await s.api(`${EVENTS}/pushed01`, s.token, { method: "DELETE" });
  const staff = await s.controlJson(`${EVENTS}`, "POST", {
    summary: "Staff lunch",
    start: { dateTime: "2026-12-03T12:00:00Z" },
    end: { dateTime: "2026-12-03T13:00:00Z" },
  });
  assert.equal(staff.status, 200);
  // A change to another calendar notifies no one here.
  await s.controlJson(`/calendars/frontdesk.demo%40gmail.test/events`, "POST", event);
  await s.sandbox.settled();
  assert.deepEqual(
    s.notifications.map((
      n,
    ) => [n.headers["x-goog-resource-state"], n.headers["x-goog-message-number"]]),
    [["sync", "1"], ["exists", "2"], ["exists", "3"], ["exists", "4"], ["exists", "5"]],
  );

  const wrong = await s.api("/channels/stop", s.token, {
    method: "POST",
    json: { id: "chan-1", resourceId: "other" },
  });
  assert.equal(wrong.status, 404);
  const stop = await s.api("/channels/stop", s.token, {
    method: "POST",
    json: { id: "chan-1", resourceId: s.channel.resourceId },
  });
  assert.equal(stop.status, 204);
  await s.controlJson(`${EVENTS}`, "POST", { ...event, id: "after0001" });
  await s.sandbox.settled();
  assert.equal(s.notifications.length, 5, "nothing after stop");
});

Deno.test("push: an expired channel is silent; a failing address is logged, the change still succeeds", async () => {
  const s = await watching({ failPush: true });
  const insert = await s.api(EVENTS, s.token, {
    method: "POST",
    json: {
      start: { dateTime: "2026-12-03T10:00:00Z" },
      end: { dateTime: "2026-12-03T11:00:00Z" },
    },
  });
  assert.equal(insert.status, 200);
  await s.sandbox.settled();
  assert.equal(s.notifications.length, 2);
  assert.equal(s.warnings.length, 2);
  assert.match(s.warnings[1], /chan-1: exists notification → 500/);
  assert.ok(!s.warnings.join().includes("secret-1"), "the channel token is not logged");

  s.tick(3600_000);
  await s.controlJson(`${EVENTS}`, "POST", {
    start: { dateTime: "2026-12-03T12:00:00Z" },
    end: { dateTime: "2026-12-03T13:00:00Z" },
  });
  await s.sandbox.settled();
  assert.equal(s.notifications.length, 2, "the channel expired");
});

Deno.test("events.watch: a channel id in use, a bad address or type is 400", async () => {
  const s = await watching();
  const watch = (body: Record<string, unknown>) =>
    s.api(`${EVENTS}/watch`, s.token, {
      method: "POST",
      json: { id: "chan-2", type: "web_hook", address: HOOK, ...body },
    });
  const taken = await watch({ id: "chan-1" });
  assert.equal(taken.status, 400);
  assert.equal((await taken.json()).error.errors[0].reason, "channelIdNotUnique");
  assert.equal((await watch({ address: "not a url" })).status, 400);
  assert.equal((await watch({ type: "email" })).status, 400);
  assert.equal((await watch({ id: "x".repeat(65) })).status, 400);
  assert.equal((await watch({})).status, 200);
});
