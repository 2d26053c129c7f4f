// Input checks with GoTrue's messages (validateEmail, validatePhone,
// checkPasswordStrength, validatePKCEParams).

import { AuthHttpError, badRequest } from "./errors.ts";
import { byteLength } from "./go_compat.ts";

// Defaults of `supabase start` (supabase/config.toml) where GoTrue has a setting.
const PASSWORD_MIN_LENGTH = 6; // [auth] minimum_password_length
export const MAX_PASSWORD_LENGTH = 72; // GoTrue's bcrypt limit

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** github.com/badoux/checkmail ValidateFormat, as GoTrue's validateEmail uses it. */
const EMAIL_RE =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}

/** Returns the address lower-cased. */
export function validateEmail(email: string): string {
  if (email === "") throw badRequest("validation_failed", "An email address is required");
  if (byteLength(email) > 255) {
    throw badRequest("validation_failed", "An email address is too long");
  }
  if (!EMAIL_RE.test(email)) {
    throw badRequest("validation_failed", "Unable to validate email address: invalid format");
  }
  return email.toLowerCase();
}

/** Returns the number without "+" and spaces. */
export function validatePhone(phone: string): string {
  const formatted = phone.replace(/^\+/, "").replaceAll(" ", "");
  if (!/^[1-9][0-9]{1,14}$/.test(formatted)) {
    throw badRequest("validation_failed", "Invalid phone number format (E.164 required)");
  }
  return formatted;
}

export function checkPasswordStrength(password: string) {
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

export function validatePKCEParams(method: string, challenge: string) {
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

export function pkceUnsupported(): AuthHttpError {
  return badRequest(
    "validation_failed",
    "The PKCE flow (code_challenge) is not supported by the local Auth stand-in; use flowType 'implicit'",
  );
}
