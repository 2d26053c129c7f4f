import { QueryStatus } from "../../data/QueryStatus.tsx";
import { currentMembership } from "../../organisations/memberships.ts";
import { Card } from "../../ui/mod.ts";
import { InvitationList } from "./InvitationList.tsx";
import { InviteForm } from "./InviteForm.tsx";
import { MemberRow } from "./MemberRow.tsx";
import { useTeam } from "./use_team.ts";

/** Members and roles; owners and admins also invite, change and remove people. */
export function TeamPage() {
  const { organisation, role } = currentMembership.value!;
  const manages = role !== "member";
  const team = useTeam(organisation.id, manages);
  const members = team.data.value?.members;
  const invitations = team.data.value?.invitations;

  return (
    <>
      <Card title="Team">
        <p class="muted">
          Everyone in {organisation.name}.{" "}
          {!manages && "Only owners and admins can invite or remove people."}
        </p>
        <QueryStatus data={team.data} error={team.error} />
        {members && (
          <ul class="list">
            {members.map((member) => (
              <MemberRow key={member.user_id} member={member} onChanged={team.reload} />
            ))}
          </ul>
        )}
      </Card>
      {manages && <InviteForm onInvited={team.reload} />}
      {manages && invitations && (
        <InvitationList invitations={invitations} onChanged={team.reload} />
      )}
    </>
  );
}
