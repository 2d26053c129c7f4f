import { currentMembership } from "../../organisations/memberships.ts";
import { roleLabel } from "../../organisations/roles.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Button, Card } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";
import type { Invitation } from "./use_team.ts";

/** Invitations nobody has used yet, each with a way to withdraw it. */
export function InvitationList(
  { invitations, onChanged }: { invitations: Invitation[]; onChanged: () => Promise<void> },
) {
  return (
    <Card title="Pending invitations" level={2}>
      {invitations.length === 0 ? <p class="muted">No pending invitations.</p> : (
        <ul class="list">
          {invitations.map((invitation) => (
            <InvitationRow key={invitation.id} invitation={invitation} onChanged={onChanged} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function InvitationRow(
  { invitation, onChanged }: { invitation: Invitation; onChanged: () => Promise<void> },
) {
  const action = useAction();
  // Only owners may withdraw an invitation to become an owner.
  const mayRevoke = invitation.role !== "owner" || currentMembership.value?.role === "owner";

  function revoke() {
    action.run(async () => {
      const { error } = await supabase().rpc("revoke_invitation", {
        invitation_id: invitation.id,
      });
      if (!error) await onChanged();
      return { error };
    });
  }

  return (
    <li class="stack">
      <div>
        <strong class="email">{invitation.email}</strong>{" "}
        <span class="badge">{roleLabel(invitation.role)}</span>
      </div>
      <div class="row">
        <span class="muted">Expires {new Date(invitation.expires_at).toLocaleDateString()}</span>
        {mayRevoke && (
          <Button variant="secondary" busy={action.busy.value} onClick={revoke}>Revoke</Button>
        )}
      </div>
      {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
    </li>
  );
}
