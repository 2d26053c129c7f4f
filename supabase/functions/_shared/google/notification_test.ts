import assert from "node:assert/strict";
import { channelTokenMatches, newChannelToken } from "./channel_token.ts";
import { channelIdOf, judgeNotification, type StoredChannel } from "./notification.ts";

const CHANNEL_ID = "0b9f3a52-6f4e-4a8e-9c1d-2e7b5a4c3d21";
const NOW = Date.parse("2026-12-03T10:00:00Z");

async function stored(overrides: Partial<StoredChannel> = {}) {
  const { token, sha256 } = await newChannelToken();
  const channel: StoredChannel = {
    organisationId: "org",
    calendarId: "calendar@northside.test",
    tokenSha256: sha256,
    resourceId: "resource-1",
    expiresAt: NOW + 86_400_000,
    ...overrides,
  };
  return { token, channel };
}

function notification(token: string | null, state = "exists", resource = "resource-1") {
  const headers = new Headers({
    "x-goog-channel-id": CHANNEL_ID,
    "x-goog-resource-state": state,
    "x-goog-resource-id": resource,
  });
  if (token !== null) headers.set("x-goog-channel-token", token);
  return headers;
}

Deno.test("a fresh channel token is random, and only it matches its digest", async () => {
  const a = await newChannelToken();
  const b = await newChannelToken();
  assert.notEqual(a.token, b.token);
  assert.match(a.token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(await channelTokenMatches(a.token, a.sha256), true);
  assert.equal(await channelTokenMatches(b.token, a.sha256), false);
  assert.equal(await channelTokenMatches(a.token.slice(0, -1), a.sha256), false);
  assert.equal(await channelTokenMatches("", a.sha256), false);
  assert.equal(await channelTokenMatches(null, a.sha256), false);
  assert.equal(await channelTokenMatches(a.token, null), false);
  assert.equal(await channelTokenMatches(a.token, a.sha256.slice(0, 16)), false);
});

Deno.test("a change on a known channel with its token asks for a pull", async () => {
  const { token, channel } = await stored();
  for (const state of ["exists", "not_exists"]) {
    assert.deepEqual(await judgeNotification(notification(token, state), channel, NOW), {
      status: 200,
      pull: true,
    });
  }
});

Deno.test("the sync message that opens a channel is acknowledged without a pull", async () => {
  const { token, channel } = await stored();
  assert.deepEqual(await judgeNotification(notification(token, "sync"), channel, NOW), {
    status: 200,
    pull: false,
  });
});

Deno.test("a wrong or missing token, or another resource, is refused (401), no pull", async () => {
  const { channel } = await stored();
  const other = await newChannelToken();
  for (const headers of [notification(other.token), notification(null), notification("")]) {
    assert.deepEqual(await judgeNotification(headers, channel, NOW), { status: 401, pull: false });
  }
  const { token, channel: same } = await stored();
  assert.deepEqual(
    await judgeNotification(notification(token, "exists", "resource-2"), same, NOW),
    { status: 401, pull: false },
  );
});

Deno.test("an unknown or expired channel is not found (404), no pull", async () => {
  const { token, channel } = await stored({ expiresAt: NOW });
  assert.deepEqual(await judgeNotification(notification(token), channel, NOW), {
    status: 404,
    pull: false,
  });
  assert.deepEqual(await judgeNotification(notification(token), null, NOW), {
    status: 404,
    pull: false,
  });
});

Deno.test("only a uuid is looked up as a channel id", () => {
  assert.equal(
    channelIdOf(new Headers({ "x-goog-channel-id": CHANNEL_ID.toUpperCase() })),
    CHANNEL_ID,
  );
  for (const id of ["", "1", "' or 1=1 --", `${CHANNEL_ID}x`]) {
    assert.equal(channelIdOf(new Headers({ "x-goog-channel-id": id })), null, id);
  }
  assert.equal(channelIdOf(new Headers()), null);
});
