// What every module of the Google sandbox works with.
import type { RequestLog } from "../faults.ts";
import type { Endpoint, Fault, Faults } from "./faults.ts";
import type { Pusher } from "./push.ts";
import type { Store } from "./store.ts";

export interface SandboxContext {
  store: Store;
  faults: Faults;
  log: RequestLog;
  push: Pusher;
  /** The one OAuth client registered (the app), and its only redirect URIs. */
  client: { id: string; secret: string; redirectUris: string[] };
  /** The sandbox's public URL (…/_local/google), for links it hands out. */
  baseUrl: string;
}

/** Logs the request (no token, no body) and answers with `res`. */
export function record(
  ctx: SandboxContext,
  req: Request,
  endpoint: Endpoint | string,
  account: string | null,
  res: Response,
  fault: Fault | null = null,
): Response {
  ctx.log.add({
    method: req.method,
    endpoint,
    status: res.status,
    account,
    fault: fault?.id ?? null,
  });
  return res;
}
