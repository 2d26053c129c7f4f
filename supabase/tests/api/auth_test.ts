// Integration test of Supabase Auth through the API gateway, driven by the
// unmodified supabase-js client. Runs against the local stack (whose Auth is the
// GoTrue stand-in in scripts/local-stack/auth/) and is meant to pass unchanged
// against real Supabase Auth configured by supabase/config.toml (confirmations on);
// mails are read from the local outbox.
//
// Needs only SUPABASE_URL, SUPABASE_ANON_KEY and SUPABASE_SERVICE_ROLE_KEY.
// Every run uses fresh random e-mail addresses and deletes the users it created.

import assert from "node:assert/strict";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { decodeJwt } from "jose";
import { adoptSession, followLink, waitForMail } from "./_helpers.ts";

function env(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

const SUPABASE_URL = env("SUPABASE_URL").replace(/\/+$/, "");
const ANON_KEY = env("SUPABASE_ANON_KEY");
const SERVICE_ROLE_KEY = env("SUPABASE_SERVICE_ROLE_KEY");
const AUTH_URL = `${SUPABASE_URL}/auth/v1`;

const clientOptions = {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
};
const anonClient = () => createClient(SUPABASE_URL, ANON_KEY, clientOptions);
const adminClient = createClient(SUPABASE_URL, SERVICE_ROLE_KEY, clientOptions);

const runId = crypto.randomUUID().slice(0, 8);
let counter = 0;
const uniqueEmail = (label: string) =>
  `auth-test-${runId}-${label}-${++counter}-${crypto.randomUUID().slice(0, 6)}@example.com`;
const PASSWORD = "correct-horse-1";

const createdUserIds = new Set<string>();

/** Signs up and follows the mailed confirmation link, which signs `client` in. */
async function signUp(client: SupabaseClient, label: string, data: Record<string, unknown> = {}) {
  const email = uniqueEmail(label);
  const res = await client.auth.signUp({ email, password: PASSWORD, options: { data } });
  assert.equal(res.error, null, `signUp failed: ${res.error?.message}`);
  assert.ok(res.data.user, "signUp returns the user");
  assert.equal(res.data.session, null, "confirmations on: no session before the link");
  createdUserIds.add(res.data.user.id);
  const mail = await waitForMail(email, /confirm your signup/i);
  const session = await adoptSession(client, await followLink(mail.link));
  return { email, user: session.user, session };
}

async function rawFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has("apikey")) headers.set("apikey", ANON_KEY);
  return await fetch(`${AUTH_URL}${path}`, { ...init, headers });
}

Deno.test("auth: health, settings and JWKS", async () => {
  const health = await rawFetch("/health");
  assert.equal(health.status, 200);
  const h = await health.json();
  assert.equal(h.name, "GoTrue");
  assert.equal(typeof h.version, "string");
  assert.equal(typeof h.description, "string");

  const settings = await rawFetch("/settings");
  assert.equal(settings.status, 200);
  const s = await settings.json();
  assert.equal(s.disable_signup, false);
  assert.equal(s.mailer_autoconfirm, false, "confirmations are on (config.toml)");
  assert.equal(s.external.email, true);

  const jwks = await rawFetch("/.well-known/jwks.json");
  assert.equal(jwks.status, 200);
  const j = await jwks.json();
  assert.ok(Array.isArray(j.keys));
  for (const k of j.keys) assert.notEqual(k.kty, "oct", "symmetric keys are never published");
});

