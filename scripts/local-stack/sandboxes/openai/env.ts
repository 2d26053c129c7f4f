// What the local stack gives the functions for OpenAI: an API key made once per stack data
// folder (a `dev` restart keeps it), the sandbox's base URL and the model name.
import type { StackConfig } from "../../config.ts";
import { randomBase64url as random } from "../google/http.ts";
import { createOpenAISandbox, type OpenAISandbox } from "./mod.ts";

export type OpenAIEnv = Record<"OPENAI_API_KEY" | "OPENAI_BASE_URL" | "OPENAI_MODEL", string>;

/** The sandbox's public URL on this stack. */
export const openaiSandboxUrl = (cfg: StackConfig) => `${cfg.apiUrl}/_local/openai`;

export async function localOpenAIEnv(cfg: StackConfig): Promise<OpenAIEnv> {
  const file = `${cfg.dataDir}/openai-client.json`;
  let client: { apiKey: string };
  try {
    client = JSON.parse(await Deno.readTextFile(file));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    client = { apiKey: `sk-proj-${random(36)}` };
    await Deno.mkdir(cfg.dataDir, { recursive: true });
    await Deno.writeTextFile(file, JSON.stringify(client, null, 2), { mode: 0o600 });
  }
  return {
    OPENAI_API_KEY: client.apiKey,
    OPENAI_BASE_URL: `${openaiSandboxUrl(cfg)}/v1`,
    OPENAI_MODEL: "gpt-4.1-mini",
  };
}

/** The sandbox for this stack. */
export const startOpenAISandbox = (env: OpenAIEnv): OpenAISandbox =>
  createOpenAISandbox({ apiKey: env.OPENAI_API_KEY });
