import { useSignal } from "@preact/signals";
import { QueryStatus } from "../../data/QueryStatus.tsx";
import { readAll, useQuery } from "../../data/query.ts";
import { currentOrganisation } from "../../organisations/memberships.ts";
import { readRows, SERVICE_COLUMNS, type ServiceRow } from "../../receptionist/rows.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Button, Card, Select } from "../../ui/mod.ts";
import { toast } from "../../ui/toast.ts";
import { useAction } from "../../use_action.ts";
import { book, type Practitioner, readPractitioners, type Slot } from "./booking.ts";
import { ContactPicker, type Patient } from "./ContactPicker.tsx";
import { SlotButton, SlotPicker } from "./SlotPicker.tsx";

const ANYONE = "";

/**
 * A new appointment, step by step: service → practitioner or anyone → day and free time →
 * patient → confirm. A time taken meanwhile is said in words, with the next free ones to pick.
 */
export function NewAppointment(
  { initialDate, onBooked, onClose }: {
    initialDate: string;
    onBooked: (start: string) => void;
    onClose: () => void;
  },
) {
  const organisation = currentOrganisation.value!;
  const choices = useQuery(() =>
    readAll<{
      services: ServiceRow[];
      practitioners: Practitioner[];
      links: { practitioner_id: string; service_id: string }[];
    }>({
      services: readRows<ServiceRow>(supabase(), "services", SERVICE_COLUMNS, organisation.id),
      practitioners: readPractitioners(organisation.id),
      links: supabase().from("practitioner_services").select("practitioner_id, service_id")
        .eq("organisation_id", organisation.id),
    })
  );
  const serviceId = useSignal("");
  const practitionerId = useSignal(ANYONE);
  const slot = useSignal<Slot | null>(null);
  const alternatives = useSignal<Slot[]>([]);
  const patient = useSignal<Patient | null>(null);
  const save = useAction();

  const data = choices.data.value;
  const services = data?.services.filter((s) => s.active)
    .sort((a, b) => a.name.localeCompare(b.name)) ?? [];
  const service = services.find((s) => s.id === serviceId.value) ?? services[0];
  const performing =
    data?.practitioners.filter((p) =>
      data.links.some((l) => l.practitioner_id === p.id && l.service_id === service?.id)
    ) ?? [];
  const chosenPractitioner = performing.some((p) => p.id === practitionerId.value)
    ? practitionerId.value
    : ANYONE;

  function pick(next: Slot) {
    slot.value = next;
    save.clearMessages();
  }

  function confirm() {
    if (!slot.value) return save.fail("Pick a free time.");
    if (!patient.value) return save.fail("Choose the patient, or add a new one.");
    const chosen = slot.value;
    save.run(async () => {
      const { data, error } = await book({
        organisationId: organisation.id,
        slotId: chosen.slotId,
        phone: patient.value!.phone,
        name: patient.value!.name,
      });
      if (!data) return { error };
      if (data.status === "taken") {
        slot.value = null;
        alternatives.value = data.alternatives;
        return { error: new Error(data.message) };
      }
      toast(`Booked ${patient.value!.name}: ${chosen.label}.`);
      onBooked(data.appointment.start);
      return { error: null };
    });
  }

  return (
    <Card title="New appointment" level={2} wide>
      <QueryStatus data={choices.data} error={choices.error} />
      {data && services.length === 0 && (
        <Alert tone="warning">There are no active services to book: add one on Services.</Alert>
      )}
      {data && service && (
        <>
          <div class="pickers">
            <Select
              label="Service"
              value={service.id}
              choices={services.map((s) => ({ value: s.id, label: s.name }))}
              onChange={(value) => {
                serviceId.value = value;
                slot.value = null;
              }}
            />
            <Select
              label="Practitioner"
              value={chosenPractitioner}
              choices={[
                { value: ANYONE, label: "Anyone" },
                ...performing.map((p) => ({ value: p.id, label: p.display_name })),
              ]}
              onChange={(value) => {
                practitionerId.value = value;
                slot.value = null;
              }}
            />
          </div>
          <SlotPicker
            serviceId={service.id}
            practitionerId={chosenPractitioner || undefined}
            initialDate={initialDate}
            picked={slot.value}
            onPick={pick}
          />
          <h3>Patient</h3>
          <ContactPicker picked={patient.value} onPick={(p) => patient.value = p} />
          {slot.value && (
            <p>
              <strong>{service.name}</strong>, {slot.value.label}
              {slot.value.practitioners.length === 1 &&
                ` with ${slot.value.practitioners[0].name}`}
            </p>
          )}
        </>
      )}
      {save.error.value && <Alert tone="error">{save.error.value}</Alert>}
      {alternatives.value.length > 0 && !slot.value && (
        <div class="slots" role="group" aria-label="Next free times">
          {alternatives.value.map((alt) => (
            <SlotButton key={alt.slotId} slot={alt} anyone picked={false} onPick={pick} />
          ))}
        </div>
      )}
      <div class="row start">
        <Button busy={save.busy.value} onClick={confirm}>Book appointment</Button>
        <Button variant="secondary" onClick={onClose}>Close</Button>
      </div>
    </Card>
  );
}
