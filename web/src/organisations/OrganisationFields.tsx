import { type Signal, useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { differs } from "../router.ts";
import { CheckboxGroup, Field, Select } from "../ui/mod.ts";
import {
  browserCountry,
  browserTimezone,
  countryChoices,
  languageLabel,
  MAX_LANGUAGES,
  timezoneChoices,
  timezoneCountry,
  useSupportedLanguages,
} from "./choices.ts";
import type { Organisation } from "./memberships.ts";

/** What a person chooses about a clinic, when creating it or in its settings. */
export type OrganisationChoices = Pick<
  Organisation,
  "name" | "timezone" | "country" | "languages" | "default_language"
>;

export type OrganisationForm = {
  name: Signal<string>;
  timezone: Signal<string>;
  country: Signal<string>;
  /** Whether the country is the person's choice; until then a new clinic's follows its time zone. */
  countryChosen: Signal<boolean>;
  languages: Signal<string[]>;
  /** The language picked as default; the form's default is this one only while it is offered. */
  preferredDefault: Signal<string>;
  /** Why the choices cannot be sent yet, or null. */
  problem: () => string | null;
  values: () => OrganisationChoices;
  /**
   * Whether the person changed anything since `initial` (for useUnsavedChanges): a country that
   * follows the time zone is the form's proposal, not a change of theirs.
   */
  changedFrom: (initial: OrganisationChoices) => boolean;
};

/** The form's state, starting from an organisation's current values or a new clinic's defaults. */
export function useOrganisationForm(initial?: OrganisationChoices): OrganisationForm {
  const name = useSignal(initial?.name ?? "");
  const timezone = useSignal(initial?.timezone ?? browserTimezone());
  const country = useSignal(initial?.country ?? browserCountry());
  const countryChosen = useSignal(initial !== undefined);
  const languages = useSignal(initial?.languages ?? ["en"]);
  const preferredDefault = useSignal(initial?.default_language ?? "en");

  // A new clinic's country is its time zone's while the person has not picked one (the browser
  // language's region stands in for a zone of no country, such as UTC).
  const zone = timezone.value;
  useEffect(() => {
    if (countryChosen.peek()) return;
    let current = true;
    timezoneCountry(zone)
      .then((found) => {
        if (current && found && !countryChosen.peek()) country.value = found;
      })
      .catch((e) => console.error(e));
    return () => current = false;
  }, [zone]);

  function values(): OrganisationChoices {
    return {
      name: name.value.trim(),
      timezone: timezone.value,
      country: country.value,
      languages: languages.value,
      default_language: defaultLanguage(languages.value, preferredDefault.value),
    };
  }

  return {
    name,
    timezone,
    country,
    countryChosen,
    languages,
    preferredDefault,
    problem() {
      if (!name.value.trim()) return "Enter the clinic's name.";
      if (!country.value) return "Choose the clinic's country.";
      if (!languages.value.length) return "Choose at least one language.";
      if (languages.value.length > MAX_LANGUAGES) {
        return `Choose at most ${MAX_LANGUAGES} languages.`;
      }
      return null;
    },
    values,
    changedFrom(initial) {
      const now = values();
      return differs(countryChosen.value ? now : { ...now, country: initial.country }, initial);
    },
  };
}

function defaultLanguage(languages: string[], preferred: string): string {
  return languages.includes(preferred) ? preferred : languages[0] ?? "";
}

/** Name, time zone, country, languages and default language of a clinic. */
export function OrganisationFields({ form }: { form: OrganisationForm }) {
  const chosen = form.languages.value;
  const supported = useSupportedLanguages();
  const offered = [...supported, ...chosen.filter((code) => !supported.includes(code))];
  const country = form.country.value;
  return (
    <>
      <Field label="Clinic name" value={form.name} required maxLength={120} />
      <Select
        label="Time zone"
        value={form.timezone.value}
        choices={timezoneChoices(form.timezone.value)}
        onChange={(zone) => form.timezone.value = zone}
      />
      <Select
        label="Country"
        value={country}
        choices={country
          ? countryChoices(country)
          : [{ value: "", label: "Choose a country" }, ...countryChoices()]}
        onChange={(code) => {
          form.country.value = code;
          form.countryChosen.value = true;
        }}
        help="How phone numbers written without + and a country code are read."
      />
      <CheckboxGroup
        legend="Languages the assistant speaks"
        choices={offered.map((code) => ({ value: code, label: languageLabel(code) }))}
        selected={chosen}
        onChange={(codes) => form.languages.value = codes}
      />
      {chosen.length > 0 && (
        <Select
          label="Default language"
          value={defaultLanguage(chosen, form.preferredDefault.value)}
          choices={chosen.map((code) => ({ value: code, label: languageLabel(code) }))}
          onChange={(code) => form.preferredDefault.value = code}
        />
      )}
    </>
  );
}
