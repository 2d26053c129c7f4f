import { changeRow } from "../../data/mutate.ts";
import { Alert, Button, ConfirmButton } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";
import type { ChannelStatus } from "./status.ts";

type RowActionsProps = {
  table: "twilio_accounts" | "phone_numbers" | "whatsapp_channels" | "meta_apps";
  id: string;
  /** Whether the row is active, for rows that can be switched off without removing them. */
  active?: boolean;
  /** The remove button ("Remove number"), and what it asks first ("Remove +442079460000?"). */
  removeLabel: string;
  removeQuestion: string;
  reload: () => Promise<void>;
};

/** Owners' and admins' buttons on a channel: activate or deactivate, and remove (after asking). */
export function RowActions(
  { table, id, active, removeLabel, removeQuestion, reload }: RowActionsProps,
) {
  const action = useAction();

  function change(change: Record<string, unknown> | "delete") {
    action.run(async () => {
      const { error } = await changeRow(table, id, change);
      if (!error) await reload();
      return { error };
    });
  }

  return (
    <>
      <div class="row start">
        {active !== undefined && (
          <Button
            variant="secondary"
            busy={action.busy.value}
            onClick={() => change({ active: !active })}
          >
            {active ? "Deactivate" : "Activate"}
          </Button>
        )}
        <ConfirmButton
          label={removeLabel}
          question={removeQuestion}
          confirmLabel="Yes, remove"
          busy={action.busy.value}
          onConfirm={() => change("delete")}
        />
      </div>
      {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
    </>
  );
}

/** "Active" only when the channel works; otherwise what stops it, as a warning. */
export function StatusBadge({ status }: { status: ChannelStatus }) {
  return status.ready
    ? <span class="badge">Active</span>
    : <span class="badge badge-warning">{status.label}</span>;
}

/** Why sending through the number fails (set by the send path), and what to do about it. */
export function SendProblem({ problem, meta }: { problem: string; meta: boolean }) {
  return (
    <Alert tone="warning">
      Replies are not being sent: {problem} Check the {meta ? "access token" : "Twilio auth token"}
      {" "}
      and the number with the provider; sending resumes with the next message.
    </Alert>
  );
}
