// Local stand-in for Supabase Auth (GoTrue): the part of its HTTP API that
// @supabase/supabase-js v2 uses, with GoTrue's paths, JSON shapes, error codes,
// JWT claims and `auth` schema rows (see scripts/local-stack/compat/20_auth.sql).
// Production uses the real Supabase Auth; this runs on developer machines and CI.
//
// Behaviour follows github.com/supabase/auth (internal/api/*.go) with the [auth]
// settings of supabase/config.toml (settings.ts: site and redirect URLs, JWT expiry,
// refresh-token rotation, sign-up, confirmations, secure email change, mail frequency,
// rate limits), email provider on, phone provider off, legacy 12-character refresh
// tokens, HS256 access tokens signed with the shared JWT secret.
//
// The gateway in front strips `/auth/v1`, checks the `apikey` header and adds
// CORS headers; `handle()` gets everything after `/auth/v1`. This file holds the
// configuration and the router; routes/ holds the endpoints.

import { isIP } from "node:net";
import { randomUUID } from "node:crypto";

import type { App, Handler, RequestCtx } from "./context.ts";
import { connect } from "./db.ts";
import {
  AuthHttpError,
  badRequest,
  errMessage,
  errorResponse,
  internalError,
  logInternal,
  methodNotAllowed,
  notFound,
} from "./errors.ts";
import { createLinks } from "./links.ts";
import { SlidingWindowLimiter } from "./rate_limit.ts";
import { admin } from "./routes/admin.ts";
import { health, jwks, settings } from "./routes/meta.ts";
import { recover } from "./routes/recover.ts";
import { resend } from "./routes/resend.ts";
import { signup } from "./routes/signup.ts";
import { token } from "./routes/token.ts";
import { getUser, logout, updateUser } from "./routes/user.ts";
import { verify } from "./routes/verify.ts";
import { checkText } from "./params.ts";
import { type AuthSettings, RATE_LIMIT_WINDOW_SECONDS, unsupportedSettings } from "./settings.ts";
import { createSigner } from "./tokens.ts";

export interface AuthConfig {
  /** postgres URL connecting as supabase_auth_admin */
  databaseUrl: string;
  /** HS256 secret shared with PostgREST */
  jwtSecret: string;
  /** public base of the API, e.g. http://127.0.0.1:54321 (auth lives at /auth/v1) */
  externalUrl: string;
  /** folder: each sent mail written as a JSON file {to, subject, text, html, link, sent_at} */
  outboxDir: string;
  /** supabase/config.toml's [auth] settings, with URLs at the stack's port */
  settings: AuthSettings;
}

export interface AuthServer {
  /** `path` is the part after /auth/v1, e.g. "/token" */
  handle(req: Request, path: string, remoteAddr: string): Promise<Response>;
  close(): Promise<void>;
}

const routes: Record<string, Partial<Record<string, Handler>>> = {
  "/health": { GET: health },
  "/.well-known/jwks.json": { GET: jwks },
  "/settings": { GET: settings },
  "/signup": { POST: signup },
  "/token": { POST: token },
  "/verify": { GET: verify, POST: verify },
  "/recover": { POST: recover },
  "/resend": { POST: resend },
  "/logout": { POST: logout },
  "/user": { GET: getUser, PUT: updateUser },
};

export function createAuthServer(config: AuthConfig): AuthServer {
  const settings = config.settings;
  const unsupported = unsupportedSettings(settings);
  if (unsupported) throw new Error(unsupported);
  const database = connect(config.databaseUrl);
  const externalUrl = config.externalUrl.replace(/\/+$/, "");
  const app: App = {
    db: database.db,
    transaction: database.transaction,
    signer: createSigner(config.jwtSecret, externalUrl, settings.jwtExpirySeconds),
    links: createLinks({
      siteUrl: settings.siteUrl,
      externalUrl,
      additionalRedirectUrls: settings.additionalRedirectUrls,
    }),
    outboxDir: config.outboxDir,
    signInLimiter: new SlidingWindowLimiter(
      settings.signInSignUps,
      RATE_LIMIT_WINDOW_SECONDS * 1000,
    ),
    settings,
    verifyLimiter: new SlidingWindowLimiter(
      settings.tokenVerifications,
      RATE_LIMIT_WINDOW_SECONDS * 1000,
    ),
    mailLimiter: new SlidingWindowLimiter(1, Math.max(settings.maxFrequencySeconds, 1) * 1000),
    otpFailures: new Map(),
  };

  async function handle(req: Request, rawPath: string, remoteAddr: string): Promise<Response> {
    const requestId = randomUUID();
    let ctx: RequestCtx | null = null;
    try {
      ctx = requestCtx(req, rawPath, remoteAddr);
      if (req.method === "OPTIONS") return new Response(null, { status: 204 });
      if (ctx.path === "/admin" || ctx.path.startsWith("/admin/")) return await admin(app, ctx);
      const route = routes[ctx.path];
      if (!route) throw notFound("not_found", "404 page not found");
      const handler = route[req.method === "HEAD" ? "GET" : req.method];
      if (!handler) return methodNotAllowed();
      return await handler(app, ctx);
    } catch (e) {
      const err = e instanceof AuthHttpError ? e : internalError(
        "Unexpected failure, please check server logs for more information",
        errMessage(e),
      );
      if (err.status >= 500) logInternal(req.method, ctx?.path ?? "?", err);
      return errorResponse(err, req, requestId);
    }
  }

  return { handle, close: database.close };
}

/**
 * The path as GoTrue's router matches it (decoded, no query, no trailing slash). A malformed
 * escape or a NUL anywhere in the URL is refused here, once for every route.
 */
function requestCtx(req: Request, rawPath: string, remoteAddr: string): RequestCtx {
  let path: string;
  try {
    path = decodeURIComponent(rawPath.split("?")[0] || "/");
  } catch {
    throw badRequest("validation_failed", "The URL path has an invalid percent-encoding");
  }
  checkText(path, "The URL path");
  const url = new URL(req.url);
  for (const [key, value] of url.searchParams) checkText(key + value, "A query parameter");
  if (!path.startsWith("/")) path = "/" + path;
  if (path.length > 1) path = path.replace(/\/+$/, "");
  const addr = remoteAddr.replace(/^\[|\]$/g, "");
  return {
    req,
    url,
    path,
    remoteAddr: addr,
    ip: isIP(addr) ? addr : null,
    userAgent: req.headers.get("user-agent") || null,
  };
}
