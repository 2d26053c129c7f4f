// Where each local stack lives and listens, and the per-checkout secrets it uses.
import { SignJWT } from "jose";
import type { AuthSettings } from "./auth/settings.ts";
import { loadSupabaseConfig } from "./supabase_config.ts";

export const repoRoot = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
export const stateRoot = `${repoRoot}/.local-stack`;

export type Profile = "dev" | "test";

export interface StackConfig {
  profile: Profile;
  /** The one public port: REST, Auth, Functions and the web client, like `supabase start`. */
  apiPort: number;
  dbPort: number;
  postgrestPort: number;
  dataDir: string;
  logDir: string;
  outboxDir: string;
  apiUrl: string;
  /** supabase/config.toml's [auth] settings, its URLs moved to this stack's port. */
  auth: AuthSettings;
}

/** The test suite runs this far above the configured ports, beside a running dev stack. */
const TEST_PORT_OFFSET = 1000;

/**
 * The ports of supabase/config.toml ([api] port, [db] port), like `supabase start`. The test
 * profile and FRONTDESK_PORT_BASE move a stack to other ports (API on the base, database as far
 * above it as in config.toml, PostgREST on base + 6) with its own state folder, so several can
 * run side by side.
 */
export function stackConfig(profile: Profile, supabase = loadSupabaseConfig()): StackConfig {
  const override = Deno.env.get("FRONTDESK_PORT_BASE");
  const configured = supabase.api.port;
  const api = override
    ? Number(override)
    : configured + (profile === "test" ? TEST_PORT_OFFSET : 0);
  if (!Number.isInteger(api) || api < 1024 || api > 65000) {
    throw new Error(`FRONTDESK_PORT_BASE must be a port number, got "${override}"`);
  }
  const dataDir = `${stateRoot}/${override ? `${profile}-${api}` : profile}`;
  const apiUrl = `http://127.0.0.1:${api}`;
  // Links in config.toml that point at the configured API port point at this stack's.
  const moved = (url: string) =>
    url.replace(new RegExp(`^(https?://[^/]+):${configured}(?=/|$)`), `$1:${api}`);
  return {
    profile,
    apiPort: api,
    dbPort: api + (supabase.db.port - configured),
    postgrestPort: api + 6,
    dataDir,
    logDir: `${dataDir}/logs`,
    outboxDir: `${dataDir}/outbox`,
    apiUrl,
    auth: {
      ...supabase.auth,
      siteUrl: moved(supabase.auth.siteUrl),
      additionalRedirectUrls: supabase.auth.additionalRedirectUrls.map(moved),
    },
  };
}

export interface Secrets {
  jwtSecret: string;
  vaultKey: string;
  postgresPassword: string;
  authenticatorPassword: string;
  authAdminPassword: string;
  anonKey: string;
  serviceRoleKey: string;
}

const secretsFile = `${stateRoot}/secrets.json`;

function randomSecret(bytes = 32): string {
  const buf = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(buf, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** API keys as Supabase issues them: long-lived HS256 JWTs carrying only a role. */
async function apiKey(role: "anon" | "service_role", secret: string): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return await new SignJWT({ role, iss: "supabase-local", ref: "frontdesk-local" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt(iat)
    .setExpirationTime(iat + 10 * 365 * 24 * 3600)
    .sign(new TextEncoder().encode(secret));
}

/** Generated once per checkout and kept in the gitignored state folder. */
export async function loadSecrets(): Promise<Secrets> {
  try {
    return JSON.parse(await Deno.readTextFile(secretsFile));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const jwtSecret = randomSecret();
  const secrets: Secrets = {
    jwtSecret,
    vaultKey: randomSecret(),
    // The same superuser-free URL shape as `supabase start`; only loopback listens.
    postgresPassword: "postgres",
    authenticatorPassword: randomSecret(16),
    authAdminPassword: randomSecret(16),
    anonKey: await apiKey("anon", jwtSecret),
    serviceRoleKey: await apiKey("service_role", jwtSecret),
  };
  await Deno.mkdir(stateRoot, { recursive: true });
  await Deno.writeTextFile(secretsFile, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export function dbUrl(cfg: StackConfig, user = "postgres", password = "postgres"): string {
  return `postgresql://${user}:${
    encodeURIComponent(password)
  }@127.0.0.1:${cfg.dbPort}/postgres?sslmode=disable`;
}
