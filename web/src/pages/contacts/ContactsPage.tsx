import { useSignal } from "@preact/signals";
import { QueryStatus } from "../../data/QueryStatus.tsx";
import { useQuery } from "../../data/query.ts";
import { formatDate } from "../../format.ts";
import { currentOrganisation } from "../../organisations/memberships.ts";
import { formatPhone, parsePhone } from "../../phone.ts";
import { Card, EmptyState, Field } from "../../ui/mod.ts";
import { searchContacts } from "../appointments/booking.ts";

/** The clinic's patients, searchable by name or number; each opens their page. */
export function ContactsPage() {
  const organisation = currentOrganisation.value!;
  const typed = useSignal("");
  const term = typed.value.trim();
  const contacts = useQuery(
    () => searchContacts(organisation.id, term, parsePhone(term, organisation.country).e164),
    [term],
  );
  return (
    <Card title="Contacts" wide>
      <p class="muted">
        The clinic's patients. A booking with a new number adds one; the assistants find patients by
        their number.
      </p>
      <Field label="Search by name or phone" type="search" value={typed} autoComplete="off" />
      <QueryStatus data={contacts.data} error={contacts.error} />
      {contacts.data.value?.length === 0 && (
        <EmptyState action={term ? undefined : <a href="#/appointments">Appointments</a>}>
          {term
            ? `No patient matches “${term}”.`
            : "No patients yet: book an appointment to add one."}
        </EmptyState>
      )}
      {contacts.data.value && contacts.data.value.length > 0 && (
        <ul class="list" aria-label="Patients">
          {contacts.data.value.map((contact) => (
            <li key={contact.id}>
              <a href={`#/contacts/${contact.id}`}>
                <strong>{contact.name ?? "No name"}</strong>
              </a>
              <p class="muted small">
                {formatPhone(contact.phone)} · since{" "}
                {formatDate(contact.created_at, organisation.timezone)}
              </p>
            </li>
          ))}
        </ul>
      )}
      {contacts.data.value?.length === 50 && (
        <p class="muted small">The first 50 are shown: type more of a name or number.</p>
      )}
    </Card>
  );
}
