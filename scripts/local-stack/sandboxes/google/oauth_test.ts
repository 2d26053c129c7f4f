import assert from "node:assert/strict";
import { DEMO_REFRESH_TOKEN, SCOPE } from "./store.ts";
import { BOTH_SCOPES, CLIENT, REDIRECT, testSandbox } from "./test_helpers.ts";

const authUrl = (params: Record<string, string>) =>
  `/accounts/o/oauth2/v2/auth?${new URLSearchParams(params)}`;

Deno.test("consent page: demo accounts and login_hint to pick, requested scopes ticked, Allow and Deny", async () => {
  const s = await testSandbox();
  const res = await s.call(authUrl(s.authParams({ login_hint: "new.owner@gmail.test" })));
  assert.equal(res.status, 200);
  const page = await res.text();
  for (const email of ["calendar@northside.test", "frontdesk.demo@gmail.test"]) {
    assert.match(page, new RegExp(`name="account" value="${email.replace(".", "\\.")}"`));
  }
  assert.match(page, /name="account" value="new\.owner@gmail\.test" checked/);
  for (const scope of BOTH_SCOPES) {
    assert.ok(page.includes(`name="scope_granted" value="${scope}" checked`), scope);
  }
  assert.match(page, /name="action" value="allow"/);
  assert.match(page, /name="action" value="deny"/);
  assert.match(page, /name="state" value="state-123"/);
});

Deno.test("consent page: a bad request is an error page, never a redirect", async () => {
  const s = await testSandbox();
  const cases: [Record<string, string>, number, string][] = [
    [{ client_id: "someone-else.apps.googleusercontent.com" }, 401, "invalid_client"],
    [{ redirect_uri: `${REDIRECT}/` }, 400, "redirect_uri_mismatch"],
    [{ redirect_uri: "https://evil.example/callback" }, 400, "redirect_uri_mismatch"],
    [{ response_type: "token" }, 400, "unsupported_response_type"],
    [{ scope: "" }, 400, "invalid_request"],
    [{ scope: "https://www.googleapis.com/auth/drive.nope" }, 400, "invalid_scope"],
    [{ access_type: "forever" }, 400, "invalid_request"],
  ];
  for (const [change, status, error] of cases) {
    for (const method of ["GET", "POST"]) {
      const params = {
        ...s.authParams(change),
        account: "calendar@northside.test",
        action: "allow",
      };
      const res = method === "GET"
        ? await s.call(authUrl(params))
        : await s.call("/accounts/o/oauth2/v2/auth", s.form(params));
      assert.equal(res.status, status, `${method} ${JSON.stringify(change)}`);
      assert.equal(res.headers.get("location"), null);
      assert.match(await res.text(), new RegExp(`Error ${status}: ${error}`));
    }
  }
});

