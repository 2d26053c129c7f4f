import { QueryStatus } from "../../data/QueryStatus.tsx";
import { readAll, useQuery } from "../../data/query.ts";
import { formatDate, formatDateTime } from "../../format.ts";
import { currentOrganisation } from "../../organisations/memberships.ts";
import { formatPhone } from "../../phone.ts";
import { supabase } from "../../supabase.ts";
import { Card } from "../../ui/mod.ts";
import { type Appointment, APPOINTMENT_COLUMNS } from "../appointments/booking.ts";
import { CallItem } from "../calls/CallItem.tsx";
import { type Call, CALL_COLUMNS } from "../calls/calls.ts";
import type { ConversationContact } from "./conversations.ts";

/** Beside a thread: who the patient is, their coming appointments and latest calls, opt-outs. */
export function ContactPanel({ contact }: { contact: ConversationContact }) {
  const organisation = currentOrganisation.value!;
  const { data, error } = useQuery(
    () =>
      readAll<{ appointments: Appointment[]; calls: Call[] }>({
        appointments: supabase().from("appointments").select(APPOINTMENT_COLUMNS)
          .eq("organisation_id", organisation.id).eq("contact_id", contact.id)
          .eq("status", "booked").gte("ends_at", new Date().toISOString())
          .order("starts_at").limit(5).overrideTypes<Appointment[], { merge: false }>(),
        calls: supabase().from("calls").select(CALL_COLUMNS)
          .eq("organisation_id", organisation.id).eq("contact_id", contact.id)
          .order("created_at", { ascending: false }).limit(3)
          .overrideTypes<Call[], { merge: false }>(),
      }),
    [contact.id],
  );
  const timeZone = organisation.timezone;
  return (
    <Card title="Patient" level={2} wide>
      <p>
        <a href={`#/contacts/${contact.id}`}>{contact.name || formatPhone(contact.phone)}</a>
        {contact.name && <span class="muted">{` · ${formatPhone(contact.phone)}`}</span>}
      </p>
      <OptOuts contact={contact} timeZone={timeZone} />
      <QueryStatus data={data} error={error} />
      {data.value && (
        <>
          <h3>Coming appointments</h3>
          {data.value.appointments.length === 0
            ? <p class="muted">None booked.</p>
            : (
              <ul class="list" aria-label="Coming appointments">
                {data.value.appointments.map((a) => (
                  <li key={a.id}>
                    {formatDateTime(a.starts_at, timeZone)} · {a.service?.name ?? "Appointment"}
                    {a.practitioner && ` · ${a.practitioner.display_name}`}
                  </li>
                ))}
              </ul>
            )}
          <h3>Latest calls</h3>
          {data.value.calls.length === 0
            ? <p class="muted">No calls.</p>
            : (
              <ul class="list" aria-label="Latest calls">
                {data.value.calls.map((call) => (
                  <CallItem key={call.id} call={call} timeZone={timeZone} />
                ))}
              </ul>
            )}
        </>
      )}
    </Card>
  );
}

/** Whether the patient still takes messages on each channel (STOP opts out, START back in). */
export function OptOuts({ contact, timeZone }: {
  contact: Pick<ConversationContact, "whatsapp_opted_out_at" | "sms_opted_out_at">;
  timeZone: string;
}) {
  const state = (at: string | null) =>
    at ? `Opted out on ${formatDate(at, timeZone)}` : "Receives messages";
  return (
    <dl class="facts small">
      <dt>WhatsApp</dt>
      <dd class={contact.whatsapp_opted_out_at ? "warning-text" : undefined}>
        {state(contact.whatsapp_opted_out_at)}
      </dd>
      <dt>SMS</dt>
      <dd class={contact.sms_opted_out_at ? "warning-text" : undefined}>
        {state(contact.sms_opted_out_at)}
      </dd>
    </dl>
  );
}
