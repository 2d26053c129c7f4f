import { useSignal } from "@preact/signals";
import type { ClosureRow } from "../../receptionist/rows.ts";
import { closureOn, isoWeekday, type Weekday } from "../../receptionist/shared.ts";
import { Button } from "../../ui/mod.ts";
import { formatDay, formatMonth } from "../../format.ts";
import { addMonths, monthWeeks } from "./when.ts";

const WEEKDAY_INITIALS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];

type ClosureCalendarProps = {
  /** The clinic's local date ("YYYY-MM-DD"): the calendar opens on its month. */
  today: string;
  closures: ClosureRow[];
  /** Weekdays with opening hours; the others are shown as closed every week. */
  openWeekdays: ReadonlySet<Weekday>;
  /** Lets an owner or admin tap days to fill in a new closure; absent, the calendar only shows. */
  onPick?: (date: string) => void;
  /** The days picked so far for a new closure ("YYYY-MM-DD"; `endsOn` empty for one day). */
  picked?: { startsOn: string; endsOn: string };
};

/** A month at a time: closures, weekdays without hours and today, at a glance. */
export function ClosureCalendar(
  { today, closures, openWeekdays, onPick, picked }: ClosureCalendarProps,
) {
  const month = useSignal(today.slice(0, 7));
  const closuresForDay = closures.map((c) => ({
    startsOn: c.starts_on,
    endsOn: c.ends_on,
    reason: c.reason,
  }));

  function describe(date: string): { text: string; kind: string } {
    const closure = closureOn(closuresForDay, date);
    if (closure) {
      return { text: `closed${closure.reason ? ` (${closure.reason})` : ""}`, kind: "cal-closed" };
    }
    if (!openWeekdays.has(isoWeekday(date))) return { text: "no opening hours", kind: "cal-off" };
    return { text: "open", kind: "" };
  }

  return (
    <div class="calendar">
      <div class="row">
        <Button
          variant="secondary"
          aria-label="Previous month"
          onClick={() => month.value = addMonths(month.value, -1)}
        >
          ‹
        </Button>
        <strong aria-live="polite">{formatMonth(month.value)}</strong>
        <Button
          variant="secondary"
          aria-label="Next month"
          onClick={() => month.value = addMonths(month.value, 1)}
        >
          ›
        </Button>
      </div>
      <table aria-label={`Closures in ${formatMonth(month.value)}`}>
        <thead>
          <tr>{WEEKDAY_INITIALS.map((day) => <th key={day} scope="col">{day}</th>)}</tr>
        </thead>
        <tbody>
          {monthWeeks(month.value).map((week) => (
            <tr key={week.find((day) => day)}>
              {week.map((date, index) => {
                if (!date) return <td key={index} />;
                const { text, kind } = describe(date);
                const label = `${formatDay(date)}: ${text}`;
                const isPicked = picked !== undefined && picked.startsOn !== "" &&
                  date >= picked.startsOn && date <= (picked.endsOn || picked.startsOn);
                const classes = [
                  kind,
                  date === today ? "cal-today" : "",
                  isPicked ? "cal-picked" : "",
                ]
                  .join(" ").trim();
                const day = Number(date.slice(8));
                return (
                  <td key={date} class={classes || undefined} title={label}>
                    {onPick
                      ? (
                        <button
                          type="button"
                          aria-label={label}
                          aria-pressed={isPicked}
                          onClick={() => onPick(date)}
                        >
                          {day}
                        </button>
                      )
                      : <span aria-label={label}>{day}</span>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p class="small muted">
        <span class="cal-key cal-closed" /> closure <span class="cal-key cal-off" />{" "}
        no opening hours that weekday
        {onPick && " · tap days to fill in a new closure"}
      </p>
    </div>
  );
}
