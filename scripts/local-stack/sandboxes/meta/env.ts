// What the local stack gives the functions for Meta: the platform app's secret and verify token
// (made once per stack data folder, so a `dev` restart keeps them; a reset makes new ones) and
// Graph's base URL with the version, pointing at the sandbox.
import type { StackConfig } from "../../config.ts";
import { randomBase64url as random } from "../google/http.ts";
import { createMetaSandbox, type MetaSandbox } from "./mod.ts";

export type MetaEnv = Record<
  "META_APP_SECRET" | "META_VERIFY_TOKEN" | "META_GRAPH_BASE_URL",
  string
>;

/** The sandbox's public URL on this stack. */
export const metaSandboxUrl = (cfg: StackConfig) => `${cfg.apiUrl}/_local/meta`;

export async function localMetaEnv(cfg: StackConfig): Promise<MetaEnv> {
  const file = `${cfg.dataDir}/meta-app.json`;
  let app: { secret: string; verifyToken: string };
  try {
    app = JSON.parse(await Deno.readTextFile(file));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    // Meta app secrets are 32 hex digits.
    app = {
      secret: Array.from(
        crypto.getRandomValues(new Uint8Array(16)),
        (b) => b.toString(16).padStart(2, "0"),
      ).join(""),
      verifyToken: random(24),
    };
    await Deno.mkdir(cfg.dataDir, { recursive: true });
    await Deno.writeTextFile(file, JSON.stringify(app, null, 2), { mode: 0o600 });
  }
  return {
    META_APP_SECRET: app.secret,
    META_VERIFY_TOKEN: app.verifyToken,
    META_GRAPH_BASE_URL: `${metaSandboxUrl(cfg)}/v25.0`,
  };
}

/** The sandbox for this stack, its state kept in the stack's data folder. */
export function startMetaSandbox(
  cfg: StackConfig,
  env: MetaEnv,
  functionsUrl: string,
): Promise<MetaSandbox> {
  return createMetaSandbox({
    dataFile: `${cfg.dataDir}/meta-sandbox.json`,
    baseUrl: metaSandboxUrl(cfg),
    functionsUrl,
    platformApp: { secret: env.META_APP_SECRET, verifyToken: env.META_VERIFY_TOKEN },
  });
}
