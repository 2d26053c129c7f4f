import { useSignal } from "@preact/signals";
import { QueryStatus } from "../../data/QueryStatus.tsx";
import { useQuery } from "../../data/query.ts";
import { currentOrganisation } from "../../organisations/memberships.ts";
import { formatPhone, parsePhone, phoneHelp } from "../../phone.ts";
import { Alert, Button, Field } from "../../ui/mod.ts";
import { type Contact, searchContacts } from "./booking.ts";

/** Who the appointment is for: a name and an E.164 number (an existing contact's, or new). */
export type Patient = { name: string; phone: string };

/**
 * Finds a patient by phone or name among the clinic's contacts, or takes a new one's name and
 * number (the booking creates the contact).
 */
export function ContactPicker(
  { picked, onPick }: { picked: Patient | null; onPick: (patient: Patient | null) => void },
) {
  const organisation = currentOrganisation.value!;
  const typed = useSignal("");
  const creating = useSignal(false);
  const name = useSignal("");
  const phone = useSignal("");
  const problem = useSignal<string | null>(null);
  const term = typed.value.trim();
  const asPhone = parsePhone(term, organisation.country).e164;
  const found = useQuery(
    () =>
      term.length >= 2
        ? searchContacts(organisation.id, term, asPhone)
        : Promise.resolve({ data: [] as Contact[], error: null }),
    [term],
  );

  if (picked) {
    return (
      <div class="row">
        <span>
          <strong>{picked.name}</strong> · {formatPhone(picked.phone)}
        </span>
        <Button variant="link" onClick={() => onPick(null)}>Change patient</Button>
      </div>
    );
  }

  if (creating.value) {
    const add = () => {
      const number = parsePhone(phone.value, organisation.country);
      if (!name.value.trim()) return problem.value = "Enter the patient's name.";
      if (!number.e164) return problem.value = number.error ?? null;
      problem.value = null;
      onPick({ name: name.value.trim(), phone: number.e164 });
    };
    return (
      <div class="stack">
        <Field label="Patient's name" value={name} autoComplete="off" />
        <Field
          label="Patient's phone"
          type="tel"
          value={phone}
          help={phoneHelp(organisation.country)}
        />
        {problem.value && <Alert tone="error">{problem.value}</Alert>}
        <div class="row start">
          <Button onClick={add}>Use this patient</Button>
          <Button variant="secondary" onClick={() => creating.value = false}>
            Find an existing patient
          </Button>
        </div>
      </div>
    );
  }

  return (
    <div class="stack">
      <Field
        label="Find a patient (phone or name)"
        type="search"
        value={typed}
        autoComplete="off"
      />
      {term.length >= 2 && <QueryStatus data={found.data} error={found.error} />}
      {found.data.value && found.data.value.length > 0 && (
        <ul class="list" aria-label="Patients found">
          {found.data.value.map((contact) => (
            <li key={contact.id} class="row">
              <span>
                <strong>{contact.name ?? "No name"}</strong> · {formatPhone(contact.phone)}
              </span>
              <Button
                variant="secondary"
                onClick={() => onPick({ name: contact.name ?? "", phone: contact.phone })}
              >
                Choose
              </Button>
            </li>
          ))}
        </ul>
      )}
      {term.length >= 2 && found.data.value?.length === 0 && (
        <p class="muted">No patient matches “{term}”.</p>
      )}
      <div>
        <Button
          variant="secondary"
          onClick={() => {
            // What was typed is the likely start of the new patient's details.
            if (asPhone) phone.value = term;
            else name.value = term;
            creating.value = true;
          }}
        >
          New patient
        </Button>
      </div>
    </div>
  );
}
