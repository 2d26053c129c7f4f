// A Google sandbox in memory for unit tests: a clock tests move, push notifications captured,
// and the OAuth dance in one call.
import assert from "node:assert/strict";
import { createGoogleSandbox } from "./mod.ts";
import { SCOPE } from "./store.ts";

export const CLIENT = {
  id: "1234-test.apps.googleusercontent.com",
  secret: "GOCSPX-test-secret",
  redirectUris: ["http://127.0.0.1:54321/functions/v1/google-oauth/callback"],
};
export const REDIRECT = CLIENT.redirectUris[0];
export const BOTH_SCOPES = [SCOPE.events, SCOPE.readonly];
const BASE = "http://127.0.0.1:54321/_local/google";

export interface Notification {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export async function testSandbox(
  opts: { dataFile?: string | null; now?: number; failPush?: boolean } = {},
) {
  let now = opts.now ?? Date.parse("2026-12-02T10:00:00Z");
  const notifications: Notification[] = [];
  const warnings: string[] = [];
  const sandbox = await createGoogleSandbox({
    dataFile: opts.dataFile ?? null,
    baseUrl: BASE,
    client: CLIENT,
    now: () => now,
    fetch: async (url, init) => {
      const headers = Object.fromEntries(new Headers(init?.headers).entries());
      notifications.push({ url: String(url), headers, body: String(init?.body ?? "") });
      return await Promise.resolve(new Response(null, { status: opts.failPush ? 500 : 200 }));
    },
    warn: (line) => warnings.push(line),
  });

  /** A request to the sandbox; `path` is below /_local/google. */
  const call = (path: string, init: RequestInit = {}) =>
    sandbox.handle(new Request(`${BASE}${path}`, init), path.replace(/\?.*$/, ""));

  const form = (fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) {
      for (const value of [v].flat()) body.append(k, value);
    }
    return {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    };
  };

  const authParams = (extra: Record<string, string> = {}) => ({
    client_id: CLIENT.id,
    redirect_uri: REDIRECT,
    response_type: "code",
    scope: BOTH_SCOPES.join(" "),
    access_type: "offline",
    state: "state-123",
    ...extra,
  });

  /** Completes the consent form; answers the 302's query parameters. */
  async function consent(
    opts: { account?: string; grant?: string[]; params?: Record<string, string>; action?: string } =
      {},
  ): Promise<URLSearchParams> {
    const res = await call(
      "/accounts/o/oauth2/v2/auth",
      form({
        ...authParams(opts.params),
        account: opts.account ?? "calendar@northside.test",
        scope_granted: opts.grant ?? BOTH_SCOPES,
        action: opts.action ?? "allow",
      }),
    );
    assert.equal(res.status, 302, await res.clone().text());
    const location = new URL(res.headers.get("location")!);
    assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
    return location.searchParams;
  }

  const tokenRequest = (fields: Record<string, string>) =>
    call("/oauth2/token", form({ client_id: CLIENT.id, client_secret: CLIENT.secret, ...fields }));

  /** Consent + code exchange: the token response. */
  async function connect(
    opts: { account?: string; grant?: string[]; params?: Record<string, string> } = {},
  ): Promise<{ access_token: string; refresh_token?: string; scope: string; expires_in: number }> {
    const code = (await consent(opts)).get("code")!;
    const res = await tokenRequest({
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT,
    });
    assert.equal(res.status, 200);
    return await res.json();
  }

  /** A Calendar API request with a Bearer token; `path` is below /calendar/v3. */
  const api = (path: string, token: string | null, init: RequestInit & { json?: unknown } = {}) =>
    call(`/www/calendar/v3${path}`, {
      ...init,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(init.json !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    });

  const controlJson = (path: string, method = "GET", body?: unknown) =>
    call(`/control${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  return {
    sandbox,
    call,
    form,
    authParams,
    consent,
    connect,
    tokenRequest,
    api,
    controlJson,
    notifications,
    warnings,
    tick: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}
