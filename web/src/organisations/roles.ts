import type { Role } from "./memberships.ts";

export const ROLES: Role[] = ["owner", "admin", "member"];

const LABELS: Record<Role, string> = { owner: "Owner", admin: "Admin", member: "Member" };

export function roleLabel(role: Role): string {
  return LABELS[role];
}

/** The roles someone may give (by invitation or change): only owners make owners. */
export function assignableRoles(callerRole: Role | null): Role[] {
  return callerRole === "owner" ? ROLES : ROLES.filter((role) => role !== "owner");
}
