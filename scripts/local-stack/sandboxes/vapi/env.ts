// What the local stack gives the functions for Vapi: the sandbox's base URL, an API key and the
// server secret (what "Vapi" presents to our vapi function), made once per stack data folder so
// a `dev` restart keeps them (a reset makes new ones, with a new database), and the control URL
// the test-call function drives simulated calls through.
import type { StackConfig } from "../../config.ts";
import { randomBase64url as random } from "../google/http.ts";
import { createVapiSandbox, type VapiSandbox } from "./mod.ts";

export type VapiEnv = Record<
  "VAPI_API_KEY" | "VAPI_BASE_URL" | "VAPI_SERVER_SECRET" | "VAPI_SANDBOX_CONTROL_URL",
  string
>;

/** The sandbox's public URL on this stack. */
export const vapiSandboxUrl = (cfg: StackConfig) => `${cfg.apiUrl}/_local/vapi`;

export async function localVapiEnv(cfg: StackConfig): Promise<VapiEnv> {
  const file = `${cfg.dataDir}/vapi-client.json`;
  let keys: { apiKey: string; serverSecret: string };
  try {
    keys = JSON.parse(await Deno.readTextFile(file));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    // Vapi's private API keys are UUIDs.
    keys = { apiKey: crypto.randomUUID(), serverSecret: random(32) };
    await Deno.mkdir(cfg.dataDir, { recursive: true });
    await Deno.writeTextFile(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  }
  const base = vapiSandboxUrl(cfg);
  return {
    VAPI_API_KEY: keys.apiKey,
    VAPI_BASE_URL: base,
    VAPI_SERVER_SECRET: keys.serverSecret,
    VAPI_SANDBOX_CONTROL_URL: `${base}/control`,
  };
}

/** The sandbox for this stack, its state kept in the stack's data folder. */
export function startVapiSandbox(
  cfg: StackConfig,
  env: VapiEnv,
  functionsUrl = `${cfg.apiUrl}/functions/v1`,
): Promise<VapiSandbox> {
  return createVapiSandbox({
    dataFile: `${cfg.dataDir}/vapi-sandbox.json`,
    baseUrl: vapiSandboxUrl(cfg),
    apiKey: env.VAPI_API_KEY,
    serverSecret: env.VAPI_SERVER_SECRET,
    functionsUrl,
  });
}
