// Google's OAuth 2.0 web-server flow: the consent page (`<accounts>/o/oauth2/v2/auth`), the
// token endpoint (`<oauth2>/token`: authorization_code and refresh_token grants) and revoke
// (`<oauth2>/revoke`), with Google's errors. The consent page works without a browser: GET it,
// POST its form (account, scopes, action=allow|deny) and follow the 302.
import { z } from "zod";
import { record, type SandboxContext } from "./context.ts";
import { delayFor } from "../faults.ts";
import { escapeHtml, html, json, oauthError, oauthFailure } from "./http.ts";
import { ACCESS_TOKEN_SECONDS, type Grant, SCOPE } from "./store.ts";

const KNOWN_SCOPES = new Set<string>([
  ...Object.values(SCOPE),
  "openid",
  "email",
  "profile",
  "https://www.googleapis.com/auth/userinfo.email",
  "https://www.googleapis.com/auth/userinfo.profile",
]);

const SCOPE_WORDS: Record<string, string> = {
  [SCOPE.calendar]: "See, edit, share and permanently delete all the calendars you can access",
  [SCOPE.readonly]: "See and download any calendar you can access using your Google Calendar",
  [SCOPE.events]: "View and edit events on all your calendars",
  [SCOPE.eventsReadonly]: "View events on all your calendars",
};

interface AuthRequest {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string | null;
  offline: boolean;
  promptConsent: boolean;
  loginHint: string | null;
}

/** Google's error page ("Access blocked: … Error 400: redirect_uri_mismatch"). */
function errorPage(status: number, error: string, detail: string): Response {
  return html(
    status,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error ${status} (${
      escapeHtml(error)
    })</title></head><body style="font-family:sans-serif;max-width:40rem;margin:3rem auto">
<h1>Access blocked: this app's request is invalid</h1>
<p><b>Error ${status}: ${escapeHtml(error)}</b></p><p>${escapeHtml(detail)}</p>
<p><small>Google sandbox (local stack)</small></p></body></html>`,
  );
}

/** The authorization request's parameters, checked as Google checks them, or its error page. */
function authRequest(ctx: SandboxContext, p: URLSearchParams): AuthRequest | Response {
  const missing = (name: string) =>
    errorPage(400, "invalid_request", `Missing required parameter: ${name}`);
  const clientId = p.get("client_id");
  if (!clientId) return missing("client_id");
  if (clientId !== ctx.client.id) {
    return errorPage(401, "invalid_client", "The OAuth client was not found.");
  }
  const redirectUri = p.get("redirect_uri");
  if (!redirectUri) return missing("redirect_uri");
  if (!ctx.client.redirectUris.includes(redirectUri)) {
    return errorPage(
      400,
      "redirect_uri_mismatch",
      `You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. ` +
        `redirect_uri=${redirectUri} is not registered for this client.`,
    );
  }
  const responseType = p.get("response_type");
  if (!responseType) return missing("response_type");
  if (responseType !== "code") {
    return errorPage(400, "unsupported_response_type", `Invalid response_type: ${responseType}`);
  }
  const scope = p.get("scope")?.trim();
  if (!scope) return missing("scope");
  const scopes = [...new Set(scope.split(/\s+/))];
  const unknown = scopes.filter((s) => !KNOWN_SCOPES.has(s));
  if (unknown.length) {
    return errorPage(
      400,
      "invalid_scope",
      `Some requested scopes were invalid. {invalid=[${unknown}]}`,
    );
  }
  const accessType = p.get("access_type") ?? "online";
  if (accessType !== "online" && accessType !== "offline") {
    return errorPage(400, "invalid_request", `Invalid access_type: ${accessType}`);
  }
  const prompts = (p.get("prompt") ?? "").split(/\s+/).filter(Boolean);
  const badPrompt = prompts.find((x) => !["none", "consent", "select_account"].includes(x));
  if (badPrompt) return errorPage(400, "invalid_request", `Invalid prompt: ${badPrompt}`);
  return {
    clientId,
    redirectUri,
    scopes,
    state: p.get("state"),
    offline: accessType === "offline",
    promptConsent: prompts.includes("consent"),
    loginHint: p.get("login_hint")?.trim().toLowerCase() || null,
  };
}

const PASSED_ON = [
  "client_id",
  "redirect_uri",
  "response_type",
  "scope",
  "state",
  "access_type",
  "prompt",
  "login_hint",
  "include_granted_scopes",
];

function consentPage(ctx: SandboxContext, p: URLSearchParams, request: AuthRequest): Response {
  const accounts = [...ctx.store.accounts.keys()];
  if (request.loginHint && !accounts.includes(request.loginHint)) accounts.push(request.loginHint);
  const chosen = request.loginHint ?? accounts[0];
  const hidden = PASSED_ON.filter((k) => p.has(k)).map((k) =>
    `<input type="hidden" name="${k}" value="${escapeHtml(p.get(k)!)}">`
  ).join("\n");
  const accountRows = accounts.map((email) =>
    `<label><input type="radio" name="account" value="${escapeHtml(email)}"${
      email === chosen ? " checked" : ""
    }> ${escapeHtml(email)}</label><br>`
  ).join("\n");
  const scopeRows = request.scopes.map((s) =>
    `<label><input type="checkbox" name="scope_granted" value="${escapeHtml(s)}" checked> ${
      escapeHtml(SCOPE_WORDS[s] ?? s)
    } <code>${escapeHtml(s)}</code></label><br>`
  ).join("\n");
  return html(
    200,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in - Google Accounts</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:sans-serif;max-width:40rem;margin:2rem auto;line-height:1.5">
<h1>Sign in with Google</h1><p><small>Google sandbox (local stack)</small></p>
<form method="post">
${hidden}
<fieldset><legend>Choose an account</legend>
${accountRows}
</fieldset>
<fieldset><legend>The app wants to</legend>
${scopeRows}
</fieldset>
<p><button type="submit" name="action" value="deny">Deny</button>
<button type="submit" name="action" value="allow">Allow</button></p>
</form></body></html>`,
  );
}

