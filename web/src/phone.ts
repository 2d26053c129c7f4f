import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";

/** A number as typed, read as the clinic would dial it: E.164, or why it cannot be. */
export type ParsedPhone = { e164: string; error?: never } | { e164?: never; error: string };

let countryNames: Intl.DisplayNames | undefined;

/** A country's name in the browser's language ("United Kingdom" for GB in English). */
export function countryName(country: string): string {
  countryNames ??= new Intl.DisplayNames(navigator.languages, { type: "region" });
  try {
    return countryNames.of(country) ?? country;
  } catch {
    return country;
  }
}

/** The help under a number field: how what is typed there is read. */
export function phoneHelp(country: string): string {
  return `As you would dial it in ${countryName(country)}, or with + and the country code.`;
}

/**
 * Reads a phone number as people type it — national ("07946 000000" in the United Kingdom),
 * international ("+44 7946 000000", "0044 7946 000000"), with spaces, dots, dashes or brackets —
 * in the clinic's country (ISO 3166 alpha-2), and gives it in E.164 ("+447946000000"), the one
 * form the database stores. Every phone input of the dashboard saves through this.
 */
export function parsePhone(typed: string, country: string): ParsedPhone {
  const text = typed.trim();
  if (!text) return { error: "Enter a phone number." };
  const parsed = parsePhoneNumberFromString(text, {
    defaultCountry: country.toUpperCase() as CountryCode,
  });
  if (!parsed || !parsed.isValid()) {
    return {
      error: `“${text}” is not a phone number in ${countryName(country)}. Write it as you would ` +
        "dial it there, or with + and the country code, e.g. +44 20 7946 0000.",
    };
  }
  if (parsed.ext) {
    return { error: `“${text}” has an extension, which cannot be dialled: leave it out.` };
  }
  return { e164: parsed.number };
}

/** "+44 20 7946 0000" for "+442079460000": an E.164 number grouped as people read it. */
export function formatPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
