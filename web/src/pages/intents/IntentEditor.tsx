import { useSignal } from "@preact/signals";
import { useId, useRef } from "preact/hooks";
import { languageLabel } from "../../organisations/choices.ts";
import type { Organisation } from "../../organisations/memberships.ts";
import { ACTIONS } from "../../receptionist/labels.ts";
import {
  EXAMPLE_PHRASE,
  EXAMPLE_PHRASES,
  INTENT_NAME,
  RESPONSE,
} from "../../receptionist/limits.ts";
import type { IntentRow } from "../../receptionist/rows.ts";
import { differs, useUnsavedChanges } from "../../router.ts";
import { addRow, changeRow } from "../../data/mutate.ts";
import type { IntentAction } from "../../receptionist/shared.ts";
import {
  TranslationFields,
  translationsOf,
  useTranslations,
} from "../../receptionist/TranslationFields.tsx";
import { Alert, Button, Checkbox, Field, Select } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";

type IntentEditorProps = {
  organisation: Organisation;
  /** The intent to change; without it, the form adds a new one. */
  intent?: IntentRow;
  /** The organisation's other intents (their names must differ). */
  others: IntentRow[];
  /** Where a new intent goes (the end of the list). */
  position: number;
  onSaved: () => Promise<void>;
  onCancel?: () => void;
};

/** Name, example phrases, a response per language, action and whether it is active. */
export function IntentEditor(
  { organisation, intent, others, position, onSaved, onCancel }: IntentEditorProps,
) {
  const name = useSignal(intent?.name ?? "");
  const phrases = useSignal<string[]>(intent?.example_phrases ?? []);
  const newPhrase = useSignal("");
  const responses = useTranslations(intent?.responses ?? {}, organisation.languages);
  const action = useSignal<IntentAction>(intent?.action ?? "answer");
  const active = useSignal(intent?.active ?? true);
  const save = useAction();
  const phrasesId = useId();
  const initial = useRef(typed());

  /** Everything as typed, to tell unsaved changes from what the form started with. */
  function typed() {
    return [
      name.value,
      phrases.value,
      newPhrase.value.trim(),
      translationsOf(responses),
      action.value,
      active.value,
    ];
  }
  useUnsavedChanges(differs(typed(), initial.current));

  /** The phrases to save, including one typed but not yet added (nothing typed is lost). */
  function allPhrases(): string[] {
    const typed = newPhrase.value.trim();
    return typed && !phrases.value.includes(typed) ? [...phrases.value, typed] : phrases.value;
  }

  function addPhrase() {
    const typed = newPhrase.value.trim();
    if (!typed) return;
    if (!phrases.value.includes(typed)) phrases.value = [...phrases.value, typed];
    newPhrase.value = "";
  }

  function problem(): string | null {
    const trimmed = name.value.trim();
    if (!trimmed) return "Give the intent a name.";
    if (others.some((other) => other.name === trimmed)) {
      return `There is already an intent called “${trimmed}”.`;
    }
    if (allPhrases().length === 0) {
      return "Add at least one example phrase: a way people ask for it.";
    }
    if (allPhrases().length > EXAMPLE_PHRASES) {
      return `An intent can have at most ${EXAMPLE_PHRASES} example phrases.`;
    }
    const defaultLanguage = organisation.default_language;
    if (action.value === "answer" && !responses[defaultLanguage]?.value.trim()) {
      return `Write the response in ${languageLabel(defaultLanguage)}, or choose what the ` +
        "assistant does instead of just answering.";
    }
    return null;
  }

  function submit(event: SubmitEvent) {
    event.preventDefault();
    const refused = problem();
    if (refused) return save.fail(refused);
    const row = {
      name: name.value.trim(),
      example_phrases: allPhrases(),
      responses: translationsOf(responses),
      action: action.value,
      active: active.value,
    };
    save.run(async () => {
      const { error } = intent
        ? await changeRow("intents", intent.id, row)
        : await addRow("intents", organisation.id, { ...row, position });
      if (error) return { error }; // the form keeps everything, to correct and retry
      if (!intent) {
        name.value = "";
        phrases.value = [];
        newPhrase.value = "";
        for (const text of Object.values(responses)) text.value = "";
        action.value = "answer";
        active.value = true;
      }
      initial.current = typed();
      await onSaved();
      return { error: null, notice: intent ? undefined : `Intent “${row.name}” added.` };
    });
  }

  return (
    <form class="stack" onSubmit={submit} noValidate>
      <Field label="Name" value={name} required maxLength={INTENT_NAME} />
      <fieldset class="field phrases">
        <legend id={phrasesId}>Example phrases</legend>
        <p class="muted small">
          A few ways people say it; the assistant recognises others like them too.
        </p>
        {phrases.value.length > 0 && (
          <ul class="chips" aria-labelledby={phrasesId}>
            {phrases.value.map((phrase) => (
              <li key={phrase}>
                <span>{phrase}</span>
                <Button
                  variant="link"
                  aria-label={`Remove “${phrase}”`}
                  onClick={() => phrases.value = phrases.value.filter((p) => p !== phrase)}
                >
                  Remove
                </Button>
              </li>
            ))}
          </ul>
        )}
        <div
          class="inline-add"
          // Enter in the phrase field adds the phrase rather than saving the whole intent.
          onKeyDown={(event) => {
            if (event.key === "Enter" && (event.target as HTMLElement).tagName === "INPUT") {
              event.preventDefault();
              addPhrase();
            }
          }}
        >
          <Field label="New example phrase" value={newPhrase} maxLength={EXAMPLE_PHRASE} />
          <Button variant="secondary" onClick={addPhrase}>Add phrase</Button>
        </div>
      </fieldset>
      <TranslationFields
        label="Response"
        texts={responses}
        saved={intent?.responses ?? {}}
        maxLength={RESPONSE}
        help={`What the assistant answers; needed in ${
          languageLabel(organisation.default_language)
        } to just answer. Left empty in another language, it translates that one.`}
      />
      <Select
        label="Then"
        value={action.value}
        choices={ACTIONS}
        onChange={(value) => action.value = value as IntentAction}
      />
      <Checkbox
        label="Active"
        checked={active}
        help="Inactive intents are left out of the prompt."
      />
      {save.error.value && <Alert tone="error">{save.error.value}</Alert>}
      {save.notice.value && <Alert tone="success">{save.notice.value}</Alert>}
      <div class="row start">
        <Button type="submit" busy={save.busy.value}>
          {intent ? "Save intent" : "Add intent"}
        </Button>
        {onCancel && <Button variant="secondary" onClick={onCancel}>Cancel</Button>}
      </div>
    </form>
  );
}
