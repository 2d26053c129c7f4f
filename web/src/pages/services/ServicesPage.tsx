import { QueryStatus } from "../../data/QueryStatus.tsx";
import { useQuery } from "../../data/query.ts";
import { canManage, currentMembership } from "../../organisations/memberships.ts";
import { READ_ONLY_NOTE } from "../../receptionist/labels.ts";
import { readRows, SERVICE_COLUMNS, type ServiceRow } from "../../receptionist/rows.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Card } from "../../ui/mod.ts";
import { ConfigItemActions, useConfigItem } from "../../receptionist/config_item.tsx";
import { BookingRules } from "./BookingRules.tsx";
import { ServiceEditor } from "./ServiceEditor.tsx";

/** What can be booked: each service's length and the gap kept before and after it. */
export function ServicesPage() {
  const { organisation } = currentMembership.value!;
  const manages = canManage.value;
  const { data, error, reload } = useQuery(() =>
    readRows<ServiceRow>(supabase(), "services", SERVICE_COLUMNS, organisation.id)
  );
  const services = data.value &&
    [...data.value].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));

  return (
    <>
      <Card title="Services">
        <p class="muted">
          What patients can book at{" "}
          {organisation.name}. Buffers keep time free before and after an appointment (to prepare
          the room, or clean up). {!manages && READ_ONLY_NOTE}
        </p>
        <QueryStatus data={data} error={error} />
        {services?.length === 0 && (
          <p class="muted">No services yet: the assistant cannot book anything.</p>
        )}
        {services && services.length > 0 && (
          <ul class="list">
            {services.map((service) => (
              <ServiceItem
                key={service.id}
                service={service}
                others={services.filter((s) => s.id !== service.id)}
                manages={manages}
                reload={reload}
              />
            ))}
          </ul>
        )}
      </Card>
      {manages && services && (
        <Card title="Add a service" level={2}>
          <ServiceEditor organisationId={organisation.id} others={services} onSaved={reload} />
        </Card>
      )}
      <BookingRules />
    </>
  );
}

/** "30 minutes · 5 before · 10 after". */
export function describeService(service: ServiceRow): string {
  const parts = [`${service.duration_minutes} minutes`];
  if (service.buffer_before_minutes) parts.push(`${service.buffer_before_minutes} min before`);
  if (service.buffer_after_minutes) parts.push(`${service.buffer_after_minutes} min after`);
  return parts.join(" · ");
}

type ServiceItemProps = {
  service: ServiceRow;
  others: ServiceRow[];
  manages: boolean;
  reload: () => Promise<void>;
};

function ServiceItem({ service, others, manages, reload }: ServiceItemProps) {
  const { organisation } = currentMembership.value!;
  const item = useConfigItem("services", service.id, reload);

  if (item.editing.value) {
    return (
      <li>
        <ServiceEditor
          organisationId={organisation.id}
          service={service}
          others={others}
          onSaved={item.saved}
          onCancel={() => item.editing.value = false}
        />
      </li>
    );
  }

  return (
    <li>
      <div class="row">
        <strong>{service.name}</strong>
        {!service.active && <span class="badge badge-warning">Inactive</span>}
      </div>
      <p class="muted small">{describeService(service)}</p>
      {manages && (
        <ConfigItemActions
          item={item}
          active={service.active}
          deleteQuestion={`Delete “${service.name}”? Deactivating keeps it for past appointments.`}
        />
      )}
      {item.action.error.value && <Alert tone="error">{item.action.error.value}</Alert>}
    </li>
  );
}
