// What every module of the OpenAI sandbox works with.
import type { RequestLog } from "../faults.ts";
import type { Faults } from "./faults.ts";
import type { ScriptItem } from "./script.ts";

/** A chat completion request as received, with what the sandbox answered. */
export interface Exchange {
  /** The request log's sequence number of this request. */
  seq: number;
  at: string;
  request: unknown;
  status: number;
  response: unknown;
}

export interface SandboxContext {
  apiKey: string;
  faults: Faults;
  log: RequestLog;
  /** Responses tests queued, answered in order before the default rules. */
  script: ScriptItem[];
  /** The last requests with their answers (tests assert what was sent). */
  exchanges: Exchange[];
  now: () => number;
}
