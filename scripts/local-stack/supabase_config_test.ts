// supabase/config.toml is the one source of what the local stack shares with the hosted
// project: these tests feed the loader and the stack's configuration a file with unusual values
// and check each reaches the stack, so a value repeated in code instead would show here.
import assert from "node:assert/strict";
import { parse } from "smol-toml";
import { unsupportedSettings } from "./auth/settings.ts";
import { stackConfig } from "./config.ts";
import { configTomlPath, parseSupabaseConfig } from "./supabase_config.ts";

const unusual = `
project_id = "x"
[api]
port = 40001
schemas = ["public"]
max_rows = 50
[db]
port = 40003
[auth]
site_url = "http://127.0.0.1:40001"
additional_redirect_urls = ["http://localhost:40001/**", "https://app.example.com"]
jwt_expiry = 120
enable_refresh_token_rotation = true
refresh_token_reuse_interval = 0
enable_signup = false
[auth.email]
enable_confirmations = true
double_confirm_changes = false
max_frequency = "1m30s"
otp_expiry = 600
[auth.rate_limit]
sign_in_sign_ups = 7
token_verifications = 9
[functions.whatsapp-webhook]
verify_jwt = false
[functions.staff-reply]
verify_jwt = true
import_map = "./functions/staff-reply/import_map.json"
`;

/** Runs fn with FRONTDESK_PORT_BASE set to value (or unset), then restores it. */
function withPortBase<T>(value: string | undefined, fn: () => T): T {
  const before = Deno.env.get("FRONTDESK_PORT_BASE");
  if (value === undefined) Deno.env.delete("FRONTDESK_PORT_BASE");
  else Deno.env.set("FRONTDESK_PORT_BASE", value);
  try {
    return fn();
  } finally {
    if (before === undefined) Deno.env.delete("FRONTDESK_PORT_BASE");
    else Deno.env.set("FRONTDESK_PORT_BASE", before);
  }
}

Deno.test("config.toml loader: every value the stack uses, as written", () => {
  const c = parseSupabaseConfig(unusual);
  assert.deepEqual(c.api, {
    port: 40001,
    schemas: ["public"],
    extraSearchPath: ["public", "extensions"],
    maxRows: 50,
  });
  assert.equal(c.db.port, 40003);
  assert.deepEqual(c.auth, {
    siteUrl: "http://127.0.0.1:40001",
    additionalRedirectUrls: ["http://localhost:40001/**", "https://app.example.com"],
    jwtExpirySeconds: 120,
    refreshTokenRotation: true,
    refreshTokenReuseIntervalSeconds: 0,
    enableSignup: false,
    enableConfirmations: true,
    doubleConfirmChanges: false,
    maxFrequencySeconds: 90,
    otpExpirySeconds: 600,
    signInSignUps: 7,
    tokenVerifications: 9,
  });
  assert.equal(c.verifyJwt("whatsapp-webhook"), false);
  assert.equal(c.verifyJwt("staff-reply"), true);
  assert.equal(
    c.verifyJwt("not-configured"),
    true,
    "verify_jwt defaults to true like the platform",
  );
  assert.equal(c.importMap("staff-reply"), "./functions/staff-reply/import_map.json");
  assert.equal(c.importMap("whatsapp-webhook"), undefined);
});

Deno.test("config.toml loader: the Supabase CLI's defaults where the file is silent", () => {
  const c = parseSupabaseConfig(`project_id = "x"`);
  assert.equal(c.api.port, 54321);
  assert.equal(c.db.port, 54322);
  assert.equal(c.auth.jwtExpirySeconds, 3600);
  assert.equal(c.auth.refreshTokenReuseIntervalSeconds, 10);
  assert.equal(c.auth.enableConfirmations, false);
  assert.equal(c.auth.signInSignUps, 30);
  assert.match(
    unsupportedSettings(c.auth) ?? "",
    /refresh_token_reuse_interval = 0/,
    "the Auth stand-in refuses refresh-token settings it does not implement",
  );
  assert.equal(unsupportedSettings(parseSupabaseConfig(unusual).auth), null);
  assert.throws(
    () => parseSupabaseConfig(`[auth.email]\nmax_frequency = "soon"`),
    /max_frequency "soon" is not a duration/,
  );
});

Deno.test("stack configuration: ports and auth settings come from config.toml", () => {
  const supabase = parseSupabaseConfig(unusual);
  const dev = withPortBase(undefined, () => stackConfig("dev", supabase));
  assert.equal(dev.apiPort, 40001);
  assert.equal(dev.dbPort, 40003);
  assert.equal(dev.apiUrl, "http://127.0.0.1:40001");
  assert.deepEqual(dev.auth, supabase.auth, "the auth stand-in gets config.toml's [auth] as is");

  const test = withPortBase(undefined, () => stackConfig("test", supabase));
  assert.equal(test.apiPort - dev.apiPort, test.dbPort - dev.dbPort, "tests move every port alike");
  assert.notEqual(test.apiPort, dev.apiPort);
});

Deno.test("stack configuration: FRONTDESK_PORT_BASE offsets from the configured ports", () => {
  const supabase = parseSupabaseConfig(unusual);
  const moved = withPortBase("50001", () => stackConfig("dev", supabase));
  assert.equal(moved.apiPort, 50001);
  assert.equal(moved.dbPort, 50003, "the database as far above the API as in config.toml");
  assert.equal(moved.auth.siteUrl, "http://127.0.0.1:50001", "site_url follows the API");
  assert.deepEqual(moved.auth.additionalRedirectUrls, [
    "http://localhost:50001/**",
    "https://app.example.com",
  ]);
  assert.match(moved.dataDir, /dev-50001$/);
  assert.throws(
    () => withPortBase("80", () => stackConfig("dev", supabase)),
    /FRONTDESK_PORT_BASE/,
  );
});

Deno.test("the repository's config.toml: the dev stack listens where it says", () => {
  const toml = parse(Deno.readTextFileSync(configTomlPath)) as {
    api: { port: number };
    db: { port: number };
    auth: { jwt_expiry: number };
  };
  const dev = withPortBase(undefined, () => stackConfig("dev"));
  assert.equal(dev.apiPort, toml.api.port);
  assert.equal(dev.dbPort, toml.db.port);
  assert.equal(dev.auth.jwtExpirySeconds, toml.auth.jwt_expiry);
});
