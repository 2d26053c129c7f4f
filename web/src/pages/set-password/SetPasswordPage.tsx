import { useSignal } from "@preact/signals";
import { recoveringPassword } from "../../session.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Button, Card, Field } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";

/** Where a password-reset link lands: the link signed the user in; now they choose a password. */
export function SetPasswordPage() {
  const password = useSignal("");
  const done = useSignal(false);
  const action = useAction();

  function submit(event: SubmitEvent) {
    event.preventDefault();
    action.run(async () => {
      const { error } = await supabase().auth.updateUser({ password: password.value });
      if (!error) done.value = true;
      return { error, notice: "Your new password is set." };
    });
  }

  return (
    <main>
      <Card title="Set a new password">
        {done.value
          ? (
            <>
              {action.notice.value && <Alert tone="success">{action.notice.value}</Alert>}
              <Button onClick={() => recoveringPassword.value = false}>
                Continue to the dashboard
              </Button>
            </>
          )
          : (
            <form class="stack" onSubmit={submit}>
              <Field
                label="New password"
                type="password"
                value={password}
                autoComplete="new-password"
                required
              />
              {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
              <Button type="submit" busy={action.busy.value}>Save password</Button>
            </form>
          )}
      </Card>
    </main>
  );
}
