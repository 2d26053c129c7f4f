import assert from "node:assert/strict";
import { DEMO_REFRESH_TOKEN, SCOPE } from "./store.ts";
import { testSandbox } from "./test_helpers.ts";

const CAL = "calendar@northside.test";
const EVENTS = `/calendars/${encodeURIComponent(CAL)}/events`;

async function withToken(grant?: string[]) {
  const s = await testSandbox();
  // The demo account, cleared of its demo events so the tests see only their own.
  s.sandbox.context.store.calendarEvents(CAL).clear();
  const token = grant ? (await s.connect({ grant })).access_token : (await (await s.tokenRequest({
    grant_type: "refresh_token",
    refresh_token: DEMO_REFRESH_TOKEN,
  })).json()).access_token;
  return { ...s, token };
}

const timed = (id: string | undefined, start: string, end: string, more = {}) => ({
  ...(id ? { id } : {}),
  summary: `event ${id ?? ""}`,
  start: { dateTime: start },
  end: { dateTime: end },
  ...more,
});

Deno.test("calendar API: 401 authError without a valid token, 403 insufficientPermissions without the scope", async () => {
  const s = await withToken([SCOPE.events]);
  const invalid = {
    error: {
      errors: [{
        domain: "global",
        reason: "authError",
        message: "Invalid Credentials",
        locationType: "header",
        location: "Authorization",
      }],
      code: 401,
      message: "Invalid Credentials",
    },
  };
  for (const token of [null, "ya29.made-up"]) {
    const res = await s.api("/users/me/calendarList", token);
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), invalid);
  }
  // calendar.events alone does not reach calendarList or freeBusy.
  const list = await s.api("/users/me/calendarList", s.token);
  assert.equal(list.status, 403);
  assert.equal((await list.json()).error.errors[0].reason, "insufficientPermissions");
  const busy = await s.api("/freeBusy", s.token, {
    method: "POST",
    json: { timeMin: "2026-12-02T00:00:00Z", timeMax: "2026-12-03T00:00:00Z", items: [] },
  });
  assert.equal(busy.status, 403);
  // calendar.readonly alone cannot write events.
  const reader = await withToken([SCOPE.readonly]);
  const insert = await reader.api(`${EVENTS}`, reader.token, {
    method: "POST",
    json: timed(undefined, "2026-12-02T10:00:00Z", "2026-12-02T11:00:00Z"),
  });
  assert.equal(insert.status, 403);
  assert.equal((await reader.api(EVENTS, reader.token)).status, 200, "but may list them");
});

Deno.test("calendarList: the account's calendars, the primary one named by the email", async () => {
  const s = await withToken();
  await s.controlJson("/accounts", "POST", {
    email: CAL,
    calendars: [{ id: "hale@group.calendar.test", summary: "Dr Hale" }],
  });
  const body = await (await s.api("/users/me/calendarList", s.token)).json();
  assert.equal(body.kind, "calendar#calendarList");
  assert.deepEqual(
    body.items.map((
      c: Record<string, unknown>,
    ) => [c.id, c.summary, c.primary ?? false, c.accessRole, c.timeZone]),
    [
      [CAL, CAL, true, "owner", "Europe/London"],
      ["hale@group.calendar.test", "Dr Hale", false, "owner", "Europe/London"],
    ],
  );
});

Deno.test("events.insert: client ids must be base32hex, 5–1024 characters; a taken id is 409 with Google's body", async () => {
  const s = await withToken();
  const insert = (id: string) =>
    s.api(EVENTS, s.token, {
      method: "POST",
      json: timed(id, "2026-12-02T10:00:00Z", "2026-12-02T11:00:00Z"),
    });
  for (const bad of ["abcd", "ABCDE", "abcdw", "abc-de", "a".repeat(1025)]) {
    const res = await insert(bad);
    assert.equal(res.status, 400, bad);
    assert.equal((await res.json()).error.errors[0].message, "Invalid resource id value.");
  }
  for (const good of ["abcde", "0123456789abcdefghijklmnopqrstuv", "v".repeat(1024)]) {
    const res = await insert(good);
    assert.equal(res.status, 200, good);
    const event = await res.json();
    assert.equal(event.id, good);
    assert.equal(event.kind, "calendar#event");
    assert.equal(event.status, "confirmed");
    assert.equal(event.iCalUID, `${good}@google.com`);
  }
  const dup = await insert("abcde");
  assert.equal(dup.status, 409);
  assert.deepEqual(await dup.json(), {
    error: {
      errors: [{
        domain: "global",
        reason: "duplicate",
        message: "The requested identifier already exists.",
      }],
      code: 409,
      message: "The requested identifier already exists.",
    },
  });
  // Without an id Google makes one (base32hex too).
  const generated = await (await s.api(EVENTS, s.token, {
    method: "POST",
    json: timed(undefined, "2026-12-02T12:00:00Z", "2026-12-02T13:00:00Z"),
  })).json();
  assert.match(generated.id, /^[a-v0-9]{26}$/);
});

