import { type Query, type Read, readAll, useQuery } from "../../data/query.ts";
import type { Role } from "../../organisations/memberships.ts";
import { ROLES } from "../../organisations/roles.ts";
import { supabase } from "../../supabase.ts";

/** A teammate as the team page shows them. */
export type Member = { user_id: string; role: Role; display_name: string; email: string | null };

export type Invitation = { id: string; email: string; role: Role; expires_at: string };

/**
 * The organisation's members and (for owners and admins) its pending invitations: neither
 * accepted nor withdrawn nor expired. `reload` after any change; it resolves once shown. Members
 * come owners first, then by name; a reload keeps everyone where they were (a changed role does
 * not move a row away from the pointer), newcomers go last.
 */
export function useTeam(organisationId: string, withInvitations: boolean) {
  const team: Query<Team> = useQuery(async () => {
    const read = await readAll<Team>({
      members: readMembers(organisationId),
      invitations: withInvitations
        ? readInvitations(organisationId)
        : Promise.resolve({ data: [], error: null as null }),
    });
    if (read.data === null) return read;
    const members = keepOrder(read.data.members, team.data.peek()?.members);
    return { data: { ...read.data, members }, error: null };
  }, [organisationId, withInvitations]);
  return team;
}

type Team = { members: Member[]; invitations: Invitation[] };

async function readMembers(organisationId: string): Promise<Read<Member[]>> {
  const rows = await supabase()
    .from("organisation_members")
    .select("user_id, role")
    .eq("organisation_id", organisationId);
  if (rows.error) return { data: null, error: rows.error };
  const found = rows.data as { user_id: string; role: Role }[];
  const [profiles, addresses] = await Promise.all([
    supabase().from("profiles").select("id, display_name").in("id", found.map((m) => m.user_id)),
    // Addresses live in auth.users: an RPC answers them for one's own teams only.
    supabase().rpc("organisation_member_emails", { organisation_id: organisationId }),
  ]);
  if (profiles.error) return { data: null, error: profiles.error };
  if (addresses.error) return { data: null, error: addresses.error };
  const names = new Map(
    (profiles.data as { id: string; display_name: string }[]).map((p) => [p.id, p.display_name]),
  );
  const emails = new Map(
    (addresses.data as { user_id: string; email: string }[]).map((a) => [a.user_id, a.email]),
  );
  const members = found.map((m) => ({
    ...m,
    display_name: names.get(m.user_id) || "Unnamed",
    email: emails.get(m.user_id) ?? null,
  }));
  members.sort((a, b) =>
    ROLES.indexOf(a.role) - ROLES.indexOf(b.role) || a.display_name.localeCompare(b.display_name)
  );
  return { data: members, error: null };
}

async function readInvitations(organisationId: string): Promise<Read<Invitation[]>> {
  const { data, error } = await supabase()
    .from("organisation_invitations")
    .select("id, email, role, expires_at")
    .eq("organisation_id", organisationId)
    .is("accepted_at", null)
    .is("revoked_at", null)
    .gt("expires_at", new Date().toISOString())
    .order("created_at", { ascending: false });
  if (error) return { data: null, error };
  return { data: data as Invitation[], error: null };
}

/** `fresh` in the order `shown` had (those not shown before after them, as `fresh` has them). */
export function keepOrder(fresh: Member[], shown: Member[] | undefined): Member[] {
  if (!shown) return fresh;
  const place = new Map(shown.map((m, i) => [m.user_id, i]));
  const at = (m: Member) => place.get(m.user_id) ?? shown.length;
  return fresh.map((m, i) => ({ m, i })).sort((a, b) => at(a.m) - at(b.m) || a.i - b.i)
    .map(({ m }) => m);
}
