import { formatDateTime } from "../../format.ts";
import { formatPhone } from "../../phone.ts";
import { type Call, callerOf, formatDuration, labelOf, OUTCOMES } from "./calls.ts";

/** One call in a list: who called, when, how long, and what came of it; opens the call's page. */
export function CallItem({ call, timeZone }: { call: Call; timeZone: string }) {
  return (
    <li>
      <div class="row">
        <a href={`#/calls/${call.id}`}>
          <strong>{callerOf(call, formatPhone)}</strong>
        </a>
        <OutcomeChip call={call} />
      </div>
      <p class="muted small">
        {formatDateTime(call.started_at ?? call.created_at, timeZone)} ·{" "}
        {formatDuration(call.duration_seconds)}
      </p>
    </li>
  );
}

/** What came of a call; one still going says so instead. */
export function OutcomeChip({ call }: { call: Pick<Call, "outcome" | "status"> }) {
  if (call.status !== "ended") return <span class="badge badge-warning">In progress</span>;
  if (!call.outcome) return null;
  return <span class={`badge outcome-${call.outcome}`}>{labelOf(OUTCOMES, call.outcome)}</span>;
}
