// What every module of the Vapi sandbox works with.
import type { RequestLog } from "../faults.ts";
import type { Faults } from "./faults.ts";
import type { Store } from "./store.ts";

export interface SandboxContext {
  store: Store;
  faults: Faults;
  log: RequestLog;
  /** The API key our code presents (Bearer). */
  apiKey: string;
  /** What the sandbox presents to server URLs for a number's credential (X-Vapi-Secret). */
  serverSecret: string;
  /** The sandbox's public URL (…/_local/vapi), for recording URLs. */
  baseUrl: string;
  /** Delivers server messages (tests pass their own). */
  fetch: typeof fetch;
}
