// Auth with the real supabase-js: proof of the address before it counts
// (confirmations, invitations), secure email change, limits on guessing codes, no 5xx for
// bad input, and no way to tell whether an address has an account.
import assert from "node:assert/strict";
import {
  adoptSession,
  ANON_KEY,
  anonClient,
  followLink,
  mailsTo,
  must,
  runTag,
  SERVICE_ROLE_KEY,
  serviceClient,
  SUPABASE_URL,
  TEST_PASSWORD,
  TestUsers,
  waitForMail,
} from "./_helpers.ts";

const AUTH_URL = `${SUPABASE_URL}/auth/v1`;
const tag = runTag();
let counter = 0;
const address = (label: string) => `conf-${tag}-${label}-${++counter}@example.com`;
const users = new TestUsers();
const admin = serviceClient();
const extraUserIds: string[] = [];

/** A raw Auth request as supabase-js makes it (API version 2024-01-01 error bodies). */
async function auth(path: string, init: RequestInit & { key?: string } = {}) {
  const headers = new Headers(init.headers);
  headers.set("apikey", init.key === SERVICE_ROLE_KEY ? SERVICE_ROLE_KEY : ANON_KEY);
  if (init.key) headers.set("Authorization", `Bearer ${init.key}`);
  headers.set("X-Supabase-Api-Version", "2024-01-01");
  if (init.body) headers.set("Content-Type", "application/json");
  const response = await fetch(`${AUTH_URL}${path}`, { ...init, headers });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text);
  } catch { /* not JSON */ }
  return { status: response.status, body };
}

/** An unconfirmed account made by the admin API: no mail sent, no rate-limit slot used. */
async function unconfirmedUser(email: string) {
  const created = await admin.auth.admin.createUser({ email, password: TEST_PASSWORD });
  assert.equal(created.error, null);
  extraUserIds.push(created.data.user!.id);
  return created.data.user!;
}

Deno.test("sign-up proves the address by mail before it counts", async (t) => {
  const email = address("signup");
  const client = anonClient();
  const since = new Date(Date.now() - 1000);

  const { data, error } = await client.auth.signUp({
    email,
    password: TEST_PASSWORD,
    options: { data: { display_name: "Cora Confirm" }, emailRedirectTo: `${SUPABASE_URL}/` },
  });
  assert.equal(error, null);
  extraUserIds.push(data.user!.id);

  await t.step("the answer is the user, unconfirmed, without a session", () => {
    assert.equal(data.session, null);
    assert.equal(data.user!.email, email);
    assert.ok(data.user!.confirmation_sent_at);
    assert.equal(data.user!.email_confirmed_at, undefined);
    assert.equal(data.user!.identities?.length, 1);
  });

  const mail = await waitForMail(email, /confirm your signup/i, since);
  await t.step("GoTrue's confirmation mail carries a /verify link of type signup", () => {
    const link = new URL(mail.link);
    assert.equal(link.pathname, "/auth/v1/verify");
    assert.equal(link.searchParams.get("type"), "signup");
    assert.match(link.searchParams.get("token") ?? "", /^[0-9a-f]{56}$/);
    assert.equal(link.searchParams.get("redirect_to"), `${SUPABASE_URL}/`);
    assert.doesNotMatch(mail.text, /\b\d{6}\b/, "no code there is nowhere to enter");
  });

  await t.step("signing in before confirming is refused", async () => {
    const early = await anonClient().auth.signInWithPassword({ email, password: TEST_PASSWORD });
    assert.equal(early.error?.code, "email_not_confirmed");
    assert.equal(early.error?.status, 400);
  });

  await t.step("the link confirms and signs in; a second use is refused", async () => {
    const fragment = await followLink(mail.link);
    assert.equal(fragment.get("type"), "signup");
    const session = await adoptSession(client, fragment);
    assert.ok(session.user.email_confirmed_at);
    const again = await followLink(mail.link);
    assert.equal(again.get("error_code"), "otp_expired");
    const now = await anonClient().auth.signInWithPassword({ email, password: TEST_PASSWORD });
    assert.equal(now.error, null);
  });

  await t.step(
    "POST /verify takes type signup with a token hash, type email with a code",
    async () => {
      const byHash = address("hash");
      await unconfirmedUser(byHash);
      const link = must(
        await admin.auth.admin.generateLink({ type: "signup", email: byHash, password: "x-x-x-x" }),
        "generate_link signup",
      );
      const verified = await anonClient().auth.verifyOtp({
        token_hash: link.properties.hashed_token,
        type: "signup",
      });
      assert.equal(verified.error, null);
      assert.ok(verified.data.user?.email_confirmed_at);

      const byCode = address("code");
      await unconfirmedUser(byCode);
      const codeLink = must(
        await admin.auth.admin.generateLink({ type: "signup", email: byCode, password: "x-x-x-x" }),
        "generate_link signup",
      );
      const coded = await anonClient().auth.verifyOtp({
        email: byCode,
        token: codeLink.properties.email_otp,
        type: "email",
      });
      assert.equal(coded.error, null);
      assert.ok(coded.data.session);
    },
  );

  await t.step("resend mails a new link; asking again at once is limited", async () => {
    const later = address("resend");
    await unconfirmedUser(later);
    const before = new Date(Date.now() - 1000);
    assert.equal((await anonClient().auth.resend({ type: "signup", email: later })).error, null);
    const resent = await waitForMail(later, /confirm your signup/i, before);
    const again = await anonClient().auth.resend({ type: "signup", email: later });
    assert.equal(again.error?.code, "over_email_send_rate_limit");
    assert.equal(again.error?.status, 429);
    const session = await adoptSession(anonClient(), await followLink(resent.link));
    assert.ok(session.user.email_confirmed_at);
  });
});