const redirect = (to: string) => new Response(null, { status: 302, headers: { location: to } });

function withParams(uri: string, params: Record<string, string | null>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
  return url.toString();
}

const consentForm = z.object({
  action: z.enum(["allow", "deny"]),
  account: z.string().trim().toLowerCase().regex(/^[^@\s]+@[^@\s]+$/).optional(),
  scope_granted: z.array(z.string()),
});

/** `<accounts>/o/oauth2/v2/auth`: GET shows the consent page, POST is its form. */
export async function authorize(ctx: SandboxContext, req: Request): Promise<Response> {
  if (req.method === "GET") {
    const params = new URL(req.url).searchParams;
    const request = authRequest(ctx, params);
    return request instanceof Response ? request : consentPage(ctx, params, request);
  }
  if (req.method !== "POST") return errorPage(405, "invalid_request", "Use GET or POST.");
  let form: URLSearchParams;
  try {
    form = new URLSearchParams(await req.text());
  } catch {
    return errorPage(400, "invalid_request", "The form could not be read.");
  }
  const request = authRequest(ctx, form);
  if (request instanceof Response) return request;
  const answer = consentForm.safeParse({
    action: form.get("action"),
    account: form.get("account") ?? undefined,
    scope_granted: form.getAll("scope_granted"),
  });
  if (!answer.success) {
    return errorPage(400, "invalid_request", "Choose an account, then Allow or Deny.");
  }
  if (answer.data.action === "deny") {
    return redirect(
      withParams(request.redirectUri, { error: "access_denied", state: request.state }),
    );
  }
  const email = answer.data.account;
  if (!email) return errorPage(400, "invalid_request", "Choose an account.");
  ctx.store.upsertAccount(email);
  // Only scopes asked for can be granted; the user may have unticked some.
  const granted = request.scopes.filter((s) => answer.data.scope_granted.includes(s));
  const consent = `${request.clientId} ${email}`;
  const firstConsent = !ctx.store.consents.has(consent);
  ctx.store.consents.add(consent);
  ctx.store.changed();
  const code = ctx.store.newCode({
    clientId: request.clientId,
    redirectUri: request.redirectUri,
    email,
    scopes: granted,
    issueRefreshToken: request.offline && (firstConsent || request.promptConsent),
  });
  return redirect(
    withParams(request.redirectUri, { code, scope: granted.join(" "), state: request.state }),
  );
}

const tokenForm = z.discriminatedUnion("grant_type", [
  z.object({
    grant_type: z.literal("authorization_code"),
    code: z.string().min(1),
    redirect_uri: z.string().min(1),
  }),
  z.object({ grant_type: z.literal("refresh_token"), refresh_token: z.string().min(1) }),
]);

const expiredOrRevoked = () =>
  oauthError(400, "invalid_grant", "Token has been expired or revoked.");
const badGrant = () => oauthError(400, "invalid_grant", "Bad Request");

/** Client credentials from the form or HTTP Basic, checked; null when they are right. */
function clientRefusal(ctx: SandboxContext, req: Request, form: URLSearchParams): Response | null {
  let id = form.get("client_id");
  let secret = form.get("client_secret");
  const basic = req.headers.get("authorization")?.match(/^Basic\s+(.+)$/i);
  if (basic) {
    try {
      const [user, pass] = atob(basic[1]).split(":");
      id ??= decodeURIComponent(user);
      secret ??= decodeURIComponent(pass ?? "");
    } catch { /* refused below */ }
  }
  if (!id) return oauthError(400, "invalid_request", "Missing required parameter: client_id");
  if (id !== ctx.client.id) {
    return oauthError(401, "invalid_client", "The OAuth client was not found.");
  }
  if (secret !== ctx.client.secret) return oauthError(401, "invalid_client", "Unauthorized");
  return null;
}

