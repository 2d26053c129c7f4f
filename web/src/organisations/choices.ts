/** Languages offered for a clinic's assistant (ISO 639-1); an organisation may have others. */
export const LANGUAGE_CODES = [
  "en",
  "ru",
  "lv",
  "lt",
  "et",
  "uk",
  "pl",
  "de",
  "fr",
  "es",
  "it",
  "pt",
  "nl",
  "sv",
  "fi",
];

/** The database accepts at most this many languages per organisation. */
export const MAX_LANGUAGES = 10;

let names: Intl.DisplayNames | undefined;

/** "Russian (ru)": the browser knows every language's name, so the bundle carries none. */
export function languageLabel(code: string): string {
  try {
    names ??= new Intl.DisplayNames(["en"], { type: "language" });
    return `${names.of(code) ?? code} (${code})`;
  } catch {
    return code;
  }
}

let zones: string[] | undefined;

/** IANA time zones the browser knows, always including UTC and any zone passed in. */
export function timezoneChoices(...include: string[]): string[] {
  zones ??= Intl.supportedValuesOf("timeZone");
  const extra = ["UTC", ...include].filter((zone) => zone && !zones!.includes(zone));
  return extra.length ? [...zones, ...extra].sort() : zones;
}

/** Where the user is, as a default for a new clinic. */
export function browserTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}