Deno.test("an invitation is not taken by signing up with its address, only by confirming it", async () => {
  try {
    const owner = await users.signUp(address("owner"), "Owner Olga");
    const org = must(
      await owner.client.rpc("create_organisation", {
        name: `Confirm clinic ${tag}`,
        slug: `confirm-${tag}`,
        timezone: "Europe/London",
        languages: ["en"],
      }),
      "create_organisation",
    ) as { id: string };
    const invited = address("invited");
    must(
      await owner.client.rpc("invite_member", {
        organisation_id: org.id,
        email: invited,
        role: "admin",
      }),
      "invite_member",
    );

    // Someone without access to the mailbox signs up with the invited address.
    const squatter = anonClient();
    const since = new Date(Date.now() - 1000);
    const { data, error } = await squatter.auth.signUp({ email: invited, password: TEST_PASSWORD });
    assert.equal(error, null);
    extraUserIds.push(data.user!.id);
    const members = async () =>
      must(
        await admin.from("organisation_members").select("role").eq("user_id", data.user!.id),
        "reading memberships",
      ) as { role: string }[];
    assert.deepEqual(await members(), [], "an unconfirmed sign-up joins nothing");

    // The owner of the mailbox follows the link: now the invitation is accepted.
    const mail = await waitForMail(invited, /confirm your signup/i, since);
    await adoptSession(anonClient(), await followLink(mail.link));
    assert.deepEqual(await members(), [{ role: "admin" }]);
  } finally {
    await users.deleteAll();
  }
});

Deno.test("an email change needs the links sent to both addresses", async () => {
  try {
    const user = await users.signUp(address("mover"));
    const newEmail = address("moved");
    const since = new Date(Date.now() - 1000);
    const { error } = await user.client.auth.updateUser({ email: newEmail });
    assert.equal(error, null);

    const toNew = await waitForMail(newEmail, /email change/i, since);
    const toCurrent = await waitForMail(user.email, /email change/i, since);
    assert.notEqual(toNew.link, toCurrent.link);

    // The new address alone is not enough.
    const first = await auth("/verify", {
      method: "POST",
      body: JSON.stringify({
        token_hash: new URL(toNew.link).searchParams.get("token"),
        type: "email_change",
      }),
    });
    assert.equal(first.status, 200);
    assert.equal(
      first.body.msg,
      "Confirmation link accepted. Please proceed to confirm link sent to the other email",
    );
    assert.equal(first.body.access_token, undefined, "no session yet");
    const still = must(await admin.auth.admin.getUserById(user.id), "getUserById").user;
    assert.equal(still.email, user.email, "still the current address");
    const reused = await followLink(toNew.link);
    assert.equal(reused.get("error_code"), "otp_expired", "that link is spent");

    // The current address's link (opened in a browser) completes the change.
    const second = await followLink(toCurrent.link);
    assert.ok(second.get("access_token"));
    const moved = must(await admin.auth.admin.getUserById(user.id), "getUserById").user;
    assert.equal(moved.email, newEmail);
  } finally {
    await users.deleteAll();
  }
});

