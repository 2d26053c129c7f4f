import { currentMembership } from "../../organisations/memberships.ts";
import { Card } from "../../ui/mod.ts";
import { roleLabel } from "../../organisations/roles.ts";

export function HomePage() {
  const membership = currentMembership.value;
  if (!membership) return null;
  const { organisation, role } = membership;
  return (
    <Card title={organisation.name}>
      <p>
        Your role: <strong>{roleLabel(role)}</strong>
      </p>
      <p class="muted">
        Time zone {organisation.timezone}.
      </p>
      <p>
        <a href="#/team">See the team</a> · <a href="#/organisations/new">Add another clinic</a>
      </p>
    </Card>
  );
}
