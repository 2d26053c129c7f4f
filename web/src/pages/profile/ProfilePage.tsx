import { useSignal } from "@preact/signals";
import { QueryStatus } from "../../data/QueryStatus.tsx";
import { useQuery } from "../../data/query.ts";
import { session } from "../../session.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Button, Card, Field, toast } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";

/** The signed-in user's name as teammates see it. */
export function ProfilePage() {
  const user = session.value!.user;
  const displayName = useSignal("");
  const profile = useQuery(async () => {
    const read = await supabase().from("profiles").select("display_name").eq("id", user.id)
      .single();
    if (read.data) displayName.value = read.data.display_name;
    return read;
  }, [user.id]);
  const save = useAction();

  function submit(event: SubmitEvent) {
    event.preventDefault();
    if (displayName.value.trim() === "") {
      save.fail("Enter your name: teammates see it on the Team page.");
      return;
    }
    save.run(async () => {
      const { error } = await supabase()
        .from("profiles")
        .update({ display_name: displayName.value.trim() })
        .eq("id", user.id);
      if (!error) toast("Profile saved.");
      return { error };
    });
  }

  return (
    <Card title="Your profile">
      <p class="muted email">Signed in as {user.email}</p>
      <QueryStatus data={profile.data} error={profile.error} />
      {profile.data.value && (
        <form class="stack" onSubmit={submit}>
          <Field
            label="Your name"
            value={displayName}
            autoComplete="name"
            required
            maxLength={120}
            help="The name teammates see, up to 120 characters."
          />
          {save.error.value && <Alert tone="error">{save.error.value}</Alert>}
          <Button type="submit" busy={save.busy.value}>Save profile</Button>
        </form>
      )}
    </Card>
  );
}
