// Phone numbers as providers send them ("whatsapp:+44 20…", "0044…") to E.164, the form
// the database stores (the same rules as private.normalise_e164).
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";

export function toE164(input: string): string | null {
  const cleaned = input.trim().replace(/^whatsapp:/i, "").replace(
    /[\s().-]/g,
    "",
  );
  const plus = cleaned.startsWith("00") ? `+${cleaned.slice(2)}` : cleaned;
  return /^\+[1-9][0-9]{6,14}$/.test(plus) ? plus : null;
}

/**
 * A number as a person gives it — national ("07946 000000" in GB), or international with + or
 * 00 — read in the clinic's country (ISO 3166 alpha-2; only + numbers can do without) and given
 * in E.164, or null when it is not a valid number there or has an extension (which cannot be
 * dialled).
 */
export function phoneInCountry(typed: string, country: string | null): string | null {
  const parsed = parsePhoneNumberFromString(typed.trim(), {
    defaultCountry: country ? country.toUpperCase() as CountryCode : undefined,
  });
  return parsed?.isValid() && !parsed.ext ? parsed.number : null;
}
