import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { QueryStatus } from "../../data/QueryStatus.tsx";
import { readAll, useQuery } from "../../data/query.ts";
import { formatDay, formatDays } from "../../format.ts";
import { currentOrganisation } from "../../organisations/memberships.ts";
import { addressOf, navigate } from "../../router.ts";
import type { PageProps } from "../../routes.ts";
import { supabase } from "../../supabase.ts";
import { Button, Card, EmptyState, Tabs } from "../../ui/mod.ts";
import {
  addDays,
  type AgendaView,
  daysShown,
  isDate,
  layoutAgenda,
  localDate,
  rangeOf,
} from "./agenda.ts";
import { AppointmentItem } from "./AppointmentItem.tsx";
import {
  type Appointment,
  APPOINTMENT_COLUMNS,
  type Practitioner,
  readPractitioners,
} from "./booking.ts";
import { NewAppointment } from "./NewAppointment.tsx";

const SYNC_RECHECK_MS = 3000;
const SYNC_RECHECK_FOR_MS = 120_000;

const agendaAddress = (date: string, view: AgendaView) =>
  `#${addressOf("/appointments", { date, view })}`;

/**
 * The agenda: a day or a week (Monday to Sunday) of the clinic's appointments, today unless the
 * address names a date, a column per practitioner on a wide screen and one list on a phone.
 */
export function AppointmentsPage({ query }: PageProps) {
  const organisation = currentOrganisation.value!;
  const timeZone = organisation.timezone;
  const today = localDate(new Date(), timeZone);
  const date = isDate(query.date) ? query.date : today;
  const view: AgendaView = query.view === "week" ? "week" : "day";
  const days = daysShown(date, view);
  const range = rangeOf(days, timeZone);
  const adding = useSignal(false);
  // One read for the range, names embedded; the practitioners give the columns their order.
  const agenda = useQuery(
    () =>
      readAll<{ appointments: Appointment[]; practitioners: Practitioner[] }>({
        appointments: supabase().from("appointments").select(APPOINTMENT_COLUMNS)
          .eq("organisation_id", organisation.id)
          .gte("starts_at", range.from).lt("starts_at", range.until)
          .order("starts_at").order("id")
          .overrideTypes<Appointment[], { merge: false }>(),
        practitioners: readPractitioners(organisation.id),
      }),
    [range.from, range.until],
  );
  // A push to Google Calendar just enqueued is usually done within seconds: read again while one
  // is under way (changed in the last two minutes, pending without a reason), so the agenda shows
  // it synced without a reload. One waiting for a retry or a reconnect has a reason.
  const pushing = agenda.data.value?.appointments.some((a) =>
    a.calendar_sync === "pending" && !a.calendar_sync_error &&
    Date.now() - Date.parse(a.updated_at) < SYNC_RECHECK_FOR_MS
  );
  useEffect(() => {
    if (!pushing) return;
    const timer = setTimeout(() => agenda.reload(), SYNC_RECHECK_MS);
    return () => clearTimeout(timer);
  }, [pushing, agenda.data.value]);
  const step = view === "day" ? 1 : 7;
  const laidOut = agenda.data.value && layoutAgenda(
    agenda.data.value.appointments,
    agenda.data.value.practitioners,
    days,
    timeZone,
    (a) => ({
      id: a.practitioner_id,
      display_name: a.practitioner?.display_name ?? "Practitioner",
      active: false,
      position: 0,
    }),
  );

  return (
    <>
      <Card title="Appointments" wide>
        <div class="row">
          <p class="agenda-range">
            <strong>{formatDays(days[0], days.at(-1)!)}</strong>{" "}
            {date !== today && <span class="muted">· today is {formatDay(today)}</span>}
          </p>
          <Button onClick={() => adding.value = true}>New appointment</Button>
        </div>
        {adding.value && (
          <NewAppointment
            initialDate={date}
            onClose={() => adding.value = false}
            onBooked={(start) => {
              adding.value = false;
              const day = localDate(start, timeZone);
              if (days.includes(day)) agenda.reload();
              else navigate(addressOf("/appointments", { date: day, view }));
            }}
          />
        )}
        <div class="row agenda-nav">
          <nav aria-label="Dates" class="row start">
            <a class="btn btn-secondary" href={agendaAddress(addDays(date, -step), view)}>
              {view === "day" ? "Previous day" : "Previous week"}
            </a>
            <a class="btn btn-secondary" href={agendaAddress(today, view)}>Today</a>
            <a class="btn btn-secondary" href={agendaAddress(addDays(date, step), view)}>
              {view === "day" ? "Next day" : "Next week"}
            </a>
            <input
              type="date"
              aria-label="Go to date"
              value={date}
              onChange={(event) => {
                const picked = event.currentTarget.value;
                if (isDate(picked)) navigate(addressOf("/appointments", { date: picked, view }));
              }}
            />
          </nav>
          <Tabs
            label="Agenda view"
            current={agendaAddress(date, view)}
            tabs={[
              { href: agendaAddress(date, "day"), label: "Day" },
              { href: agendaAddress(date, "week"), label: "Week" },
            ]}
          />
        </div>
        <QueryStatus data={agenda.data} error={agenda.error} />
        {laidOut && laidOut[0].columns.length === 0 && (
          <EmptyState action={<a href="#/practitioners">Practitioners</a>}>
            No practitioners yet: add one to book appointments.
          </EmptyState>
        )}
        {laidOut?.map((day) => (
          <section key={day.date} class="agenda-day" aria-label={formatDay(day.date)}>
            {view === "week" && <h2>{formatDay(day.date)}</h2>}
            <div class="agenda-columns">
              {day.columns.map((column) => (
                <div key={column.practitioner.id} class="agenda-column">
                  <h3>{column.practitioner.display_name}</h3>
                  {column.appointments.length === 0
                    ? <p class="muted small">Nothing booked.</p>
                    : (
                      <ul class="list" aria-label={column.practitioner.display_name}>
                        {column.appointments.map((appointment) => (
                          <AppointmentItem
                            key={appointment.id}
                            appointment={appointment}
                            onChanged={agenda.reload}
                          />
                        ))}
                      </ul>
                    )}
                </div>
              ))}
            </div>
          </section>
        ))}
      </Card>
    </>
  );
}
