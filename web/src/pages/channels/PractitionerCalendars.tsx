import { Fragment } from "preact";
import { useQuery } from "../../data/query.ts";
import { mutate } from "../../data/mutate.ts";
import {
  type GoogleCalendar,
  type PractitionerCalendar,
  readPractitionerCalendars,
  setPractitionerCalendar,
} from "../../data/google_calendar.ts";
import { Alert, Card, Select } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";

/** The primary calendar's choice value: the practitioner follows the connection's primary. */
const PRIMARY = "";

function calendarName(calendar: GoogleCalendar): string {
  const name = calendar.summary || calendar.calendar_id;
  return calendar.is_primary ? `${name} (primary)` : name;
}

/**
 * Which Google calendar each practitioner's appointments go to and busy times come from. Owners
 * and admins choose from the connected account's calendars; members read the choice.
 */
export function PractitionerCalendars(
  { organisationId, manages }: { organisationId: string; manages: boolean },
) {
  const query = useQuery(() => readPractitionerCalendars(organisationId), [organisationId]);
  const action = useAction();
  const loaded = query.data.value;
  const primary = loaded?.calendars.find((c) => c.is_primary);
  const choices = [
    { value: PRIMARY, label: primary ? `${calendarName(primary)}` : "The primary calendar" },
    ...(loaded?.calendars ?? []).filter((c) => !c.is_primary)
      .map((c) => ({ value: c.calendar_id, label: calendarName(c) })),
  ];

  function choose(practitioner: PractitionerCalendar, value: string) {
    const calendarId = value === PRIMARY ? null : value;
    action.run(() =>
      mutate(
        query.data,
        (current) => ({
          ...current,
          practitioners: current.practitioners.map((p) =>
            p.id === practitioner.id ? { ...p, google_calendar_id: calendarId } : p
          ),
        }),
        () => setPractitionerCalendar(practitioner.id, calendarId),
      )
    );
  }

  return (
    <Card title="Calendar per practitioner" level={2}>
      <p class="muted">
        Each practitioner's appointments go into their calendar, and events there make them busy.
      </p>
      {query.error.value && <Alert tone="error">{query.error.value}</Alert>}
      {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
      {!loaded && !query.error.value && <p class="muted">Loading…</p>}
      {loaded && (manages
        ? (
          <div class="stack">
            {loaded.practitioners.map((p) => (
              <Select
                key={p.id}
                label={p.active ? p.display_name : `${p.display_name} (inactive)`}
                value={p.google_calendar_id ?? PRIMARY}
                choices={choices}
                disabled={action.busy.value}
                onChange={(value) => choose(p, value)}
              />
            ))}
          </div>
        )
        : (
          <dl class="facts">
            {loaded.practitioners.map((p) => (
              <Fragment key={p.id}>
                <dt>{p.display_name}</dt>
                <dd>
                  {choices.find((c) => c.value === (p.google_calendar_id ?? PRIMARY))?.label ??
                    p.google_calendar_id}
                </dd>
              </Fragment>
            ))}
          </dl>
        ))}
    </Card>
  );
}
