import { useSignal } from "@preact/signals";
import { Button, ConfirmButton } from "../ui/mod.ts";
import { useAction } from "../use_action.ts";
import { type ChangedTable, changeRow } from "../data/mutate.ts";

/**
 * One configuration row in a list: whether its editor is open, and changes to it, each saved and
 * then shown by reloading the list.
 */
export function useConfigItem(table: ChangedTable, id: string, reload: () => Promise<void>) {
  const editing = useSignal(false);
  const action = useAction();
  return {
    editing,
    action,
    change(change: Record<string, unknown> | "delete") {
      action.run(async () => {
        const { error } = await changeRow(table, id, change);
        if (!error) await reload();
        return { error };
      });
    },
    /** For the editor's onSaved: the list shows the saved row, and the editor closes. */
    async saved() {
      await reload();
      editing.value = false;
    },
  };
}

export type ConfigItem = ReturnType<typeof useConfigItem>;

/** Edit, switch on or off, and delete after a question: what owners and admins do to a row. */
export function ConfigItemActions(
  { item, active, deleteQuestion }: { item: ConfigItem; active: boolean; deleteQuestion: string },
) {
  const busy = item.action.busy.value;
  return (
    <div class="row start">
      <Button variant="secondary" onClick={() => item.editing.value = true}>Edit</Button>
      <Button variant="secondary" busy={busy} onClick={() => item.change({ active: !active })}>
        {active ? "Deactivate" : "Activate"}
      </Button>
      <ConfirmButton
        label="Delete"
        question={deleteQuestion}
        confirmLabel="Yes, delete"
        busy={busy}
        onConfirm={() => item.change("delete")}
      />
    </div>
  );
}