Deno.test("a one-time code is spent after 5 wrong tries", async () => {
  const email = address("guess");
  const user = await unconfirmedUser(email);
  must(await admin.auth.admin.updateUserById(user.id, { email_confirm: true }), "confirm");
  const link = must(
    await admin.auth.admin.generateLink({ type: "recovery", email }),
    "generate_link recovery",
  );
  const right = link.properties.email_otp;
  const wrong = right === "000000" ? "000001" : "000000";
  for (let i = 0; i < 5; i++) {
    const res = await anonClient().auth.verifyOtp({ email, token: wrong, type: "recovery" });
    assert.equal(res.error?.code, "otp_expired");
  }
  const late = await anonClient().auth.verifyOtp({ email, token: right, type: "recovery" });
  assert.equal(late.error?.code, "otp_expired", "the right code no longer works");
  assert.equal(late.data.session, null);
});

Deno.test("/verify is rate limited per address: 30 failures, then even the right code is refused", async () => {
  // From 127.0.0.2, so the limit this test reaches leaves other tests (127.0.0.1) alone.
  const email = address("ratelimited");
  const user = await unconfirmedUser(email);
  must(await admin.auth.admin.updateUserById(user.id, { email_confirm: true }), "confirm");
  const verifyFrom = async (body: Record<string, string>) => {
    const out = await new Deno.Command("curl", {
      args: [
        "-s",
        "--interface",
        "127.0.0.2",
        "-o",
        "-",
        "-w",
        "\n%{http_code}",
        "-X",
        "POST",
        `${AUTH_URL}/verify`,
        "-H",
        `apikey: ${ANON_KEY}`,
        "-H",
        "X-Supabase-Api-Version: 2024-01-01",
        "-H",
        "Content-Type: application/json",
        "-d",
        JSON.stringify(body),
      ],
    }).output();
    const [json, status] = new TextDecoder().decode(out.stdout).split("\n");
    return { status: Number(status), body: JSON.parse(json || "{}") };
  };
  let limited = null;
  for (let i = 0; i < 40 && !limited; i++) {
    const res = await verifyFrom({ type: "recovery", email: address("nobody"), token: "123456" });
    if (res.status === 429) limited = res;
    else assert.equal(res.status, 403);
  }
  assert.ok(limited, "failed verifications are limited");
  assert.equal(limited.body.code, "over_request_rate_limit");
  const link = must(
    await admin.auth.admin.generateLink({ type: "recovery", email }),
    "generate_link recovery",
  );
  const right = await verifyFrom({ type: "recovery", email, token: link.properties.email_otp });
  assert.equal(right.status, 429, "over the limit, the right code is refused too");
  // Another address (this test's runner) is not affected.
  const fromHere = await anonClient().auth.verifyOtp({
    email,
    token: link.properties.email_otp,
    type: "recovery",
  });
  assert.equal(fromHere.error, null);
});