Deno.test("consent: Allow redirects with code, granted scopes and state; unticked scopes are not granted; Deny → access_denied", async () => {
  const s = await testSandbox();
  const all = await s.consent();
  assert.match(all.get("code")!, /^4\//);
  assert.equal(all.get("scope"), BOTH_SCOPES.join(" "));
  assert.equal(all.get("state"), "state-123");

  const some = await s.consent({ grant: [SCOPE.events] });
  assert.equal(some.get("scope"), SCOPE.events);
  const token = await (await s.tokenRequest({
    grant_type: "authorization_code",
    code: some.get("code")!,
    redirect_uri: REDIRECT,
  })).json();
  assert.equal(token.scope, SCOPE.events);

  // A scope not asked for cannot be slipped into the form.
  const sneaky = await s.consent({ grant: [SCOPE.events, SCOPE.calendar] });
  assert.equal(sneaky.get("scope"), SCOPE.events);

  const denied = await s.consent({ action: "deny" });
  assert.deepEqual([...denied], [["error", "access_denied"], ["state", "state-123"]]);
});

Deno.test("token: a refresh token only with offline access on first consent or prompt=consent", async () => {
  const s = await testSandbox();
  const first = await s.connect({ account: "frontdesk.demo@gmail.test" });
  assert.match(first.refresh_token!, /^1\/\//);
  assert.match(first.access_token, /^ya29\./);
  assert.equal(first.expires_in, 3599);
  const again = await s.connect({ account: "frontdesk.demo@gmail.test" });
  assert.equal(again.refresh_token, undefined, "a second consent without prompt=consent");
  const forced = await s.connect({
    account: "frontdesk.demo@gmail.test",
    params: { prompt: "consent" },
  });
  assert.match(forced.refresh_token!, /^1\/\//);
  const online = await s.connect({ account: "new@gmail.test", params: { access_type: "online" } });
  assert.equal(online.refresh_token, undefined);
});

Deno.test("token: codes are one-time, expire after 10 minutes and need the same redirect_uri", async () => {
  const s = await testSandbox();
  const exchange = (code: string, redirect_uri = REDIRECT) =>
    s.tokenRequest({ grant_type: "authorization_code", code, redirect_uri });
  const badRequest = { error: "invalid_grant", error_description: "Bad Request" };

  const code = (await s.consent()).get("code")!;
  const mismatch = await exchange(code, "http://127.0.0.1:54321/other");
  assert.equal(mismatch.status, 400);
  assert.equal((await mismatch.json()).error, "redirect_uri_mismatch");
  assert.equal((await exchange(code)).status, 200);
  const reused = await exchange(code);
  assert.equal(reused.status, 400);
  assert.deepEqual(await reused.json(), badRequest);

  const late = (await s.consent()).get("code")!;
  s.tick(10 * 60 * 1000 + 1);
  const expired = await exchange(late);
  assert.equal(expired.status, 400);
  assert.deepEqual(await expired.json(), badRequest);

  assert.deepEqual(await (await exchange("4/0made-up")).json(), badRequest);
});

Deno.test("token: client credentials are checked (form or Basic); form-encoded only", async () => {
  const s = await testSandbox();
  const refresh = { grant_type: "refresh_token", refresh_token: DEMO_REFRESH_TOKEN };
  const unknown = await s.tokenRequest({
    ...refresh,
    client_id: "nobody.apps.googleusercontent.com",
  });
  assert.equal(unknown.status, 401);
  assert.deepEqual(await unknown.json(), {
    error: "invalid_client",
    error_description: "The OAuth client was not found.",
  });
  const wrongSecret = await s.tokenRequest({ ...refresh, client_secret: "nope" });
  assert.equal(wrongSecret.status, 401);
  assert.deepEqual(await wrongSecret.json(), {
    error: "invalid_client",
    error_description: "Unauthorized",
  });

  const basic = await s.call("/oauth2/token", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${btoa(`${CLIENT.id}:${CLIENT.secret}`)}`,
    },
    body: new URLSearchParams(refresh).toString(),
  });
  assert.equal(basic.status, 200);

  const asJson = await s.call("/oauth2/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...refresh, client_id: CLIENT.id, client_secret: CLIENT.secret }),
  });
  assert.equal(asJson.status, 400);
  const noGrantType = await s.tokenRequest({ code: "x" });
  assert.equal((await noGrantType.json()).error, "unsupported_grant_type");
  const noCode = await s.tokenRequest({ grant_type: "authorization_code", redirect_uri: REDIRECT });
  assert.deepEqual(await noCode.json(), {
    error: "invalid_request",
    error_description: "Missing required parameter: code",
  });
});

Deno.test("token: refresh_token grant gives a fresh access token without a new refresh token; access tokens expire", async () => {
  const s = await testSandbox();
  const res = await s.tokenRequest({
    grant_type: "refresh_token",
    refresh_token: DEMO_REFRESH_TOKEN,
  });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.deepEqual(Object.keys(body).sort(), ["access_token", "expires_in", "scope", "token_type"]);
  assert.equal(body.token_type, "Bearer");
  assert.deepEqual(body.scope.split(" ").sort(), [...BOTH_SCOPES].sort());
  assert.equal((await s.api("/users/me/calendarList", body.access_token)).status, 200);
  s.tick(3599 * 1000);
  assert.equal((await s.api("/users/me/calendarList", body.access_token)).status, 401);

  const unknown = await s.tokenRequest({ grant_type: "refresh_token", refresh_token: "1//nope" });
  assert.deepEqual(await unknown.json(), {
    error: "invalid_grant",
    error_description: "Bad Request",
  });
});

Deno.test("revoke: a refresh token (query or form) takes its access tokens with it; then invalid_grant", async () => {
  for (const how of ["query", "form"]) {
    const s = await testSandbox();
    const { access_token, refresh_token } = await s.connect({
      account: "frontdesk.demo@gmail.test",
    });
    const res = how === "query"
      ? await s.call(`/oauth2/revoke?token=${encodeURIComponent(refresh_token!)}`, {
        method: "POST",
      })
      : await s.call("/oauth2/revoke", s.form({ token: refresh_token! }));
    assert.equal(res.status, 200, how);
    assert.equal((await s.api("/users/me/calendarList", access_token)).status, 401);
    const refreshed = await s.tokenRequest({
      grant_type: "refresh_token",
      refresh_token: refresh_token!,
    });
    assert.equal(refreshed.status, 400);
    assert.deepEqual(await refreshed.json(), {
      error: "invalid_grant",
      error_description: "Token has been expired or revoked.",
    });
    const byGet = await s.call(`/oauth2/revoke?token=${encodeURIComponent(refresh_token!)}`);
    assert.equal(byGet.status, 405);
    const again = await s.call("/oauth2/revoke", s.form({ token: refresh_token! }));
    assert.equal(again.status, 400);
    assert.equal((await again.json()).error, "invalid_token");
  }
});

Deno.test("revoke: an access token revokes its grant's refresh token too; a new consent is a first one", async () => {
  const s = await testSandbox();
  const { access_token, refresh_token } = await s.connect({ account: "frontdesk.demo@gmail.test" });
  assert.equal((await s.call("/oauth2/revoke", s.form({ token: access_token }))).status, 200);
  const refreshed = await s.tokenRequest({
    grant_type: "refresh_token",
    refresh_token: refresh_token!,
  });
  assert.equal((await refreshed.json()).error, "invalid_grant");
  const reconnected = await s.connect({ account: "frontdesk.demo@gmail.test" });
  assert.match(reconnected.refresh_token!, /^1\/\//, "consent after revoking is a first consent");
});
