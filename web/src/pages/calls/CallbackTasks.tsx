import { useSignal } from "@preact/signals";
import { mutate } from "../../data/mutate.ts";
import { QueryStatus } from "../../data/QueryStatus.tsx";
import { useQuery } from "../../data/query.ts";
import { formatDateTime } from "../../format.ts";
import { currentOrganisation } from "../../organisations/memberships.ts";
import { formatPhone } from "../../phone.ts";
import { userId } from "../../session.ts";
import { supabase } from "../../supabase.ts";
import { Button, Card, EmptyState, Select } from "../../ui/mod.ts";
import { toast } from "../../ui/toast.ts";
import { describeError } from "../../errors.ts";
import { type CallbackTask, changeTask, TASK_COLUMNS } from "./calls.ts";

const SHOWN = 50;

/**
 * The people to call back (messages the assistant took, voicemails): open or done, everyone's or
 * mine. Any member marks one done, reopens it or takes it.
 */
export function CallbackTasks({ organisationId, callId }: {
  organisationId: string;
  /** Only the tasks of one call (its page), in any state. */
  callId?: string;
}) {
  const status = useSignal<"open" | "done">("open");
  const mine = useSignal(false);
  const me = userId.value;
  const tasks = useQuery(
    () => {
      let query = supabase().from("callback_tasks").select(TASK_COLUMNS)
        .eq("organisation_id", organisationId);
      if (callId) query = query.eq("call_id", callId);
      else query = query.eq("status", status.value);
      if (mine.value && !callId) query = query.eq("assigned_to", me!);
      return query.order("created_at", { ascending: false }).limit(SHOWN);
    },
    [organisationId, callId, status.value, mine.value],
  );

  async function change(task: CallbackTask, patch: Partial<CallbackTask>, done: string) {
    // Shown at once; a task that leaves the open/done view stays until the next read.
    const { error } = await mutate(
      tasks.data,
      (list) => list.map((t) => t.id === task.id ? { ...t, ...patch } : t),
      () => changeTask(task.id, patch as Parameters<typeof changeTask>[1]),
    );
    toast(error ? describeError(error) : done, error ? "error" : "success");
  }

  const list = tasks.data.value;
  return (
    <Card title={callId ? "Callback" : "Callbacks"} level={2} wide>
      {!callId && (
        <div class="row start filters">
          <Select
            label="Show"
            value={status.value}
            choices={[{ value: "open", label: "Open" }, { value: "done", label: "Done" }]}
            onChange={(shown) => status.value = shown === "done" ? "done" : "open"}
          />
          <label class="check">
            <input
              type="checkbox"
              checked={mine.value}
              onChange={(event) => mine.value = event.currentTarget.checked}
            />
            <span>Assigned to me</span>
          </label>
        </div>
      )}
      <QueryStatus data={tasks.data} error={tasks.error} />
      {list?.length === 0 && (
        <EmptyState>
          {callId
            ? "No callback was asked for on this call."
            : status.value === "open"
            ? "Nobody is waiting for a call back."
            : "No callback done yet."}
        </EmptyState>
      )}
      {list && list.length > 0 && (
        <ul class="list" aria-label="Callback tasks">
          {list.map((task) => (
            <TaskItem
              key={task.id}
              task={task}
              me={me}
              onCallPage={Boolean(callId)}
              onChange={(patch, done) => change(task, patch, done)}
            />
          ))}
        </ul>
      )}
    </Card>
  );
}

export function TaskItem({ task, me, onCallPage, onChange }: {
  task: CallbackTask;
  me: string | null;
  /** Shown on its call's page: no link to the call. */
  onCallPage?: boolean;
  onChange?: (patch: Partial<CallbackTask>, done: string) => void;
}) {
  const timeZone = currentOrganisation.value!.timezone;
  const who = task.caller_name || (task.callback_e164 ? formatPhone(task.callback_e164) : "Caller");
  return (
    <li aria-label={`Callback for ${who}`}>
      <div class="row">
        <strong>{who}</strong>
        <span>
          {task.urgency === "urgent" && <span class="badge badge-warning">Urgent</span>}{" "}
          <span class="badge">{task.status === "done" ? "Done" : "Open"}</span>
        </span>
      </div>
      {task.reason && <p>{task.reason}</p>}
      <p class="muted small">
        {task.kind === "voicemail" ? "Voicemail" : "Message"} ·{" "}
        {formatDateTime(task.created_at, timeZone)}
        {task.assigned_to && ` · ${task.assigned_to === me ? "assigned to you" : "assigned"}`}
        {task.call_id && !onCallPage && (
          <>
            {" · "}
            <a href={`#/calls/${task.call_id}`}>the call</a>
          </>
        )}
      </p>
      {task.recording_url && <audio controls preload="none" src={task.recording_url} />}
      {onChange && (
        <div class="row start">
          {task.callback_e164 && (
            <a class="btn btn-secondary" href={`tel:${task.callback_e164}`}>
              Call {formatPhone(task.callback_e164)}
            </a>
          )}
          {task.status === "open"
            ? (
              <Button onClick={() => onChange({ status: "done" }, "Marked done.")}>
                Mark done
              </Button>
            )
            : (
              <Button variant="secondary" onClick={() => onChange({ status: "open" }, "Reopened.")}>
                Reopen
              </Button>
            )}
          {me && task.assigned_to !== me && task.status === "open" && (
            <Button
              variant="secondary"
              onClick={() => onChange({ assigned_to: me }, "Assigned to you.")}
            >
              Assign to me
            </Button>
          )}
        </div>
      )}
    </li>
  );
}