Deno.test("bad input to any Auth route is a 4xx with a code, never a 5xx", async () => {
  const valid = address("valid");
  const signIn = await users.signUp(address("caller"));
  const userToken = signIn.accessToken;
  const bodies: [string, string][] = [
    ["malformed JSON", "{"],
    ["an array", "[1]"],
    ["wrong types", JSON.stringify({ email: 5, password: [], data: "x", type: {}, token: 1 })],
    ["NUL in a value", JSON.stringify({ email: valid, password: "pass\u0000word-1" })],
    [
      "NUL in a key",
      JSON.stringify({ email: valid, password: "password-1", data: { "a\u0000": 1 } }),
    ],
    [
      "NUL in metadata",
      JSON.stringify({ email: valid, password: "password-1", data: { n: "a\u0000" } }),
    ],
    [
      "an unpaired surrogate",
      `{"email":"${valid}","password":"password-1","data":{"n":"\\ud800"}}`,
    ],
    ["deep nesting", JSON.stringify({ data: JSON.parse("[".repeat(5000) + "]".repeat(5000)) })],
    ["a huge body", JSON.stringify({ email: valid, password: "x".repeat(2_000_000) })],
    ["a long role", JSON.stringify({ email: address("role"), role: "r".repeat(300) })],
    ["a bad password hash", JSON.stringify({ email: address("hash"), password_hash: "nope" })],
    ["a long ban", JSON.stringify({ email: address("ban"), ban_duration: "99999999999h" })],
  ];
  const routes: [string, string, string?][] = [
    ["POST", "/signup"],
    ["POST", "/token?grant_type=password"],
    ["POST", "/token?grant_type=refresh_token"],
    ["POST", "/recover"],
    ["POST", "/resend"],
    ["POST", "/verify"],
    ["PUT", "/user", userToken],
    ["POST", "/admin/users", SERVICE_ROLE_KEY],
    ["PUT", `/admin/users/${signIn.id}`, SERVICE_ROLE_KEY],
    ["POST", "/admin/generate_link", SERVICE_ROLE_KEY],
  ];
  const failures: string[] = [];
  for (const [method, path, key] of routes) {
    for (const [what, body] of bodies) {
      const res = await auth(path, { method, body, key });
      if (res.status >= 500 || (res.status >= 400 && !res.body.code)) {
        failures.push(`${method} ${path} with ${what}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
  }
  const urls: [string, string?][] = [
    ["/admin/users/%E0%A4%A", SERVICE_ROLE_KEY],
    ["/admin/users/not-a-uuid", SERVICE_ROLE_KEY],
    ["/admin/users?per_page=99999999999999999999", SERVICE_ROLE_KEY],
    ["/admin/users?filter=%00", SERVICE_ROLE_KEY],
    ["/verify?type=signup&token=%00"],
    ["/verify?type=signup&token=%ED%A0%80"],
  ];
  for (const [path, key] of urls) {
    const res = await auth(path, { key });
    if (res.status >= 500) failures.push(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  assert.deepEqual(failures, []);
  await users.deleteAll();
});

Deno.test("NUL in the password is a 400, an over-long display_name is cut, not a 500", async () => {
  const nul = await anonClient().auth.signUp({
    email: address("nul"),
    password: "pass\u0000word-1",
  });
  assert.equal(nul.error?.status, 400);
  assert.equal(nul.error?.code, "validation_failed");
  assert.match(nul.error!.message, /password.*NUL/);

  const long = await anonClient().auth.signUp({
    email: address("long"),
    password: TEST_PASSWORD,
    options: { data: { display_name: `  ${"N".repeat(5000)}  ` } },
  });
  assert.equal(long.error, null);
  extraUserIds.push(long.data.user!.id);
  const profile = must(
    await admin.from("profiles").select("display_name").eq("id", long.data.user!.id).single(),
    "reading the profile",
  ) as { display_name: string };
  assert.equal(profile.display_name, "N".repeat(120));

  const blank = await anonClient().auth.signUp({
    email: `blank-${tag}@example.com`,
    password: TEST_PASSWORD,
    options: { data: { display_name: "   " } },
  });
  assert.equal(blank.error, null);
  extraUserIds.push(blank.data.user!.id);
  const named = must(
    await admin.from("profiles").select("display_name").eq("id", blank.data.user!.id).single(),
    "reading the profile",
  ) as { display_name: string };
  assert.equal(named.display_name, `blank-${tag}`, "no name: the address's local part");
});

Deno.test("deleting the account of a clinic's only owner is refused with a 422 that says why", async () => {
  const owner = await users.signUp(address("sole-owner"), "Sole Owner");
  must(
    await owner.client.rpc("create_organisation", {
      name: `Sole ${tag}`,
      timezone: "Europe/London",
      languages: ["en"],
    }),
    "creating the clinic",
  );
  const refused = await admin.auth.admin.deleteUser(owner.id);
  assert.equal(refused.error?.status, 422);
  assert.equal(refused.error?.code, "validation_failed");
  assert.match(refused.error!.message, /only owner of/);
  const still = await admin.auth.admin.getUserById(owner.id);
  assert.equal(still.data.user?.id, owner.id, "the account is still there");
});

Deno.test("profile names: blank or over-long names are refused with a message", async () => {
  try {
    const user = await users.signUp(address("named"), "Nora Name");
    const update = (display_name: string) =>
      user.client.from("profiles").update({ display_name }).eq("id", user.id);
    const blank = await update("   ");
    assert.equal(blank.error?.code, "22023");
    assert.equal(blank.error?.message, "Your name cannot be empty");
    assert.ok(blank.error?.hint);
    const long = await update("x".repeat(121));
    assert.equal(long.error?.code, "22023");
    assert.match(long.error!.message, /at most 120 characters/);
    assert.equal((await update("  Nora N.  ")).error, null);
    const row = must(
      await user.client.from("profiles").select("display_name").eq("id", user.id).single(),
      "reading the profile",
    ) as { display_name: string };
    assert.equal(row.display_name, "Nora N.", "stored trimmed");
  } finally {
    await users.deleteAll();
  }
});

Deno.test("sign-up and recovery do not tell whether an address has an account", async (t) => {
  const taken = address("taken");
  const owner = await unconfirmedUser(taken);
  must(await admin.auth.admin.updateUserById(owner.id, { email_confirm: true }), "confirm");

  await t.step(
    "signing up a confirmed address answers like a new one and mails nothing",
    async () => {
      const since = new Date();
      const dup = await anonClient().auth.signUp({ email: taken, password: "other-password-1" });
      assert.equal(dup.error, null, "no user_already_exists");
      assert.equal(dup.data.session, null);
      assert.notEqual(dup.data.user?.id, owner.id, "not the real account's id");
      assert.equal(dup.data.user?.email, taken);
      assert.deepEqual(dup.data.user?.identities, []);
      assert.deepEqual(await mailsTo(taken, since), [], "the owner gets no mail");
      const signIn = await anonClient().auth.signInWithPassword({
        email: taken,
        password: "other-password-1",
      });
      assert.equal(signIn.error?.code, "invalid_credentials", "the account is unchanged");
    },
  );

  await t.step("recovery: known and unknown addresses share one limit", async () => {
    const unknown = address("unknown");
    for (const email of [taken, unknown]) {
      assert.equal((await anonClient().auth.resetPasswordForEmail(email)).error, null);
      const again = await anonClient().auth.resetPasswordForEmail(email);
      assert.equal(again.error?.status, 429, `second request for ${email}`);
      assert.equal(again.error?.code, "over_email_send_rate_limit");
    }
    await waitForMail(taken, /reset your password/i);
  });

  await t.step("recovery: known and unknown addresses take as long", async () => {
    const timed = async (email: string) => {
      const start = performance.now();
      const res = await fetch(`${AUTH_URL}/recover`, {
        method: "POST",
        headers: { apikey: ANON_KEY, "Content-Type": "application/json" },
        body: JSON.stringify({ email }),
      });
      await res.body?.cancel();
      assert.equal(res.status, 200);
      return performance.now() - start;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 8; i++) {
      const email = address("timed");
      const user = await unconfirmedUser(email);
      must(await admin.auth.admin.updateUserById(user.id, { email_confirm: true }), "confirm");
      known.push(await timed(email));
      unknown.push(await timed(address("timed-unknown")));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
    const gap = Math.abs(median(known) - median(unknown));
    assert.ok(gap < 5, `medians ${median(known)} ms and ${median(unknown)} ms`);
  });
});

Deno.test("clean up users created by this file", async () => {
  await users.deleteAll();
  for (const id of extraUserIds) {
    const { error } = await admin.auth.admin.deleteUser(id);
    assert.equal(error, null);
  }
});
