import { useSignal } from "@preact/signals";
import { QueryStatus } from "../../data/QueryStatus.tsx";
import { useQuery } from "../../data/query.ts";
import { languageLabel } from "../../organisations/choices.ts";
import { canManage, currentMembership } from "../../organisations/memberships.ts";
import { FAQ_KINDS, READ_ONLY_NOTE } from "../../receptionist/labels.ts";
import { FAQ_COLUMNS, type FaqRow, readRows } from "../../receptionist/rows.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Card, Field, Select } from "../../ui/mod.ts";
import { ConfigItemActions, useConfigItem } from "../../receptionist/config_item.tsx";
import { FaqEditor } from "./FaqEditor.tsx";
import { categoriesOf, filterFaq, sortFaq } from "./filter.ts";

/**
 * Questions the clinic answers the same way every time, and canned replies sent word for word on
 * WhatsApp: searchable and filterable; owners and admins add, change, switch off and delete them.
 */
export function FaqPage() {
  const { organisation } = currentMembership.value!;
  const manages = canManage.value;
  const { data, error, reload } = useQuery(() =>
    readRows<FaqRow>(supabase(), "faq_entries", FAQ_COLUMNS, organisation.id)
  );
  const search = useSignal("");
  const category = useSignal("");
  const language = useSignal("");
  const kind = useSignal("");
  const entries = data.value;
  const categories = categoriesOf(entries ?? []);
  const languages = [
    ...organisation.languages,
    ...new Set((entries ?? []).map((e) => e.language)),
  ].filter((lang, i, all) => all.indexOf(lang) === i);
  const shown = entries &&
    sortFaq(filterFaq(entries, {
      search: search.value,
      category: categories.includes(category.value) ? category.value : "",
      language: language.value,
      kind: kind.value,
    }));

  return (
    <>
      <Card title="FAQ and canned replies">
        <p class="muted">
          Questions {organisation.name}{" "}
          answers the same way every time. The assistant uses FAQ answers in its own words; canned
          replies are sent word for word on WhatsApp. {!manages && READ_ONLY_NOTE}
        </p>
        <QueryStatus data={data} error={error} />
        {entries?.length === 0 && <p class="muted">No entries yet.</p>}
        {entries && entries.length > 0 && (
          <>
            <div class="filters" role="search" aria-label="Filter the FAQ">
              <Field label="Search" type="search" value={search} autoComplete="off" />
              <Select
                label="Category"
                value={category.value}
                choices={[{ value: "", label: "All categories" }, ...categories]}
                onChange={(value) => category.value = value}
              />
              <Select
                label="Language"
                value={language.value}
                choices={[
                  { value: "", label: "All languages" },
                  ...languages.map((lang) => ({ value: lang, label: languageLabel(lang) })),
                ]}
                onChange={(value) => language.value = value}
              />
              <Select
                label="Kind"
                value={kind.value}
                choices={[{ value: "", label: "Both kinds" }, ...FAQ_KINDS]}
                onChange={(value) => kind.value = value}
              />
            </div>
            <p class="muted small" aria-live="polite">
              {shown!.length === entries.length
                ? `${entries.length} entries`
                : `${shown!.length} of ${entries.length} entries`}
            </p>
            <ul class="list">
              {shown!.map((entry) => (
                <FaqItem
                  key={entry.id}
                  entry={entry}
                  categories={categories}
                  manages={manages}
                  reload={reload}
                />
              ))}
            </ul>
          </>
        )}
      </Card>
      {manages && entries && (
        <Card title="Add an entry" level={2}>
          <FaqEditor organisation={organisation} categories={categories} onSaved={reload} />
        </Card>
      )}
    </>
  );
}

type FaqItemProps = {
  entry: FaqRow;
  categories: string[];
  manages: boolean;
  reload: () => Promise<void>;
};

function FaqItem({ entry, categories, manages, reload }: FaqItemProps) {
  const { organisation } = currentMembership.value!;
  const item = useConfigItem("faq_entries", entry.id, reload);

  if (item.editing.value) {
    return (
      <li>
        <FaqEditor
          organisation={organisation}
          entry={entry}
          categories={categories}
          onSaved={item.saved}
          onCancel={() => item.editing.value = false}
        />
      </li>
    );
  }

  return (
    <li>
      <div class="row">
        <strong>{entry.question}</strong>
        <span class="row start">
          {entry.kind === "canned_reply" && <span class="badge">Canned reply</span>}
          {!entry.active && <span class="badge badge-warning">Inactive</span>}
        </span>
      </div>
      <p class="prewrap">{entry.answer}</p>
      <p class="muted small">
        {entry.category} · {languageLabel(entry.language)}
      </p>
      {manages && (
        <ConfigItemActions item={item} active={entry.active} deleteQuestion="Delete this entry?" />
      )}
      {item.action.error.value && <Alert tone="error">{item.action.error.value}</Alert>}
    </li>
  );
}
