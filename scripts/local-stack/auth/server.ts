// Local stand-in for Supabase Auth (GoTrue): the part of its HTTP API that
// @supabase/supabase-js v2 uses, with GoTrue's paths, JSON shapes, error codes,
// JWT claims and `auth` schema rows (see scripts/local-stack/compat/20_auth.sql).
// Production uses the real Supabase Auth; this runs on developer machines and CI.
//
// Behaviour follows github.com/supabase/auth (internal/api/*.go) with the
// defaults of `supabase start`: mailer autoconfirm on, email provider on, phone
// provider off, legacy 12-character refresh tokens with rotation and a reuse
// interval of 0, HS256 access tokens signed with the shared JWT secret.
//
// The gateway in front strips `/auth/v1`, checks the `apikey` header and adds
// CORS headers; `handle()` gets everything after `/auth/v1`.

import postgres from "postgres";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { z } from "zod";
import { isIP } from "node:net";
import { randomUUID } from "node:crypto";

import {
  AuthHttpError,
  badRequest,
  errorResponse,
  forbidden,
  internalError,
  jsonResponse,
  notFound,
  tooManyRequests,
  unprocessable,
} from "./errors.ts";
import {
  actorOf,
  AUD,
  audit,
  type AuditActor,
  clearOneTimeTokens,
  confirmPhone,
  confirmUser,
  createIdentity,
  createOneTimeToken,
  type Db,
  findDuplicateEmailUser,
  findIdentities,
  findIdentity,
  findSession,
  findUserByEmail,
  findUserById,
  findUserByPhone,
  type IdentityRow,
  type Json,
  type JsonMap,
  loadUserJson,
  updateAppMetaData,
  updateAppMetaDataProviders,
  updateIdentityData,
  updateUserMetaData,
  userJson,
  type UserRow,
} from "./db.ts";
import { deliver, emailChangeMail, recoveryMail } from "./mailer.ts";
import {
  AdminGenerateLinkParams,
  AdminUserDeleteParams,
  AdminUserParams,
  PasswordGrantParams,
  RecoverParams,
  RefreshTokenGrantParams,
  SignupParams,
  UserUpdateParams,
  VerifyParams,
} from "./schemas.ts";
import {
  byteLength,
  generateOtp,
  generateTokenHash,
  isUuid,
  isValidEmailFormat,
  NIL_UUID,
  obfuscateValue,
  parseGoDuration,
  randomPassword,
  secureAlphanumeric,
  sortKeysDeep,
} from "./util.ts";

export interface AuthConfig {
  /** postgres URL connecting as supabase_auth_admin */
  databaseUrl: string;
  /** HS256 secret shared with PostgREST */
  jwtSecret: string;
  /** access token lifetime, 3600 like `supabase start` */
  jwtExpirySeconds: number;
  /** where links land by default, e.g. http://127.0.0.1:54321 */
  siteUrl: string;
  /** public base of the API, e.g. http://127.0.0.1:54321 (auth lives at /auth/v1) */
  externalUrl: string;
  /** folder: each sent mail written as a JSON file {to, subject, text, html, link, sent_at} */
  outboxDir: string;
  /** the service_role JWT (admin endpoints require a service_role JWT in Authorization) */
  serviceRoleKey: string;
  /** password sign-in attempts per (ip, email) */
  signInRateLimit: { max: number; windowSeconds: number };
  /**
   * Optional: extra allowed redirect targets (GoTrue's URI allow list /
   * `additional_redirect_urls`); exact URLs or globs with `*` and `**`.
   */
  additionalRedirectUrls?: string[];
}

export interface AuthServer {
  /** `path` is the part after /auth/v1, e.g. "/token" */
  handle(req: Request, path: string, remoteAddr: string): Promise<Response>;
  close(): Promise<void>;
}

// Defaults of `supabase start` (supabase/config.toml) where GoTrue has a setting.
const PASSWORD_MIN_LENGTH = 6; // [auth] minimum_password_length
const MAX_PASSWORD_LENGTH = 72; // GoTrue's bcrypt limit
const OTP_LENGTH = 6; // [auth.email] otp_length
const OTP_EXPIRY_SECONDS = 3600; // [auth.email] otp_expiry
const EMAIL_MAX_FREQUENCY_SECONDS = 1; // [auth.email] max_frequency = "1s"
const ADMIN_ROLES = ["service_role", "supabase_admin"]; // GOTRUE_JWT_ADMIN_ROLES default
const ADMIN_GROUP_NAME = "admin"; // GOTRUE_JWT_ADMIN_GROUP_NAME default
const DEFAULT_PER_PAGE = 50;
const MAX_BODY_BYTES = 1 << 20;
const VERSION = "v2-frontdesk-local";

const DUPLICATE_EMAIL_MSG = "A user with this email address has already been registered";
const INVALID_LOGIN_MSG = "Invalid login credentials";

type Claims = {
  sub?: string;
  aud?: string | string[];
  role?: string;
  session_id?: string;
  [k: string]: unknown;
};

interface Ctx {
  req: Request;
  url: URL;
  /** path below /auth/v1, as GoTrue's router sees it */
  path: string;
  ip: string | null;
  userAgent: string | null;
  remoteAddr: string;
}

interface Authenticated {
  claims: Claims;
  user: UserRow;
  sessionId: string | null;
}

interface TokenResponse {
  access_token: string;
  token_type: "bearer";
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: JsonMap;
  weak_password?: { message: string; reasons: string[] };
}

class SlidingWindowLimiter {
  #hits = new Map<string, number[]>();
  constructor(private max: number, private windowMs: number) {}

  /** Records an attempt; returns false when the key is over its limit. */
  take(key: string): boolean {
    const now = Date.now();
    if (this.#hits.size > 10_000) {
      for (const [k, v] of this.#hits) {
        if (!v.length || v[v.length - 1] <= now - this.windowMs) this.#hits.delete(k);
      }
    }
    const recent = (this.#hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.max) {
      this.#hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.#hits.set(key, recent);
    return true;
  }
}

// ---------------------------------------------------------------------------
// Validation helpers (GoTrue: validateEmail, validatePhone, checkPasswordStrength)
// ---------------------------------------------------------------------------

function validateEmail(email: string): string {
  if (email === "") throw badRequest("validation_failed", "An email address is required");
  if (byteLength(email) > 255) {
    throw badRequest("validation_failed", "An email address is too long");
  }
  if (!isValidEmailFormat(email)) {
    throw badRequest("validation_failed", "Unable to validate email address: invalid format");
  }
  return email.toLowerCase();
}

function validatePhone(phone: string): string {
  const formatted = phone.replace(/^\+/, "").replaceAll(" ", "");
  if (!/^[1-9][0-9]{1,14}$/.test(formatted)) {
    throw badRequest("validation_failed", "Invalid phone number format (E.164 required)");
  }
  return formatted;
}

function checkPasswordStrength(password: string) {
  const len = byteLength(password);
  if (len > MAX_PASSWORD_LENGTH) {
    throw badRequest(
      "validation_failed",
      `Password cannot be longer than ${MAX_PASSWORD_LENGTH} characters`,
    );
  }
  if (len < PASSWORD_MIN_LENGTH) {
    throw new AuthHttpError(
      422,
      "weak_password",
      `Password should be at least ${PASSWORD_MIN_LENGTH} characters.`,
      { weakPasswordReasons: ["length"] },
    );
  }
}

function validatePKCEParams(method: string, challenge: string) {
  if ((challenge === "") !== (method === "")) {
    throw badRequest(
      "validation_failed",
      "PKCE flow requires code_challenge_method and code_challenge",
    );
  }
  if (challenge !== "" && !/^[A-Za-z0-9._~-]{43,128}$/.test(challenge)) {
    throw badRequest(
      "validation_failed",
      "code challenge has to be between 43 and 128 characters and only contain alphanumeric characters, '-', '.', '_' and '~'",
    );
  }
}

function pkceUnsupported(): AuthHttpError {
  return badRequest(
    "validation_failed",
    "The PKCE flow (code_challenge) is not supported by the local Auth stand-in; use flowType 'implicit'",
  );
}

/** Milliseconds since epoch of a PostgreSQL timestamptz text (TimeZone=UTC). */
function pgMs(ts: string | null): number | null {
  if (!ts) return null;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?/.exec(ts);
  if (!m) return null;
  const frac = (m[3] ?? ".0").slice(0, 4).padEnd(4, "0");
  return Date.parse(`${m[1]}T${m[2]}${frac}Z`);
}

function otpExpired(sentAt: string | null): boolean {
  const t = pgMs(sentAt);
  return t === null || Date.now() > t + OTP_EXPIRY_SECONDS * 1000;
}

function isOtpValid(actual: string, expected: string | null, sentAt: string | null): boolean {
  if (!expected || !sentAt) return false;
  return !otpExpired(sentAt) && (actual === expected || "pkce_" + actual === expected);
}

function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "");
  if (h === "localhost") return true;
  const v = isIP(h);
  if (v === 4) return h.startsWith("127.");
  if (v === 6) return h === "::1" || h === "0:0:0:0:0:0:0:1";
  return false;
}

