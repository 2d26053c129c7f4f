import { useSignal } from "@preact/signals";
import { formatDay, formatTime } from "../../format.ts";
import { currentOrganisation } from "../../organisations/memberships.ts";
import { Alert, Button, Field } from "../../ui/mod.ts";
import { toast } from "../../ui/toast.ts";
import { useAction } from "../../use_action.ts";
import { localDate } from "./agenda.ts";
import {
  type Appointment,
  cancelAppointment,
  reschedule,
  setStatus,
  type Slot,
  STATUS_LABELS,
  SYNC_LABELS,
} from "./booking.ts";
import { SlotButton, SlotPicker } from "./SlotPicker.tsx";

type Mode = "view" | "cancel" | "reschedule";

/**
 * One appointment: when, who, what, its status, and what can be done with it (cancel with a
 * reason, move to another free time, mark completed or no-show, or back to booked).
 * `showPractitioner`: in a list without practitioner columns (a contact's page, a phone).
 */
export function AppointmentItem(
  { appointment, showPractitioner, showDate, onChanged }: {
    appointment: Appointment;
    showPractitioner?: boolean;
    showDate?: boolean;
    onChanged: () => Promise<void>;
  },
) {
  const timeZone = currentOrganisation.value!.timezone;
  const mode = useSignal<Mode>("view");
  const reason = useSignal("");
  const slot = useSignal<Slot | null>(null);
  const alternatives = useSignal<Slot[]>([]);
  const action = useAction();
  const who = appointment.contact?.name ?? "No name";
  // Completed and no-show are for appointments that have begun (the database says so too).
  const started = Date.parse(appointment.starts_at) <= Date.now();
  const time = `${formatTime(new Date(appointment.starts_at), timeZone)}–${
    formatTime(new Date(appointment.ends_at), timeZone)
  }`;

  function run(request: () => Promise<{ error: unknown }>, done: string) {
    action.run(async () => {
      const { error } = await request();
      if (error) return { error };
      toast(done);
      mode.value = "view";
      await onChanged();
      return { error: null };
    });
  }

  function move() {
    if (!slot.value) return action.fail("Pick a new free time.");
    const chosen = slot.value;
    run(async () => {
      const { data, error } = await reschedule({
        appointmentId: appointment.id,
        slotId: chosen.slotId,
      });
      if (!data) return { error };
      if (data.status === "taken") {
        slot.value = null;
        alternatives.value = data.alternatives;
        return { error: new Error(data.message) };
      }
      return { error: null };
    }, `Moved ${who} to ${chosen.label}.`);
  }

  return (
    <li class={`appointment status-${appointment.status}`}>
      <div class="row">
        <strong>
          {showDate && `${formatDay(localDate(appointment.starts_at, timeZone))}, `}
          {time}
        </strong>
        <span class="row start">
          {appointment.status !== "booked" && (
            <span class="badge">{STATUS_LABELS[appointment.status]}</span>
          )}
          {appointment.calendar_sync && (
            <span
              class={`badge sync-${appointment.calendar_sync}${
                appointment.calendar_sync === "failed" ? " badge-warning" : ""
              }`}
              title={`Google Calendar: ${appointment.calendar_sync}`}
            >
              {SYNC_LABELS[appointment.calendar_sync]}
            </span>
          )}
        </span>
      </div>
      <div>
        <a href={`#/contacts/${appointment.contact_id}`}>{who}</a>
        <span class="muted">
          {" · "}
          {appointment.service?.name}
          {showPractitioner && ` · ${appointment.practitioner?.display_name ?? ""}`}
        </span>
      </div>
      {appointment.status === "cancelled" && appointment.cancellation_reason && (
        <p class="muted small">Reason: {appointment.cancellation_reason}</p>
      )}
      {appointment.calendar_sync !== "synced" && appointment.calendar_sync_error && (
        <p class="muted small sync-error">{appointment.calendar_sync_error}</p>
      )}
      {mode.value === "view" && appointment.status === "booked" && (
        <div class="row start actions">
          <Button variant="secondary" onClick={() => mode.value = "reschedule"}>Reschedule</Button>
          <Button variant="secondary" onClick={() => mode.value = "cancel"}>Cancel…</Button>
          {started && (
            <>
              <Button
                variant="link"
                busy={action.busy.value}
                onClick={() =>
                  run(() => setStatus(appointment.id, "completed"), `${who}: completed.`)}
              >
                Completed
              </Button>
              <Button
                variant="link"
                busy={action.busy.value}
                onClick={() => run(() => setStatus(appointment.id, "no_show"), `${who}: no-show.`)}
              >
                No-show
              </Button>
            </>
          )}
        </div>
      )}
      {mode.value === "view" &&
        (appointment.status === "completed" || appointment.status === "no_show") && (
        <Button
          variant="link"
          busy={action.busy.value}
          onClick={() => run(() => setStatus(appointment.id, "booked"), `${who}: booked again.`)}
        >
          Back to booked
        </Button>
      )}
      {mode.value === "cancel" && (
        <div class="stack">
          <Field label="Reason for cancelling" value={reason} maxLength={500} />
          <div class="row start">
            <Button
              variant="danger"
              busy={action.busy.value}
              onClick={() =>
                run(
                  () => cancelAppointment(appointment.id, reason.value.trim()),
                  `Cancelled ${who}'s appointment.`,
                )}
            >
              Cancel appointment
            </Button>
            <Button variant="secondary" onClick={() => mode.value = "view"}>Keep it</Button>
          </div>
        </div>
      )}
      {mode.value === "reschedule" && (
        <div class="stack">
          <SlotPicker
            serviceId={appointment.service_id}
            practitionerId={appointment.practitioner_id}
            initialDate={localDate(appointment.starts_at, timeZone)}
            picked={slot.value}
            onPick={(next) => {
              slot.value = next;
              action.clearMessages();
            }}
          />
          {alternatives.value.length > 0 && !slot.value && (
            <div class="slots" role="group" aria-label="Next free times">
              {alternatives.value.map((alt) => (
                <SlotButton
                  key={alt.slotId}
                  slot={alt}
                  anyone
                  picked={false}
                  onPick={(next) => slot.value = next}
                />
              ))}
            </div>
          )}
          <div class="row start">
            <Button busy={action.busy.value} onClick={move}>Move here</Button>
            <Button variant="secondary" onClick={() => mode.value = "view"}>Keep the time</Button>
          </div>
        </div>
      )}
      {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
    </li>
  );
}
