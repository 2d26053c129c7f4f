// Error values and their HTTP encoding, as GoTrue (supabase/auth) emits them
// (internal/api/errors.go, internal/api/apierrors/).
//
// With the request header `X-Supabase-Api-Version: 2024-01-01` (supabase-js
// always sends it) the body is `{"code": "<error_code>", "message": "..."}` and
// the header is echoed back; otherwise the legacy body is
// `{"code": <status>, "error_code": "...", "msg": "..."}`.

const API_VERSION_HEADER = "X-Supabase-Api-Version";
const API_VERSION_2024_01_01 = "2024-01-01";

export class AuthHttpError extends Error {
  readonly status: number;
  readonly errorCode: string;
  /** Set for weak_password errors: GoTrue adds {"weak_password": {"reasons": [...]}}. */
  readonly weakPasswordReasons?: string[];
  /** Never sent to the client; logged (sanitised) for 5xx only. */
  readonly internal?: string;

  constructor(
    status: number,
    errorCode: string,
    message: string,
    opts: { weakPasswordReasons?: string[]; internal?: string } = {},
  ) {
    super(message);
    this.name = "AuthHttpError";
    this.status = status;
    this.errorCode = errorCode;
    this.weakPasswordReasons = opts.weakPasswordReasons;
    this.internal = opts.internal;
  }
}

export const badRequest = (code: string, msg: string) => new AuthHttpError(400, code, msg);
export const forbidden = (code: string, msg: string) => new AuthHttpError(403, code, msg);
export const notFound = (code: string, msg: string) => new AuthHttpError(404, code, msg);
export const unprocessable = (code: string, msg: string) => new AuthHttpError(422, code, msg);
export const tooManyRequests = (code: string, msg: string) => new AuthHttpError(429, code, msg);
export const internalError = (msg: string, internal?: string) =>
  new AuthHttpError(500, "unexpected_failure", msg, { internal });

/** Returns "2024-01-01" when the request opts into the 2024-01-01 API version, else null. */
function requestApiVersion(req: Request): string | null {
  const raw = req.headers.get(API_VERSION_HEADER);
  if (!raw) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw.trim());
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(t)) return null;
  return t >= Date.UTC(2024, 0, 1) ? API_VERSION_2024_01_01 : null;
}

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

export function errorResponse(err: AuthHttpError, req: Request, requestId: string): Response {
  const apiVersion = requestApiVersion(req);
  const headers: Record<string, string> = {};
  if (apiVersion) headers[API_VERSION_HEADER] = apiVersion;

  if (err.weakPasswordReasons) {
    if (apiVersion) {
      return jsonResponse(err.status, {
        code: err.errorCode,
        message: err.message,
        weak_password: { reasons: err.weakPasswordReasons },
      }, headers);
    }
    headers["x-sb-error-code"] = err.errorCode;
    return jsonResponse(err.status, {
      code: err.status,
      error_code: err.errorCode,
      msg: err.message,
      weak_password: { reasons: err.weakPasswordReasons },
    }, headers);
  }

  if (err.errorCode) headers["x-sb-error-code"] = err.errorCode;
  if (apiVersion) {
    return jsonResponse(err.status, { code: err.errorCode, message: err.message }, headers);
  }
  const body: Record<string, unknown> = {
    code: err.status,
    error_code: err.errorCode,
    msg: err.message,
  };
  if (err.status >= 500) body.error_id = requestId;
  return jsonResponse(err.status, body, headers);
}

export function methodNotAllowed(): Response {
  return new Response(null, { status: 405 });
}

/** Logs a 5xx; internal detail only, never request bodies, tokens, hashes or secrets. */
export function logInternal(method: string, path: string, err: AuthHttpError) {
  console.error(
    `[auth] ${method} ${path} -> ${err.status} ${err.errorCode}: ${err.message}${
      err.internal ? ` (${err.internal})` : ""
    }`,
  );
}

export function errMessage(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** A PostgreSQL error's code and message (never its DETAIL, which can echo values). */
export function pgMessage(e: unknown): string {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    return `${String((e as { code: unknown }).code)}: ${
      String((e as { message: unknown }).message)
    }`;
  }
  return errMessage(e);
}

/**
 * A database refusal of a user write (a trigger or constraint on auth.users or a table that
 * references it: SQLSTATE classes 22 data exception and 23 integrity — e.g. the metadata, or
 * deleting a clinic's only owner) is the caller's to resolve: 422 with the database's message.
 */
export function databaseError(e: unknown, doing = "saving new user"): AuthHttpError {
  const code = e && typeof e === "object" && "code" in e ? String(e.code) : "";
  if (/^2[23]/.test(code)) {
    const message = e instanceof Error ? e.message : "invalid value";
    return unprocessable("validation_failed", `Database refused the user: ${message}`);
  }
  return internalError(`Database error ${doing}`, pgMessage(e));
}
