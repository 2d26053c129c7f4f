import { signal } from "@preact/signals";
import { getCountries } from "libphonenumber-js";
import { useEffect } from "preact/hooks";
import { countryName } from "../phone.ts";
import { supabase } from "../supabase.ts";
import type { Choice } from "../ui/mod.ts";

/**
 * Languages a clinic's assistant can speak (ISO 639-1): public.languages, the one list the
 * database and the operator script check against. Empty until loaded.
 */
export const supportedLanguages = signal<string[]>([]);

let loading: Promise<void> | undefined;

/** Loads the supported languages once per page load. */
export function loadSupportedLanguages(): Promise<void> {
  loading ??= (async () => {
    const { data, error } = await supabase().from("languages").select("code").order("code");
    if (error) {
      loading = undefined;
      throw new Error(`Could not load the languages: ${error.message}`);
    }
    supportedLanguages.value = data.map((row) => row.code as string);
  })();
  return loading;
}

/** The supported languages, loading them on first use. */
export function useSupportedLanguages(): string[] {
  useEffect(() => {
    loadSupportedLanguages().catch((e) => console.error(e));
  }, []);
  return supportedLanguages.value;
}

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

let countries: Choice[] | undefined;

/**
 * The countries whose phone numbers the dashboard reads (libphonenumber-js's regions), named in
 * the browser's language and sorted by name, always including any code passed in.
 */
export function countryChoices(...include: string[]): Choice[] {
  if (!countries) {
    const collator = new Intl.Collator(navigator.languages);
    countries = getCountries()
      .map((code) => ({ value: code, label: countryName(code) }))
      .sort((a, b) => collator.compare(a.label, b.label));
  }
  const extra = include.filter((code) => code && !countries!.some((c) => c.value === code));
  return extra.length
    ? [...countries, ...extra.map((code) => ({ value: code, label: countryName(code) }))]
    : countries;
}

/** The region of the browser's language ("en-GB": GB) when it is one offered, else "". */
export function browserCountry(): string {
  const offered = new Set<string>(getCountries());
  for (const tag of navigator.languages) {
    try {
      const region = new Intl.Locale(tag).region;
      if (region && offered.has(region)) return region;
    } catch { /* not a language tag: try the next */ }
  }
  return "";
}

/** The country of an IANA time zone (from the database's copy of tzdata), or null: UTC has none. */
export async function timezoneCountry(zone: string): Promise<string | null> {
  const { data, error } = await supabase().rpc("country_for_timezone", { timezone: zone });
  if (error) throw new Error(`Could not look up the country of ${zone}: ${error.message}`);
  return data as string | null;
}