function tokenResponse(ctx: SandboxContext, grant: Grant, withRefreshToken: boolean): Response {
  const access = ctx.store.newAccessToken(grant);
  return json(200, {
    access_token: access.token,
    expires_in: ACCESS_TOKEN_SECONDS,
    ...(withRefreshToken && grant.refreshToken ? { refresh_token: grant.refreshToken } : {}),
    scope: grant.scopes.join(" "),
    token_type: "Bearer",
  }, { "cache-control": "no-cache, no-store, max-age=0, must-revalidate", pragma: "no-cache" });
}

async function readForm(req: Request): Promise<URLSearchParams | null> {
  const type = req.headers.get("content-type") ?? "";
  const text = await req.text();
  if (text && !/^application\/x-www-form-urlencoded\b/i.test(type)) return null;
  return new URLSearchParams(text);
}

/** `POST <oauth2>/token`. */
export async function token(ctx: SandboxContext, req: Request): Promise<Response> {
  const done = (res: Response) => record(ctx, req, "token", null, res);
  if (req.method !== "POST") return done(oauthError(405, "invalid_request", "Use POST."));
  const form = await readForm(req);
  if (!form) {
    return done(
      oauthError(400, "invalid_request", "Send an application/x-www-form-urlencoded body."),
    );
  }
  const refused = clientRefusal(ctx, req, form);
  if (refused) return done(refused);
  const grantType = form.get("grant_type");
  if (grantType !== "authorization_code" && grantType !== "refresh_token") {
    return done(
      oauthError(400, "unsupported_grant_type", `Invalid grant_type: ${grantType ?? ""}`),
    );
  }
  const parsed = tokenForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const field = String(parsed.error.issues[0].path[0] ?? "code");
    return done(oauthError(400, "invalid_request", `Missing required parameter: ${field}`));
  }
  const body = parsed.data;

  if (body.grant_type === "authorization_code") {
    const code = ctx.store.codes.get(body.code);
    const account = code?.email ?? null;
    const fault = ctx.faults.take("token", account, (f) => f.error === undefined);
    if (await delayFor(fault)) {
      return record(ctx, req, "token", account, oauthFailure(fault!.status!), fault);
    }
    const log = (res: Response) => record(ctx, req, "token", account, res, fault);
    if (!code || code.clientId !== ctx.client.id) return log(badGrant());
    if (code.used || code.expiresAt <= ctx.store.now()) return log(badGrant());
    if (code.redirectUri !== body.redirect_uri) {
      return log(oauthError(400, "redirect_uri_mismatch", "Bad Request"));
    }
    code.used = true;
    const grant = ctx.store.newGrant(
      code.clientId,
      code.email,
      code.scopes,
      code.issueRefreshToken,
    );
    return log(tokenResponse(ctx, grant, true));
  }

  const grant = ctx.store.grantOfRefreshToken(body.refresh_token);
  const account = grant?.email ?? null;
  const fault = ctx.faults.take("token", account);
  if (await delayFor(fault)) {
    const res = fault!.error === "invalid_grant"
      ? expiredOrRevoked()
      : oauthFailure(fault!.status!);
    return record(ctx, req, "token", account, res, fault);
  }
  const log = (res: Response) => record(ctx, req, "token", account, res, fault);
  if (!grant) return log(badGrant());
  if (grant.clientId !== ctx.client.id) {
    return log(oauthError(400, "unauthorized_client", "Unauthorized"));
  }
  if (grant.revoked) return log(expiredOrRevoked());
  return log(tokenResponse(ctx, grant, false));
}

/** `POST <oauth2>/revoke?token=…` (or `token` in a form body): revokes the token's grant. */
export async function revoke(ctx: SandboxContext, req: Request): Promise<Response> {
  // GET /revoke once worked and now is a 404 at Google (googleapis/oauth2client#750).
  if (req.method !== "POST") {
    return record(ctx, req, "revoke", null, oauthError(405, "invalid_request", "Use POST."));
  }
  const form = await readForm(req);
  const value = new URL(req.url).searchParams.get("token") ?? form?.get("token") ?? null;
  const access = value ? ctx.store.accessTokens.get(value) : undefined;
  const grant = !value ? null : ctx.store.grantOfRefreshToken(value) ??
    (access ? ctx.store.grants.get(access.grantId) : null) ??
    null;
  const account = grant?.email ?? null;
  const fault = ctx.faults.take("revoke", account, (f) => f.error === undefined);
  if (await delayFor(fault)) {
    return record(ctx, req, "revoke", account, oauthFailure(fault!.status!), fault);
  }
  const log = (res: Response) => record(ctx, req, "revoke", account, res, fault);
  if (!value) return log(oauthError(400, "invalid_request", "Missing required parameter: token"));
  const live = grant && !grant.revoked &&
    (access ? access.expiresAt > ctx.store.now() : grant.refreshToken === value);
  // Google's answer for an unknown or already revoked token (not seen in a primary source).
  if (!live) return log(oauthError(400, "invalid_token", "Token expired or revoked"));
  ctx.store.revokeGrant(grant);
  return log(json(200, {}));
}
