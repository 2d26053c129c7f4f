// What the local stack gives the functions for Google: the sandbox's base URLs and an OAuth
// client (id, secret) plus the state-signing key, made once per stack data folder so that a
// `dev` restart keeps connections working (a reset makes new ones, with a new database).
import type { StackConfig } from "../../config.ts";
import { randomBase64url as random } from "./http.ts";
import { createGoogleSandbox, type GoogleSandbox } from "./mod.ts";

export type GoogleEnv = Record<
  | "GOOGLE_OAUTH_BASE_URL"
  | "GOOGLE_TOKEN_BASE_URL"
  | "GOOGLE_API_BASE_URL"
  | "GOOGLE_CLIENT_ID"
  | "GOOGLE_CLIENT_SECRET"
  | "GOOGLE_STATE_SECRET",
  string
>;

/** The sandbox's public URL on this stack. */
export const googleSandboxUrl = (cfg: StackConfig) => `${cfg.apiUrl}/_local/google`;

/** The only redirect URI registered for the local OAuth client (the google-oauth function's). */
export const googleRedirectUri = (cfg: StackConfig) =>
  `${cfg.apiUrl}/functions/v1/google-oauth/callback`;

export async function localGoogleEnv(cfg: StackConfig): Promise<GoogleEnv> {
  const file = `${cfg.dataDir}/google-client.json`;
  let client: { id: string; secret: string; stateSecret: string };
  try {
    client = JSON.parse(await Deno.readTextFile(file));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    const number = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b % 10).join("");
    const label = Array.from(
      crypto.getRandomValues(new Uint8Array(32)),
      (b) => "abcdefghijklmnopqrstuvwxyz0123456789"[b % 36],
    ).join("");
    client = {
      id: `${number}-${label}.apps.googleusercontent.com`,
      secret: `GOCSPX-${random(21)}`,
      stateSecret: random(32),
    };
    await Deno.mkdir(cfg.dataDir, { recursive: true });
    await Deno.writeTextFile(file, JSON.stringify(client, null, 2), { mode: 0o600 });
  }
  const base = googleSandboxUrl(cfg);
  return {
    GOOGLE_OAUTH_BASE_URL: `${base}/accounts`,
    GOOGLE_TOKEN_BASE_URL: `${base}/oauth2`,
    GOOGLE_API_BASE_URL: `${base}/www`,
    GOOGLE_CLIENT_ID: client.id,
    GOOGLE_CLIENT_SECRET: client.secret,
    GOOGLE_STATE_SECRET: client.stateSecret,
  };
}

/** The sandbox for this stack, its state kept in the stack's data folder. */
export function startGoogleSandbox(cfg: StackConfig, env: GoogleEnv): Promise<GoogleSandbox> {
  return createGoogleSandbox({
    dataFile: `${cfg.dataDir}/google-sandbox.json`,
    baseUrl: googleSandboxUrl(cfg),
    client: {
      id: env.GOOGLE_CLIENT_ID,
      secret: env.GOOGLE_CLIENT_SECRET,
      redirectUris: [googleRedirectUri(cfg)],
    },
  });
}
