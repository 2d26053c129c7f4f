import { useSignal } from "@preact/signals";
import { useId, useRef } from "preact/hooks";
import { languageLabel } from "../../organisations/choices.ts";
import type { Organisation } from "../../organisations/memberships.ts";
import { FAQ_KINDS } from "../../receptionist/labels.ts";
import { FAQ_ANSWER, FAQ_CATEGORY, FAQ_QUESTION } from "../../receptionist/limits.ts";
import type { FaqRow } from "../../receptionist/rows.ts";
import { differs, useUnsavedChanges } from "../../router.ts";
import { addRow, changeRow } from "../../data/mutate.ts";
import type { FaqKind } from "../../receptionist/shared.ts";
import { Alert, Button, Checkbox, Field, RadioGroup, Select, TextArea } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";

type FaqEditorProps = {
  organisation: Organisation;
  /** The entry to change; without it, the form adds a new one. */
  entry?: FaqRow;
  /** Categories in use, offered as suggestions. */
  categories: string[];
  onSaved: () => Promise<void>;
  onCancel?: () => void;
};

/** Kind, question, answer, category, language and whether it is active. */
export function FaqEditor({ organisation, entry, categories, onSaved, onCancel }: FaqEditorProps) {
  const kind = useSignal<FaqKind>(entry?.kind ?? "faq");
  const question = useSignal(entry?.question ?? "");
  const answer = useSignal(entry?.answer ?? "");
  const category = useSignal(entry?.category ?? "general");
  const language = useSignal(entry?.language ?? organisation.default_language);
  const active = useSignal(entry?.active ?? true);
  const save = useAction();
  const id = useId();
  const typed =
    () => [kind.value, question.value, answer.value, category.value, language.value, active.value];
  const initial = useRef(typed());
  useUnsavedChanges(differs(typed(), initial.current));
  const languages = organisation.languages.includes(language.value)
    ? organisation.languages
    : [...organisation.languages, language.value];

  function problem(): string | null {
    if (!question.value.trim()) return "Write the question.";
    if (!answer.value.trim()) return "Write the answer.";
    if (!category.value.trim()) return "Give a category (e.g. general, prices, parking).";
    return null;
  }

  function submit(event: SubmitEvent) {
    event.preventDefault();
    const refused = problem();
    if (refused) return save.fail(refused);
    const row = {
      kind: kind.value,
      question: question.value.trim(),
      answer: answer.value.trim(),
      category: category.value.trim(),
      language: language.value,
      active: active.value,
    };
    save.run(async () => {
      const { error } = entry
        ? await changeRow("faq_entries", entry.id, row)
        : await addRow("faq_entries", organisation.id, row);
      if (error) return { error }; // the form keeps everything, to correct and retry
      if (!entry) {
        question.value = "";
        answer.value = "";
      }
      initial.current = typed();
      await onSaved();
      return { error: null, notice: entry ? undefined : "Entry added." };
    });
  }

  return (
    <form class="stack" onSubmit={submit} noValidate>
      <RadioGroup
        legend="Kind"
        name={`kind-${id}`}
        value={kind.value}
        choices={FAQ_KINDS.map(({ value, label, help }) => ({ value, label, details: help }))}
        onChange={(value) => kind.value = value as FaqKind}
      />
      <Field label="Question" value={question} required maxLength={FAQ_QUESTION} />
      <TextArea label="Answer" value={answer} rows={4} required maxLength={FAQ_ANSWER} />
      <Field
        label="Category"
        value={category}
        required
        maxLength={FAQ_CATEGORY}
        list={`categories-${id}`}
      />
      <datalist id={`categories-${id}`}>
        {categories.map((c) => <option key={c} value={c} />)}
      </datalist>
      <Select
        label="Language of the entry"
        value={language.value}
        choices={languages.map((lang) => ({ value: lang, label: languageLabel(lang) }))}
        onChange={(value) => language.value = value}
      />
      <Checkbox label="Active" checked={active} help="Inactive entries are never used." />
      {save.error.value && <Alert tone="error">{save.error.value}</Alert>}
      {save.notice.value && <Alert tone="success">{save.notice.value}</Alert>}
      <div class="row start">
        <Button type="submit" busy={save.busy.value}>{entry ? "Save entry" : "Add entry"}</Button>
        {onCancel && <Button variant="secondary" onClick={onCancel}>Cancel</Button>}
      </div>
    </form>
  );
}
