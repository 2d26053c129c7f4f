import {
  currentOrganisation,
  memberships,
  selectOrganisation,
} from "../organisations/memberships.ts";
import { confirmLeaving } from "../router.ts";
import { Select } from "../ui/mod.ts";

/** The clinic the dashboard shows; a picker for people in several. */
export function OrganisationSwitcher() {
  const list = memberships.value ?? [];
  const current = currentOrganisation.value!;
  if (list.length < 2) return <strong class="org-name">{current.name}</strong>;
  return (
    <Select
      label="Clinic"
      value={current.id}
      choices={list.map(({ organisation }) => ({
        value: organisation.id,
        label: organisation.name,
      }))}
      // The page is replaced by the other clinic's: unsaved changes would be lost.
      onChange={(id) => confirmLeaving() && selectOrganisation(id)}
    />
  );
}
