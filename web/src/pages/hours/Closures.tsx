import { type Signal, useSignal } from "@preact/signals";
import type { Organisation } from "../../organisations/memberships.ts";
import { CLOSURE_REASON } from "../../receptionist/limits.ts";
import type { ClosureRow } from "../../receptionist/rows.ts";
import { addRow, changeRow } from "../../data/mutate.ts";
import { localDateOf, type Weekday } from "../../receptionist/shared.ts";
import { formatDays } from "../../format.ts";
import { Alert, Button, Card, ConfirmButton, EmptyState, Field } from "../../ui/mod.ts";
import { useUnsavedChanges } from "../../router.ts";
import { useAction } from "../../use_action.ts";
import { ClosureCalendar } from "./ClosureCalendar.tsx";

type ClosuresProps = {
  organisation: Organisation;
  closures: ClosureRow[];
  openWeekdays: ReadonlySet<Weekday>;
  manages: boolean;
  reload: () => Promise<void>;
};

/** Whole days the clinic is shut (holidays, training days): upcoming first, past ones folded. */
export function Closures(
  { organisation, closures, openWeekdays, manages, reload }: ClosuresProps,
) {
  const today = localDateOf(organisation.timezone, new Date());
  // The new closure's days, filled in by the form or by tapping the calendar.
  const startsOn = useSignal("");
  const endsOn = useSignal("");

  /** A first tap picks the first day, a later one the last; a tap before the first starts over. */
  function pick(date: string) {
    if (!startsOn.value || endsOn.value || date < startsOn.value) {
      startsOn.value = date;
      endsOn.value = "";
    } else {
      endsOn.value = date;
    }
  }

  const sorted = [...closures].sort((a, b) =>
    a.starts_on.localeCompare(b.starts_on) || a.ends_on.localeCompare(b.ends_on)
  );
  const upcoming = sorted.filter((c) => c.ends_on >= today);
  const past = sorted.filter((c) => c.ends_on < today).reverse();

  return (
    <Card title="Closures and holidays" level={2}>
      <p class="muted">
        Days the clinic is closed all day, whatever its weekly hours. The assistant is told about
        upcoming ones.
      </p>
      <ClosureCalendar
        today={today}
        closures={closures}
        openWeekdays={openWeekdays}
        onPick={manages ? pick : undefined}
        picked={manages ? { startsOn: startsOn.value, endsOn: endsOn.value } : undefined}
      />
      {upcoming.length === 0 ? <EmptyState>No upcoming closure.</EmptyState> : (
        <ul class="list">
          {upcoming.map((c) => (
            <ClosureItem key={c.id} closure={c} manages={manages} reload={reload} />
          ))}
        </ul>
      )}
      {past.length > 0 && (
        <details>
          <summary>Past closures ({past.length})</summary>
          <ul class="list">
            {past.map((c) => (
              <ClosureItem key={c.id} closure={c} manages={manages} reload={reload} />
            ))}
          </ul>
        </details>
      )}
      {manages && (
        <AddClosure
          organisationId={organisation.id}
          startsOn={startsOn}
          endsOn={endsOn}
          reload={reload}
        />
      )}
    </Card>
  );
}

function ClosureItem(
  { closure, manages, reload }: {
    closure: ClosureRow;
    manages: boolean;
    reload: () => Promise<void>;
  },
) {
  const action = useAction();
  const dates = formatDays(closure.starts_on, closure.ends_on);
  return (
    <li>
      <div>
        <strong>{dates}</strong>
        {closure.reason && <span>{` · ${closure.reason}`}</span>}
      </div>
      {manages && (
        <ConfirmButton
          label="Delete"
          question={`Delete the closure ${dates}?`}
          confirmLabel="Yes, delete"
          busy={action.busy.value}
          onConfirm={() =>
            action.run(async () => {
              const { error } = await changeRow("closures", closure.id, "delete");
              if (!error) await reload();
              return { error };
            })}
        />
      )}
      {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
    </li>
  );
}

type AddClosureProps = {
  organisationId: string;
  startsOn: Signal<string>;
  endsOn: Signal<string>;
  reload: () => Promise<void>;
};

function AddClosure({ organisationId, startsOn, endsOn, reload }: AddClosureProps) {
  const reason = useSignal("");
  const action = useAction();
  useUnsavedChanges(startsOn.value !== "" || reason.value.trim() !== "");

  function submit(event: SubmitEvent) {
    event.preventDefault();
    if (!startsOn.value) return action.fail("Choose the first closed day.");
    const last = endsOn.value || startsOn.value;
    if (last < startsOn.value) return action.fail("The last day cannot be before the first.");
    action.run(async () => {
      const { error } = await addRow("closures", organisationId, {
        starts_on: startsOn.value,
        ends_on: last,
        reason: reason.value.trim(),
      });
      if (error) return { error };
      startsOn.value = "";
      endsOn.value = "";
      reason.value = "";
      await reload();
      return { error: null, notice: "Closure added." };
    });
  }

  return (
    <form class="stack subform" onSubmit={submit} noValidate>
      <h3>Add a closure</h3>
      <div class="pickers">
        <Field label="First day" type="date" value={startsOn} required />
        <Field label="Last day (optional)" type="date" value={endsOn} min={startsOn.value} />
      </div>
      <Field
        label="Reason (optional)"
        value={reason}
        maxLength={CLOSURE_REASON}
        placeholder="e.g. Christmas"
      />
      {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
      {action.notice.value && <Alert tone="success">{action.notice.value}</Alert>}
      <Button type="submit" busy={action.busy.value}>Add closure</Button>
    </form>
  );
}
