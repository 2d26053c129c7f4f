// The [auth] settings of supabase/config.toml the stand-in honours, read as the Supabase CLI
// reads them (its defaults where the file says nothing), so that the local stack and the
// hosted project push-configured from the same file behave alike.

import { parse } from "smol-toml";

export interface AuthSettings {
  /** [auth.email] enable_confirmations: a new address must follow the mailed link first */
  enableConfirmations: boolean;
  /** [auth.email] double_confirm_changes: an email change needs both addresses to confirm */
  doubleConfirmChanges: boolean;
  /** [auth.email] max_frequency: one mail of a kind per address per interval */
  maxFrequencySeconds: number;
  /** [auth.email] otp_expiry */
  otpExpirySeconds: number;
  /** [auth.rate_limit] token_verifications: verification attempts per IP per 5 minutes */
  tokenVerifications: number;
}

const CLI_DEFAULTS: AuthSettings = {
  enableConfirmations: false,
  doubleConfirmChanges: true,
  maxFrequencySeconds: 1,
  otpExpirySeconds: 3600,
  tokenVerifications: 30,
};

export function parseAuthSettings(toml: string): AuthSettings {
  const doc = parse(toml) as Record<string, Record<string, unknown>>;
  const auth = doc.auth ?? {};
  const email = (auth.email ?? {}) as Record<string, unknown>;
  const rateLimit = (auth.rate_limit ?? {}) as Record<string, unknown>;
  const bool = (v: unknown, d: boolean) => (typeof v === "boolean" ? v : d);
  const int = (v: unknown, d: number) => (typeof v === "number" && v >= 0 ? v : d);
  return {
    enableConfirmations: bool(email.enable_confirmations, CLI_DEFAULTS.enableConfirmations),
    doubleConfirmChanges: bool(email.double_confirm_changes, CLI_DEFAULTS.doubleConfirmChanges),
    maxFrequencySeconds: typeof email.max_frequency === "string"
      ? durationSeconds(email.max_frequency)
      : CLI_DEFAULTS.maxFrequencySeconds,
    otpExpirySeconds: int(email.otp_expiry, CLI_DEFAULTS.otpExpirySeconds),
    tokenVerifications: int(rateLimit.token_verifications, CLI_DEFAULTS.tokenVerifications),
  };
}

/** The file next to the stand-in's repository root. */
export function loadAuthSettings(): AuthSettings {
  const path = new URL("../../../supabase/config.toml", import.meta.url);
  return parseAuthSettings(Deno.readTextFileSync(path));
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
