import { useRef } from "preact/hooks";
import {
  OrganisationFields,
  useOrganisationForm,
} from "../../organisations/OrganisationFields.tsx";
import {
  canManage,
  currentMembership,
  loadMemberships,
  type Organisation,
} from "../../organisations/memberships.ts";
import { languageLabel } from "../../organisations/choices.ts";
import { useUnsavedChanges } from "../../router.ts";
import { countryName } from "../../phone.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Button, Card, toast } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";
import { DeleteOrganisation } from "./DeleteOrganisation.tsx";

/** The clinic's name, time zone, country and languages (owners and admins); deletion (owners). */
export function SettingsPage() {
  const membership = currentMembership.value;
  if (!membership) return null;
  const { organisation, role } = membership;
  if (!canManage.value) return <ReadOnlySettings organisation={organisation} />;
  // Keyed: switching clinics starts the forms from that clinic's values.
  return (
    <ManageSettings key={organisation.id} organisation={organisation} owner={role === "owner"} />
  );
}

function ManageSettings({ organisation, owner }: { organisation: Organisation; owner: boolean }) {
  return (
    <>
      <SettingsForm organisation={organisation} />
      {owner && <DeleteOrganisation organisation={organisation} />}
    </>
  );
}

function SettingsForm({ organisation }: { organisation: Organisation }) {
  const form = useOrganisationForm(organisation);
  const action = useAction();
  const initial = useRef(form.values());
  useUnsavedChanges(form.changedFrom(initial.current));

  function submit(event: SubmitEvent) {
    event.preventDefault();
    const problem = form.problem();
    if (problem) return action.fail(problem);
    action.run(async () => {
      const { data, error } = await supabase()
        .from("organisations")
        .update(form.values())
        .eq("id", organisation.id)
        .select("id");
      if (error) return { error };
      // RLS filters a refused update down to no rows rather than failing it.
      if (!data.length) {
        return { error: new Error("Only owners and admins can change the clinic's settings.") };
      }
      initial.current = form.values();
      await loadMemberships();
      toast("Settings saved.");
      return { error: null };
    });
  }

  return (
    <Card title="Clinic settings">
      <form class="stack" onSubmit={submit}>
        <OrganisationFields form={form} />
        {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
        <Button type="submit" busy={action.busy.value}>Save settings</Button>
      </form>
    </Card>
  );
}

function ReadOnlySettings({ organisation }: { organisation: Organisation }) {
  return (
    <Card title="Clinic settings">
      <p class="muted">Only owners and admins can change these.</p>
      <dl>
        <dt>Name</dt>
        <dd>{organisation.name}</dd>
        <dt>Time zone</dt>
        <dd>{organisation.timezone}</dd>
        <dt>Country</dt>
        <dd>{countryName(organisation.country)}</dd>
        <dt>Languages</dt>
        <dd>{organisation.languages.map(languageLabel).join(", ")}</dd>
        <dt>Default language</dt>
        <dd>{languageLabel(organisation.default_language)}</dd>
      </dl>
    </Card>
  );
}
