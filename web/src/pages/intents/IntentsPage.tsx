import type { Signal } from "@preact/signals";
import { Fragment } from "preact";
import { QueryStatus } from "../../data/QueryStatus.tsx";
import { useQuery } from "../../data/query.ts";
import { languageLabel } from "../../organisations/choices.ts";
import { canManage, currentMembership } from "../../organisations/memberships.ts";
import { ACTIONS, labelOf, READ_ONLY_NOTE } from "../../receptionist/labels.ts";
import {
  compareIntents,
  INTENT_COLUMNS,
  type IntentRow,
  readRows,
} from "../../receptionist/rows.ts";
import { mutate } from "../../data/mutate.ts";
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
  const { data, error, reload } = useQuery(() =>
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
        <QueryStatus data={data} error={error} />
        {intents?.length === 0 && <p class="muted">No intents yet.</p>}
        {intents && intents.length > 0 && (
          <ol class="list">
            {intents.map((intent, index) => (
              <IntentItem
                key={intent.id}
                intent={intent}
                intents={intents}
                shown={data}
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
  /** The intents as the page holds them, changed at once when one moves. */
  shown: Signal<IntentRow[] | undefined>;
  index: number;
  manages: boolean;
  reload: () => Promise<void>;
};

function IntentItem({ intent, intents, shown, index, manages, reload }: IntentItemProps) {
  const { organisation } = currentMembership.value!;
  const item = useConfigItem("intents", intent.id, reload);
  const { editing, action } = item;

  function moveBy(delta: -1 | 1) {
    action.run(async () => {
      const { error } = await move(shown, intents, index, delta, organisation.id);
      if (error) await reload(); // e.g. someone added an intent meanwhile: show the list as it is
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
            onClick={() => moveBy(-1)}
          >
            Move up
          </Button>
          <Button
            variant="secondary"
            busy={action.busy.value}
            disabled={index === intents.length - 1}
            onClick={() => moveBy(1)}
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
 * Swaps an intent with its neighbour: shown at once, then saved as the whole order numbered 1, 2,
 * 3… (positions may tie, e.g. all 0) in one call that applies all of it or nothing.
 */
function move(
  shown: Signal<IntentRow[] | undefined>,
  intents: IntentRow[],
  index: number,
  delta: -1 | 1,
  organisationId: string,
): Promise<{ error: unknown }> {
  const order = [...intents];
  [order[index], order[index + delta]] = [order[index + delta], order[index]];
  return mutate(
    shown,
    () => order.map((intent, i) => ({ ...intent, position: i + 1 })),
    () =>
      supabase().rpc("reorder_intents", {
        organisation_id: organisationId,
        intent_ids: order.map((intent) => intent.id),
      }),
  );
}
