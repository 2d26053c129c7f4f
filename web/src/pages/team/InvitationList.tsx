import { useSignal } from "@preact/signals";
import { formatDate } from "../../format.ts";
import { currentMembership } from "../../organisations/memberships.ts";
import { roleLabel } from "../../organisations/roles.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Button, Card, EmptyState } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";
import { sendInvitation, type Sent } from "./invitations.ts";
import { SentInvitation } from "./InviteForm.tsx";
import type { Invitation } from "./use_team.ts";

/** Invitations nobody has used yet, each with a way to mail it again or withdraw it. */
export function InvitationList(
  { invitations, onChanged }: { invitations: Invitation[]; onChanged: () => Promise<void> },
) {
  // Mailing again replaces the invitation (a fresh link): its outcome outlives the old row.
  const resent = useSignal<Sent | null>(null);
  return (
    <Card title="Pending invitations" level={2}>
      {resent.value && <SentInvitation sent={resent.value} />}
      {invitations.length === 0
        ? <EmptyState>No pending invitations.</EmptyState>
        : (
          <ul class="list">
            {invitations.map((invitation) => (
              <InvitationRow
                key={invitation.id}
                invitation={invitation}
                onChanged={onChanged}
                onResent={(sent) => resent.value = sent}
              />
            ))}
          </ul>
        )}
    </Card>
  );
}

function InvitationRow({ invitation, onChanged, onResent }: {
  invitation: Invitation;
  onChanged: () => Promise<void>;
  onResent: (sent: Sent | null) => void;
}) {
  const action = useAction();
  // Only owners may withdraw (or replace) an invitation to become an owner.
  const mayChange = invitation.role !== "owner" || currentMembership.value?.role === "owner";

  function revoke() {
    action.run(async () => {
      const { error } = await supabase().rpc("revoke_invitation", {
        invitation_id: invitation.id,
      });
      if (!error) await onChanged();
      return { error };
    });
  }

  function mailAgain() {
    onResent(null);
    action.run(async () => {
      const { data, error } = await sendInvitation({ invitation_id: invitation.id });
      if (error) return { error };
      onResent(data);
      await onChanged();
      return { error: null };
    });
  }

  return (
    <li class="stack">
      <div>
        <strong class="email">{invitation.email}</strong>{" "}
        <span class="badge">{roleLabel(invitation.role)}</span>
      </div>
      <div class="row">
        <span class="muted">
          Expires{" "}
          {formatDate(invitation.expires_at, currentMembership.value!.organisation.timezone)}
        </span>
        {mayChange && (
          <span class="row">
            <Button variant="secondary" busy={action.busy.value} onClick={mailAgain}>
              Mail again
            </Button>
            <Button variant="secondary" busy={action.busy.value} onClick={revoke}>Revoke</Button>
          </span>
        )}
      </div>
      {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
    </li>
  );
}