Deno.test("auth: the confirmation link gives a session, a GoTrue-shaped user and GoTrue claims", async () => {
  const client = anonClient();
  const { email, user, session } = await signUp(client, "signup", { full_name: "Ada Lovelace" });

  assert.ok(session, "following the confirmation link signs in");
  assert.equal(session.token_type, "bearer");
  assert.ok(session.expires_in > 0);
  assert.ok(session.expires_at! > Date.now() / 1000);
  assert.ok(session.refresh_token.length >= 12);

  assert.equal(user.email, email);
  assert.equal(user.aud, "authenticated");
  assert.equal(user.role, "authenticated");
  assert.equal(user.phone, "");
  assert.equal(user.is_anonymous, false);
  assert.ok(user.email_confirmed_at);
  assert.ok(user.confirmed_at);
  assert.ok(user.last_sign_in_at);
  assert.deepEqual(user.app_metadata, { provider: "email", providers: ["email"] });
  assert.equal(user.user_metadata.full_name, "Ada Lovelace");
  assert.equal(user.user_metadata.email, email);
  assert.equal(user.user_metadata.email_verified, true);
  assert.equal(user.user_metadata.sub, user.id);
  assert.equal(user.identities?.length, 1);
  const identity = user.identities![0];
  assert.equal(identity.provider, "email");
  assert.equal(identity.id, user.id);
  assert.equal(identity.user_id, user.id);
  assert.equal(identity.identity_data?.email, email);
  assert.ok(identity.identity_id);

  const claims = decodeJwt(session.access_token);
  assert.equal(claims.sub, user.id);
  assert.equal(claims.aud, "authenticated");
  assert.equal(claims.role, "authenticated");
  assert.equal(claims.email, email);
  assert.equal(claims.phone, "");
  assert.equal(claims.aal, "aal1");
  assert.equal(claims.is_anonymous, false);
  assert.ok(String(claims.iss).endsWith("/auth/v1"));
  assert.equal(typeof claims.session_id, "string");
  // expires_in counts from now (supabase-js computes it when the link's session is adopted), so
  // a second may have passed since the token was issued.
  assert.equal(claims.exp, session.expires_at);
  const elapsed = claims.exp! - claims.iat! - session.expires_in;
  assert.ok(elapsed >= 0 && elapsed <= 2, `token lifetime vs expires_in differ by ${elapsed} s`);
  assert.deepEqual(claims.app_metadata, { provider: "email", providers: ["email"] });
  assert.equal((claims.user_metadata as Record<string, unknown>).full_name, "Ada Lovelace");
  const amr = claims.amr as { method: string; timestamp: number }[];
  assert.equal(amr[0].method, "otp", "signed in by the mailed link");
  assert.equal(typeof amr[0].timestamp, "number");
});

Deno.test("auth: sign-up errors carry GoTrue codes", async () => {
  const client = anonClient();
  const weak = await client.auth.signUp({ email: uniqueEmail("weak"), password: "12345" });
  assert.equal(weak.error?.code, "weak_password");
  assert.equal(weak.error?.status, 422);
  assert.equal(weak.error?.name, "AuthWeakPasswordError");
  assert.deepEqual((weak.error as unknown as { reasons: string[] }).reasons, ["length"]);

  const invalid = await client.auth.signUp({ email: "not-an-email", password: PASSWORD });
  assert.equal(invalid.error?.code, "validation_failed");
  assert.equal(invalid.error?.status, 400);
});

Deno.test("auth: error bodies follow the requested API version", async () => {
  const body = JSON.stringify({ email: uniqueEmail("nobody"), password: "wrong-password" });
  const v2024 = await rawFetch("/token?grant_type=password", {
    method: "POST",
    body,
    headers: { "Content-Type": "application/json", "X-Supabase-Api-Version": "2024-01-01" },
  });
  assert.equal(v2024.status, 400);
  assert.equal(v2024.headers.get("X-Supabase-Api-Version"), "2024-01-01");
  assert.deepEqual(await v2024.json(), {
    code: "invalid_credentials",
    message: "Invalid login credentials",
  });

  const legacy = await rawFetch("/token?grant_type=password", {
    method: "POST",
    body,
    headers: { "Content-Type": "application/json" },
  });
  assert.equal(legacy.status, 400);
  assert.deepEqual(await legacy.json(), {
    code: 400,
    error_code: "invalid_credentials",
    msg: "Invalid login credentials",
  });

  const unknown = await rawFetch("/definitely-not-an-endpoint");
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
});

Deno.test("auth: password sign-in", async () => {
  const client = anonClient();
  const { email, user } = await signUp(client, "signin");

  const ok = await client.auth.signInWithPassword({
    email: email.toUpperCase(),
    password: PASSWORD,
  });
  assert.equal(ok.error, null);
  assert.equal(ok.data.user?.id, user.id);
  assert.ok(ok.data.session?.access_token);
  assert.notEqual(
    decodeJwt(ok.data.session!.access_token).session_id,
    undefined,
    "every sign-in creates a session",
  );

  const wrong = await client.auth.signInWithPassword({ email, password: "not-the-password" });
  assert.equal(wrong.error?.code, "invalid_credentials");
  assert.equal(wrong.error?.status, 400);
  assert.equal(wrong.error?.message, "Invalid login credentials");

  const nobody = await client.auth.signInWithPassword({
    email: uniqueEmail("nobody"),
    password: PASSWORD,
  });
  assert.equal(nobody.error?.code, "invalid_credentials");
  assert.equal(nobody.error?.status, 400);
});

