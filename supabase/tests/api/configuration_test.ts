// The running stack behaves as supabase/config.toml says, read here on its own (not through the
// stack's loader): JWT expiry, refresh-token rotation, sign-up and confirmations, the sign-in rate
// limit, verify_jwt per function and the database's place beside the API. A value the stack
// repeated in code instead of reading it would drift from the file and fail here.
import assert from "node:assert/strict";
import { decodeJwt } from "jose";
import { parse } from "smol-toml";
import {
  ANON_KEY,
  anonClient,
  env,
  serviceClient,
  SUPABASE_URL,
  TEST_PASSWORD,
} from "./_helpers.ts";

type Toml = {
  api: { port: number };
  db: { port: number };
  auth: {
    jwt_expiry: number;
    enable_refresh_token_rotation: boolean;
    refresh_token_reuse_interval: number;
    enable_signup: boolean;
    email: { enable_confirmations: boolean };
    rate_limit: { sign_in_sign_ups: number };
  };
  functions?: Record<string, { verify_jwt?: boolean }>;
};

const toml = parse(
  await Deno.readTextFile(new URL("../../config.toml", import.meta.url)),
) as unknown as Toml;

Deno.test("configuration: Auth's settings endpoint reports config.toml's sign-up settings", async () => {
  const res = await fetch(`${SUPABASE_URL}/auth/v1/settings`, { headers: { apikey: ANON_KEY } });
  const settings = await res.json();
  assert.equal(settings.disable_signup, !toml.auth.enable_signup);
  assert.equal(settings.mailer_autoconfirm, !toml.auth.email.enable_confirmations);
});

Deno.test("configuration: access tokens last jwt_expiry; refresh tokens rotate as configured", async () => {
  const admin = serviceClient();
  const email = `config-${crypto.randomUUID()}@example.com`;
  const created = await admin.auth.admin.createUser({
    email,
    password: TEST_PASSWORD,
    email_confirm: true,
  });
  assert.equal(created.error, null);
  try {
    const client = anonClient();
    const { data, error } = await client.auth.signInWithPassword({
      email,
      password: TEST_PASSWORD,
    });
    assert.equal(error, null);
    const claims = decodeJwt(data.session!.access_token);
    assert.equal(claims.exp! - claims.iat!, toml.auth.jwt_expiry);
    assert.equal(data.session!.expires_in, toml.auth.jwt_expiry);

    const first = data.session!.refresh_token;
    const refreshed = await client.auth.refreshSession({ refresh_token: first });
    assert.equal(refreshed.error, null);
    assert.equal(
      refreshed.data.session!.refresh_token !== first,
      toml.auth.enable_refresh_token_rotation,
      "a refresh hands out a new refresh token when rotation is on",
    );
    if (toml.auth.refresh_token_reuse_interval === 0) {
      const reused = await anonClient().auth.refreshSession({ refresh_token: first });
      assert.equal(reused.error?.code, "refresh_token_already_used", "no reuse interval");
    }
  } finally {
    await admin.auth.admin.deleteUser(created.data.user!.id);
  }
});

Deno.test("configuration: sign-ins are limited to [auth.rate_limit] sign_in_sign_ups", async () => {
  // An address with no account: only the limit's own counting is touched.
  const email = `config-limit-${crypto.randomUUID()}@example.com`;
  const attempt = () =>
    fetch(`${SUPABASE_URL}/auth/v1/token?grant_type=password`, {
      method: "POST",
      headers: { apikey: ANON_KEY, "content-type": "application/json" },
      body: JSON.stringify({ email, password: "wrong-password-1" }),
    }).then(async (res) => {
      await res.body?.cancel();
      return res.status;
    });
  for (let i = 0; i < toml.auth.rate_limit.sign_in_sign_ups; i++) {
    assert.equal(await attempt(), 400, `attempt ${i + 1} is answered`);
  }
  assert.equal(await attempt(), 429, "the next one is over the limit");
});

Deno.test("configuration: each function verifies a JWT exactly when verify_jwt says", async () => {
  const functionsDir = new URL("../../functions/", import.meta.url);
  for await (const entry of Deno.readDir(functionsDir)) {
    if (!entry.isDirectory || entry.name.startsWith("_") || entry.name.startsWith(".")) continue;
    const verifyJwt = toml.functions?.[entry.name]?.verify_jwt ?? true;
    const res = await fetch(`${SUPABASE_URL}/functions/v1/${entry.name}`, { method: "POST" });
    const body = await res.text();
    assert.equal(
      res.status === 401 && /Missing authorization header/.test(body),
      verifyJwt,
      `${entry.name}: verify_jwt = ${verifyJwt}`,
    );
  }
});

Deno.test("configuration: the database listens as far above the API as in config.toml", () => {
  const apiPort = Number(new URL(SUPABASE_URL).port);
  const dbPort = Number(new URL(env("SUPABASE_DB_URL")).port);
  assert.equal(dbPort - apiPort, toml.db.port - toml.api.port);
});
