import { useRef } from "preact/hooks";
import {
  OrganisationFields,
  useOrganisationForm,
} from "../../organisations/OrganisationFields.tsx";
import {
  loadMemberships,
  memberships,
  selectOrganisation,
} from "../../organisations/memberships.ts";
import { navigate, useUnsavedChanges } from "../../router.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Button, Card } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";

/** Onboarding (a user without an organisation sees only this), and "add a clinic" later. */
export function CreateOrganisationPage() {
  const form = useOrganisationForm();
  const action = useAction();
  const first = !memberships.value?.length;
  const initial = useRef(form.values());
  useUnsavedChanges(form.changedFrom(initial.current));

  function submit(event: SubmitEvent) {
    event.preventDefault();
    const problem = form.problem();
    if (problem) return action.fail(problem);
    action.run(async () => {
      const { data, error } = await supabase().rpc("create_organisation", form.values());
      if (error) return { error };
      await loadMemberships();
      selectOrganisation(data.id);
      navigate("/");
      return { error: null };
    });
  }

  return (
    <Card title="Create your clinic">
      {first && (
        <p class="muted">
          Tell us about your clinic to set up its receptionist. You can change all of this later.
          Invited by a colleague? Open the link they sent you instead.
        </p>
      )}
      <form class="stack" onSubmit={submit}>
        <OrganisationFields form={form} />
        {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
        <Button type="submit" busy={action.busy.value}>Create clinic</Button>
      </form>
    </Card>
  );
}