Deno.test("auth: refresh token rotation and reuse detection", async () => {
  const client = anonClient();
  const { session } = await signUp(client, "refresh");
  const rt0 = session.refresh_token;

  const r1 = await client.auth.refreshSession({ refresh_token: rt0 });
  assert.equal(r1.error, null);
  const rt1 = r1.data.session!.refresh_token;
  assert.notEqual(rt1, rt0, "refreshing rotates the refresh token");
  assert.equal(
    decodeJwt(r1.data.session!.access_token).session_id,
    decodeJwt(session.access_token).session_id,
    "a refresh stays in the same session",
  );

  // Any reuse of a rotated token is rejected (refresh_token_reuse_interval = 0) and
  // revokes the session's whole token family, including the newest token.
  const reuse = await client.auth.refreshSession({ refresh_token: rt0 });
  assert.equal(reuse.error?.code, "refresh_token_already_used");
  assert.equal(reuse.error?.status, 400);
  assert.equal(reuse.error?.message, "Invalid Refresh Token: Already Used");

  const newest = await client.auth.refreshSession({ refresh_token: rt1 });
  assert.equal(newest.error?.code, "refresh_token_already_used");

  const unknown = await client.auth.refreshSession({ refresh_token: "abcdefghijkl" });
  assert.equal(unknown.error?.code, "refresh_token_not_found");
  assert.equal(unknown.error?.status, 400);
});

