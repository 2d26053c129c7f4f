import { type Signal, useSignal } from "@preact/signals";
import { CheckboxGroup, Field, Select } from "../ui/mod.ts";
import {
  browserTimezone,
  languageLabel,
  MAX_LANGUAGES,
  timezoneChoices,
  useSupportedLanguages,
} from "./choices.ts";
import type { Organisation } from "./memberships.ts";

/** What a person chooses about a clinic, when creating it or in its settings. */
export type OrganisationChoices = Pick<
  Organisation,
  "name" | "timezone" | "languages" | "default_language"
>;

export type OrganisationForm = {
  name: Signal<string>;
  timezone: Signal<string>;
  languages: Signal<string[]>;
  /** The language picked as default; the form's default is this one only while it is offered. */
  preferredDefault: Signal<string>;
  /** Why the choices cannot be sent yet, or null. */
  problem: () => string | null;
  values: () => OrganisationChoices;
};

/** The form's state, starting from an organisation's current values or a new clinic's defaults. */
export function useOrganisationForm(initial?: OrganisationChoices): OrganisationForm {
  const name = useSignal(initial?.name ?? "");
  const timezone = useSignal(initial?.timezone ?? browserTimezone());
  const languages = useSignal(initial?.languages ?? ["en"]);
  const preferredDefault = useSignal(initial?.default_language ?? "en");

  return {
    name,
    timezone,
    languages,
    preferredDefault,
    problem() {
      if (!name.value.trim()) return "Enter the clinic's name.";
      if (!languages.value.length) return "Choose at least one language.";
      if (languages.value.length > MAX_LANGUAGES) {
        return `Choose at most ${MAX_LANGUAGES} languages.`;
      }
      return null;
    },
    values: () => ({
      name: name.value.trim(),
      timezone: timezone.value,
      languages: languages.value,
      default_language: defaultLanguage(languages.value, preferredDefault.value),
    }),
  };
}

function defaultLanguage(languages: string[], preferred: string): string {
  return languages.includes(preferred) ? preferred : languages[0] ?? "";
}

/** Name, time zone, languages and default language of a clinic. */
export function OrganisationFields({ form }: { form: OrganisationForm }) {
  const chosen = form.languages.value;
  const supported = useSupportedLanguages();
  const offered = [...supported, ...chosen.filter((code) => !supported.includes(code))];
  return (
    <>
      <Field label="Clinic name" value={form.name} required maxLength={120} />
      <Select
        label="Time zone"
        value={form.timezone.value}
        choices={timezoneChoices(form.timezone.value)}
        onChange={(zone) => form.timezone.value = zone}
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
