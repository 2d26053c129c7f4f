// What the local stack gives the functions for Twilio voice: the sandbox's REST base URL and the
// public base of the functions (the URL Twilio is given for webhooks, and the one it signs).
import type { StackConfig } from "../../config.ts";
import type { VapiInbound } from "./context.ts";
import { createTwilioSandbox, type TwilioSandbox } from "./mod.ts";

export type TwilioEnv = Record<"TWILIO_API_BASE_URL" | "PUBLIC_FUNCTIONS_URL", string>;

/** The sandbox's public URL on this stack. */
export const twilioSandboxUrl = (cfg: StackConfig) => `${cfg.apiUrl}/_local/twilio`;

export const localTwilioEnv = (cfg: StackConfig): TwilioEnv => ({
  TWILIO_API_BASE_URL: twilioSandboxUrl(cfg),
  PUBLIC_FUNCTIONS_URL: `${cfg.apiUrl}/functions/v1`,
});

/** The sandbox for this stack, its accounts and numbers kept in the stack's data folder; calls
 * to numbers imported into Vapi go to the Vapi sandbox. */
export function startTwilioSandbox(
  cfg: StackConfig,
  env: TwilioEnv,
  vapi: VapiInbound,
): Promise<TwilioSandbox> {
  return createTwilioSandbox({
    vapi,
    dataFile: `${cfg.dataDir}/twilio-sandbox.json`,
    baseUrl: twilioSandboxUrl(cfg),
    functionsUrl: env.PUBLIC_FUNCTIONS_URL,
    demoUrls: {
      // Where Vapi points a number it imports (PROVIDERS §1.9); the Vapi sandbox answers instead.
      voiceUrl: `${cfg.apiUrl}/_local/vapi/twilio/inbound_call`,
      voiceFallbackUrl: `${env.PUBLIC_FUNCTIONS_URL}/twilio-voice/fallback`,
      statusCallback: `${env.PUBLIC_FUNCTIONS_URL}/twilio-voice/status`,
    },
  });
}
