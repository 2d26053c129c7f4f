import { useSignal } from "@preact/signals";
import { currentMembership, loadMemberships, type Role } from "../../organisations/memberships.ts";
import { assignableRoles, roleLabel } from "../../organisations/roles.ts";
import { navigate } from "../../router.ts";
import { userId } from "../../session.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Button, ConfirmButton, Select } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";
import type { Member } from "./use_team.ts";

/** Marks the signed-in user's own row (with its leading space, which JSX text would drop). */
const YOU = " (you)";

/**
 * One teammate: their name, address and role, and what the signed-in user may do to them —
 * owners change roles (picked, then confirmed); owners remove anyone, admins anyone but owners;
 * everyone may leave.
 */
export function MemberRow(
  { member, onChanged }: { member: Member; onChanged: () => Promise<void> },
) {
  const { organisation, role: callerRole } = currentMembership.value!;
  const action = useAction();
  const isMe = member.user_id === userId.value;
  const name = member.display_name;
  const mayRemove = !isMe &&
    (callerRole === "owner" || (callerRole === "admin" && member.role !== "owner"));
  const target = { organisation_id: organisation.id, user_id: member.user_id };
  /** A role picked but not confirmed yet: nothing changes until "Change role". */
  const picked = useSignal<Role | null>(null);

  function pick(role: Role) {
    action.clearMessages();
    picked.value = role === member.role ? null : role;
  }

  function changeRole(role: Role) {
    action.run(async () => {
      const { error } = await supabase().rpc("update_member_role", { ...target, role });
      // Refused or not, the select shows the role the member really has.
      picked.value = null;
      if (error) return { error };
      await onChanged();
      if (isMe) await loadMemberships();
      return { error: null, notice: `${name} is now ${roleLabel(role).toLowerCase()}.` };
    });
  }

  function remove() {
    action.run(async () => {
      const { error } = await supabase().rpc("remove_member", target);
      if (error) return { error };
      if (isMe) {
        await loadMemberships();
        navigate("/");
      } else await onChanged();
      return { error: null };
    });
  }

  return (
    <li class="stack">
      <div class="row">
        <span>
          <span>
            <strong>{name}</strong>
            {isMe && <span class="muted">{YOU}</span>}
          </span>
          {member.email && <div class="email muted small">{member.email}</div>}
        </span>
        {callerRole === "owner"
          ? (
            <Select
              label="Role"
              value={picked.value ?? member.role}
              choices={assignableRoles(callerRole).map((r) => ({ value: r, label: roleLabel(r) }))}
              disabled={action.busy.value}
              onChange={(role) => pick(role as Role)}
            />
          )
          : <span class="badge">{roleLabel(member.role)}</span>}
      </div>
      {picked.value && (
        <div class="row confirm">
          <span>
            Change {isMe ? "your" : `${name}'s`} role from {roleLabel(member.role).toLowerCase()} to
            {" "}
            {roleLabel(picked.value).toLowerCase()}?
          </span>
          <Button busy={action.busy.value} onClick={() => changeRole(picked.value!)}>
            Change role
          </Button>
          <Button variant="secondary" onClick={() => pick(member.role)}>Cancel</Button>
        </div>
      )}
      {(mayRemove || isMe) && (
        <div class="row">
          {mayRemove && (
            <ConfirmButton
              label="Remove"
              question={`Remove ${name} from ${organisation.name}?`}
              confirmLabel="Yes, remove"
              busy={action.busy.value}
              onConfirm={remove}
            />
          )}
          {isMe && (
            <ConfirmButton
              label="Leave clinic"
              question={`Leave ${organisation.name}? You will need a new invitation to come back.`}
              confirmLabel="Yes, leave"
              busy={action.busy.value}
              onConfirm={remove}
            />
          )}
        </div>
      )}
      {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
      {action.notice.value && <Alert tone="success">{action.notice.value}</Alert>}
    </li>
  );
}