Deno.test("events.insert: times missing, without zone, mixed or reversed are 400", async () => {
  const s = await withToken();
  const cases: [unknown, string][] = [
    [{ start: { dateTime: "2026-12-02T10:00:00Z" } }, "Missing end time."],
    [
      { start: { dateTime: "2026-12-02T10:00:00" }, end: { dateTime: "2026-12-02T11:00:00" } },
      "Missing time zone definition for start time.",
    ],
    [
      { start: { dateTime: "2026-12-02T10:00:00Z" }, end: { date: "2026-12-03" } },
      "Start and end times must either both be date or both be dateTime.",
    ],
    [{
      start: { dateTime: "2026-12-02T10:00:00Z", timeZone: "Mars/Olympus" },
      end: { dateTime: "2026-12-02T11:00:00Z" },
    }, "Invalid time zone definition for start time."],
    [
      { start: { dateTime: "2026-12-02T11:00:00Z" }, end: { dateTime: "2026-12-02T10:00:00Z" } },
      "The specified time range is empty.",
    ],
    [
      { start: { date: "2026-12-02" }, end: { date: "2026-12-02" } },
      "The specified time range is empty.",
    ],
    [{ start: { date: "2026-02-30" }, end: { date: "2026-03-01" } }, "Invalid start time."],
  ];
  for (const [body, message] of cases) {
    const res = await s.api(EVENTS, s.token, { method: "POST", json: body });
    assert.equal(res.status, 400, message);
    assert.equal((await res.json()).error.message, message);
  }
  const garbage = await s.api(EVENTS, s.token, { method: "POST", body: "{not json" });
  assert.equal(garbage.status, 400);
});

Deno.test("events: get 404, delete 204, delete again 410 deleted, get shows it cancelled; patch and update", async () => {
  const s = await withToken();
  const missing = await s.api(`${EVENTS}/nosuchevent`, s.token);
  assert.equal(missing.status, 404);
  assert.deepEqual(await missing.json(), {
    error: {
      errors: [{ domain: "global", reason: "notFound", message: "Not Found" }],
      code: 404,
      message: "Not Found",
    },
  });
  await s.api(EVENTS, s.token, {
    method: "POST",
    json: timed("evt00001", "2026-12-02T10:00:00Z", "2026-12-02T11:00:00Z", {
      description: "keep me",
    }),
  });
  const patched = await (await s.api(`${EVENTS}/evt00001`, s.token, {
    method: "PATCH",
    json: {
      summary: "Moved",
      start: { dateTime: "2026-12-02T14:00:00+01:00" },
      end: { dateTime: "2026-12-02T15:00:00+01:00" },
    },
  })).json();
  assert.equal(patched.summary, "Moved");
  assert.equal(patched.description, "keep me", "patch keeps what it does not send");
  assert.equal(
    patched.start.dateTime,
    "2026-12-02T13:00:00Z",
    "in the calendar's zone (London, GMT)",
  );
  assert.equal(patched.sequence, 1);
  const updated = await (await s.api(`${EVENTS}/evt00001`, s.token, {
    method: "PUT",
    json: timed(undefined, "2026-12-02T13:00:00Z", "2026-12-02T14:00:00Z", { summary: "Whole" }),
  })).json();
  assert.equal(updated.summary, "Whole");
  assert.equal(updated.description, undefined, "update replaces the whole event");
  assert.equal(updated.id, "evt00001");

  const del = await s.api(`${EVENTS}/evt00001`, s.token, { method: "DELETE" });
  assert.equal(del.status, 204);
  assert.equal(await del.text(), "");
  const again = await s.api(`${EVENTS}/evt00001`, s.token, { method: "DELETE" });
  assert.equal(again.status, 410);
  assert.deepEqual(await again.json(), {
    error: {
      errors: [{ domain: "global", reason: "deleted", message: "Resource has been deleted" }],
      code: 410,
      message: "Resource has been deleted",
    },
  });
  const gone = await s.api(`${EVENTS}/evt00001`, s.token);
  assert.equal(gone.status, 200);
  assert.equal((await gone.json()).status, "cancelled");
  // Its id stays taken, as at Google.
  const reinsert = await s.api(EVENTS, s.token, {
    method: "POST",
    json: timed("evt00001", "2026-12-02T10:00:00Z", "2026-12-02T11:00:00Z"),
  });
  assert.equal(reinsert.status, 409);
  assert.equal((await s.api(`${EVENTS}/nosuchevent`, s.token, { method: "DELETE" })).status, 404);
});

