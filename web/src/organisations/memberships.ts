import type { Enums, Tables } from "@frontdesk/database";
import { computed, effect, signal } from "@preact/signals";
import { describeError } from "../errors.ts";
import { userId } from "../session.ts";
import { supabase } from "../supabase.ts";

export type Role = Enums<"organisation_role">;

/** `country` (ISO 3166-1 alpha-2) is how phone numbers typed the national way are read. */
export type Organisation = Pick<
  Tables<"organisations">,
  "id" | "name" | "slug" | "timezone" | "languages" | "default_language" | "country"
>;

/** One organisation the signed-in user belongs to, with their role in it. */
export type Membership = { role: Role; organisation: Organisation };

/** The signed-in user's organisations: undefined while the first load for this user runs. */
export const memberships = signal<Membership[] | undefined>(undefined);
/** Why the last load failed, if it did (the previous list, if any, stays shown). */
export const membershipsError = signal<string | null>(null);

const STORAGE_KEY = "frontdesk.organisation";

/** The organisation the user last chose; remembered across visits in this browser. */
export const selectedOrganisationId = signal<string | null>(readStored());

/** The organisation the dashboard shows: the chosen one while the user belongs to it, else the first. */
export const currentMembership = computed<Membership | null>(() => {
  const list = memberships.value;
  if (!list?.length) return null;
  return list.find((m) => m.organisation.id === selectedOrganisationId.value) ?? list[0];
});
export const currentOrganisation = computed(() => currentMembership.value?.organisation ?? null);
export const currentRole = computed<Role | null>(() => currentMembership.value?.role ?? null);
/** Owners and admins manage settings, invitations and members. */
export const canManage = computed(() =>
  currentRole.value === "owner" || currentRole.value === "admin"
);

let latestLoad = 0;

/** (Re)reads the user's organisations; resolves once memberships shows the answer. */
export async function loadMemberships(): Promise<void> {
  const user = userId.peek();
  const load = ++latestLoad;
  if (!user) {
    memberships.value = [];
    return;
  }
  const { data, error } = await supabase()
    .from("organisation_members")
    .select(
      "role, organisation:organisations(id, name, slug, timezone, languages, default_language, country)",
    )
    .eq("user_id", user)
    .overrideTypes<Membership[], { merge: false }>();
  if (load !== latestLoad) return; // a newer load (or another user) has taken over
  if (error) {
    membershipsError.value = describeError(error);
    return;
  }
  membershipsError.value = null;
  memberships.value = data.sort((a, b) => a.organisation.name.localeCompare(b.organisation.name));
}

/** Switches the dashboard to one of the user's organisations, also on the next visit. */
export function selectOrganisation(id: string) {
  selectedOrganisationId.value = id;
  try {
    localStorage.setItem(STORAGE_KEY, id);
  } catch { /* storage disabled: the choice lasts until the page reloads */ }
}

/** Loads the organisations whenever a different user signs in (e.g. right after signing up). */
export function followMemberships() {
  effect(() => {
    const user = userId.value;
    memberships.value = user ? undefined : [];
    membershipsError.value = null;
    if (user) loadMemberships();
  });
}

function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}
