import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { supabase } from "../supabase.ts";

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
