// What every module of the Twilio sandbox works with.
import type { RequestLog } from "../faults.ts";
import type { Faults } from "./faults.ts";
import type { Messaging } from "./messaging.ts";
import type { Store } from "./store.ts";

/** The Vapi sandbox's in-process API (V2): a call reaching a number imported into Vapi. */
export interface VapiInbound {
  answerInbound(
    inbound: { number: string; callSid: string; from: string; script?: string[] },
  ): Promise<{ handled: true; callId: string } | { handled: false; reason: string }>;
}

export interface SandboxContext {
  store: Store;
  faults: Faults;
  log: RequestLog;
  /** The sandbox's public URL (…/_local/twilio): recording URLs point here. */
  baseUrl: string;
  /** Where Twilio's webhook requests go (tests pass their own). */
  fetch: typeof fetch;
  /** Absent until the stack wires the Vapi sandbox in. */
  vapi: VapiInbound | null;
  /** SMS and WhatsApp messages (messaging.ts). */
  messaging: Messaging;
}
