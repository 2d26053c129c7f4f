// The [auth] settings of supabase/config.toml the stand-in honours, read as the Supabase CLI
// reads them (its defaults where the file says nothing), so that the local stack and the
// hosted project push-configured from the same file behave alike. The file is read by
// ../supabase_config.ts; this module turns its [auth] table into settings.

export interface AuthSettings {
  /** [auth] site_url: where links land by default */
  siteUrl: string;
  /** [auth] additional_redirect_urls: further allowed redirect targets (exact URLs or globs) */
  additionalRedirectUrls: string[];
  /** [auth] jwt_expiry: access token lifetime */
  jwtExpirySeconds: number;
  /** [auth] enable_refresh_token_rotation */
  refreshTokenRotation: boolean;
  /** [auth] refresh_token_reuse_interval: how long a used refresh token still works */
  refreshTokenReuseIntervalSeconds: number;
  /** [auth] enable_signup */
  enableSignup: boolean;
  /** [auth.email] enable_confirmations: a new address must follow the mailed link first */
  enableConfirmations: boolean;
  /** [auth.email] double_confirm_changes: an email change needs both addresses to confirm */
  doubleConfirmChanges: boolean;
  /** [auth.email] max_frequency: one mail of a kind per address per interval */
  maxFrequencySeconds: number;
  /** [auth.email] otp_expiry */
  otpExpirySeconds: number;
  /** [auth.rate_limit] sign_in_sign_ups: password sign-ins per 5 minutes */
  signInSignUps: number;
  /** [auth.rate_limit] token_verifications: verification attempts per IP per 5 minutes */
  tokenVerifications: number;
}

/** GoTrue counts its [auth.rate_limit] values per this window. */
export const RATE_LIMIT_WINDOW_SECONDS = 5 * 60;

const CLI_DEFAULTS: AuthSettings = {
  siteUrl: "http://127.0.0.1:3000",
  additionalRedirectUrls: ["https://127.0.0.1:3000"],
  jwtExpirySeconds: 3600,
  refreshTokenRotation: true,
  refreshTokenReuseIntervalSeconds: 10,
  enableSignup: true,
  enableConfirmations: false,
  doubleConfirmChanges: true,
  maxFrequencySeconds: 1,
  otpExpirySeconds: 3600,
  signInSignUps: 30,
  tokenVerifications: 30,
};

/** `auth` is config.toml's [auth] table (with its email and rate_limit sub-tables). */
export function parseAuthSettings(auth: Record<string, unknown> = {}): AuthSettings {
  const email = (auth.email ?? {}) as Record<string, unknown>;
  const rateLimit = (auth.rate_limit ?? {}) as Record<string, unknown>;
  const bool = (v: unknown, d: boolean) => (typeof v === "boolean" ? v : d);
  const int = (v: unknown, d: number) => (typeof v === "number" && v >= 0 ? v : d);
  const text = (v: unknown, d: string) => (typeof v === "string" && v ? v : d);
  const d = CLI_DEFAULTS;
  return {
    siteUrl: text(auth.site_url, d.siteUrl),
    additionalRedirectUrls: Array.isArray(auth.additional_redirect_urls)
      ? auth.additional_redirect_urls.map(String)
      : d.additionalRedirectUrls,
    jwtExpirySeconds: int(auth.jwt_expiry, d.jwtExpirySeconds),
    refreshTokenRotation: bool(auth.enable_refresh_token_rotation, d.refreshTokenRotation),
    refreshTokenReuseIntervalSeconds: int(
      auth.refresh_token_reuse_interval,
      d.refreshTokenReuseIntervalSeconds,
    ),
    enableSignup: bool(auth.enable_signup, d.enableSignup),
    enableConfirmations: bool(email.enable_confirmations, d.enableConfirmations),
    doubleConfirmChanges: bool(email.double_confirm_changes, d.doubleConfirmChanges),
    maxFrequencySeconds: typeof email.max_frequency === "string"
      ? durationSeconds(email.max_frequency)
      : d.maxFrequencySeconds,
    otpExpirySeconds: int(email.otp_expiry, d.otpExpirySeconds),
    signInSignUps: int(rateLimit.sign_in_sign_ups, d.signInSignUps),
    tokenVerifications: int(rateLimit.token_verifications, d.tokenVerifications),
  };
}

/**
 * The stand-in implements refresh tokens one way only (rotation, every reuse refused); a
 * config.toml asking for another would make it behave unlike the hosted project, so it is
 * refused at start instead.
 */
export function unsupportedSettings(s: AuthSettings): string | null {
  if (!s.refreshTokenRotation || s.refreshTokenReuseIntervalSeconds !== 0) {
    return "the local Auth stand-in implements only enable_refresh_token_rotation = true " +
      "with refresh_token_reuse_interval = 0; set those in supabase/config.toml's [auth]";
  }
  return null;
}

/** "60s", "1m30s", "1h": the CLI's duration strings. */
function durationSeconds(s: string): number {
  const re = /(\d+)(h|m|s)/y;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) throw new Error(`config.toml: [auth.email] max_frequency "${s}" is not a duration`);
    total += Number(m[1]) * { h: 3600, m: 60, s: 1 }[m[2] as "h" | "m" | "s"];
    pos = re.lastIndex;
  }
  return total;
}
