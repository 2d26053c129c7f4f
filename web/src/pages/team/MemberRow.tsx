import { currentMembership, loadMemberships, type Role } from "../../organisations/memberships.ts";
import { assignableRoles, roleLabel } from "../../organisations/roles.ts";
import { navigate } from "../../router.ts";
import { userId } from "../../session.ts";
import { supabase } from "../../supabase.ts";
import { Alert, ConfirmButton, Select } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";
import type { Member } from "./use_team.ts";

/** Marks the signed-in user's own row (with its leading space, which JSX text would drop). */
const YOU = " (you)";

/**
 * One teammate: their name and role, and what the signed-in user may do to them — owners change
 * roles; owners remove anyone, admins anyone but owners; everyone may leave.
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

  function changeRole(role: Role) {
    action.run(async () => {
      const { error } = await supabase().rpc("update_member_role", { ...target, role });
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
          <strong>{name}</strong>
          {isMe && <span class="muted">{YOU}</span>}
        </span>
        {callerRole === "owner"
          ? (
            <Select
              label="Role"
              value={member.role}
              choices={assignableRoles(callerRole).map((r) => ({ value: r, label: roleLabel(r) }))}
              disabled={action.busy.value}
              onChange={(role) => changeRole(role as Role)}
            />
          )
          : <span class="badge">{roleLabel(member.role)}</span>}
      </div>
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
