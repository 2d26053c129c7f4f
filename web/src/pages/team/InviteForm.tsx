import { useSignal } from "@preact/signals";
import { currentMembership, type Role } from "../../organisations/memberships.ts";
import { assignableRoles, roleLabel } from "../../organisations/roles.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Button, Card, Field, Select } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";
import { invitationLink } from "../invitation/pending.ts";
import { InvitationLink } from "./InvitationLink.tsx";

type Invited = { invited_email: string; invited_role: Role; token: string };

/** Owners and admins invite an email address with a role; the link is shown once, to copy. */
export function InviteForm({ onInvited }: { onInvited: () => Promise<void> }) {
  const { organisation, role: callerRole } = currentMembership.value!;
  const email = useSignal("");
  const role = useSignal<Role>("member");
  const invited = useSignal<Invited | null>(null);
  const action = useAction();

  function submit(event: SubmitEvent) {
    event.preventDefault();
    invited.value = null;
    action.run(async () => {
      const { data, error } = await supabase().rpc("invite_member", {
        organisation_id: organisation.id,
        email: email.value.trim(),
        role: role.value,
      });
      if (error) return { error };
      invited.value = (data as Invited[])[0];
      email.value = "";
      await onInvited();
      return { error: null };
    });
  }

  const done = invited.value;
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
      {done && (
        <div class="stack">
          <Alert tone="success">
            {done.invited_email} is invited as{" "}
            {roleLabel(done.invited_role).toLowerCase()}. Send them this link: it is shown only now.
            Signing up with that address also lets them in.
          </Alert>
          <InvitationLink key={done.token} link={invitationLink(done.token)} />
        </div>
      )}
    </Card>
  );
}
