// Connecting Google Calendar on the real stack and the Google sandbox: the google-oauth function's
// start → consent page → callback, every way a callback is refused (nothing stored), the token
// refresh (one at a time per clinic), invalid_grant → needs_reauth, disconnect (revoked at
// Google, tokens dropped), and no Google token in any answer, log file or audit row.
// Each test uses a fresh clinic and a fresh sandbox account.
import assert from "node:assert/strict";
import postgres from "postgres";
import { accessToken } from "../../functions/_shared/google/tokens.ts";
import { googleCalendar } from "../../functions/_shared/google/client.ts";
import { GoogleApiError, GoogleNeedsReauth } from "../../functions/_shared/google/errors.ts";
import { GOOGLE_SCOPES } from "../../functions/_shared/google/config.ts";
import { ANON_KEY, env, runTag, SUPABASE_URL, type TestUser, TestUsers } from "./_helpers.ts";
import { allowConsent, clinicWithAccount, sandboxControl } from "./_google_sandbox.ts";
import { adoptGoogleSettings } from "./_google_settings.ts";

const tag = runTag();
const users = new TestUsers();
const sql = postgres(env("SUPABASE_DB_URL"), { max: 4, prepare: false, onnotice: () => {} });
const LOG_DIR = env("LOG_DIR");
let owner: TestUser | undefined;
let clinics = 0;

// This process refreshes tokens as service code does.
await adoptGoogleSettings(LOG_DIR);

const control = <T>(method: string, path: string, body?: unknown) =>
  sandboxControl<T>(SUPABASE_URL, method, path, body);

interface LoggedRequest {
  seq: number;
  endpoint: string;
  status: number;
  account: string | null;
}

async function requestsSince(seq: number): Promise<LoggedRequest[]> {
  return await control<LoggedRequest[]>("GET", `/requests?since=${seq}`);
}

async function lastSeq(): Promise<number> {
  return (await requestsSince(0)).at(-1)?.seq ?? 0;
}

