import { useSignal } from "@preact/signals";
import { QueryStatus } from "../../data/QueryStatus.tsx";
import { useQuery } from "../../data/query.ts";
import { formatDay, formatTime } from "../../format.ts";
import { currentOrganisation } from "../../organisations/memberships.ts";
import { EmptyState, Field } from "../../ui/mod.ts";
import { isDate } from "./agenda.ts";
import { freeSlots, type Slot } from "./booking.ts";

type SlotPickerProps = {
  serviceId: string;
  /** One practitioner, or undefined for anyone performing the service. */
  practitionerId?: string;
  initialDate: string;
  picked: Slot | null;
  onPick: (slot: Slot) => void;
};

/** A day, then its free times for the service as buttons (from the booking function). */
export function SlotPicker(
  { serviceId, practitionerId, initialDate, picked, onPick }: SlotPickerProps,
) {
  const organisation = currentOrganisation.value!;
  const date = useSignal(initialDate);
  const day = isDate(date.value) ? date.value : null;
  const slots = useQuery(
    () =>
      day
        ? freeSlots({ organisationId: organisation.id, serviceId, practitionerId, date: day })
        : Promise.resolve({ data: [], error: null }),
    [serviceId, practitionerId, day],
  );
  // Who is free is worth saying only when it could be more than one person.
  const several = new Set(slots.data.value?.flatMap((slot) => slot.practitioners.map((p) => p.id)))
    .size > 1;
  return (
    <div class="stack">
      <Field label="Day" type="date" value={date} />
      <QueryStatus data={slots.data} error={slots.error} />
      {slots.data.value?.length === 0 && (
        <EmptyState>No free times {day ? `on ${formatDay(day)}` : ""}: try another day.</EmptyState>
      )}
      {slots.data.value && slots.data.value.length > 0 && (
        <div class="slots" role="group" aria-label="Free times">
          {slots.data.value.map((slot) => (
            <SlotButton
              key={slot.slotId}
              slot={slot}
              anyone={!practitionerId && several}
              picked={picked?.slotId === slot.slotId}
              onPick={onPick}
            />
          ))}
        </div>
      )}
    </div>
  );
}

/** A free time: its clock time, and who is free then when anyone may take it. */
export function SlotButton({ slot, anyone, picked, onPick }: {
  slot: Slot;
  anyone: boolean;
  picked: boolean;
  onPick: (slot: Slot) => void;
}) {
  const timeZone = currentOrganisation.value!.timezone;
  const who = anyone ? slot.practitioners.map((p) => p.name).join(", ") : "";
  return (
    <button
      type="button"
      class="slot"
      aria-pressed={picked}
      title={slot.label}
      onClick={() => onPick(slot)}
    >
      {formatTime(new Date(slot.start), timeZone)}
      {who && <span class="muted small block">{who}</span>}
    </button>
  );
}