Deno.test("auth: get and update the current user", async () => {
  const client = anonClient();
  const { email, user } = await signUp(client, "update", { full_name: "Grace Hopper" });

  const me = await client.auth.getUser();
  assert.equal(me.error, null);
  assert.equal(me.data.user?.id, user.id);

  const updated = await client.auth.updateUser({ data: { plan: "pro", full_name: null } });
  assert.equal(updated.error, null);
  assert.equal(updated.data.user?.user_metadata.plan, "pro");
  assert.equal("full_name" in updated.data.user!.user_metadata, false, "null removes a key");
  assert.equal(updated.data.user?.user_metadata.email, email, "other keys are kept");

  const same = await client.auth.updateUser({ password: PASSWORD });
  assert.equal(same.error?.code, "same_password");
  assert.equal(same.error?.status, 422);

  const weak = await client.auth.updateUser({ password: "abc" });
  assert.equal(weak.error?.code, "weak_password");

  const newPassword = "another-password-2";
  const pw = await client.auth.updateUser({ password: newPassword });
  assert.equal(pw.error, null);

  const other = anonClient();
  const oldPw = await other.auth.signInWithPassword({ email, password: PASSWORD });
  assert.equal(oldPw.error?.code, "invalid_credentials");
  const newPw = await other.auth.signInWithPassword({ email, password: newPassword });
  assert.equal(newPw.error, null);

  const token = (await client.auth.getSession()).data.session!.access_token;
  const tampered = token.slice(0, -4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
  const bad = await anonClient().auth.getUser(tampered);
  assert.equal(bad.error?.code, "bad_jwt");
  assert.equal(bad.error?.status, 403);
});

Deno.test("auth: sign-out ends the session", async () => {
  const client = anonClient();
  const { session } = await signUp(client, "signout");

  const second = anonClient();
  const other = await second.auth.signInWithPassword({
    email: session.user.email!,
    password: PASSWORD,
  });
  assert.equal(other.error, null);

  // scope "local": only this session ends
  const local = anonClient();
  const l = await local.auth.signInWithPassword({ email: session.user.email!, password: PASSWORD });
  assert.equal(l.error, null);
  assert.equal((await local.auth.signOut({ scope: "local" })).error, null);
  const gone = await anonClient().auth.getUser(l.data.session!.access_token);
  assert.equal(gone.error?.name, "AuthSessionMissingError", "session_not_found");
  const stillThere = await anonClient().auth.getUser(other.data.session!.access_token);
  assert.equal(stillThere.error, null);

  // default scope "global": every session of the user ends
  assert.equal((await client.auth.signOut()).error, null);
  const afterGlobal = await anonClient().auth.getUser(other.data.session!.access_token);
  assert.equal(afterGlobal.error?.name, "AuthSessionMissingError");
  const refresh = await anonClient().auth.refreshSession({
    refresh_token: other.data.session!.refresh_token,
  });
  assert.ok(refresh.error, "refresh tokens of ended sessions are rejected");

  const raw = await rawFetch("/user", {
    headers: {
      Authorization: `Bearer ${other.data.session!.access_token}`,
      "X-Supabase-Api-Version": "2024-01-01",
    },
  });
  assert.equal(raw.status, 403);
  assert.equal((await raw.json()).code, "session_not_found");
});

Deno.test("auth: password recovery", async () => {
  const client = anonClient();
  const { email, user } = await signUp(client, "recover");

  // No user enumeration: known and unknown addresses answer alike.
  assert.equal((await client.auth.resetPasswordForEmail(email)).error, null);
  assert.equal((await client.auth.resetPasswordForEmail(uniqueEmail("unknown"))).error, null);

  // The link a recovery mail carries, obtained the admin way (no mailbox needed).
  const link1 = await adminClient.auth.admin.generateLink({ type: "recovery", email });
  assert.equal(link1.error, null);
  const props1 = link1.data.properties!;
  assert.equal(props1.verification_type, "recovery");
  assert.match(props1.email_otp, /^\d{6}$/);
  assert.equal(link1.data.user?.id, user.id);

  // Opening the link (a browser: no apikey) redirects with an implicit-flow session.
  const opened = await fetch(props1.action_link, { redirect: "manual" });
  await opened.body?.cancel();
  assert.equal(opened.status, 303);
  const location = opened.headers.get("location")!;
  const fragment = new URLSearchParams(location.split("#")[1]);
  assert.equal(fragment.get("type"), "recovery");
  assert.equal(fragment.get("token_type"), "bearer");
  assert.ok(fragment.get("access_token"));
  assert.ok(fragment.get("refresh_token"));
  assert.ok(Number(fragment.get("expires_at")) > Date.now() / 1000);
  assert.equal(decodeJwt(fragment.get("access_token")!).sub, user.id);

  // A used link fails with otp_expired, reported in the redirect's fragment.
  const reopened = await fetch(props1.action_link, { redirect: "manual" });
  await reopened.body?.cancel();
  assert.equal(reopened.status, 303);
  const err = new URLSearchParams(reopened.headers.get("location")!.split("#")[1]);
  assert.equal(err.get("error"), "access_denied");
  assert.equal(err.get("error_code"), "otp_expired");
  assert.ok(err.get("error_description"));

  // POST /verify with the token hash
  const link2 = await adminClient.auth.admin.generateLink({ type: "recovery", email });
  assert.equal(link2.error, null);
  const byHash = await client.auth.verifyOtp({
    token_hash: link2.data.properties!.hashed_token,
    type: "recovery",
  });
  assert.equal(byHash.error, null);
  assert.equal(byHash.data.user?.id, user.id);
  const again = await client.auth.verifyOtp({
    token_hash: link2.data.properties!.hashed_token,
    type: "recovery",
  });
  assert.equal(again.error?.code, "otp_expired");
  assert.equal(again.error?.status, 403);

  // POST /verify with e-mail + code, then set a new password in the recovery session
  const link3 = await adminClient.auth.admin.generateLink({ type: "recovery", email });
  assert.equal(link3.error, null);
  const recovery = anonClient();
  const byCode = await recovery.auth.verifyOtp({
    email,
    token: link3.data.properties!.email_otp,
    type: "recovery",
  });
  assert.equal(byCode.error, null);
  const amr = decodeJwt(byCode.data.session!.access_token).amr as { method: string }[];
  assert.equal(amr[0].method, "otp");
  const reset = await recovery.auth.updateUser({ password: "recovered-password-3" });
  assert.equal(reset.error, null);
  const signIn = await anonClient().auth.signInWithPassword({
    email,
    password: "recovered-password-3",
  });
  assert.equal(signIn.error, null);

  const wrongCode = await anonClient().auth.verifyOtp({ email, token: "000000", type: "recovery" });
  assert.equal(wrongCode.error?.code, "otp_expired");
});

Deno.test("auth: admin API", async () => {
  const email = uniqueEmail("admin");
  const created = await adminClient.auth.admin.createUser({
    email,
    password: PASSWORD,
    email_confirm: true,
    user_metadata: { full_name: "Katherine Johnson" },
    app_metadata: { tenant_role: "owner" },
  });
  assert.equal(created.error, null);
  const user = created.data.user!;
  createdUserIds.add(user.id);
  assert.equal(user.email, email);
  assert.ok(user.email_confirmed_at);
  assert.equal(user.role, "authenticated");
  assert.equal(user.user_metadata.full_name, "Katherine Johnson");
  assert.equal(user.app_metadata.provider, "email");
  assert.equal(user.app_metadata.tenant_role, "owner");

  const dup = await adminClient.auth.admin.createUser({ email, password: PASSWORD });
  assert.equal(dup.error?.code, "email_exists");
  assert.equal(dup.error?.status, 422);

  const signIn = await anonClient().auth.signInWithPassword({ email, password: PASSWORD });
  assert.equal(signIn.error, null);
  assert.equal(
    (decodeJwt(signIn.data.session!.access_token).app_metadata as Record<string, unknown>)
      .tenant_role,
    "owner",
  );

  const fetched = await adminClient.auth.admin.getUserById(user.id);
  assert.equal(fetched.error, null);
  assert.equal(fetched.data.user?.email, email);

  const list = await adminClient.auth.admin.listUsers({ page: 1, perPage: 1 });
  assert.equal(list.error, null);
  assert.equal(list.data.users.length, 1);
  assert.equal(list.data.aud, "authenticated");
  assert.ok(list.data.total >= 1);

  const raw = await rawFetch("/admin/users?page=1&per_page=1", {
    headers: { Authorization: `Bearer ${SERVICE_ROLE_KEY}`, apikey: SERVICE_ROLE_KEY },
  });
  assert.equal(raw.status, 200);
  assert.ok(Number(raw.headers.get("x-total-count")) >= 1);
  assert.match(raw.headers.get("link") ?? "", /rel="last"/);
  const body = await raw.json();
  assert.equal(body.aud, "authenticated");
  assert.equal(body.users.length, 1);

  const updated = await adminClient.auth.admin.updateUserById(user.id, {
    user_metadata: { plan: "team" },
    app_metadata: { tenant_role: "admin" },
    ban_duration: "1h",
  });
  assert.equal(updated.error, null);
  assert.equal(updated.data.user?.user_metadata.plan, "team");
  assert.equal(updated.data.user?.user_metadata.full_name, "Katherine Johnson");
  assert.equal(updated.data.user?.app_metadata.tenant_role, "admin");
  assert.ok(updated.data.user?.banned_until);
  const banned = await anonClient().auth.signInWithPassword({ email, password: PASSWORD });
  assert.equal(banned.error?.code, "user_banned");
  const unbanned = await adminClient.auth.admin.updateUserById(user.id, { ban_duration: "none" });
  assert.equal(unbanned.error, null);

  // Anything but a service_role JWT is refused.
  const asAnon = await anonClient().auth.admin.listUsers();
  assert.equal(asAnon.error?.code, "not_admin");
  assert.equal(asAnon.error?.status, 403);
  const asUser = await rawFetch("/admin/users", {
    headers: {
      Authorization: `Bearer ${signIn.data.session!.access_token}`,
      "X-Supabase-Api-Version": "2024-01-01",
    },
  });
  assert.equal(asUser.status, 403);
  assert.equal((await asUser.json()).code, "not_admin");

  const deleted = await adminClient.auth.admin.deleteUser(user.id);
  assert.equal(deleted.error, null);
  createdUserIds.delete(user.id);
  const missing = await adminClient.auth.admin.getUserById(user.id);
  assert.equal(missing.error?.code, "user_not_found");
  assert.equal(missing.error?.status, 404);
});

Deno.test("auth: password sign-in is rate limited per address and e-mail", async () => {
  const client = anonClient();
  const email = uniqueEmail("ratelimit");
  let limited: { code?: string; status?: number; message: string } | null = null;
  for (let i = 0; i < 200 && !limited; i++) {
    const res = await client.auth.signInWithPassword({ email, password: "wrong-password" });
    assert.ok(res.error);
    if (res.error.status === 429) limited = res.error;
    else assert.equal(res.error.code, "invalid_credentials");
  }
  assert.ok(limited, "sign-in attempts are eventually rate limited");
  assert.equal(limited.code, "over_request_rate_limit");

  // Another e-mail from the same address is not affected.
  const other = await client.auth.signInWithPassword({
    email: uniqueEmail("ratelimit-other"),
    password: "wrong-password",
  });
  assert.equal(other.error?.code, "invalid_credentials");
});

Deno.test("auth: clean up users created by this run", async () => {
  for (const id of createdUserIds) {
    const res = await adminClient.auth.admin.deleteUser(id);
    assert.equal(res.error, null, `deleting ${id}: ${res.error?.message}`);
  }
  createdUserIds.clear();
});
