import { type Read, readAll, useQuery } from "../../data/query.ts";
import { canManage, currentMembership } from "../../organisations/memberships.ts";
import { roleLabel } from "../../organisations/roles.ts";
import { countryName } from "../../phone.ts";
import { readRows, type ServiceRow } from "../../receptionist/rows.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Card } from "../../ui/mod.ts";
import { OpenCallbacks } from "../calls/OpenCallbacks.tsx";
import { useChannels } from "../channels/use_channels.ts";
import { setupChecklist } from "./checklist.ts";

type Counts = { workingHours: number; activeServices: number };

async function readCounts(organisationId: string): Promise<Read<Counts>> {
  const { data, error } = await readAll({
    hours: readRows<{ id: string }>(supabase(), "working_hours", "id", organisationId),
    services: readRows<Pick<ServiceRow, "active">>(
      supabase(),
      "services",
      "active",
      organisationId,
    ),
  });
  if (error) return { data: null, error };
  return {
    data: {
      workingHours: data!.hours.length,
      activeServices: data!.services.filter((s) => s.active).length,
    },
    error: null,
  };
}

/** The clinic at a glance, and what is left to set up before its receptionist works. */
export function HomePage() {
  const membership = currentMembership.value;
  if (!membership) return null;
  const { organisation, role } = membership;
  return (
    <>
      <Card title={organisation.name}>
        <p>
          Your role: <strong>{roleLabel(role)}</strong>
        </p>
        <p class="muted">
          Time zone {organisation.timezone} · {countryName(organisation.country)}.
        </p>
        <p>
          <a href="#/team">See the team</a> · <a href="#/organisations/new">Add another clinic</a>
        </p>
      </Card>
      <OpenCallbacks organisationId={organisation.id} />
      <SetupChecklist organisationId={organisation.id} />
    </>
  );
}

function SetupChecklist({ organisationId }: { organisationId: string }) {
  const counts = useQuery(() => readCounts(organisationId));
  const { channels, error } = useChannels(organisationId);
  const failed = counts.error.value ?? error.value;
  const items = counts.data.value && channels.value &&
    setupChecklist({ ...counts.data.value, channels: channels.value });
  const left = items?.filter((item) => !item.done).length;
  return (
    <Card title="Setup" level={2}>
      {failed && <Alert tone="error">{failed}</Alert>}
      {!items && !failed && <p class="muted">Loading…</p>}
      {items && (
        <>
          <p class={left ? "" : "muted"}>
            {left
              ? `${left} of ${items.length} left before the receptionist can answer everything.`
              : "Everything is set up."}
            {left && !canManage.value ? " Owners and admins can set them up." : ""}
          </p>
          <ul class="checklist">
            {items.map((item) => (
              <li key={item.label} class={item.done ? "done" : "todo"}>
                <span aria-hidden="true">{item.done ? "✓" : "○"}</span>{" "}
                {item.done ? <span>{item.label}: done</span> : <a href={item.href}>{item.todo}</a>}
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
