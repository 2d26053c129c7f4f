import { useSignal } from "@preact/signals";
import { loadMemberships, type Organisation } from "../../organisations/memberships.ts";
import { navigate } from "../../router.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Button, Card, Field } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";

/** Owners delete the clinic and everything in it, after typing its name. */
export function DeleteOrganisation({ organisation }: { organisation: Organisation }) {
  const typed = useSignal("");
  const action = useAction();
  const confirmed = typed.value.trim() === organisation.name;

  function submit(event: SubmitEvent) {
    event.preventDefault();
    if (!confirmed) return action.fail(`Type “${organisation.name}” exactly to confirm.`);
    action.run(async () => {
      const { error } = await supabase().rpc("delete_organisation", {
        organisation_id: organisation.id,
      });
      if (error) return { error };
      await loadMemberships();
      navigate("/");
      return { error: null };
    });
  }

  return (
    <Card title="Delete organisation" level={2}>
      <p>
        This deletes {organisation.name}{" "}
        with its team, invitations and everything else it holds, for everyone. It cannot be undone.
      </p>
      <form class="stack" onSubmit={submit}>
        <Field label={`Type “${organisation.name}” to confirm`} value={typed} autoComplete="off" />
        {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
        <Button type="submit" variant="danger" busy={action.busy.value} disabled={!confirmed}>
          Delete organisation
        </Button>
      </form>
    </Card>
  );
}
