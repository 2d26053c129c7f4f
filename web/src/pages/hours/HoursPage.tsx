import { useSignal } from "@preact/signals";
import { useEffect, useId } from "preact/hooks";
import { QueryStatus } from "../../data/QueryStatus.tsx";
import { readAll, useQuery } from "../../data/query.ts";
import { canManage, currentMembership } from "../../organisations/memberships.ts";
import { READ_ONLY_NOTE, WEEKDAYS } from "../../receptionist/labels.ts";
import {
  CLOSURE_COLUMNS,
  type ClosureRow,
  hhmm,
  readRows,
  WORKING_HOURS_COLUMNS,
  type WorkingHoursRow,
} from "../../receptionist/rows.ts";
import { addRow, changeRow } from "../../data/mutate.ts";
import { describeWeek, openingStatus, type Weekday } from "../../receptionist/shared.ts";
import { useUnsavedChanges } from "../../router.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Button, Card, Field } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";
import { Closures } from "./Closures.tsx";
import { describeStatus } from "./when.ts";

type Hours = { workingHours: WorkingHoursRow[]; closures: ClosureRow[] };

function readHours(organisationId: string) {
  return readAll({
    workingHours: readRows<WorkingHoursRow>(
      supabase(),
      "working_hours",
      WORKING_HOURS_COLUMNS,
      organisationId,
    ),
    closures: readRows<ClosureRow>(supabase(), "closures", CLOSURE_COLUMNS, organisationId),
  });
}

/**
 * When the clinic is open, in its own time zone: several intervals a day (past midnight allowed),
 * whether it is open right now, and the days it is closed.
 */
export function HoursPage() {
  const { organisation } = currentMembership.value!;
  const manages = canManage.value;
  const { data, error, reload } = useQuery(() => readHours(organisation.id));
  const hours = data.value;

  return (
    <>
      <Card title="Opening hours">
        <p class="muted">
          In{" "}
          {organisation.name}'s local time ({organisation.timezone}). A closing time earlier than
          the opening time means the next day, e.g. 22:00–02:00. {!manages && READ_ONLY_NOTE}
        </p>
        <QueryStatus data={data} error={error} />
        {hours && <OpenNow timezone={organisation.timezone} hours={hours} />}
        {hours && (
          <div class="week">
            {WEEKDAYS.map((name, index) => (
              <Day
                key={name}
                organisationId={organisation.id}
                weekday={(index + 1) as Weekday}
                intervals={hours.workingHours.filter((w) => w.weekday === index + 1)}
                manages={manages}
                reload={reload}
              />
            ))}
          </div>
        )}
      </Card>
      {hours && (
        <Closures
          organisation={organisation}
          closures={hours.closures}
          openWeekdays={new Set(hours.workingHours.map((w) => w.weekday))}
          manages={manages}
          reload={reload}
        />
      )}
    </>
  );
}

/** "Open now · closes today at 19:00", kept current, and the week in one line. */
function OpenNow({ timezone, hours }: { timezone: string; hours: Hours }) {
  const now = useSignal(new Date());
  useEffect(() => {
    const timer = setInterval(() => now.value = new Date(), 30_000);
    return () => clearInterval(timer);
  }, []);
  const config = {
    timezone,
    workingHours: hours.workingHours.map((w) => ({
      weekday: w.weekday,
      opens: hhmm(w.opens),
      closes: hhmm(w.closes),
    })),
    closures: hours.closures.map((c) => ({
      startsOn: c.starts_on,
      endsOn: c.ends_on,
      reason: c.reason,
    })),
  };
  const status = openingStatus(config, now.value);
  return (
    <div class="status-box">
      <p role="status" class={status.open ? "open-now" : "closed-now"}>
        <strong>{describeStatus(status, timezone, now.value)}</strong>
      </p>
      <p class="small muted">{describeWeek(config.workingHours, "en")}.</p>
    </div>
  );
}

type DayProps = {
  organisationId: string;
  weekday: Weekday;
  intervals: WorkingHoursRow[];
  manages: boolean;
  reload: () => Promise<void>;
};

/** One weekday's intervals, each removable, and a way to add another. */
function Day({ organisationId, weekday, intervals, manages, reload }: DayProps) {
  const headingId = useId();
  const opens = useSignal("");
  const closes = useSignal("");
  const action = useAction();
  const name = WEEKDAYS[weekday - 1];
  useUnsavedChanges(opens.value !== "" || closes.value !== "");
  const sorted = [...intervals].sort((a, b) => a.opens.localeCompare(b.opens));

  function add(event: SubmitEvent) {
    event.preventDefault();
    if (!opens.value || !closes.value) return action.fail("Enter an opening and a closing time.");
    if (opens.value === closes.value) {
      return action.fail("The opening and closing times must differ.");
    }
    action.run(async () => {
      const { error } = await addRow("working_hours", organisationId, {
        weekday,
        opens: opens.value,
        closes: closes.value,
      });
      if (error) return { error }; // the times typed stay, to correct
      opens.value = "";
      closes.value = "";
      await reload();
      return { error: null };
    });
  }

  function remove(id: string) {
    action.run(async () => {
      const { error } = await changeRow("working_hours", id, "delete");
      if (!error) await reload();
      return { error };
    });
  }

  return (
    <div class="day stack-tight" role="group" aria-labelledby={headingId}>
      <h3 id={headingId}>{name}</h3>
      {sorted.length === 0 ? <p class="muted small">Closed</p> : (
        <ul class="intervals">
          {sorted.map((interval) => {
            const text = describeInterval(interval);
            return (
              <li key={interval.id}>
                <span>{text}</span>
                {manages && (
                  <Button
                    variant="link"
                    busy={action.busy.value}
                    aria-label={`Remove ${text} on ${name}`}
                    onClick={() => remove(interval.id)}
                  >
                    Remove
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {manages && (
        <form class="inline-add" onSubmit={add} noValidate>
          <Field label="Opens" type="time" value={opens} />
          <Field label="Closes" type="time" value={closes} />
          <Button type="submit" variant="secondary" busy={action.busy.value}>
            Add hours
          </Button>
        </form>
      )}
      {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
    </div>
  );
}

/** "08:00–12:00", or "22:00–02:00 (next day)" for an interval past midnight. */
function describeInterval(interval: WorkingHoursRow): string {
  const opens = hhmm(interval.opens);
  const closes = hhmm(interval.closes);
  return `${opens}–${closes}${closes <= opens ? " (next day)" : ""}`;
}