function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*") {
      re += ".*";
      i++;
    } else if (c === "*") re += "[^./]*";
    else if (c === "?") re += "[^./]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** ISO-8859-ish url.QueryEscape as Go does it (space -> '+'). */
function goQueryEscape(s: string): string {
  return new URLSearchParams({ x: s }).toString().slice(2);
}

/** url.Values.Encode: keys sorted. */
function goValuesEncode(values: Record<string, string>): string {
  return Object.keys(values).sort().map((k) => `${goQueryEscape(k)}=${goQueryEscape(values[k])}`)
    .join("&");
}

// ---------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------

export function createAuthServer(config: AuthConfig): AuthServer {
  const sql = postgres(config.databaseUrl, {
    max: 8,
    onnotice: () => {},
    connection: { application_name: "frontdesk-auth-standin", TimeZone: "UTC" },
    types: {
      // Keep timestamps as PostgreSQL text: GoTrue prints microseconds.
      timestamp: {
        to: 1184,
        from: [1114, 1184],
        serialize: (x: unknown) => (x instanceof Date ? x.toISOString() : String(x)),
        parse: (x: string) => x,
      },
    },
  }) as unknown as postgres.Sql<Record<string, never>>;
  const db = sql as unknown as Db;

  const jwtKey = new TextEncoder().encode(config.jwtSecret);
  const externalUrl = config.externalUrl.replace(/\/+$/, "");
  const issuer = `${externalUrl}/auth/v1`;
  const signInLimiter = new SlidingWindowLimiter(
    config.signInRateLimit.max,
    config.signInRateLimit.windowSeconds * 1000,
  );
  const allowList = (config.additionalRedirectUrls ?? []).map(globToRegExp);

  // -------------------------------------------------------------------------
  // Request plumbing
  // -------------------------------------------------------------------------

  async function readParams<S extends z.ZodType>(ctx: Ctx, schema: S): Promise<z.infer<S>> {
    return parseParams(await ctx.req.text(), schema);
  }

  function parseParams<S extends z.ZodType>(text: string, schema: S): z.infer<S> {
    if (byteLength(text) > MAX_BODY_BYTES) {
      throw new AuthHttpError(
        413,
        "request_entity_too_large",
        `Request body too large (max ${MAX_BODY_BYTES} bytes)`,
      );
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      // Never echo the body: it may hold a password.
      throw badRequest(
        "bad_json",
        text.trim() === ""
          ? "Could not parse request body as JSON: unexpected end of JSON input"
          : "Could not parse request body as JSON: invalid JSON syntax",
      );
    }
    if (raw === null) raw = {};
    if (typeof raw !== "object" || Array.isArray(raw)) {
      throw badRequest(
        "bad_json",
        `Could not parse request body as JSON: json: cannot unmarshal ${
          Array.isArray(raw) ? "array" : typeof raw
        } into Go value of type object`,
      );
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw badRequest(
        "bad_json",
        `Could not parse request body as JSON: json: cannot unmarshal field "${
          issue.path.join(".")
        }": ${issue.message}`,
      );
    }
    return parsed.data;
  }

  function isRedirectUrlValid(url: string): boolean {
    if (!url) return false;
    let base: URL, ref: URL;
    try {
      base = new URL(config.siteUrl);
      ref = new URL(url);
    } catch {
      return false;
    }
    if (
      base.hostname === ref.hostname && base.protocol === ref.protocol &&
      (base.port === ref.port || isLoopbackHost(ref.hostname))
    ) {
      return true;
    }
    const host = ref.hostname.replace(/^\[|\]$/g, "");
    const isHttp = ref.protocol === "http:" || ref.protocol === "https:";
    if (/^[0-9]+$/.test(host)) return false;
    if (isIP(host)) return isLoopbackHost(host);
    if (isHttp && !/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/.test(host)) return false;
    const matchAgainst = url.split("#")[0];
    return allowList.some((re) => re.test(matchAgainst));
  }

  /** utilities.GetReferrer */
  function getReferrer(ctx: Ctx): string {
    const reqref = ctx.req.headers.get("redirect_to") ||
      ctx.url.searchParams.get("redirect_to") || "";
    if (isRedirectUrlValid(reqref)) return reqref;
    const referer = ctx.req.headers.get("referer") ?? "";
    if (isRedirectUrlValid(referer)) return referer;
    return config.siteUrl;
  }

  function verifyLink(tokenHash: string, type: string, redirectTo: string): string {
    const redirect = /[&=#]/.test(redirectTo) ? goQueryEscape(redirectTo) : redirectTo;
    return `${externalUrl}/auth/v1/verify?token=${goQueryEscape(tokenHash)}&type=${
      goQueryEscape(type)
    }&redirect_to=${redirect}`;
  }

  // -------------------------------------------------------------------------
  // JWTs
  // -------------------------------------------------------------------------

  async function parseJwt(bearer: string): Promise<Claims> {
    try {
      const { payload } = await jwtVerify(bearer, jwtKey, { algorithms: ["HS256"] });
      return payload as Claims;
    } catch (e) {
      let detail = "token is malformed";
      if (e instanceof joseErrors.JWTExpired) detail = "token has invalid claims: token is expired";
      else if (e instanceof joseErrors.JWTClaimValidationFailed) {
        detail = `token has invalid claims: ${
          e.claim === "nbf" ? "token is not valid yet" : e.reason
        }`;
      } else if (e instanceof joseErrors.JWSSignatureVerificationFailed) {
        detail = "token signature is invalid: signature is invalid";
      } else if (e instanceof joseErrors.JOSEAlgNotAllowed) {
        detail = "token signature is invalid: signing method is invalid";
      }
      throw forbidden("bad_jwt", `invalid JWT: unable to parse or verify signature, ${detail}`);
    }
  }

  function bearerToken(ctx: Ctx): string {
    const m = /^bearer (\S+)$/i.exec(ctx.req.headers.get("authorization") ?? "");
    if (!m) {
      throw new AuthHttpError(
        401,
        "no_authorization",
        "This endpoint requires a valid Bearer token",
      );
    }
    return m[1];
  }

  /** maybeLoadUserOrSession */
  async function loadUserAndSession(claims: Claims): Promise<Authenticated> {
    if (!claims.sub) throw forbidden("bad_jwt", "invalid claim: missing sub claim");
    if (!isUuid(claims.sub)) {
      throw badRequest("bad_jwt", "invalid claim: sub claim must be a UUID");
    }
    const user = await findUserById(db, claims.sub);
    if (!user) throw forbidden("user_not_found", "User from sub claim in JWT does not exist");
    let sessionId: string | null = null;
    if (claims.session_id && claims.session_id !== NIL_UUID) {
      if (!isUuid(claims.session_id)) {
        throw forbidden("bad_jwt", "invalid claim: session_id claim must be a UUID");
      }
      const session = await findSession(db, claims.session_id);
      if (!session) {
        throw forbidden("session_not_found", "Session from session_id claim in JWT does not exist");
      }
      sessionId = session.id;
    }
    return { claims, user, sessionId };
  }

  /** requireAuthentication */
  async function requireAuthentication(ctx: Ctx): Promise<Authenticated> {
    const claims = await parseJwt(bearerToken(ctx));
    const auth = await loadUserAndSession(claims);
    if (auth.user.is_banned) throw forbidden("user_banned", "User is banned");
    return auth;
  }

  /** requireAdminCredentials + requireAdmin */
  async function requireAdmin(ctx: Ctx): Promise<AuditActor> {
    const claims = await parseJwt(bearerToken(ctx));
    if (claims.session_id && claims.session_id !== NIL_UUID) {
      const auth = await loadUserAndSession(claims);
      const session = await findSession(db, auth.sessionId!);
      if (session?.not_after_passed) {
        throw forbidden("session_expired", "Session is no longer valid");
      }
    }
    const role = typeof claims.role === "string" ? claims.role : "";
    if (!ADMIN_ROLES.includes(role)) throw forbidden("not_admin", "User not allowed");
    return { id: NIL_UUID, email: role, phone: "", isSsoUser: false };
  }

  /** tokens.Service.GenerateAccessToken */
  async function generateAccessToken(
    tx: Db,
    user: UserRow,
    sessionId: string,
  ): Promise<{ token: string; expiresAt: number }> {
    const amrRows = await tx<{ method: string; ts: string }[]>`
      select authentication_method as method, floor(extract(epoch from updated_at))::bigint::text as ts
      from auth.mfa_amr_claims where session_id = ${sessionId}`;
    const amr = amrRows.map((r) => ({ method: r.method, timestamp: Number(r.ts) }))
      .sort((a, b) => b.timestamp - a.timestamp);
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + config.jwtExpirySeconds;
    const claims: JsonMap = {
      iss: issuer,
      sub: user.id,
      aud: user.aud ?? "",
      exp,
      iat,
      email: user.email ?? "",
      phone: user.phone ?? "",
      app_metadata: sortKeysDeep(user.raw_app_meta_data ?? {}),
      user_metadata: sortKeysDeep(user.raw_user_meta_data ?? {}),
      role: user.role ?? "",
      aal: "aal1",
    };
    if (amr.length) claims.amr = amr;
    claims.session_id = sessionId;
    claims.is_anonymous = user.is_anonymous;
    const token = await new SignJWT(claims as Record<string, unknown>)
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .sign(jwtKey);
    return { token, expiresAt: exp };
  }

  /** models.AddClaimToSession */
  async function addClaimToSession(tx: Db, sessionId: string, method: string) {
    await tx`
      insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
      values (${randomUUID()}, ${sessionId}, now(), now(), ${method})
      on conflict on constraint mfa_amr_claims_session_id_authentication_method_pkey
      do update set updated_at = now()`;
  }

  /** tokens.Service.IssueRefreshToken (legacy refresh tokens): new session + token. */
  async function issueRefreshToken(
    tx: Db,
    ctx: Ctx,
    userId: string,
    method: "password" | "otp",
  ): Promise<TokenResponse> {
    const sessionId = randomUUID();
    await tx`
      insert into auth.sessions (id, user_id, created_at, updated_at, factor_id, aal, user_agent, ip)
      values (${sessionId}, ${userId}, now(), now(), null, 'aal1', ${ctx.userAgent}, ${ctx.ip}::inet)`;
    const refreshToken = secureAlphanumeric(12);
    await tx`
      insert into auth.refresh_tokens
        (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
      values (${NIL_UUID}, ${refreshToken}, ${userId}, false, now(), now(), null, ${sessionId})`;
    await tx`
      update auth.users set last_sign_in_at = now(), updated_at = now() where id = ${userId}`;
    await addClaimToSession(tx, sessionId, method);
    const user = (await findUserById(tx, userId))!;
    const identities = await findIdentities(tx, userId);
    const { token, expiresAt } = await generateAccessToken(tx, user, sessionId);
    return {
      access_token: token,
      token_type: "bearer",
      expires_in: expiresAt - Math.floor(Date.now() / 1000),
      expires_at: expiresAt,
      refresh_token: refreshToken,
      user: userJson(user, identities),
    };
  }

  async function passwordMatches(userId: string, password: string): Promise<boolean> {
    try {
      const rows = await db<{ ok: boolean | null }[]>`
        select (encrypted_password = extensions.crypt(${password}, encrypted_password)) as ok
        from auth.users where id = ${userId}`;
      return rows[0]?.ok === true;
    } catch {
      // Not a hash pgcrypto understands (e.g. argon2): GoTrue would not match either.
      return false;
    }
  }

  /** User.UpdatePassword: new hash, pending tokens cleared, other sessions ended. */
  async function updatePassword(
    tx: Db,
    userId: string,
    password: string,
    keepSessionId: string | null,
  ) {
    if (password === "") {
      await tx`update auth.users set encrypted_password = null where id = ${userId}`;
    } else {
      await tx`
        update auth.users
        set encrypted_password = extensions.crypt(${password}, extensions.gen_salt('bf', 10))
        where id = ${userId}`;
    }
    await tx`
      update auth.users set
        confirmation_token = '', confirmation_sent_at = null,
        recovery_token = '', recovery_sent_at = null,
        email_change_token_current = '', email_change_token_new = '', email_change_sent_at = null,
        phone_change_token = '', phone_change_sent_at = null,
        reauthentication_token = '', reauthentication_sent_at = null,
        updated_at = now()
      where id = ${userId}`;
    await clearOneTimeTokens(tx, userId);
    if (keepSessionId) {
      await tx`delete from auth.sessions where id <> ${keepSessionId} and user_id = ${userId}`;
    } else {
      await tx`delete from auth.sessions where user_id = ${userId}`;
    }
  }

  async function setRole(tx: Db, userId: string, role: string) {
    await tx`update auth.users set role = ${role.trim()}, updated_at = now() where id = ${userId}`;
  }

  async function ban(tx: Db, userId: string, durationMs: number) {
    if (durationMs === 0) {
      await tx`update auth.users set banned_until = null, updated_at = now() where id = ${userId}`;
    } else {
      await tx`
        update auth.users set banned_until = now() + ${durationMs} * interval '1 millisecond',
          updated_at = now()
        where id = ${userId}`;
    }
  }

  function parseBanDuration(s: string): number | null {
    if (s === "") return null;
    if (s === "none") return 0;
    const ms = parseGoDuration(s);
    if (ms === null) {
      throw badRequest(
        "validation_failed",
        `invalid format for ban duration: time: invalid duration "${s}"`,
      );
    }
    return ms;
  }

  // -------------------------------------------------------------------------
  // Endpoints
  // -------------------------------------------------------------------------

  function health(): Response {
    return jsonResponse(200, {
      version: VERSION,
      name: "GoTrue",
      description: "GoTrue is a user registration and authentication API",
    });
  }

  function settings(): Response {
    return jsonResponse(200, {
      external: {
        anonymous_users: false,
        apple: false,
        azure: false,
        bitbucket: false,
        discord: false,
        facebook: false,
        snapchat: false,
        figma: false,
        fly: false,
        github: false,
        gitlab: false,
        google: false,
        keycloak: false,
        kakao: false,
        linkedin: false,
        linkedin_oidc: false,
        notion: false,
        spotify: false,
        slack: false,
        slack_oidc: false,
        workos: false,
        twitch: false,
        twitter: false,
        email: true,
        phone: false,
        zoom: false,
      },
      disable_signup: false,
      mailer_autoconfirm: true,
      phone_autoconfirm: false,
      sms_provider: "twilio",
      saml_enabled: false,
      saml_private_key_next_configured: false,
      passkeys_enabled: false,
    });
  }

  function jwks(): Response {
    // Only a symmetric HS256 secret is configured; GoTrue never publishes it.
    return jsonResponse(200, { keys: [] }, { "Cache-Control": "public, max-age=600" });
  }

  /** POST /signup (api.Signup) */
  async function signup(ctx: Ctx): Promise<Response> {
    const p = await readParams(ctx, SignupParams);
    const email0 = p.email ?? "";
    const phone0 = p.phone ?? "";
    const password = p.password ?? "";
    const data: JsonMap = p.data ?? {};
    const provider = email0 !== "" ? "email" : phone0 !== "" ? "phone" : "";

    if (password === "") throw badRequest("validation_failed", "Signup requires a valid password");
    checkPasswordStrength(password);
    if (email0 !== "" && phone0 !== "") {
      throw badRequest(
        "validation_failed",
        "Only an email address or phone number should be provided on signup.",
      );
    }
    validatePKCEParams(p.code_challenge_method ?? "", p.code_challenge ?? "");
    if (provider === "phone") {
      throw badRequest("phone_provider_disabled", "Phone signups are disabled");
    }
    if (provider !== "email") {
      throw badRequest("validation_failed", "Sign up only available with email provider");
    }
    const email = validateEmail(email0);

    const outcome = await sql.begin(async (txs) => {
      const tx = txs as unknown as Db;
      let user = await findDuplicateEmailUser(tx, email, null);
      if (user && user.email_confirmed_at) return { existing: user, token: null };

      if (!user) {
        const id = randomUUID();
        const appMeta: JsonMap = { provider: "email", providers: ["email"] };
        try {
          await tx`
            insert into auth.users (
              instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, invited_at,
              confirmation_token, confirmation_sent_at, recovery_token, recovery_sent_at,
              email_change_token_new, email_change, email_change_sent_at, last_sign_in_at,
              raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
              phone, phone_confirmed_at, phone_change, phone_change_token, phone_change_sent_at,
              email_change_token_current, email_change_confirm_status, banned_until,
              reauthentication_token, reauthentication_sent_at, is_sso_user, deleted_at, is_anonymous
            ) values (
              ${NIL_UUID}, ${id}, ${AUD}, '', ${email},
              extensions.crypt(${password}, extensions.gen_salt('bf', 10)), null, null,
              '', null, '', null,
              '', '', null, null,
              ${tx.json(appMeta as Json)}::jsonb, ${tx.json(data as Json)}::jsonb, now(), now(),
              null, null, '', '', null,
              '', 0, null,
              '', null, false, null, false
            )`;
          await setRole(tx, id, AUD);
        } catch (e) {
          throw internalError("Database error saving new user", pgMessage(e));
        }
        user = (await findUserById(tx, id))!;
      }

      let identity = await findIdentity(tx, user.id, "email");
      if (!identity) {
        const identityData: JsonMap = {
          sub: user.id,
          email: user.email ?? "",
          email_verified: false,
          phone_verified: false,
        };
        for (const [k, v] of Object.entries(data)) if (!(k in identityData)) identityData[k] = v;
        identity = await createIdentity(tx, user.id, "email", identityData);
        // User.RemoveUnconfirmedIdentities
        await updateUserMetaData(tx, user.id, identityData);
        await tx`delete from auth.identities where user_id = ${user.id} and id <> ${identity.id}`;
        await updateAppMetaDataProviders(tx, user.id);
      }

      user = (await findUserById(tx, user.id))!;
      if (!user.email_confirmed_at) {
        // mailer autoconfirm
        await audit(tx, actorOf(user), "user_signedup", { provider: "email" });
        await confirmUser(tx, user.id);
      }
      user = (await findUserById(tx, user.id))!;
      await audit(tx, actorOf(user), "login", { provider: "email" });
      return { existing: null, token: await issueRefreshToken(tx, ctx, user.id, "password") };
    });

    if (outcome.existing) {
      await audit(db, actorOf(outcome.existing), "user_repeated_signup", { provider: "email" });
      throw unprocessable("user_already_exists", "User already registered");
    }
    return jsonResponse(200, outcome.token);
  }

  /** POST /token (api.Token) */
  function token(ctx: Ctx): Promise<Response> {
    const grantType = ctx.url.searchParams.get("grant_type") ?? "";
    switch (grantType) {
      case "password":
        return passwordGrant(ctx);
      case "refresh_token":
        return refreshTokenGrant(ctx);
      case "id_token":
      case "pkce":
      case "web3":
        throw badRequest(
          "validation_failed",
          `grant_type=${grantType} is not supported by the local Auth stand-in`,
        );
      default:
        throw badRequest("invalid_credentials", "unsupported_grant_type");
    }
  }

  /** ResourceOwnerPasswordGrant */
  async function passwordGrant(ctx: Ctx): Promise<Response> {
    const p = await readParams(ctx, PasswordGrantParams);
    const email = p.email ?? "";
    const phone = p.phone ?? "";
    const password = p.password ?? "";
    if (email !== "" && phone !== "") {
      throw badRequest(
        "validation_failed",
        "Only an email address or phone number should be provided on login.",
      );
    }
    if (email === "" && phone === "") {
      throw badRequest("validation_failed", "missing email or phone");
    }
    if (phone !== "") throw unprocessable("phone_provider_disabled", "Phone logins are disabled");

    if (!signInLimiter.take(`${ctx.remoteAddr}\u0000${email.toLowerCase()}`)) {
      throw tooManyRequests("over_request_rate_limit", "Request rate limit reached");
    }

    const user = await findUserByEmail(db, email, "Database error querying schema");
    if (!user || !user.encrypted_password) {
      throw badRequest("invalid_credentials", INVALID_LOGIN_MSG);
    }
    if (user.is_banned) throw badRequest("user_banned", "User is banned");
    const valid = await passwordMatches(user.id, password);
    if (!valid) throw badRequest("invalid_credentials", INVALID_LOGIN_MSG);
    if (!user.email_confirmed_at) throw badRequest("email_not_confirmed", "Email not confirmed");

    let weak: TokenResponse["weak_password"];
    try {
      checkPasswordStrength(password);
    } catch (e) {
      if (e instanceof AuthHttpError && e.weakPasswordReasons) {
        weak = { message: e.message, reasons: e.weakPasswordReasons };
      }
    }

    const tokenResponse = await sql.begin(async (txs) => {
      const tx = txs as unknown as Db;
      await audit(tx, actorOf(user), "login", { provider: "email" });
      return await issueRefreshToken(tx, ctx, user.id, "password");
    });
    if (weak) tokenResponse.weak_password = weak;
    return jsonResponse(200, tokenResponse);
  }

  /** RefreshTokenGrant (legacy refresh tokens, rotation on, reuse interval 0) */
  async function refreshTokenGrant(ctx: Ctx): Promise<Response> {
    const p = await readParams(ctx, RefreshTokenGrantParams);
    const presented = p.refresh_token ?? "";
    if (presented.length < 12 || !/^[a-z0-9]{12}$/.test(presented)) {
      throw badRequest("validation_failed", "Refresh token is not valid");
    }

    const result = await sql.begin(async (txs) => {
      const tx = txs as unknown as Db;
      const rows = await tx<
        {
          id: string;
          token: string;
          user_id: string;
          revoked: boolean;
          session_id: string | null;
        }[]
      >`
        select id, token, user_id, coalesce(revoked, false) as revoked, session_id
        from auth.refresh_tokens where token = ${presented} limit 1 for update`;
      const rt = rows[0];
      if (!rt) {
        throw badRequest(
          "refresh_token_not_found",
          "Invalid Refresh Token: Refresh Token Not Found",
        );
      }
      const user = isUuid(rt.user_id) ? await findUserById(tx, rt.user_id) : null;
      if (!user) {
        throw badRequest(
          "refresh_token_not_found",
          "Invalid Refresh Token: Refresh Token Not Found",
        );
      }
      if (user.is_banned) throw badRequest("user_banned", "Invalid Refresh Token: User Banned");

      const session = rt.session_id ? await findSession(tx, rt.session_id, true) : null;
      if (!session) {
        await tx`delete from auth.refresh_tokens where id = ${rt.id}`;
        return {
          error: badRequest(
            "session_not_found",
            "Invalid Refresh Token: No Valid Session Found",
          ),
        };
      }
      if (session.not_after_passed) {
        throw badRequest("session_expired", "Invalid Refresh Token: Session Expired");
      }

      if (rt.revoked) {
        // Reuse detected. GoTrue would still hand the active token to a replay of its
        // direct parent; frontdesk runs with refresh_token_reuse_interval = 0 and rejects
        // every reuse: revoke the whole token family (the session's tokens), commit, fail.
        await tx`
          update auth.refresh_tokens set revoked = true, updated_at = now()
          where session_id = ${session.id} and revoked = false`;
        return {
          error: badRequest("refresh_token_already_used", "Invalid Refresh Token: Already Used"),
        };
      }

      // models.GrantRefreshTokenSwap
      await audit(tx, actorOf(user), "token_refreshed");
      await audit(tx, actorOf(user), "token_revoked");
      await tx`
        update auth.refresh_tokens set revoked = true, updated_at = now() where id = ${rt.id}`;
      const issued = secureAlphanumeric(12);
      await tx`
        insert into auth.refresh_tokens
          (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
        values (${NIL_UUID}, ${issued}, ${user.id}, false, now(), now(), ${rt.token}, ${session.id})`;
      // createRefreshToken -> User.UpdateLastSignInAt (value unchanged, updated_at bumped)
      await tx`update auth.users set updated_at = now() where id = ${user.id}`;

      const fresh = (await findUserById(tx, user.id))!;
      const { token, expiresAt } = await generateAccessToken(tx, fresh, session.id);
      await tx`
        update auth.sessions set refreshed_at = (now() at time zone 'utc'),
          user_agent = ${ctx.userAgent}, ip = ${ctx.ip}::inet, updated_at = now()
        where id = ${session.id}`;
      const response: TokenResponse = {
        access_token: token,
        token_type: "bearer",
        expires_in: expiresAt - Math.floor(Date.now() / 1000),
        expires_at: expiresAt,
        refresh_token: issued,
        user: userJson(fresh, await findIdentities(tx, user.id)),
      };
      return { response };
    });

    if ("error" in result) throw result.error;
    return jsonResponse(200, result.response);
  }

  /** GET /user */
  async function getUser(ctx: Ctx): Promise<Response> {
    const auth = await requireAuthentication(ctx);
    const aud = Array.isArray(auth.claims.aud) ? auth.claims.aud[0] : auth.claims.aud;
    const requestAud = ADMIN_ROLES.includes(String(auth.claims.role ?? "")) ? AUD : aud || AUD;
    if (!aud || aud !== requestAud) {
      throw badRequest("validation_failed", "Token audience doesn't match request audience");
    }
    return jsonResponse(200, userJson(auth.user, await findIdentities(db, auth.user.id)));
  }

  /** sendEmailChange: mails to the new and (secure email change) the current address. */
  async function sendEmailChange(tx: Db, ctx: Ctx, user: UserRow, newEmail: string) {
    const sentAt = pgMs(user.email_change_sent_at);
    if (sentAt !== null && sentAt + EMAIL_MAX_FREQUENCY_SECONDS * 1000 > Date.now()) {
      const left = Math.trunc((sentAt + EMAIL_MAX_FREQUENCY_SECONDS * 1000 - Date.now()) / 1000);
      throw tooManyRequests(
        "over_email_send_rate_limit",
        `For security purposes, you can only request this after ${left} seconds.`,
      );
    }
    const otpNew = generateOtp(OTP_LENGTH);
    const tokenNew = generateTokenHash(newEmail, otpNew);
    const currentEmail = user.email ?? "";
    const otpCurrent = currentEmail !== "" ? generateOtp(OTP_LENGTH) : "";
    const tokenCurrent = currentEmail !== "" ? generateTokenHash(currentEmail, otpCurrent) : "";
    const referrer = getReferrer(ctx);
    try {
      await deliver(
        config.outboxDir,
        emailChangeMail(newEmail, newEmail, verifyLink(tokenNew, "email_change", referrer), otpNew),
      );
      if (currentEmail !== "") {
        await deliver(
          config.outboxDir,
          emailChangeMail(
            currentEmail,
            newEmail,
            verifyLink(tokenCurrent, "email_change", referrer),
            otpCurrent,
          ),
        );
      }
    } catch (e) {
      throw internalError("Error sending email change email", errMessage(e));
    }
    await tx`
      update auth.users set email_change_token_current = ${tokenCurrent},
        email_change_token_new = ${tokenNew}, email_change = ${newEmail},
        email_change_sent_at = now(), email_change_confirm_status = 0, updated_at = now()
      where id = ${user.id}`;
    if (tokenCurrent !== "") {
      await createOneTimeToken(
        tx,
        user.id,
        currentEmail,
        tokenCurrent,
        "email_change_token_current",
      );
    }
    await createOneTimeToken(tx, user.id, newEmail, tokenNew, "email_change_token_new");
  }

  /** emailChangeVerify (mailer autoconfirm on: a single confirmation completes the change) */
  async function applyEmailChange(tx: Db, user: UserRow) {
    const newEmail = user.email_change ?? "";
    await audit(tx, actorOf(user), "user_modified");
    const identity = await findIdentity(tx, user.id, "email");
    if (!identity) {
      await createIdentity(tx, user.id, "email", {
        sub: user.id,
        email: newEmail,
        email_verified: true,
        phone_verified: false,
      });
    } else {
      await updateIdentityData(tx, identity.id, { email: newEmail, email_verified: true });
    }
    if (user.is_anonymous) {
      await tx`update auth.users set is_anonymous = false, updated_at = now() where id = ${user.id}`;
    }
    // User.ConfirmEmailChange
    await tx`
      update auth.users set email = ${newEmail}, email_change = '', email_change_token_current = '',
        email_change_token_new = '', email_change_confirm_status = 0, updated_at = now()
      where id = ${user.id}`;
    await clearOneTimeTokens(tx, user.id);
    if (!user.email_confirmed_at) await confirmUser(tx, user.id);
  }

  /** PUT /user (api.UserUpdate) */
  async function updateUser(ctx: Ctx): Promise<Response> {
    const auth = await requireAuthentication(ctx);
    const p = await readParams(ctx, UserUpdateParams);
    const user = auth.user;

    let email = p.email ?? "";
    let phone = p.phone ?? "";
    if (email !== "") email = validateEmail(email);
    if (phone !== "") phone = validatePhone(phone);
    const password = p.password ?? null;
    if (password !== null) checkPasswordStrength(password);

    const isAdminUser = user.aud === AUD && user.role === ADMIN_GROUP_NAME;
    if (p.app_metadata != null && !isAdminUser) {
      throw forbidden("not_admin", "Updating app_metadata requires admin privileges");
    }
    if (user.is_anonymous && password !== null && password !== "" && email === "" && phone === "") {
      throw unprocessable(
        "validation_failed",
        "Updating password of an anonymous user without an email or phone is not allowed",
      );
    }
    if (email !== "" && (user.email ?? "") !== email) {
      if (await findDuplicateEmailUser(db, email, user.id)) {
        throw unprocessable("email_exists", DUPLICATE_EMAIL_MSG);
      }
    }
    if (phone !== "" && (user.phone ?? "") !== phone) {
      if (await findUserByPhone(db, phone)) {
        throw unprocessable(
          "phone_exists",
          "A user with this phone number has already been registered",
        );
      }
      throw internalError(
        "Error sending phone change otp",
        "phone provider is disabled in the local Auth stand-in",
      );
    }
    if (password !== null && password !== "" && user.encrypted_password) {
      if (await passwordMatches(user.id, password)) {
        throw unprocessable(
          "same_password",
          "New password should be different from the old password.",
        );
      }
    }

    await sql.begin(async (txs) => {
      const tx = txs as unknown as Db;
      if (password !== null) {
        await updatePassword(tx, user.id, password, auth.sessionId);
        await audit(tx, actorOf(user), "user_updated_password");
      }
      if (p.data != null) await updateUserMetaData(tx, user.id, p.data);
      if (p.app_metadata != null) await updateAppMetaData(tx, user.id, p.app_metadata);
      if (email !== "" && email !== (user.email ?? "")) {
        const current = (await findUserById(tx, user.id))!;
        if (current.is_anonymous) {
          await tx`update auth.users set email_change = ${email} where id = ${user.id}`;
          await applyEmailChange(tx, (await findUserById(tx, user.id))!);
        } else {
          await sendEmailChange(tx, ctx, current, email);
        }
      }
      await audit(tx, actorOf(user), "user_modified");
    });
    return jsonResponse(200, await loadUserJson(db, user.id));
  }

  /** POST /logout (api.Logout) */
  async function logout(ctx: Ctx): Promise<Response> {
    const auth = await requireAuthentication(ctx);
    const scopeParam = ctx.url.searchParams.get("scope") ?? "";
    let scope: "global" | "local" | "others";
    switch (scopeParam) {
      case "":
      case "global":
        scope = "global";
        break;
      case "local":
        scope = "local";
        break;
      case "others":
        scope = "others";
        break;
      default:
        throw badRequest("validation_failed", `Unsupported logout scope "${scopeParam}"`);
    }
    await sql.begin(async (txs) => {
      const tx = txs as unknown as Db;
      await audit(tx, actorOf(auth.user), "logout");
      if (auth.sessionId && scope === "local") {
        await tx`delete from auth.sessions where id = ${auth.sessionId}`;
      } else if (auth.sessionId && scope === "others") {
        await tx`
          delete from auth.sessions where id <> ${auth.sessionId} and user_id = ${auth.user.id}`;
      } else {
        await tx`delete from auth.sessions where user_id = ${auth.user.id}`;
      }
    });
    return new Response(null, { status: 204 });
  }

  /** POST /recover (api.Recover + sendPasswordRecovery) */
  async function recover(ctx: Ctx): Promise<Response> {
    const p = await readParams(ctx, RecoverParams);
    const email0 = p.email ?? "";
    if (email0 === "") throw badRequest("validation_failed", "Password recovery requires an email");
    const email = validateEmail(email0);
    validatePKCEParams(p.code_challenge_method ?? "", p.code_challenge ?? "");
    if ((p.code_challenge ?? "") !== "") throw pkceUnsupported();

    const user = await findUserByEmail(db, email, "Unable to process request");
    if (!user) return jsonResponse(200, {});

    await sql.begin(async (txs) => {
      const tx = txs as unknown as Db;
      await audit(tx, actorOf(user), "user_recovery_requested");
      const sentAt = pgMs(user.recovery_sent_at);
      if (sentAt !== null && sentAt + EMAIL_MAX_FREQUENCY_SECONDS * 1000 > Date.now()) {
        const left = Math.trunc((sentAt + EMAIL_MAX_FREQUENCY_SECONDS * 1000 - Date.now()) / 1000);
        throw tooManyRequests(
          "over_email_send_rate_limit",
          `For security purposes, you can only request this after ${left} seconds.`,
        );
      }
      const otp = generateOtp(OTP_LENGTH);
      const tokenHash = generateTokenHash(user.email ?? "", otp);
      try {
        await deliver(
          config.outboxDir,
          recoveryMail(
            user.email ?? "",
            verifyLink(tokenHash, "recovery", getReferrer(ctx)),
            otp,
          ),
        );
      } catch (e) {
        throw internalError("Error sending recovery email", errMessage(e));
      }
      await tx`
        update auth.users set recovery_token = ${tokenHash}, recovery_sent_at = now(),
          updated_at = now()
        where id = ${user.id}`;
      await createOneTimeToken(tx, user.id, user.email ?? "", tokenHash, "recovery_token");
    });
    return jsonResponse(200, {});
  }

  /** One-time-token lookup by hash (models.FindOneTimeToken + FindUserByID). */
  async function userByOneTimeToken(
    tx: Db,
    tokenHash: string,
    types: string[],
  ): Promise<UserRow | null> {
    const [a, b] = [types[0], types[1] ?? types[0]];
    const rows = await tx<{ user_id: string }[]>`
      select user_id from auth.one_time_tokens
      where (token_type::text = ${a} or token_type::text = ${b}) and token_hash = ${tokenHash}
      limit 1`;
    if (!rows[0]) return null;
    return await findUserById(tx, rows[0].user_id, "Database error finding user from email link");
  }

  /** verifyTokenHash: returns the user and the effective verification type. */
  async function verifyTokenHash(
    tx: Db,
    type: string,
    tokenHash: string,
  ): Promise<{ user: UserRow; type: string }> {
    let user: UserRow | null;
    switch (type) {
      case "email":
        user = await userByOneTimeToken(tx, tokenHash, ["confirmation_token", "recovery_token"]);
        break;
      case "signup":
      case "invite":
        user = await userByOneTimeToken(tx, tokenHash, ["confirmation_token"]);
        break;
      case "recovery":
      case "magiclink":
        user = await userByOneTimeToken(tx, tokenHash, ["recovery_token"]);
        break;
      case "email_change":
        user = await userByOneTimeToken(tx, tokenHash, [
          "email_change_token_current",
          "email_change_token_new",
        ]);
        break;
      default:
        throw badRequest("validation_failed", "Invalid email verification type");
    }
    if (!user) throw forbidden("otp_expired", "Email link is invalid or has expired");
    if (user.is_banned) throw forbidden("user_banned", "User is banned");
    let expired: boolean;
    let effective = type;
    switch (type) {
      case "email":
        if (user.recovery_token === tokenHash) {
          expired = otpExpired(user.recovery_sent_at);
          effective = "magiclink";
        } else {
          expired = otpExpired(user.confirmation_sent_at);
          effective = "signup";
        }
        break;
      case "signup":
      case "invite":
        expired = otpExpired(user.confirmation_sent_at);
        break;
      case "recovery":
      case "magiclink":
        expired = otpExpired(user.recovery_sent_at);
        break;
      default:
        expired = otpExpired(user.email_change_sent_at);
    }
    if (expired) throw forbidden("otp_expired", "Email link is invalid or has expired");
    return { user, type: effective };
  }

  /** verifyUserAndToken (POST /verify with email + 6-digit code) */
  async function verifyUserAndToken(
    tx: Db,
    type: string,
    email: string,
    tokenHash: string,
  ): Promise<{ user: UserRow; type: string }> {
    const invalid = () => forbidden("otp_expired", "Token has expired or is invalid");
    let user: UserRow | null;
    switch (type) {
      case "sms":
      case "phone_change":
        // Phone provider disabled: no phone OTP was ever sent.
        throw invalid();
      case "email_change":
        user = await userByOneTimeToken(tx, tokenHash, ["email_change_token_current"]) ??
          await userByOneTimeToken(tx, "pkce_" + tokenHash, ["email_change_token_current"]) ??
          await userByOneTimeToken(tx, tokenHash, ["email_change_token_new"]) ??
          await userByOneTimeToken(tx, "pkce_" + tokenHash, ["email_change_token_new"]);
        break;
      default:
        user = await findUserByEmail(tx, email);
    }
    if (!user) throw invalid();
    if (user.is_banned) throw forbidden("user_banned", "User is banned");
    let valid = false;
    let effective = type;
    switch (type) {
      case "email":
        if (isOtpValid(tokenHash, user.confirmation_token, user.confirmation_sent_at)) {
          valid = true;
          effective = "signup";
        } else if (isOtpValid(tokenHash, user.recovery_token, user.recovery_sent_at)) {
          valid = true;
          effective = "magiclink";
        }
        break;
      case "signup":
      case "invite":
        valid = isOtpValid(tokenHash, user.confirmation_token, user.confirmation_sent_at);
        break;
      case "recovery":
      case "magiclink":
        valid = isOtpValid(tokenHash, user.recovery_token, user.recovery_sent_at);
        break;
      case "email_change":
        valid = isOtpValid(tokenHash, user.email_change_token_current, user.email_change_sent_at) ||
          isOtpValid(tokenHash, user.email_change_token_new, user.email_change_sent_at);
        break;
    }
    if (!valid) throw invalid();
    return { user, type: effective };
  }

  /** The state change of a successful verification, then a new session (amr "otp"). */
  async function completeVerification(
    tx: Db,
    ctx: Ctx,
    user: UserRow,
    type: string,
  ): Promise<TokenResponse> {
    switch (type) {
      case "signup":
      case "invite": {
        await audit(tx, actorOf(user), "user_signedup", { provider: "email" });
        await confirmUser(tx, user.id);
        for (const identity of await findIdentities(tx, user.id)) {
          if (!identity.email || !user.email || identity.email !== user.email) continue;
          await updateIdentityData(tx, identity.id, { email_verified: true });
        }
        break;
      }
      case "recovery":
      case "magiclink": {
        // User.Recover
        await tx`update auth.users set recovery_token = '', updated_at = now() where id = ${user.id}`;
        await clearOneTimeTokens(tx, user.id);
        if (!user.email_confirmed_at) {
          await audit(tx, actorOf(user), "user_signedup", { provider: "email" });
          await confirmUser(tx, user.id);
        } else {
          await audit(tx, actorOf(user), "login");
        }
        break;
      }
      case "email_change":
        await applyEmailChange(tx, user);
        break;
      default:
        throw badRequest("validation_failed", "Unsupported verification type");
    }
    await updateAppMetaDataProviders(tx, user.id);
    return await issueRefreshToken(tx, ctx, user.id, "otp");
  }

  function seeOther(location: string): Response {
    return new Response(`<a href="${location.replace(/"/g, "&quot;")}">See Other</a>.\n\n`, {
      status: 303,
      headers: { Location: location, "Content-Type": "text/html; charset=utf-8" },
    });
  }

  /** prepErrorRedirectURL (implicit flow: error in the fragment) */
  function errorRedirectUrl(err: AuthHttpError, redirectTo: string): string | null {
    let u: URL;
    try {
      u = new URL(redirectTo);
    } catch {
      return null;
    }
    const oauthError: Record<number, string> = {
      400: "invalid_request",
      401: "unauthorized_client",
      403: "access_denied",
      500: "server_error",
      503: "temporarily_unavailable",
    };
    const hq: Record<string, string> = {};
    if (oauthError[err.status]) hq.error = oauthError[err.status];
    hq.error_code = err.errorCode;
    hq.error_description = err.message;
    hq.sb = "";
    u.hash = goValuesEncode(hq);
    return u.toString();
  }

  /** GET|POST /verify (api.Verify) */
  async function verify(ctx: Ctx): Promise<Response> {
    if (ctx.req.method === "GET") {
      const q = ctx.url.searchParams;
      const tokenHash = q.get("token") ?? "";
      const type = q.get("type") ?? "";
      const redirectTo = getReferrer(ctx);
      if (type === "") throw badRequest("validation_failed", "Verify requires a verification type");
      if (tokenHash === "") {
        throw badRequest("validation_failed", "Verify requires a token or a token hash");
      }
      let tokenResponse: TokenResponse;
      try {
        tokenResponse = await sql.begin(async (txs) => {
          const tx = txs as unknown as Db;
          const found = await verifyTokenHash(tx, type, tokenHash);
          return await completeVerification(tx, ctx, found.user, found.type);
        });
      } catch (e) {
        if (e instanceof AuthHttpError) {
          const location = errorRedirectUrl(e, redirectTo);
          if (location === null) throw e;
          if (e.status >= 500) logInternal(ctx, e);
          return seeOther(location);
        }
        throw e;
      }
      const fragment = goValuesEncode({
        access_token: tokenResponse.access_token,
        token_type: tokenResponse.token_type,
        expires_in: String(tokenResponse.expires_in),
        expires_at: String(tokenResponse.expires_at),
        refresh_token: tokenResponse.refresh_token,
        sb: "",
        type,
      });
      return seeOther(`${redirectTo}#${fragment}`);
    }

    const p = await readParams(ctx, VerifyParams);
    const type = p.type ?? "";
    const token = p.token ?? "";
    let tokenHash = p.token_hash ?? "";
    let email = p.email ?? "";
    const phone = p.phone ?? "";
    if (type === "") throw badRequest("validation_failed", "Verify requires a verification type");
    if ((token === "" && tokenHash === "") || (token !== "" && tokenHash !== "")) {
      throw badRequest("validation_failed", "Verify requires either a token or a token hash");
    }
    if (token !== "") {
      if (phone !== "" && email === "") {
        tokenHash = generateTokenHash(validatePhone(phone), token);
      } else if (phone === "" && email !== "") {
        try {
          email = validateEmail(email);
        } catch {
          throw unprocessable("validation_failed", "Invalid email format");
        }
        tokenHash = generateTokenHash(email, token);
      } else {
        throw badRequest(
          "validation_failed",
          "Only an email address or phone number should be provided on verify",
        );
      }
    } else if (email !== "" || phone !== "" || (p.redirect_to ?? "") !== "") {
      throw badRequest("validation_failed", "Only the token_hash and type should be provided");
    }
    const usingTokenHash = token === "";
    const tokenResponse = await sql.begin(async (txs) => {
      const tx = txs as unknown as Db;
      const found = usingTokenHash
        ? await verifyTokenHash(tx, type, tokenHash)
        : await verifyUserAndToken(tx, type, email, tokenHash);
      return await completeVerification(tx, ctx, found.user, found.type);
    });
    return jsonResponse(200, tokenResponse);
  }

  // ---- admin -------------------------------------------------------------

  async function loadAdminTarget(idParam: string): Promise<UserRow> {
    if (!isUuid(idParam)) throw notFound("validation_failed", "user_id must be an UUID");
    const user = await findUserById(db, idParam, "Database error loading user");
    if (!user) throw notFound("user_not_found", "User not found");
    return user;
  }

  /** GET /admin/users (adminUsers, offset pagination) */
  async function adminListUsers(ctx: Ctx): Promise<Response> {
    const q = ctx.url.searchParams;
    let desc = true;
    const sorts = q.getAll("sort");
    for (const s of sorts) {
      const [field, dir] = s.split(" ", 2);
      if (field !== "created_at") {
        throw badRequest(
          "validation_failed",
          `Bad Sort Parameters: bad field for sort '${field}'`,
        );
      }
      if (dir !== undefined) {
        if (dir.toUpperCase() === "ASC") desc = false;
        else if (dir.toUpperCase() === "DESC") desc = true;
        else {
          throw badRequest(
            "validation_failed",
            `Bad Sort Parameters: bad direction for sort '${dir}', only 'asc' and 'desc' allowed`,
          );
        }
      } else desc = true;
    }
    const parseUint = (name: string, dflt: number): number => {
      const raw = q.get(name);
      if (raw === null || raw === "") return dflt;
      if (!/^[0-9]+$/.test(raw)) {
        throw badRequest(
          "validation_failed",
          `Bad Pagination Parameters: strconv.ParseUint: parsing "${raw}": invalid syntax`,
        );
      }
      return Number(raw);
    };
    const page = parseUint("page", 1);
    const perPage = parseUint("per_page", DEFAULT_PER_PAGE);
    const effPage = page < 1 ? 1 : page;
    const effPerPage = perPage < 1 ? 20 : perPage;
    const filter = q.get("filter") ?? "";
    const like = `%${filter}%`;

    const where = filter !== ""
      ? db`instance_id = ${NIL_UUID} and aud = ${AUD}
           and (email like ${like} or raw_user_meta_data->>'full_name' ilike ${like})`
      : db`instance_id = ${NIL_UUID} and aud = ${AUD}`;
    const countRows = await db<{ n: string }[]>`
      select count(*)::text as n from auth.users where ${where}`;
    const total = Number(countRows[0].n);
    const users = desc
      ? await db<UserRow[]>`
        select u.*, (u.banned_until is not null and u.banned_until > now()) as is_banned
        from auth.users u where ${where} order by created_at desc
        limit ${effPerPage} offset ${(effPage - 1) * effPerPage}`
      : await db<UserRow[]>`
        select u.*, (u.banned_until is not null and u.banned_until > now()) as is_banned
        from auth.users u where ${where} order by created_at asc
        limit ${effPerPage} offset ${(effPage - 1) * effPerPage}`;
    const identities = users.length
      ? await db<IdentityRow[]>`
        select * from auth.identities where user_id = any(${
        db.array(users.map((u) => u.id))
      }::uuid[])
        order by created_at, id`
      : [];
    const byUser = new Map<string, IdentityRow[]>();
    for (const i of identities) {
      const list = byUser.get(i.user_id) ?? [];
      list.push(i);
      byUser.set(i.user_id, list);
    }

    // addPaginationHeaders (links relative to the Auth API root, as GoTrue sees its URL)
    const perPageForPages = perPage < 1 ? effPerPage : perPage;
    const totalPages = Math.floor(total / perPageForPages) + (total % perPageForPages > 0 ? 1 : 0);
    const linkFor = (p: number) => {
      const params: Record<string, string> = {};
      for (const [k, v] of q) if (!(k in params)) params[k] = v;
      params.page = String(p);
      return `${ctx.path}?${goValuesEncode(params)}`;
    };
    let link = "";
    if (totalPages > page) link += `<${linkFor(page + 1)}>; rel="next", `;
    link += `<${linkFor(totalPages)}>; rel="last"`;

    return jsonResponse(200, {
      users: users.map((u) => userJson(u, byUser.get(u.id) ?? [])),
      aud: AUD,
    }, { Link: link, "X-Total-Count": String(total) });
  }

  /** POST /admin/users (adminUserCreate) */
  async function adminCreateUser(ctx: Ctx, admin: AuditActor): Promise<Response> {
    const p = await readParams(ctx, AdminUserParams);
    const aud = (p.aud ?? "") !== "" ? p.aud! : AUD;
    let email = p.email ?? "";
    let phone = p.phone ?? "";
    if (email === "" && phone === "") {
      throw badRequest(
        "validation_failed",
        "Cannot create a user without either an email or phone",
      );
    }
    const providers: string[] = [];
    if (email !== "") {
      email = validateEmail(email);
      if (await findDuplicateEmailUser(db, email, null)) {
        throw unprocessable("email_exists", DUPLICATE_EMAIL_MSG);
      }
      providers.push("email");
    }
    if (phone !== "") {
      phone = validatePhone(phone);
      if (await findUserByPhone(db, phone)) {
        throw unprocessable("phone_exists", "Phone number already registered by another user");
      }
      providers.push("phone");
    }
    const passwordHash = p.password_hash ?? "";
    let password = p.password ?? null;
    if (password !== null && passwordHash !== "") {
      throw badRequest(
        "validation_failed",
        "Only a password or a password hash should be provided",
      );
    }
    if ((password === null || password === "") && passwordHash === "") password = randomPassword();
    if (passwordHash !== "" && !/^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/.test(passwordHash)) {
      throw internalError("Error creating user", "password_hash is not a bcrypt hash");
    }
    if (password !== null && byteLength(password) > MAX_PASSWORD_LENGTH) {
      throw badRequest("validation_failed", "bcrypt: password length exceeds 72 bytes");
    }
    let id: string = randomUUID();
    if ((p.id ?? "") !== "") {
      if (!isUuid(p.id!)) {
        throw badRequest("validation_failed", "ID must conform to the uuid v4 format");
      }
      if (p.id === NIL_UUID) throw badRequest("validation_failed", "ID cannot be a nil uuid");
      id = p.id!.toLowerCase();
    }
    const banMs = parseBanDuration(p.ban_duration ?? "");
    const appMeta: JsonMap = { provider: providers[0], providers };
    const userMeta: JsonMap = p.user_metadata ?? {};

    try {
      await sql.begin(async (txs) => {
        const tx = txs as unknown as Db;
        const hashSql = passwordHash !== ""
          ? tx`${passwordHash}`
          : tx`extensions.crypt(${password!}, extensions.gen_salt('bf', 10))`;
        await tx`
          insert into auth.users (
            instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, invited_at,
            confirmation_token, confirmation_sent_at, recovery_token, recovery_sent_at,
            email_change_token_new, email_change, email_change_sent_at, last_sign_in_at,
            raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
            phone, phone_confirmed_at, phone_change, phone_change_token, phone_change_sent_at,
            email_change_token_current, email_change_confirm_status, banned_until,
            reauthentication_token, reauthentication_sent_at, is_sso_user, deleted_at, is_anonymous
          ) values (
            ${NIL_UUID}, ${id}, ${aud}, '', ${email === "" ? null : email}, ${hashSql}, null, null,
            '', null, '', null,
            '', '', null, null,
            ${tx.json(appMeta as Json)}::jsonb, ${tx.json(userMeta as Json)}::jsonb, now(), now(),
            ${phone === "" ? null : phone}, null, '', '', null,
            '', 0, null,
            '', null, false, null, false
          )`;
        if (email !== "") {
          await createIdentity(tx, id, "email", {
            sub: id,
            email,
            email_verified: false,
            phone_verified: false,
          });
        }
        if (phone !== "") {
          await createIdentity(tx, id, "phone", {
            sub: id,
            phone,
            email_verified: false,
            phone_verified: false,
          });
        }
        await audit(tx, admin, "user_signedup", {
          user_id: id,
          user_email: email,
          user_phone: phone,
          provider: providers[0],
        });
        await setRole(tx, id, (p.role ?? "") !== "" ? p.role! : AUD);
        if (p.app_metadata != null) await updateAppMetaData(tx, id, p.app_metadata);
        if (p.email_confirm) await confirmUser(tx, id);
        if (p.phone_confirm) await confirmPhone(tx, id);
        if (banMs !== null) await ban(tx, id, banMs);
      });
    } catch (e) {
      if (e instanceof AuthHttpError) throw e;
      throw internalError("Database error creating new user", pgMessage(e));
    }
    return jsonResponse(200, await loadUserJson(db, id));
  }

  /** PUT /admin/users/{id} (adminUserUpdate) */
  async function adminUpdateUser(ctx: Ctx, admin: AuditActor, user: UserRow): Promise<Response> {
    const p = await readParams(ctx, AdminUserParams);
    let email = p.email ?? "";
    let phone = p.phone ?? "";
    if (email !== "") email = validateEmail(email);
    if (phone !== "") phone = validatePhone(phone);
    const banMs = parseBanDuration(p.ban_duration ?? "");
    const password = p.password ?? null;
    if (password !== null) checkPasswordStrength(password);

    try {
      await sql.begin(async (txs) => {
        const tx = txs as unknown as Db;
        if ((p.role ?? "") !== "") await setRole(tx, user.id, p.role!);
        if (p.email_confirm) await confirmUser(tx, user.id);
        if (p.phone_confirm) await confirmPhone(tx, user.id);
        if (password !== null) await updatePassword(tx, user.id, password, null);
        if (email !== "") {
          const identity = await findIdentity(tx, user.id, "email");
          if (!identity) {
            await createIdentity(tx, user.id, "email", {
              sub: user.id,
              email,
              email_verified: p.email_confirm === true,
              phone_verified: false,
            });
          } else {
            await updateIdentityData(tx, identity.id, {
              email,
              email_verified: p.email_confirm === true,
            });
          }
          if (user.is_anonymous && p.email_confirm) {
            await tx`update auth.users set is_anonymous = false, updated_at = now() where id = ${user.id}`;
          }
          await tx`update auth.users set email = ${email}, updated_at = now() where id = ${user.id}`;
        }
        if (phone !== "") {
          const identity = await findIdentity(tx, user.id, "phone");
          if (!identity) {
            await createIdentity(tx, user.id, "phone", {
              sub: user.id,
              phone,
              email_verified: false,
              phone_verified: p.phone_confirm === true,
            });
          } else {
            await updateIdentityData(tx, identity.id, {
              phone,
              phone_verified: p.phone_confirm === true,
            });
          }
          if (user.is_anonymous && p.phone_confirm) {
            await tx`update auth.users set is_anonymous = false, updated_at = now() where id = ${user.id}`;
          }
          await tx`update auth.users set phone = ${phone}, updated_at = now() where id = ${user.id}`;
        }
        if (p.app_metadata != null) await updateAppMetaData(tx, user.id, p.app_metadata);
        if (p.user_metadata != null) await updateUserMetaData(tx, user.id, p.user_metadata);
        if (banMs !== null) await ban(tx, user.id, banMs);
        await audit(tx, admin, "user_modified", {
          user_id: user.id,
          user_email: email !== "" ? email : (user.email ?? ""),
          user_phone: phone !== "" ? phone : (user.phone ?? ""),
        });
      });
    } catch (e) {
      if (e instanceof AuthHttpError && e.status < 500) throw e;
      throw internalError("Error updating user", pgMessage(e));
    }
    return jsonResponse(200, await loadUserJson(db, user.id));
  }

  /** DELETE /admin/users/{id} (adminUserDelete) */
  async function adminDeleteUser(ctx: Ctx, admin: AuditActor, user: UserRow): Promise<Response> {
    const body = await ctx.req.text();
    const softDelete = body.length === 0
      ? false
      : parseParams(body, AdminUserDeleteParams).should_soft_delete === true;
    try {
      await sql.begin(async (txs) => {
        const tx = txs as unknown as Db;
        await audit(tx, admin, "user_deleted", {
          user_id: user.id,
          user_email: user.email ?? "",
          user_phone: user.phone ?? "",
        });
        if (!softDelete) {
          await tx`delete from auth.users where id = ${user.id}`;
          return;
        }
        if (user.deleted_at) return;
        // User.SoftDeleteUser
        await tx`
          update auth.users set
            email = ${obfuscateValue(user.id, user.email ?? "")},
            phone = ${obfuscateValue(user.id, user.phone ?? "").slice(0, 15)},
            encrypted_password = null,
            email_change = ${obfuscateValue(user.id, user.email_change ?? "")},
            phone_change = ${obfuscateValue(user.id, user.phone_change ?? "").slice(0, 15)},
            confirmation_token = '', recovery_token = '', email_change_token_current = '',
            email_change_token_new = '', phone_change_token = '',
            deleted_at = now(), updated_at = now()
          where id = ${user.id}`;
        await clearOneTimeTokens(tx, user.id);
        await tx`
          update auth.users set raw_user_meta_data = '{}'::jsonb, raw_app_meta_data = '{}'::jsonb,
            updated_at = now()
          where id = ${user.id}`;
        await tx`delete from auth.sessions where user_id = ${user.id}`;
        // User.SoftDeleteUserIdentities
        for (const identity of await findIdentities(tx, user.id)) {
          await tx`
            update auth.identities set identity_data = '{}'::jsonb, updated_at = now(),
              provider_id = ${
            obfuscateValue(user.id, `${identity.provider}:${identity.provider_id}`)
          }
            where id = ${identity.id}`;
        }
      });
    } catch (e) {
      if (e instanceof AuthHttpError) throw e;
      throw internalError("Database error deleting user", pgMessage(e));
    }
    return jsonResponse(200, {});
  }

  /**
   * POST /admin/generate_link (adminGenerateLink) for existing users:
   * type "recovery" or "magiclink". Returns the user plus action_link,
   * email_otp, hashed_token, verification_type and redirect_to; no mail is sent.
   */
  async function adminGenerateLink(ctx: Ctx): Promise<Response> {
    const p = await readParams(ctx, AdminGenerateLinkParams);
    const type = p.type ?? "";
    const email = validateEmail(p.email ?? "");
    let referrer = getReferrer(ctx);
    if (isRedirectUrlValid(p.redirect_to ?? "")) referrer = p.redirect_to!;
    const known = [
      "signup",
      "invite",
      "magiclink",
      "recovery",
      "email_change_current",
      "email_change_new",
    ];
    if (!known.includes(type)) {
      throw badRequest("validation_failed", `Invalid email action link type requested: ${type}`);
    }
    const user = await findUserByEmail(db, email);
    if (!user && (type === "recovery" || type.startsWith("email_change"))) {
      throw notFound("user_not_found", "User with this email not found");
    }
    if (!user || (type !== "recovery" && type !== "magiclink")) {
      throw badRequest(
        "validation_failed",
        `generate_link type=${type}${
          user ? "" : " for a new user"
        } is not supported by the local Auth stand-in`,
      );
    }
    const otp = generateOtp(OTP_LENGTH);
    const hashedToken = generateTokenHash(email, otp);
    await sql.begin(async (txs) => {
      const tx = txs as unknown as Db;
      await audit(tx, actorOf(user), "user_recovery_requested");
      await tx`
        update auth.users set recovery_token = ${hashedToken}, recovery_sent_at = now(),
          updated_at = now()
        where id = ${user.id}`;
      await createOneTimeToken(tx, user.id, user.email ?? "", hashedToken, "recovery_token");
    });
    return jsonResponse(200, {
      ...(await loadUserJson(db, user.id)),
      action_link: verifyLink(hashedToken, type, referrer),
      email_otp: otp,
      hashed_token: hashedToken,
      verification_type: type,
      redirect_to: referrer,
    });
  }

  async function admin(ctx: Ctx): Promise<Response> {
    const actor = await requireAdmin(ctx);
    const method = ctx.req.method;
    if (ctx.path === "/admin/generate_link") {
      if (method === "POST") return await adminGenerateLink(ctx);
      return methodNotAllowed();
    }
    if (ctx.path === "/admin/users") {
      if (method === "GET") return await adminListUsers(ctx);
      if (method === "POST") return await adminCreateUser(ctx, actor);
      return methodNotAllowed();
    }
    const m = /^\/admin\/users\/([^/]+)$/.exec(ctx.path);
    if (m) {
      if (method !== "GET" && method !== "PUT" && method !== "DELETE") return methodNotAllowed();
      const user = await loadAdminTarget(decodeURIComponent(m[1]));
      if (method === "GET") {
        return jsonResponse(200, userJson(user, await findIdentities(db, user.id)));
      }
      if (method === "PUT") return await adminUpdateUser(ctx, actor, user);
      return await adminDeleteUser(ctx, actor, user);
    }
    throw notFound("not_found", "404 page not found");
  }

  // -------------------------------------------------------------------------
  // Routing
  // -------------------------------------------------------------------------

  function methodNotAllowed(): Response {
    return new Response(null, { status: 405 });
  }

  type Handler = (ctx: Ctx) => Response | Promise<Response>;
  const routes: Record<string, Partial<Record<string, Handler>>> = {
    "/health": { GET: health },
    "/.well-known/jwks.json": { GET: jwks },
    "/settings": { GET: settings },
    "/signup": { POST: signup },
    "/token": { POST: token },
    "/verify": { GET: verify, POST: verify },
    "/recover": { POST: recover },
    "/logout": { POST: logout },
    "/user": { GET: getUser, PUT: updateUser },
  };

  function logInternal(ctx: Ctx, err: AuthHttpError) {
    // Internal detail only; never request bodies, tokens, hashes or secrets.
    console.error(
      `[auth] ${ctx.req.method} ${ctx.path} -> ${err.status} ${err.errorCode}: ${err.message}${
        err.internal ? ` (${err.internal})` : ""
      }`,
    );
  }

  async function handle(req: Request, rawPath: string, remoteAddr: string): Promise<Response> {
    const requestId = randomUUID();
    const url = new URL(req.url);
    let path = rawPath.split("?")[0] || "/";
    if (!path.startsWith("/")) path = "/" + path;
    if (path.length > 1) path = path.replace(/\/+$/, "");
    const addr = remoteAddr.replace(/^\[|\]$/g, "");
    const ctx: Ctx = {
      req,
      url,
      path,
      remoteAddr: addr,
      ip: isIP(addr) ? addr : null,
      userAgent: req.headers.get("user-agent") || null,
    };
    try {
      if (req.method === "OPTIONS") return new Response(null, { status: 204 });
      if (path === "/admin" || path.startsWith("/admin/")) return await admin(ctx);
      const route = routes[path];
      if (!route) throw notFound("not_found", "404 page not found");
      const handler = route[req.method === "HEAD" ? "GET" : req.method];
      if (!handler) return methodNotAllowed();
      return await handler(ctx);
    } catch (e) {
      const err = e instanceof AuthHttpError ? e : internalError(
        "Unexpected failure, please check server logs for more information",
        errMessage(e),
      );
      if (err.status >= 500) logInternal(ctx, err);
      return errorResponse(err, req, requestId);
    }
  }

  return {
    handle,
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}

function errMessage(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** A PostgreSQL error's code and message (never its DETAIL, which can echo values). */
function pgMessage(e: unknown): string {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    return `${String((e as { code: unknown }).code)}: ${
      String((e as { message: unknown }).message)
    }`;
  }
  return errMessage(e);
}