Deno.test("events.list: timeMin/timeMax window over timed, zoned and all-day events; order, pages, deleted", async () => {
  const s = await withToken();
  const add = (body: unknown) => s.api(EVENTS, s.token, { method: "POST", json: body });
  // London is on BST on 2026-06-01: 09:00 there is 08:00Z.
  await add({
    id: "local1",
    summary: "local1",
    start: { dateTime: "2026-06-01T09:00:00", timeZone: "Europe/London" },
    end: { dateTime: "2026-06-01T10:00:00", timeZone: "Europe/London" },
  });
  await add(timed("offset", "2026-06-01T12:00:00+02:00", "2026-06-01T13:00:00+02:00")); // 10:00Z
  await add({
    id: "date1",
    summary: "date1",
    start: { date: "2026-06-02" },
    end: { date: "2026-06-03" },
  });
  await add(
    timed("later", "2026-06-03T09:00:00Z", "2026-06-03T10:00:00Z", { transparency: "transparent" }),
  );
  await add(timed("gone1", "2026-06-01T11:00:00Z", "2026-06-01T12:00:00Z"));
  await s.api(`${EVENTS}/gone1`, s.token, { method: "DELETE" });

  const list = async (q: Record<string, string>) => {
    const res = await s.api(`${EVENTS}?${new URLSearchParams(q)}`, s.token);
    assert.equal(res.status, 200, JSON.stringify(await res.clone().json()));
    return await res.json();
  };
  const ids = async (q: Record<string, string>) =>
    (await list({ singleEvents: "true", orderBy: "startTime", ...q })).items.map((
      e: { id: string },
    ) => e.id);

  assert.deepEqual(await ids({}), ["local1", "offset", "date1", "later"]);
  const local1 = (await list({ singleEvents: "true" })).items.find((e: { id: string }) =>
    e.id === "local1"
  );
  assert.deepEqual(local1.start, {
    dateTime: "2026-06-01T09:00:00+01:00",
    timeZone: "Europe/London",
  });
  // timeMin excludes events that ended by then; timeMax those that start at or after it.
  assert.deepEqual(await ids({ timeMin: "2026-06-01T09:00:00Z" }), ["offset", "date1", "later"]);
  assert.deepEqual(
    await ids({ timeMin: "2026-06-01T08:59:59Z", timeMax: "2026-06-01T10:00:00Z" }),
    ["local1"],
  );
  // The all-day event is midnight to midnight in the calendar's zone (BST: 23:00Z the day before).
  assert.deepEqual(
    await ids({ timeMin: "2026-06-01T22:30:00Z", timeMax: "2026-06-01T23:30:00Z" }),
    ["date1"],
  );
  assert.deepEqual(
    await ids({ timeMin: "2026-06-02T23:00:00Z", timeMax: "2026-06-03T08:00:00Z" }),
    [],
  );
  assert.deepEqual(
    await ids({ timeMin: "2026-06-01T00:00:00-01:00", timeMax: "2026-06-01T10:30:00+00:00" }),
    ["local1", "offset"],
  );
  assert.deepEqual(await ids({ showDeleted: "true", timeMax: "2026-06-01T22:00:00Z" }), [
    "local1",
    "offset",
    "gone1",
  ]);

  // Pages of two, each answering the next page's token until the last, which has a sync token.
  const seen: string[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  do {
    const page = await list({
      singleEvents: "true",
      orderBy: "startTime",
      maxResults: "2",
      ...(pageToken ? { pageToken } : {}),
    });
    seen.push(...page.items.map((e: { id: string }) => e.id));
    pageToken = page.nextPageToken;
    pages++;
    if (!pageToken) assert.match(page.nextSyncToken, /^s\d+$/);
  } while (pageToken);
  assert.deepEqual([seen, pages], [["local1", "offset", "date1", "later"], 2]);

  const refused = async (q: Record<string, string>, message: string) => {
    const res = await s.api(`${EVENTS}?${new URLSearchParams(q)}`, s.token);
    assert.equal(res.status, 400, JSON.stringify(q));
    assert.equal((await res.json()).error.message, message);
  };
  await refused(
    { orderBy: "startTime" },
    "The requested ordering is not available for the particular query.",
  );
  await refused(
    { timeMin: "2026-06-02T00:00:00Z", timeMax: "2026-06-01T00:00:00Z" },
    "The specified time range is empty.",
  );
  await refused({ timeMin: "yesterday" }, "Bad Request");
  await refused({ timeMin: "2026-06-01T00:00:00" }, "Bad Request");
  await refused({ pageToken: "garbage" }, "Invalid page token value.");
});

Deno.test("events.list: a sync token answers only what changed since, deleted events included", async () => {
  const s = await withToken();
  await s.api(EVENTS, s.token, {
    method: "POST",
    json: timed("first", "2026-12-02T10:00:00Z", "2026-12-02T11:00:00Z"),
  });
  const { nextSyncToken } = await (await s.api(EVENTS, s.token)).json();
  s.tick(1000);
  await s.api(EVENTS, s.token, {
    method: "POST",
    json: timed("second", "2026-12-02T12:00:00Z", "2026-12-02T13:00:00Z"),
  });
  await s.api(`${EVENTS}/first`, s.token, { method: "DELETE" });
  const changes = await (await s.api(`${EVENTS}?syncToken=${nextSyncToken}`, s.token)).json();
  assert.deepEqual(
    changes.items.map((e: { id: string; status: string }) => [e.id, e.status]),
    [["first", "cancelled"], ["second", "confirmed"]],
  );
});

Deno.test("freeBusy: merged, clipped busy times of opaque live events; unknown calendars get errors with HTTP 200", async () => {
  const s = await withToken();
  const add = (body: unknown) => s.api(EVENTS, s.token, { method: "POST", json: body });
  await add(timed("aaaaa", "2026-12-02T08:00:00Z", "2026-12-02T09:30:00Z"));
  await add(timed("bbbbb", "2026-12-02T09:00:00Z", "2026-12-02T10:00:00Z"));
  await add(
    timed("ccccc", "2026-12-02T12:00:00Z", "2026-12-02T13:00:00Z", { transparency: "transparent" }),
  );
  await add(timed("ddddd", "2026-12-02T14:00:00Z", "2026-12-02T15:00:00Z"));
  await s.api(`${EVENTS}/ddddd`, s.token, { method: "DELETE" });
  await add(timed("eeeee", "2026-12-02T16:00:00Z", "2026-12-02T18:00:00Z"));
  const res = await s.api("/freeBusy", s.token, {
    method: "POST",
    json: {
      timeMin: "2026-12-02T08:30:00Z",
      timeMax: "2026-12-02T17:00:00Z",
      items: [{ id: CAL }, { id: "primary" }, { id: "frontdesk.demo@gmail.test" }, {
        id: "nobody@x.test",
      }],
    },
  });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.kind, "calendar#freeBusy");
  const busy = [
    { start: "2026-12-02T08:30:00Z", end: "2026-12-02T10:00:00Z" },
    { start: "2026-12-02T16:00:00Z", end: "2026-12-02T17:00:00Z" },
  ];
  assert.deepEqual(body.calendars[CAL], { busy });
  assert.deepEqual(body.calendars.primary, { busy });
  const notFound = { errors: [{ domain: "global", reason: "notFound" }], busy: [] };
  assert.deepEqual(
    body.calendars["frontdesk.demo@gmail.test"],
    notFound,
    "another account's calendar",
  );
  assert.deepEqual(body.calendars["nobody@x.test"], notFound);

  const missing = await s.api("/freeBusy", s.token, { method: "POST", json: { items: [] } });
  assert.equal(missing.status, 400);
});

