import { useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import { SERVICE_NAME } from "../../receptionist/limits.ts";
import type { ServiceRow } from "../../receptionist/rows.ts";
import { differs, useUnsavedChanges } from "../../router.ts";
import { addRow, changeRow } from "../../data/mutate.ts";
import { Alert, Button, Checkbox, Field } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";

type ServiceEditorProps = {
  organisationId: string;
  /** The service to change; without it, the form adds a new one. */
  service?: ServiceRow;
  /** The organisation's other services (their names must differ). */
  others: ServiceRow[];
  onSaved: () => Promise<void>;
  onCancel?: () => void;
};

/** The database's bounds, checked here too so the message names the field. */
const LIMITS = {
  duration: { min: 5, max: 600, label: "The duration" },
  buffer: { min: 0, max: 240, label: "A buffer" },
};

function minutes(text: string, limit: { min: number; max: number; label: string }) {
  const value = Number(text.trim());
  if (text.trim() === "" || !Number.isInteger(value) || value < limit.min || value > limit.max) {
    return {
      value: null,
      problem:
        `${limit.label} must be a whole number of minutes from ${limit.min} to ${limit.max}.`,
    };
  }
  return { value, problem: null };
}

/** Name, duration, buffers before and after, and whether it can be booked. */
export function ServiceEditor(
  { organisationId, service, others, onSaved, onCancel }: ServiceEditorProps,
) {
  const name = useSignal(service?.name ?? "");
  const duration = useSignal(String(service?.duration_minutes ?? 30));
  const before = useSignal(String(service?.buffer_before_minutes ?? 0));
  const after = useSignal(String(service?.buffer_after_minutes ?? 0));
  const active = useSignal(service?.active ?? true);
  const save = useAction();
  const typed = () => [name.value, duration.value, before.value, after.value, active.value];
  const initial = useRef(typed());
  useUnsavedChanges(differs(typed(), initial.current));

  function submit(event: SubmitEvent) {
    event.preventDefault();
    const trimmed = name.value.trim();
    if (!trimmed) return save.fail("Give the service a name.");
    if (others.some((other) => other.name === trimmed)) {
      return save.fail(`There is already a service called “${trimmed}”.`);
    }
    const checked = [
      minutes(duration.value, LIMITS.duration),
      minutes(before.value, LIMITS.buffer),
      minutes(after.value, LIMITS.buffer),
    ];
    const problem = checked.find((c) => c.problem)?.problem;
    if (problem) return save.fail(problem);
    const row = {
      name: trimmed,
      duration_minutes: checked[0].value,
      buffer_before_minutes: checked[1].value,
      buffer_after_minutes: checked[2].value,
      active: active.value,
    };
    save.run(async () => {
      const { error } = service
        ? await changeRow("services", service.id, row)
        : await addRow("services", organisationId, row);
      if (error) return { error }; // the form keeps everything, to correct and retry
      if (!service) name.value = "";
      initial.current = typed();
      await onSaved();
      return { error: null, notice: service ? undefined : `Service “${trimmed}” added.` };
    });
  }

  return (
    <form class="stack" onSubmit={submit} noValidate>
      <Field label="Name" value={name} required maxLength={SERVICE_NAME} />
      <Field
        label="Duration (minutes)"
        type="number"
        value={duration}
        min={LIMITS.duration.min}
        max={LIMITS.duration.max}
      />
      <div class="pickers">
        <Field
          label="Buffer before (minutes)"
          type="number"
          value={before}
          min={0}
          max={LIMITS.buffer.max}
        />
        <Field
          label="Buffer after (minutes)"
          type="number"
          value={after}
          min={0}
          max={LIMITS.buffer.max}
        />
      </div>
      <Checkbox
        label="Active"
        checked={active}
        help="Only active services can be booked and are in the prompt."
      />
      {save.error.value && <Alert tone="error">{save.error.value}</Alert>}
      {save.notice.value && <Alert tone="success">{save.notice.value}</Alert>}
      <div class="row start">
        <Button type="submit" busy={save.busy.value}>
          {service ? "Save service" : "Add service"}
        </Button>
        {onCancel && <Button variant="secondary" onClick={onCancel}>Cancel</Button>}
      </div>
    </form>
  );
}
