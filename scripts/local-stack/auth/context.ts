// What every route handler gets: the server's shared services and the request.

import type { Db } from "./db.ts";
import type { Links } from "./links.ts";
import type { SlidingWindowLimiter } from "./rate_limit.ts";
import type { Client } from "./sessions.ts";
import type { AuthSettings } from "./settings.ts";
import type { TokenSigner } from "./tokens.ts";

/** Services shared by all requests to one server. */
export interface App {
  /** the pool, for reads and writes outside a transaction */
  db: Db;
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  signer: TokenSigner;
  links: Links;
  /** where mails are written (see mailer.ts) */
  outboxDir: string;
  /**
   * password sign-ins per (remote address, email), [auth.rate_limit] sign_in_sign_ups of them
   * per 5 minutes. GoTrue counts per address alone; every test signs in from 127.0.0.1.
   */
  signInLimiter: SlidingWindowLimiter;
  /** [auth] settings of supabase/config.toml */
  settings: AuthSettings;
  /** failed verifications (/verify) per remote address: [auth.rate_limit] token_verifications */
  verifyLimiter: SlidingWindowLimiter;
  /** one mail of a kind per address per [auth.email] max_frequency, known address or not */
  mailLimiter: SlidingWindowLimiter;
  /** wrong codes tried against each outstanding one-time token (by its hash) */
  otpFailures: Map<string, number>;
}

export interface RequestCtx extends Client {
  req: Request;
  url: URL;
  /** path below /auth/v1, as GoTrue's router sees it */
  path: string;
  /** the peer address, the rate limit key */
  remoteAddr: string;
}

export type Handler = (app: App, ctx: RequestCtx) => Response | Promise<Response>;
