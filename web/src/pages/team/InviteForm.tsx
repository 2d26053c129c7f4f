import { useSignal } from "@preact/signals";
import { currentMembership, type Role } from "../../organisations/memberships.ts";
import { assignableRoles, roleLabel } from "../../organisations/roles.ts";
import { Alert, Button, Card, CopyValue, Field, Select } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";
import { invitationLink } from "../invitation/pending.ts";
import { replacementNote, sendInvitation, type Sent } from "./invitations.ts";

/**
 * Owners and admins invite an email address with a role: the invitation is mailed, and its link
 * is shown once, to copy (and to send by hand when the mail could not go out).
 */
export function InviteForm({ onInvited }: { onInvited: () => Promise<void> }) {
  const { organisation, role: callerRole } = currentMembership.value!;
  const email = useSignal("");
  const role = useSignal<Role>("member");
  const sent = useSignal<Sent | null>(null);
  const action = useAction();

  function submit(event: SubmitEvent) {
    event.preventDefault();
    sent.value = null;
    action.run(async () => {
      const { data, error } = await sendInvitation({
        organisation_id: organisation.id,
        email: email.value.trim(),
        role: role.value,
      });
      if (error) return { error };
      sent.value = data;
      email.value = "";
      await onInvited();
      return { error: null };
    });
  }

  const done = sent.value;
  return (
    <Card title="Invite someone" level={2}>
      <form class="stack" onSubmit={submit}>
        <Field label="Their email" type="email" value={email} autoComplete="off" required />
        <Select
          label="Their role"
          value={role.value}
          choices={assignableRoles(callerRole).map((r) => ({ value: r, label: roleLabel(r) }))}
          onChange={(value) => role.value = value as Role}
        />
        {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
        <Button type="submit" busy={action.busy.value}>Invite</Button>
      </form>
      {done && <SentInvitation sent={done} />}
    </Card>
  );
}

/** What became of an invitation just sent: mailed or not, what it replaced, and its link. */
export function SentInvitation({ sent }: { sent: Sent }) {
  const { invitation, mailed } = sent;
  const role = roleLabel(invitation.role).toLowerCase();
  const replaced = replacementNote(invitation.replaced_role);
  return (
    <div class="stack">
      {mailed
        ? (
          <Alert tone="success">
            Invitation mailed to {invitation.email} (as {role}).{replaced}{" "}
            You can also send them this link: it is shown only now.
          </Alert>
        )
        : (
          <Alert tone="warning">
            {invitation.email} is invited as{" "}
            {role}, but the invitation mail could not be sent: copy the link below and send it to
            them yourself (it is shown only now).{replaced}
          </Alert>
        )}
      <CopyValue
        key={invitation.token}
        label="Invitation link"
        value={invitationLink(invitation.token)}
      />
    </div>
  );
}
