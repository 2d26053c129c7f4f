// Random secrets and token hashes, as GoTrue's internal/crypto makes them.

import { createHash, randomBytes, randomInt } from "node:crypto";

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
