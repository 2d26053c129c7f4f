import { type Signal, signal } from "@preact/signals";
import { useMemo } from "preact/hooks";
import { languageLabel } from "../organisations/choices.ts";
import { Alert, TextArea } from "../ui/mod.ts";

/** One text per language, as edited: a signal per language of the clinic. */
export type TranslationSignals = Record<string, Signal<string>>;

/** The form's state for a `{language: text}` map, one field per language the clinic speaks. */
export function useTranslations(
  initial: Record<string, string>,
  languages: readonly string[],
): TranslationSignals {
  // The page is keyed by organisation, so the languages are fixed for this form's life.
  return useMemo(
    () => Object.fromEntries(languages.map((lang) => [lang, signal(initial[lang] ?? "")])),
    [],
  );
}

/** The map to save: languages left empty are left out (the database refuses empty texts). */
export function translationsOf(texts: TranslationSignals): Record<string, string> {
  return Object.fromEntries(
    Object.entries(texts)
      .map(([lang, text]) => [lang, text.value.trim()] as const)
      .filter(([, text]) => text !== ""),
  );
}

type TranslationFieldsProps = {
  /** What each text is ("Greeting"): the fields are "Greeting in English (en)", … */
  label: string;
  texts: TranslationSignals;
  /** The saved map, to point out texts in languages the clinic no longer speaks. */
  saved: Record<string, string>;
  rows?: number;
  maxLength?: number;
  help?: string;
};

export function TranslationFields(
  { label, texts, saved, rows = 2, maxLength, help }: TranslationFieldsProps,
) {
  const dropped = Object.keys(saved).filter((lang) => !(lang in texts));
  return (
    <>
      {Object.entries(texts).map(([lang, text]) => (
        <TextArea
          key={lang}
          label={`${label} in ${languageLabel(lang)}`}
          value={text}
          rows={rows}
          maxLength={maxLength}
          help={help}
        />
      ))}
      {dropped.length > 0 && (
        <Alert tone="warning">
          The clinic no longer speaks {dropped.map(languageLabel).join(", ")}: the{" "}
          {label.toLowerCase()} in it is not used, and saving removes it.
        </Alert>
      )}
    </>
  );
}
