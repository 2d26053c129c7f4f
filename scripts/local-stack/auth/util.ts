// Small helpers mirroring GoTrue's internal/crypto and its JSON conventions.

import { createHash, randomBytes, randomInt } from "node:crypto";

export const NIL_UUID = "00000000-0000-0000-0000-000000000000";

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}

/** crypto.SecureAlphanumeric: lower-case base32 (a-z, 2-7), used for legacy 12-char refresh tokens. */
export function secureAlphanumeric(length: number): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  const bytes = randomBytes(length);
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[bytes[i] & 31];
  return out;
}

/** crypto.GenerateOtp: a zero-padded decimal code. */
export function generateOtp(digits: number): string {
  return String(randomInt(0, 10 ** digits)).padStart(digits, "0");
}

/** crypto.GenerateTokenHash: hex(sha224(emailOrPhone + otp)). */
export function generateTokenHash(emailOrPhone: string, otp: string): string {
  return createHash("sha224").update(emailOrPhone + otp).digest("hex");
}

/** GoTrue's obfuscateValue (used by soft delete): base64url(sha256(id + value)). */
export function obfuscateValue(id: string, value: string): string {
  return createHash("sha256").update(id + value).digest("base64url");
}

/** A random password like sethvargo/go-password Generate(64, 10, 0, false, true). */
export function randomPassword(): string {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const digits = "0123456789";
  const chars: string[] = [];
  for (let i = 0; i < 10; i++) chars.push(digits[randomInt(0, digits.length)]);
  for (let i = 0; i < 54; i++) chars.push(letters[randomInt(0, letters.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(0, i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join("");
}

/**
 * Converts PostgreSQL's text form of a timestamp ("2024-05-01 10:00:00.1234+00",
 * the session runs with TimeZone=UTC) into Go's RFC3339Nano encoding as GoTrue
 * emits it ("2024-05-01T10:00:00.1234Z").
 */
export function goTime(pg: string | null | undefined): string | undefined {
  if (!pg) return undefined;
  const m = /^(\d{4,}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(
    pg,
  );
  if (!m) return pg;
  let frac = (m[3] ?? "").replace(/0+$/, "");
  if (frac === ".") frac = "";
  let zone = m[4] ?? "Z";
  if (zone === "+00" || zone === "+00:00" || zone === "+0000") zone = "Z";
  else if (/^[+-]\d{2}$/.test(zone)) zone += ":00";
  return `${m[1]}T${m[2]}${frac}${zone}`;
}

/** Go's encoding/json writes map keys sorted; metadata maps are Go maps in GoTrue. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as Record<string, unknown>).sort()) {
      out[k] = sortKeysDeep((value as Record<string, unknown>)[k]);
    }
    return out;
  }
  return value;
}

/** github.com/badoux/checkmail ValidateFormat, as GoTrue's validateEmail uses it. */
const EMAIL_RE =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

export function isValidEmailFormat(email: string): boolean {
  return EMAIL_RE.test(email);
}

/** Byte length, as Go's len() on a string. */
export function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** Parses a Go time.Duration string ("24h", "1h30m", "500ms") into milliseconds. */
export function parseGoDuration(s: string): number | null {
  if (s === "0") return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let sign = 1;
  let rest = s;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    if (rest[0] === "-") sign = -1;
    rest = rest.slice(1);
  }
  if (rest === "") return null;
  const unitMs: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    "µs": 1e-3,
    "μs": 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  let total = 0;
  re.lastIndex = 0;
  let pos = 0;
  while (pos < rest.length) {
    re.lastIndex = pos;
    const m = re.exec(rest);
    if (!m) return null;
    total += Number(m[1]) * unitMs[m[2]];
    pos = re.lastIndex;
  }
  return sign * total;
}