Deno.test("non-Latin text in calendar ids and queries is answered, not a 5xx", async () => {
  const s = await withToken();
  const id = "réception-日本@group.calendar.test";
  await s.controlJson("/accounts", "POST", {
    email: CAL,
    calendars: [{ id, summary: "Réception" }],
  });
  const events = `/calendars/${encodeURIComponent(id)}/events`;
  for (const summary of ["Café 1", "Café 2"]) {
    const res = await s.api(events, s.token, {
      method: "POST",
      json: timed(undefined, "2026-12-02T10:00:00Z", "2026-12-02T11:00:00Z", { summary }),
    });
    assert.equal(res.status, 200);
  }
  const first = await (await s.api(`${events}?q=caf%C3%A9&maxResults=1`, s.token)).json();
  assert.equal(first.items.length, 1);
  const second = await s.api(
    `${events}?q=caf%C3%A9&maxResults=1&pageToken=${first.nextPageToken}`,
    s.token,
  );
  assert.equal(second.status, 200);
  assert.deepEqual((await second.json()).items.map((e: { summary: string }) => e.summary), [
    "Café 2",
  ]);
});

Deno.test("events of another account's calendar are 404", async () => {
  const s = await withToken();
  const res = await s.api(
    `/calendars/${encodeURIComponent("frontdesk.demo@gmail.test")}/events`,
    s.token,
  );
  assert.equal(res.status, 404);
  const unknownPath = await s.api("/calendars", s.token);
  assert.equal(unknownPath.status, 404);
});