function call(route: string, user: TestUser | null, body: unknown) {
  return fetch(`${SUPABASE_URL}/functions/v1/google-oauth/${route}`, {
    method: "POST",
    headers: {
      ...(user ? { authorization: `Bearer ${user.accessToken}` } : {}),
      apikey: ANON_KEY,
      "content-type": "application/json",
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function start(user: TestUser, organisationId: string): Promise<URL> {
  const response = await call("start", user, { organisation_id: organisationId });
  const answer = await response.json();
  assert.equal(response.status, 200, JSON.stringify(answer));
  return new URL(answer.url);
}

/** Where the callback sends the browser: the dashboard's Calendar section with the outcome. */
async function callback(address: string): Promise<URLSearchParams> {
  const response = await fetch(address, { redirect: "manual" });
  await response.body?.cancel();
  assert.equal(response.status, 303, `${address} answered ${response.status}`);
  const location = response.headers.get("location")!;
  assert.ok(location.startsWith(`${env("APP_URL").replace(/\/+$/, "")}/#/channels/calendar?`));
  return new URLSearchParams(location.split("?")[1]);
}

/** The consent page's form answered as `account` with some scopes ticked and Allow or Deny. */
async function answerConsent(
  url: URL,
  account: string,
  action: "allow" | "deny",
  scopes: readonly string[],
): Promise<string> {
  const form = new URLSearchParams(url.searchParams);
  form.set("account", account);
  form.set("action", action);
  for (const scope of scopes) form.append("scope_granted", scope);
  const answer = await fetch(url, { method: "POST", body: form, redirect: "manual" });
  await answer.body?.cancel();
  return answer.headers.get("location")!;
}

interface Clinic {
  id: string;
  account: string;
  secondCalendar: string;
}

/** A fresh clinic owned by the test's owner and a fresh Google account with two calendars. */
async function makeClinic(): Promise<Clinic> {
  owner ??= await users.signUp(`oauth-${tag}-owner@example.com`);
  const n = ++clinics;
  const secondCalendar = `room-${tag}-${n}@group.calendar.google.com`;
  const { id, account } = await clinicWithAccount(
    SUPABASE_URL,
    owner,
    `oauth-${tag}-${n}`,
    "Europe/London",
    [{ id: secondCalendar, summary: "Treatment room" }],
  );
  return { id, account, secondCalendar };
}

async function connect(clinic: Clinic): Promise<void> {
  const back = await callback(
    await allowConsent(String(await start(owner!, clinic.id)), clinic.account),
  );
  assert.equal(back.get("calendar"), "connected");
}

/** What the clinic has stored about Google: its connection, token metadata, calendars. */
async function stored(organisationId: string) {
  const [connection] = await sql<
    {
      id: string;
      status: string;
      account_email: string | null;
      calendar_id: string;
      scopes: string[];
      connected_by: string | null;
      connected_at: Date | null;
      last_error: string | null;
    }[]
  >`select id, status, account_email, calendar_id, scopes, connected_by, connected_at, last_error
    from public.calendar_connections where organisation_id = ${organisationId}`;
  const credentials = await sql<
    { kind: string; expires_at: Date | null; rotated_at: Date | null }[]
  >`
    select kind::text, expires_at, rotated_at from public.credentials
    where organisation_id = ${organisationId} and kind::text like 'google%' order by kind`;
  const calendars = await sql<{ calendar_id: string; is_primary: boolean; time_zone: string }[]>`
    select calendar_id, is_primary, time_zone from public.google_calendars
    where organisation_id = ${organisationId} order by is_primary desc, calendar_id`;
  // Plain arrays (postgres.js answers a Result), so they compare with deepEqual.
  return { connection, credentials: [...credentials], calendars: [...calendars] };
}

/** The clinic's Google tokens as Vault holds them (read as the database owner). */
async function tokensOf(organisationId: string): Promise<string[]> {
  const rows = await sql<{ secret: string }[]>`
    select d.decrypted_secret as secret from public.credentials c
    join vault.decrypted_secrets d on d.id = c.vault_secret_id
    where c.organisation_id = ${organisationId} and c.kind::text like 'google%'`;
  return rows.map((r) => r.secret);
}

async function assertNothingStored(clinic: Clinic) {
  const now = await stored(clinic.id);
  assert.equal(now.connection, undefined, "no connection row");
  assert.deepEqual(now.credentials, [], "no token");
  assert.deepEqual(now.calendars, [], "no calendar list");
}

Deno.test({
  name: "google-oauth",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    try {
      await t.step(
        "connect end to end: consent → tokens in Vault, calendars, account email",
        async () => {
          const clinic = await makeClinic();
          const url = await start(owner!, clinic.id);
          assert.equal(url.pathname.endsWith("/o/oauth2/v2/auth"), true);
          const asked = url.searchParams;
          assert.equal(asked.get("access_type"), "offline");
          assert.equal(asked.get("prompt"), "consent");
          assert.equal(asked.get("include_granted_scopes"), "true");
          assert.equal(asked.get("response_type"), "code");
          assert.deepEqual(asked.get("scope")!.split(" "), [...GOOGLE_SCOPES]);
          assert.equal(
            asked.get("redirect_uri"),
            `${SUPABASE_URL}/functions/v1/google-oauth/callback`,
          );
          assert.equal(asked.get("login_hint"), null, "a first connection suggests no account");
          assert.ok(asked.get("state")!.split(".").length === 3, "the state is a signed JWT");

          const back = await callback(await allowConsent(String(url), clinic.account));
          assert.equal(back.get("calendar"), "connected");
          const now = await stored(clinic.id);
          assert.equal(now.connection.status, "active");
          assert.equal(now.connection.account_email, clinic.account);
          assert.equal(
            now.connection.calendar_id,
            clinic.account,
            "the primary calendar's real id",
          );
          assert.deepEqual(now.connection.scopes, [...GOOGLE_SCOPES]);
          assert.equal(now.connection.connected_by, owner!.id);
          assert.ok(now.connection.connected_at);
          assert.equal(now.connection.last_error, null);
          assert.deepEqual(
            now.credentials.map((c) => c.kind),
            [
              "google_refresh_token",
              "google_access_token",
            ].sort(),
          );
          const access = now.credentials.find((c) => c.kind === "google_access_token")!;
          assert.ok(
            access.expires_at! > new Date(Date.now() + 30 * 60_000),
            "expires in about an hour",
          );
          assert.deepEqual(now.calendars, [
            { calendar_id: clinic.account, is_primary: true, time_zone: "Europe/London" },
            { calendar_id: clinic.secondCalendar, is_primary: false, time_zone: "Europe/London" },
          ]);
          const tokens = await tokensOf(clinic.id);
          assert.equal(tokens.length, 2);
          const [columns] = await sql<{ row: string }[]>`
          select to_jsonb(c)::text as row from public.calendar_connections c
          where organisation_id = ${clinic.id}`;
          for (const token of tokens) {
            assert.ok(!columns.row.includes(token), "no token in the row");
          }

          // Reconnecting suggests the account already connected.
          assert.equal(
            (await start(owner!, clinic.id)).searchParams.get("login_hint"),
            clinic.account,
          );
        },
      );

      await t.step("a replayed callback stores nothing more", async () => {
        const clinic = await makeClinic();
        const address = await allowConsent(String(await start(owner!, clinic.id)), clinic.account);
        assert.equal((await callback(address)).get("calendar"), "connected");
        const before = await stored(clinic.id);
        const seq = await lastSeq();
        assert.equal((await callback(address)).get("calendar"), "used");
        assert.deepEqual(await stored(clinic.id), before);
        assert.deepEqual(
          (await requestsSince(seq)).filter((r) => r.endpoint === "token"),
          [],
          "the replayed code is not even exchanged",
        );
      });

      await t.step("a forged or tampered state stores nothing", async () => {
        const clinic = await makeClinic();
        const other = await makeClinic();
        const address = new URL(
          await allowConsent(String(await start(owner!, clinic.id)), clinic.account),
        );
        const [header, payload, signature] = address.searchParams.get("state")!.split(".");
        const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
        claims.org = other.id;
        const tampered = btoa(JSON.stringify(claims)).replace(/\+/g, "-").replace(/\//g, "_")
          .replace(/=+$/, "");
        const forged = new URL(address);
        forged.searchParams.set("state", [header, tampered, signature].join("."));
        assert.equal((await callback(String(forged))).get("calendar"), "invalid");
        forged.searchParams.set("state", "not-a-state");
        assert.equal((await callback(String(forged))).get("calendar"), "invalid");
        forged.searchParams.delete("state");
        assert.equal((await callback(String(forged))).get("calendar"), "invalid");
        await assertNothingStored(clinic);
        await assertNothingStored(other);
      });

      await t.step("an expired state stores nothing", async () => {
        const clinic = await makeClinic();
        const address = await allowConsent(String(await start(owner!, clinic.id)), clinic.account);
        await sql`update private.oauth_states set expires_at = now() - interval '1 second'
          where organisation_id = ${clinic.id}`;
        assert.equal((await callback(address)).get("calendar"), "expired");
        await assertNothingStored(clinic);
      });

      await t.step("a state of an admin removed meanwhile stores nothing", async () => {
        const clinic = await makeClinic();
        const adminUser = await users.signUp(`oauth-${tag}-admin@example.com`);
        await sql`insert into public.organisation_members (organisation_id, user_id, role)
          values (${clinic.id}, ${adminUser.id}, 'admin')`;
        const address = await allowConsent(
          String(await start(adminUser, clinic.id)),
          clinic.account,
        );
        await sql`update public.organisation_members set role = 'member'
          where organisation_id = ${clinic.id} and user_id = ${adminUser.id}`;
        assert.equal((await callback(address)).get("calendar"), "not_admin");
        await assertNothingStored(clinic);
        // A member may not even start.
        const refused = await call("start", adminUser, { organisation_id: clinic.id });
        assert.equal(refused.status, 403);
        assert.match((await refused.json()).message, /Only owners and admins can connect/);
      });

      await t.step("Deny stores nothing", async () => {
        const clinic = await makeClinic();
        const url = await start(owner!, clinic.id);
        const address = await answerConsent(url, clinic.account, "deny", GOOGLE_SCOPES);
        assert.equal((await callback(address)).get("calendar"), "denied");
        await assertNothingStored(clinic);
      });

      await t.step("an unticked permission is named and nothing is stored", async () => {
        const clinic = await makeClinic();
        const url = await start(owner!, clinic.id);
        const address = await answerConsent(url, clinic.account, "allow", [GOOGLE_SCOPES[0]]);
        const back = await callback(address);
        assert.equal(back.get("calendar"), "missing_scope");
        assert.equal(back.get("missing"), GOOGLE_SCOPES[1]);
        await assertNothingStored(clinic);
      });

      await t.step("bad input to /start and /disconnect answers 4xx in words", async () => {
        const clinic = await makeClinic();
        for (
          const [route, user, body, status] of [
            ["start", null, { organisation_id: clinic.id }, 401],
            ["start", owner!, "{not json", 400],
            ["start", owner!, { organisation_id: "nope" }, 400],
            ["start", owner!, { organisation_id: clinic.id, extra: 1 }, 400],
            ["disconnect", null, { organisation_id: clinic.id }, 401],
            ["disconnect", owner!, [], 400],
          ] as const
        ) {
          const response = await call(route, user, body);
          const answer = await response.json();
          assert.equal(
            response.status,
            status,
            `${route} ${JSON.stringify(body)}: ${answer.message}`,
          );
          assert.equal(typeof answer.message, "string");
        }
        const forged = await fetch(`${SUPABASE_URL}/functions/v1/google-oauth/start`, {
          method: "POST",
          headers: { authorization: `Bearer ${owner!.accessToken}x`, apikey: ANON_KEY },
          body: JSON.stringify({ organisation_id: clinic.id }),
        });
        assert.equal(forged.status, 401, "a JWT with a broken signature is refused");
        await forged.body?.cancel();
        const wrongMethod = await fetch(`${SUPABASE_URL}/functions/v1/google-oauth/start`);
        assert.equal(wrongMethod.status, 405);
        await wrongMethod.body?.cancel();
      });

      await t.step(
        "an expired access token is refreshed once for many concurrent callers",
        async () => {
          const clinic = await makeClinic();
          await connect(clinic);
          const before = await accessToken(sql, clinic.id);
          await sql`update public.credentials set expires_at = now() - interval '1 minute'
          where organisation_id = ${clinic.id} and kind = 'google_access_token'`;
          const seq = await lastSeq();
          const answers = await Promise.all(
            Array.from({ length: 8 }, () => accessToken(sql, clinic.id)),
          );
          assert.equal(new Set(answers).size, 1, "every caller gets the same fresh token");
          assert.ok(!answers.includes(before));
          const refreshes = (await requestsSince(seq)).filter((r) => r.endpoint === "token");
          assert.equal(refreshes.length, 1, "one refresh at Google");
          const access = (await stored(clinic.id)).credentials
            .find((c) => c.kind === "google_access_token")!;
          assert.ok(access.expires_at! > new Date(Date.now() + 30 * 60_000));
          const after = await lastSeq();
          assert.equal(await accessToken(sql, clinic.id), answers[0], "a valid token is reused");
          assert.deepEqual(
            (await requestsSince(after)).filter((r) => r.endpoint === "token"),
            [],
            "without asking Google",
          );
        },
      );

      await t.step(
        "the client: a 401 refreshes once and retries; failures say what to do",
        async () => {
          const clinic = await makeClinic();
          await connect(clinic);
          const google = googleCalendar(sql, clinic.id);
          const refused = await control<{ id: string }>("POST", "/faults", {
            endpoint: "calendarList",
            status: 401,
            times: 1,
            account: clinic.account,
          });
          const seq = await lastSeq();
          try {
            const calendars = await google.calendarList();
            assert.deepEqual(
              calendars.map((c) => c.id).sort(),
              [clinic.account, clinic.secondCalendar].sort(),
            );
          } finally {
            await control("DELETE", `/faults/${refused.id}`).catch(() => {});
          }
          // The sync's own jobs may call Google meanwhile: only these endpoints count.
          assert.deepEqual(
            (await requestsSince(seq)).filter((r) => ["calendarList", "token"].includes(r.endpoint))
              .map((r) => `${r.endpoint} ${r.status}`),
            ["calendarList 401", "token 200", "calendarList 200"],
          );

          const slow = await control<{ id: string }>("POST", "/faults", {
            endpoint: "freeBusy",
            delayMs: 1_000,
            account: clinic.account,
          });
          try {
            const late = await google.freeBusy(
              [clinic.account],
              new Date(),
              new Date(Date.now() + 3_600_000),
              {
                timeoutMs: 200,
              },
            ).catch((error) => error);
            assert.ok(late instanceof GoogleApiError);
            assert.equal(late.kind, "retry");
            assert.equal(late.status, 0);
          } finally {
            await control("DELETE", `/faults/${slow.id}`);
          }
          const missing = await google.getEvent(clinic.account, "nosuchevent0").catch((error) =>
            error
          );
          assert.ok(missing instanceof GoogleApiError);
          assert.equal(missing.kind, "not_found");
        },
      );

      await t.step(
        "invalid_grant → needs_reauth with a sentence; reconnecting clears it",
        async () => {
          const clinic = await makeClinic();
          await connect(clinic);
          await control("POST", `/accounts/${encodeURIComponent(clinic.account)}/revoke`);
          await assert.rejects(
            accessToken(sql, clinic.id, { forceRefresh: true }),
            GoogleNeedsReauth,
          );
          let now = await stored(clinic.id);
          assert.equal(now.connection.status, "needs_reauth");
          assert.match(now.connection.last_error!, /Reconnect Google Calendar/);
          await assert.rejects(
            accessToken(sql, clinic.id),
            GoogleNeedsReauth,
            "no Google call while waiting",
          );

          await connect(clinic);
          now = await stored(clinic.id);
          assert.equal(now.connection.status, "active");
          assert.equal(now.connection.last_error, null);
          assert.equal(typeof await accessToken(sql, clinic.id), "string");
        },
      );

      await t.step(
        "disconnect revokes at Google and drops the tokens; members may not",
        async () => {
          const clinic = await makeClinic();
          await connect(clinic);
          const member = await users.signUp(`oauth-${tag}-member@example.com`);
          await sql`insert into public.organisation_members (organisation_id, user_id, role)
          values (${clinic.id}, ${member.id}, 'member')`;
          const refused = await call("disconnect", member, { organisation_id: clinic.id });
          assert.equal(refused.status, 403);
          await refused.body?.cancel();
          assert.equal((await stored(clinic.id)).connection.status, "active");

          const tokens = await tokensOf(clinic.id);
          const seq = await lastSeq();
          const response = await call("disconnect", owner!, { organisation_id: clinic.id });
          assert.deepEqual(await response.json(), { disconnected: true, revoked: true });
          const revokes = (await requestsSince(seq)).filter((r) => r.endpoint === "revoke");
          assert.deepEqual(revokes.map((r) => [r.status, r.account]), [[200, clinic.account]]);
          const now = await stored(clinic.id);
          assert.equal(now.connection.status, "disconnected");
          assert.deepEqual(now.credentials, []);
          const [left] = await sql<{ n: number }[]>`
          select count(*)::int as n from vault.decrypted_secrets
          where decrypted_secret = any(${tokens}::text[])`;
          assert.equal(left.n, 0, "the tokens are gone from Vault");
        },
      );

      await t.step("disconnect drops the tokens even when Google does not answer", async () => {
        const clinic = await makeClinic();
        await connect(clinic);
        const fault = await control<{ id: string }>("POST", "/faults", {
          endpoint: "revoke",
          status: 503,
          account: clinic.account,
        });
        try {
          const response = await call("disconnect", owner!, { organisation_id: clinic.id });
          assert.deepEqual(await response.json(), { disconnected: true, revoked: false });
        } finally {
          await control("DELETE", `/faults/${fault.id}`);
        }
        assert.deepEqual((await stored(clinic.id)).credentials, []);
      });

      await t.step("no Google token in any answer, log file or audit row", async () => {
        const clinic = await makeClinic();
        const startResponse = await call("start", owner!, { organisation_id: clinic.id });
        const startText = await startResponse.text();
        const address = await allowConsent(JSON.parse(startText).url, clinic.account);
        const back = await fetch(address, { redirect: "manual" });
        const backText = `${back.headers.get("location")} ${await back.text()}`;
        const tokens = await tokensOf(clinic.id);
        assert.equal(tokens.length, 2);
        // Refresh once so the refreshed token is covered too.
        await sql`update public.credentials set expires_at = now() - interval '1 minute'
          where organisation_id = ${clinic.id} and kind = 'google_access_token'`;
        tokens.push(await accessToken(sql, clinic.id));
        const disconnected =
          await (await call("disconnect", owner!, { organisation_id: clinic.id }))
            .text();
        const audit = await sql<{ row: string }[]>`
          select to_jsonb(a)::text as row from public.audit_log a where organisation_id = ${clinic.id}`;
        assert.ok(audit.length > 0);
        const logs: string[] = [];
        for await (const entry of Deno.readDir(LOG_DIR)) {
          if (entry.isFile) logs.push(await Deno.readTextFile(`${LOG_DIR}/${entry.name}`));
        }
        for (const token of tokens) {
          for (
            const [where, text] of [
              ["the /start answer", startText],
              ["the callback's answer", backText],
              ["the /disconnect answer", disconnected],
              ["the audit log", audit.map((a) => a.row).join("\n")],
              ["the log files", logs.join("\n")],
            ]
          ) {
            assert.ok(!text.includes(token), `a Google token in ${where}`);
          }
        }
      });
    } finally {
      await users.deleteAll();
      await sql.end();
    }
  },
});
