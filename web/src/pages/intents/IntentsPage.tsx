import { Fragment } from "preact";
import { languageLabel } from "../../organisations/choices.ts";
import { canManage, currentMembership } from "../../organisations/memberships.ts";
import { ACTIONS, labelOf, READ_ONLY_NOTE } from "../../receptionist/labels.ts";
import {
  compareIntents,
  INTENT_COLUMNS,
  type IntentRow,
  readRows,
} from "../../receptionist/rows.ts";
import { changeRow } from "../../receptionist/save.ts";
import { useLoad } from "../../receptionist/use_load.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Button, Card, ConfirmButton } from "../../ui/mod.ts";
import { useConfigItem } from "../../receptionist/config_item.tsx";
import { IntentEditor } from "./IntentEditor.tsx";

/**
 * What callers and patients ask for: how the assistant recognises each request, what it answers
 * in each language and what it does next, in the order the prompt lists them.
 */
export function IntentsPage() {
  const { organisation } = currentMembership.value!;
  const manages = canManage.value;
  const { data, error, reload } = useLoad(() =>
    readRows<IntentRow>(supabase(), "intents", INTENT_COLUMNS, organisation.id)
  );
  const intents = data.value && [...data.value].sort(compareIntents);

  return (
    <>
      <Card title="Intents">
        <p class="muted">
          What people ask {organisation.name}{" "}
          for, how the assistant recognises it, what it answers and what it does next. The assistant
          considers them in this order. {!manages && READ_ONLY_NOTE}
        </p>
        {error.value && <Alert tone="error">{error.value}</Alert>}
        {!intents && !error.value && <p class="muted">Loading…</p>}
        {intents?.length === 0 && <p class="muted">No intents yet.</p>}
        {intents && intents.length > 0 && (
          <ol class="list">
            {intents.map((intent, index) => (
              <IntentItem
                key={intent.id}
                intent={intent}
                intents={intents}
                index={index}
                manages={manages}
                reload={reload}
              />
            ))}
          </ol>
        )}
      </Card>
      {manages && intents && (
        <Card title="Add an intent" level={2}>
          <IntentEditor
            organisation={organisation}
            others={intents}
            position={Math.max(0, ...intents.map((i) => i.position)) + 1}
            onSaved={reload}
          />
        </Card>
      )}
    </>
  );
}

type IntentItemProps = {
  intent: IntentRow;
  /** All intents in their order, to move this one among them. */
  intents: IntentRow[];
  index: number;
  manages: boolean;
  reload: () => Promise<void>;
};

function IntentItem({ intent, intents, index, manages, reload }: IntentItemProps) {
  const { organisation } = currentMembership.value!;
  const item = useConfigItem("intents", intent.id, reload);
  const { editing, action } = item;

  function run(change: () => Promise<{ error: unknown }>) {
    action.run(async () => {
      const { error } = await change();
      await reload(); // also after a failure: a reorder may have got halfway
      return { error };
    });
  }

  if (editing.value) {
    return (
      <li>
        <IntentEditor
          organisation={organisation}
          intent={intent}
          others={intents.filter((other) => other.id !== intent.id)}
          position={intent.position}
          onSaved={item.saved}
          onCancel={() => editing.value = false}
        />
      </li>
    );
  }

  const missing = whatIsMissing(intent, organisation.default_language);
  const languages = [
    ...organisation.languages,
    ...Object.keys(intent.responses).filter((lang) => !organisation.languages.includes(lang)),
  ];
  return (
    <li>
      <div class="row">
        <strong>{intent.name}</strong>
        <span class="row start">
          <span class="badge">{labelOf(ACTIONS, intent.action)}</span>
          {!intent.active && <span class="badge badge-warning">Inactive</span>}
          {missing && <span class="badge badge-warning">Incomplete — {missing}</span>}
        </span>
      </div>
      {intent.example_phrases.length > 0 && (
        <p class="small">
          <span class="muted">Examples:</span>{" "}
          {intent.example_phrases.map((phrase) => `“${phrase}”`).join(", ")}
        </p>
      )}
      <dl class="facts small">
        {languages.map((lang) => (
          <Fragment key={lang}>
            <dt>{languageLabel(lang)}</dt>
            <dd>{intent.responses[lang] ?? <span class="muted">No response</span>}</dd>
          </Fragment>
        ))}
      </dl>
      {manages && (
        <div class="row start">
          <Button variant="secondary" onClick={() => editing.value = true}>Edit</Button>
          <Button
            variant="secondary"
            busy={action.busy.value}
            disabled={index === 0}
            onClick={() => run(() => move(intents, index, -1))}
          >
            Move up
          </Button>
          <Button
            variant="secondary"
            busy={action.busy.value}
            disabled={index === intents.length - 1}
            onClick={() => run(() => move(intents, index, 1))}
          >
            Move down
          </Button>
          <ConfirmButton
            label="Delete"
            question={`Delete “${intent.name}”?`}
            confirmLabel="Yes, delete"
            busy={action.busy.value}
            onConfirm={() => item.change("delete")}
          />
        </div>
      )}
      {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
    </li>
  );
}

/** What an intent saved before the rules of 20261201140000 lacks to be used, if anything. */
function whatIsMissing(intent: IntentRow, defaultLanguage: string): string | null {
  if (intent.example_phrases.length === 0) return "add an example phrase";
  if (intent.action === "answer" && !intent.responses[defaultLanguage]) {
    return `add the response in ${languageLabel(defaultLanguage)}`;
  }
  return null;
}

/**
 * Swaps an intent with its neighbour, then numbers the whole list 1, 2, 3… (positions may tie,
 * e.g. all 0, and a swap of equal numbers would change nothing). Only changed rows are written.
 */
async function move(
  intents: IntentRow[],
  index: number,
  delta: -1 | 1,
): Promise<{ error: unknown }> {
  const order = [...intents];
  [order[index], order[index + delta]] = [order[index + delta], order[index]];
  const changes = order
    .map((intent, i) => ({ intent, position: i + 1 }))
    .filter(({ intent, position }) => intent.position !== position);
  const results = await Promise.all(
    changes.map(({ intent, position }) => changeRow("intents", intent.id, { position })),
  );
  return results.find((result) => result.error) ?? { error: null };
}
