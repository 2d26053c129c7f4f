// Where each local stack lives and listens, and the per-checkout secrets it uses.
import { SignJWT } from "jose";

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
}

const defaultApiPorts: Record<Profile, number> = {
  dev: 54321,
  // Other ports so the test suite runs beside a running dev stack.
  test: 55321,
};

/**
 * FRONTDESK_PORT_BASE moves a stack to other ports (API on the base, database on base + 1,
 * PostgREST on base + 6) with its own state folder, so several can run side by side.
 */
export function stackConfig(profile: Profile): StackConfig {
  const override = Deno.env.get("FRONTDESK_PORT_BASE");
  const api = override ? Number(override) : defaultApiPorts[profile];
  if (!Number.isInteger(api) || api < 1024 || api > 65000) {
    throw new Error(`FRONTDESK_PORT_BASE must be a port number, got "${override}"`);
  }
  const dataDir = `${stateRoot}/${override ? `${profile}-${api}` : profile}`;
  return {
    profile,
    apiPort: api,
    dbPort: api + 1,
    postgrestPort: api + 6,
    dataDir,
    logDir: `${dataDir}/logs`,
    outboxDir: `${dataDir}/outbox`,
    apiUrl: `http://127.0.0.1:${api}`,
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
