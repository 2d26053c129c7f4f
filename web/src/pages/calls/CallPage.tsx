import { QueryStatus } from "../../data/QueryStatus.tsx";
import { readAll, useQuery } from "../../data/query.ts";
import { formatDateTime } from "../../format.ts";
import { currentOrganisation } from "../../organisations/memberships.ts";
import { formatPhone } from "../../phone.ts";
import { addressOf } from "../../router.ts";
import type { PageProps } from "../../routes.ts";
import { supabase } from "../../supabase.ts";
import { Card, EmptyState } from "../../ui/mod.ts";
import { localDate } from "../appointments/agenda.ts";
import { CallbackTasks } from "./CallbackTasks.tsx";
import { OutcomeChip } from "./CallItem.tsx";
import {
  CALL_COLUMNS,
  type CallDetail,
  callerOf,
  type CallOutcome,
  formatDuration,
  labelOf,
  OUTCOMES,
  type TranscriptLine,
} from "./calls.ts";

type Made = {
  action: CallOutcome;
  appointment: {
    id: string;
    starts_at: string;
    status: string;
    practitioner: { display_name: string } | null;
    service: { name: string } | null;
  } | null;
};

/** One call: what was said, what it made, and a way to call the person back. */
export function CallPage({ params }: PageProps) {
  const organisation = currentOrganisation.value!;
  const timeZone = organisation.timezone;
  const { data, error } = useQuery(
    () =>
      readAll<{ call: CallDetail | null; made: Made[] }>({
        call: supabase().from("calls")
          .select(
            `${CALL_COLUMNS}, to_e164, ended_at, ended_reason, language, summary, recording_url, transcript`,
          )
          .eq("organisation_id", organisation.id).eq("id", params.id)
          .maybeSingle().overrideTypes<CallDetail | null, { merge: false }>(),
        made: supabase().from("call_appointments")
          .select(
            "action, appointment:appointments(id, starts_at, status, practitioner:practitioners(display_name), service:services(name))",
          )
          .eq("organisation_id", organisation.id).eq("call_id", params.id)
          .order("created_at").overrideTypes<Made[], { merge: false }>(),
      }),
    [params.id],
  );
  const call = data.value?.call;
  if (data.value && !call) {
    return (
      <Card title="Call not found">
        <p>
          This call is not in {organisation.name}. <a href="#/calls">All calls</a>
        </p>
      </Card>
    );
  }
  const caller = call && callerOf(call, formatPhone);
  return (
    <>
      <Card title={caller ? `Call from ${caller}` : "Call"} wide>
        <QueryStatus data={data} error={error} />
        {call && (
          <>
            <div class="row start">
              <OutcomeChip call={call} />
              {call.from_e164 && (
                <a class="btn btn-primary" href={`tel:${call.from_e164}`}>Call back</a>
              )}
            </div>
            <dl class="facts">
              <dt>Number</dt>
              <dd>
                {call.from_e164 ? formatPhone(call.from_e164) : "Withheld"}
                {call.contact_id && (
                  <>
                    {" · "}
                    <a href={`#/contacts/${call.contact_id}`}>contact</a>
                  </>
                )}
              </dd>
              <dt>When</dt>
              <dd>{formatDateTime(call.started_at ?? call.created_at, timeZone)}</dd>
              <dt>Length</dt>
              <dd>{formatDuration(call.duration_seconds)}</dd>
              {call.outcome && (
                <>
                  <dt>Outcome</dt>
                  <dd>{labelOf(OUTCOMES, call.outcome)}</dd>
                </>
              )}
            </dl>
            {call.summary && (
              <>
                <h2>Summary</h2>
                <p class="prewrap">{call.summary}</p>
              </>
            )}
            {call.recording_url && (
              <>
                <h2>Recording</h2>
                <audio controls preload="none" src={call.recording_url} class="recording" />
              </>
            )}
            <h2>Transcript</h2>
            <Transcript lines={call.transcript ?? []} />
            <p>
              <a href="#/calls">All calls</a>
            </p>
          </>
        )}
      </Card>
      {data.value && (
        <Card title="Appointments" level={2} wide>
          {data.value.made.length === 0
            ? <EmptyState>This call made no appointment.</EmptyState>
            : (
              <ul class="list" aria-label="Appointments from this call">
                {data.value.made.map(({ action, appointment }) =>
                  appointment && (
                    <li key={appointment.id}>
                      <a
                        href={`#${
                          addressOf("/appointments", {
                            date: localDate(appointment.starts_at, timeZone),
                          })
                        }`}
                      >
                        {formatDateTime(appointment.starts_at, timeZone)}
                      </a>
                      <p class="muted small">
                        {labelOf(OUTCOMES, action)}
                        {appointment.service && ` · ${appointment.service.name}`}
                        {appointment.practitioner && ` · ${appointment.practitioner.display_name}`}
                      </p>
                    </li>
                  )
                )}
              </ul>
            )}
        </Card>
      )}
      {call && <CallbackTasks organisationId={organisation.id} callId={call.id} />}
    </>
  );
}

/** The conversation as bubbles: the assistant on one side, the caller on the other. */
export function Transcript({ lines }: { lines: Pick<TranscriptLine, "role" | "text">[] }) {
  const spoken = lines.filter((line) => line.role === "assistant" || line.role === "user");
  if (spoken.length === 0) return <p class="muted">Nothing was said.</p>;
  return (
    <ol class="transcript" aria-label="Transcript">
      {spoken.map((line, i) => (
        <li key={i} class={line.role === "user" ? "caller" : "assistant"}>
          <span class="sr-only">{line.role === "user" ? "Caller: " : "Assistant: "}</span>
          {line.text}
        </li>
      ))}
    </ol>
  );
}
