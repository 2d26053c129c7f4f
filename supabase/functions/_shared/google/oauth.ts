// Google's OAuth endpoints: the consent URL, the code exchange, refreshing and revoking.
import { type GoogleConfig, googleConfig } from "./config.ts";
import { GoogleApiError } from "./errors.ts";
import { googleFetch } from "./http.ts";

export interface GoogleTokens {
  access_token: string;
  /** Seconds the access token lives. */
  expires_in: number;
  /** Space-separated scopes granted. */
  scope?: string;
  /** Only on the code exchange (offline access with consent). */
  refresh_token?: string;
}

/** Google's consent page for this clinic's state, offline access, re-consent every time. */
export function authorizationUrl(
  state: string,
  loginHint: string | null,
  config: GoogleConfig = googleConfig(),
): string {
  const query = new URLSearchParams({
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    response_type: "code",
    scope: config.scopes.join(" "),
    access_type: "offline",
    prompt: "consent",
    include_granted_scopes: "true",
    state,
  });
  if (loginHint) query.set("login_hint", loginHint);
  return `${config.oauthBaseUrl}/o/oauth2/v2/auth?${query}`;
}

function tokenRequest(
  operation: string,
  form: Record<string, string>,
  config: GoogleConfig,
  timeoutMs?: number,
) {
  return googleFetch<GoogleTokens>(operation, `${config.tokenBaseUrl}/token`, {
    timeoutMs,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      ...form,
      client_id: config.clientId,
      client_secret: config.clientSecret,
    }),
  }).then((tokens) => {
    if (typeof tokens?.access_token !== "string" || typeof tokens.expires_in !== "number") {
      throw new GoogleApiError(operation, 502, { error: "the token answer had no access token" });
    }
    return tokens;
  });
}

export function exchangeCode(code: string, config: GoogleConfig = googleConfig()) {
  return tokenRequest("token exchange", {
    code,
    redirect_uri: config.redirectUri,
    grant_type: "authorization_code",
  }, config);
}

export function refreshAccessToken(
  refreshToken: string,
  timeoutMs?: number,
  config: GoogleConfig = googleConfig(),
) {
  return tokenRequest(
    "token refresh",
    {
      refresh_token: refreshToken,
      grant_type: "refresh_token",
    },
    config,
    timeoutMs,
  );
}

/** Revokes the grant (a refresh token revokes its access tokens too). */
export async function revokeToken(
  token: string,
  timeoutMs: number,
  config: GoogleConfig = googleConfig(),
): Promise<void> {
  await googleFetch<unknown>("revoke", `${config.tokenBaseUrl}/revoke`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token }),
    timeoutMs,
  });
}
