// The Google sandbox on the running stack: mounted by the gateway at /_local/google (this
// machine only), reached through the GOOGLE_* base URLs the stack gives the functions, and a
// whole connection over HTTP: consent form → code → tokens → events insert → list, a watch
// channel's notifications arriving at a real address, and the request log without tokens.
import assert from "node:assert/strict";
import { dirname } from "node:path";
import { env, runTag, SUPABASE_URL } from "./_helpers.ts";

/** The values the stack generated for the functions (beside the outbox, in its data folder). */
async function functionsEnv(): Promise<Record<string, string>> {
  const text = await Deno.readTextFile(`${dirname(env("OUTBOX_DIR"))}/functions.env`);
  return Object.fromEntries(
    text.split("\n").filter((l) => /^[A-Z_]+=/.test(l)).map((l) => {
      const i = l.indexOf("=");
      return [l.slice(0, i), l.slice(i + 1)];
    }),
  );
}

const SCOPES = [
  "https://www.googleapis.com/auth/calendar.events",
  "https://www.googleapis.com/auth/calendar.readonly",
];
const control = (path: string, method = "GET", body?: unknown) =>
  fetch(`${SUPABASE_URL}/_local/google/control${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

Deno.test("the stack gives the functions the sandbox's base URLs, an OAuth client and a state key", async () => {
  const google = await functionsEnv();
  assert.equal(google.GOOGLE_OAUTH_BASE_URL, `${SUPABASE_URL}/_local/google/accounts`);
  assert.equal(google.GOOGLE_TOKEN_BASE_URL, `${SUPABASE_URL}/_local/google/oauth2`);
  assert.equal(google.GOOGLE_API_BASE_URL, `${SUPABASE_URL}/_local/google/www`);
  assert.match(google.GOOGLE_CLIENT_ID, /^\d+-[a-z0-9]+\.apps\.googleusercontent\.com$/);
  assert.ok(google.GOOGLE_CLIENT_SECRET.length >= 20);
  assert.match(google.GOOGLE_STATE_SECRET, /^[A-Za-z0-9_-]{43,}$/, "at least 32 bytes, base64url");

  // Each base URL answers as Google's host does.
  const consent = await fetch(`${google.GOOGLE_OAUTH_BASE_URL}/o/oauth2/v2/auth`);
  assert.equal(consent.status, 400);
  assert.match(await consent.text(), /Missing required parameter: client_id/);
  const token = await fetch(`${google.GOOGLE_TOKEN_BASE_URL}/token`, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: "1//not-a-token",
      client_id: google.GOOGLE_CLIENT_ID,
      client_secret: google.GOOGLE_CLIENT_SECRET,
    }),
  });
  assert.equal(token.status, 400);
  assert.equal((await token.json()).error, "invalid_grant");
  const api = await fetch(`${google.GOOGLE_API_BASE_URL}/calendar/v3/users/me/calendarList`);
  assert.equal(api.status, 401);
  assert.equal((await api.json()).error.errors[0].reason, "authError");
});

/** One HTTP/1.1 request over TCP with the Host header given (fetch will not send another). */
async function rawGet(path: string, host: string): Promise<number> {
  const port = Number(new URL(SUPABASE_URL).port);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(
    new TextEncoder().encode(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
  );
  // The server closes the connection after answering, which ends the stream.
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of conn.readable) text += decoder.decode(chunk, { stream: true });
  return Number(text.match(/^HTTP\/1\.1 (\d{3})/)![1]);
}

Deno.test("the console and control API answer this machine's host names only", async () => {
  const page = await fetch(`${SUPABASE_URL}/_local/google`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Google sandbox[\s\S]*calendar@northside\.test/);
  const port = new URL(SUPABASE_URL).port;
  for (const path of ["/_local/google", "/_local/google/control/accounts"]) {
    assert.equal(await rawGet(path, `localhost:${port}`), 200, path);
    assert.equal(await rawGet(path, `evil.example:${port}`), 403, path);
  }
});

Deno.test("a connection over HTTP: consent form, code, tokens, insert, list, freeBusy, watch notifications", async () => {
  const google = await functionsEnv();
  const account = `it-${runTag()}@sandbox.test`;
  assert.equal((await control("/accounts", "POST", { email: account })).status, 200);

  // The consent page: GET it, then POST its form as the browser would.
  const params = {
    client_id: google.GOOGLE_CLIENT_ID,
    redirect_uri: `${SUPABASE_URL}/functions/v1/google-oauth/callback`,
    response_type: "code",
    scope: SCOPES.join(" "),
    access_type: "offline",
    prompt: "consent",
    state: "s-1",
    login_hint: account,
  };
  const authUrl = `${google.GOOGLE_OAUTH_BASE_URL}/o/oauth2/v2/auth?${new URLSearchParams(params)}`;
  const page = await (await fetch(authUrl)).text();
  assert.ok(page.includes(`value="${account}" checked`), "login_hint is preselected");
  const form = new URLSearchParams({ ...params, account, action: "allow" });
  for (const scope of SCOPES) form.append("scope_granted", scope);
  const allowed = await fetch(authUrl, { method: "POST", body: form, redirect: "manual" });
  assert.equal(allowed.status, 302);
  const callback = new URL(allowed.headers.get("location")!);
  assert.equal(`${callback.origin}${callback.pathname}`, params.redirect_uri);
  assert.equal(callback.searchParams.get("state"), "s-1");

  const tokens = await (await fetch(`${google.GOOGLE_TOKEN_BASE_URL}/token`, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: callback.searchParams.get("code")!,
      redirect_uri: params.redirect_uri,
      client_id: google.GOOGLE_CLIENT_ID,
      client_secret: google.GOOGLE_CLIENT_SECRET,
    }),
  })).json();
  assert.equal(tokens.token_type, "Bearer");
  assert.ok(tokens.refresh_token);

  // A watch channel whose notifications reach a real address.
  const received: Record<string, string>[] = [];
  const hook = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    await req.body?.cancel();
    received.push(Object.fromEntries(req.headers));
    return new Response(null, { status: 200 });
  });
  try {
    const calendarApi = `${google.GOOGLE_API_BASE_URL}/calendar/v3/calendars/${
      encodeURIComponent(account)
    }`;
    const call = (path: string, init: RequestInit = {}) =>
      fetch(`${calendarApi}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${tokens.access_token}`,
          "content-type": "application/json",
        },
      });
    const watched = await call("/events/watch", {
      method: "POST",
      body: JSON.stringify({
        id: `it-${runTag()}`,
        type: "web_hook",
        address: `http://127.0.0.1:${hook.addr.port}/hook`,
        token: "channel-secret",
      }),
    });
    assert.equal(watched.status, 200);

    const eventId = `it${runTag().replace(/[^a-v0-9]/g, "0")}`;
    const inserted = await call("/events", {
      method: "POST",
      body: JSON.stringify({
        id: eventId,
        summary: "Check-up — Ada",
        start: { dateTime: "2026-12-10T10:00:00", timeZone: "Europe/London" },
        end: { dateTime: "2026-12-10T10:30:00", timeZone: "Europe/London" },
      }),
    });
    assert.equal(inserted.status, 200);
    const listed = await (await call(
      `/events?singleEvents=true&orderBy=startTime&timeMin=2026-12-10T00:00:00Z&timeMax=2026-12-11T00:00:00Z`,
    )).json();
    assert.deepEqual(listed.items.map((e: { id: string }) => e.id), [eventId]);
    assert.deepEqual(listed.items[0].start, {
      dateTime: "2026-12-10T10:00:00Z",
      timeZone: "Europe/London",
    });

    const busy = await (await fetch(`${google.GOOGLE_API_BASE_URL}/calendar/v3/freeBusy`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${tokens.access_token}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        timeMin: "2026-12-10T00:00:00Z",
        timeMax: "2026-12-11T00:00:00Z",
        items: [{ id: account }],
      }),
    })).json();
    assert.deepEqual(busy.calendars[account].busy, [
      { start: "2026-12-10T10:00:00Z", end: "2026-12-10T10:30:00Z" },
    ]);

    for (let i = 0; i < 50 && received.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(
      received.map((
        h,
      ) => [h["x-goog-resource-state"], h["x-goog-message-number"], h["x-goog-channel-token"]]),
      [["sync", "1", "channel-secret"], ["exists", "2", "channel-secret"]],
    );

    // The request log names this account's requests, never a token.
    const log = await (await control("/requests")).json();
    const mine = log.filter((r: { account: string }) => r.account === account);
    assert.deepEqual(
      mine.map((r: { endpoint: string; status: number }) => `${r.endpoint} ${r.status}`),
      ["token 200", "events.watch 200", "events.insert 200", "events.list 200", "freeBusy 200"],
    );
    const logText = JSON.stringify(log);
    assert.ok(!logText.includes(tokens.access_token) && !logText.includes(tokens.refresh_token));
  } finally {
    await hook.shutdown();
  }
});
