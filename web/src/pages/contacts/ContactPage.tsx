import type { Tables } from "@frontdesk/database";
import { QueryStatus } from "../../data/QueryStatus.tsx";
import { readAll, useQuery } from "../../data/query.ts";
import { formatDate } from "../../format.ts";
import { currentOrganisation } from "../../organisations/memberships.ts";
import { formatPhone } from "../../phone.ts";
import type { PageProps } from "../../routes.ts";
import { supabase } from "../../supabase.ts";
import { Card, EmptyState } from "../../ui/mod.ts";
import { AppointmentItem } from "../appointments/AppointmentItem.tsx";
import { type Appointment, APPOINTMENT_COLUMNS, type Contact } from "../appointments/booking.ts";
import { CallItem } from "../calls/CallItem.tsx";
import { type Call, CALL_COLUMNS } from "../calls/calls.ts";
import { OptOuts } from "../inbox/ContactPanel.tsx";
import { type Conversation, CONVERSATION_COLUMNS } from "../inbox/conversations.ts";
import { ConversationItem } from "../inbox/ConversationItem.tsx";

type ContactWithOptOuts =
  & Contact
  & Pick<Tables<"contacts">, "whatsapp_opted_out_at" | "sms_opted_out_at">;

/**
 * One patient: their details and whether they take messages, their appointments, calls and
 * conversations, the latest first.
 */
export function ContactPage({ params }: PageProps) {
  const organisation = currentOrganisation.value!;
  const { data, error, reload } = useQuery(
    () =>
      readAll<{
        contact: ContactWithOptOuts | null;
        appointments: Appointment[];
        calls: Call[];
        conversations: Conversation[];
      }>({
        contact: supabase().from("contacts")
          .select(
            "id, name, phone, email, preferred_language, notes, created_at, whatsapp_opted_out_at, sms_opted_out_at",
          )
          .eq("organisation_id", organisation.id).eq("id", params.id).maybeSingle(),
        appointments: supabase().from("appointments").select(APPOINTMENT_COLUMNS)
          .eq("organisation_id", organisation.id).eq("contact_id", params.id)
          .order("starts_at", { ascending: false }).limit(200)
          .overrideTypes<Appointment[], { merge: false }>(),
        calls: supabase().from("calls").select(CALL_COLUMNS)
          .eq("organisation_id", organisation.id).eq("contact_id", params.id)
          .order("created_at", { ascending: false }).limit(50)
          .overrideTypes<Call[], { merge: false }>(),
        conversations: supabase().from("conversations").select(CONVERSATION_COLUMNS)
          .eq("organisation_id", organisation.id).eq("contact_id", params.id)
          .neq("channel", "test").order("last_message_at", { ascending: false }).limit(20)
          .overrideTypes<Conversation[], { merge: false }>(),
      }),
    [params.id],
  );
  const contact = data.value?.contact;
  if (data.value && !contact) {
    return (
      <Card title="Contact not found">
        <p>
          This patient is not in {organisation.name}. <a href="#/contacts">All contacts</a>
        </p>
      </Card>
    );
  }
  return (
    <>
      <Card title={contact?.name ?? "Contact"} wide>
        <QueryStatus data={data} error={error} />
        {contact && (
          <dl class="facts">
            <dt>Phone</dt>
            <dd>{formatPhone(contact.phone)}</dd>
            {contact.email && (
              <>
                <dt>Email</dt>
                <dd>{contact.email}</dd>
              </>
            )}
            {contact.preferred_language && (
              <>
                <dt>Language</dt>
                <dd>{contact.preferred_language}</dd>
              </>
            )}
            <dt>Messages</dt>
            <dd>
              <OptOuts contact={contact} timeZone={organisation.timezone} />
            </dd>
            <dt>Patient since</dt>
            <dd>{formatDate(contact.created_at, organisation.timezone)}</dd>
            {contact.notes && (
              <>
                <dt>Notes</dt>
                <dd class="prewrap">{contact.notes}</dd>
              </>
            )}
          </dl>
        )}
        <p>
          <a href="#/contacts">All contacts</a>
        </p>
      </Card>
      {data.value && (
        <Card title="Appointments" level={2} wide>
          {data.value.appointments.length === 0
            ? <EmptyState>No appointments yet.</EmptyState>
            : (
              <ul class="list">
                {data.value.appointments.map((appointment) => (
                  <AppointmentItem
                    key={appointment.id}
                    appointment={appointment}
                    showDate
                    showPractitioner
                    onChanged={reload}
                  />
                ))}
              </ul>
            )}
        </Card>
      )}
      {data.value && (
        <Card title="Conversations" level={2} wide>
          {data.value.conversations.length === 0
            ? <EmptyState>No WhatsApp or SMS conversations with this patient.</EmptyState>
            : (
              <ul class="list" aria-label="Conversations">
                {data.value.conversations.map((conversation) => (
                  <ConversationItem
                    key={conversation.id}
                    conversation={conversation}
                    timeZone={organisation.timezone}
                  />
                ))}
              </ul>
            )}
        </Card>
      )}
      {data.value && (
        <Card title="Calls" level={2} wide>
          {data.value.calls.length === 0
            ? <EmptyState>No calls from this patient.</EmptyState>
            : (
              <ul class="list" aria-label="Calls">
                {data.value.calls.map((call) => (
                  <CallItem key={call.id} call={call} timeZone={organisation.timezone} />
                ))}
              </ul>
            )}
        </Card>
      )}
    </>
  );
}
