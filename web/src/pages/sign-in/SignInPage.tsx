import { useSignal } from "@preact/signals";
import { supabase } from "../../supabase.ts";
import { Alert, Button, Card, Field } from "../../ui/mod.ts";
import { type Outcome, useAction } from "../../use_action.ts";

type Mode = "sign-in" | "sign-up";

type SignInPageProps = {
  /** The visitor opened an invitation link, which is accepted once they are signed in. */
  invited?: boolean;
  /** Told whether creating an account succeeded (before the app switches to signed in). */
  onSignUp?: (succeeded: boolean) => void;
};

/** Sign in, create an account, or ask for a password-reset email: one form, two modes. */
export function SignInPage({ invited = false, onSignUp }: SignInPageProps) {
  const mode = useSignal<Mode>("sign-in");
  const displayName = useSignal("");
  const email = useSignal("");
  const password = useSignal("");
  const action = useAction();
  const signingUp = mode.value === "sign-up";

  function submit(event: SubmitEvent) {
    event.preventDefault();
    const credentials = { email: email.value.trim(), password: password.value };
    action.run(async (): Promise<Outcome> => {
      if (!signingUp) return await supabase().auth.signInWithPassword(credentials);
      // Said before the request: Auth reports the new session before signUp() returns.
      onSignUp?.(true);
      const { data, error } = await supabase().auth.signUp({
        ...credentials,
        // The database makes the profile (the name teammates see) from this.
        options: {
          data: { display_name: displayName.value.trim() },
          emailRedirectTo: location.origin,
        },
      });
      if (error) onSignUp?.(false);
      // A project that confirms emails first creates the account without a session.
      return {
        error,
        notice: data.session ? undefined : "Check your email to confirm your account.",
      };
    });
  }

  function sendPasswordReset() {
    const address = email.value.trim();
    if (!address) {
      action.fail("Enter your email first, then choose “Forgot password?” again.");
      return;
    }
    action.run(async () => {
      const { error } = await supabase().auth.resetPasswordForEmail(address, {
        redirectTo: location.origin,
      });
      return {
        error,
        notice: `If ${address} has an account, a password-reset link is on its way.`,
      };
    });
  }

  function toggleMode() {
    mode.value = signingUp ? "sign-in" : "sign-up";
    action.clearMessages();
  }

  return (
    <main>
      <Card title={signingUp ? "Create your Frontdesk account" : "Sign in to Frontdesk"}>
        {invited && (
          <p>
            You have been invited to join a clinic. Sign in, or create an account, with the email
            address the invitation was sent to.
          </p>
        )}
        <form class="stack" onSubmit={submit}>
          {signingUp && (
            <Field
              label="Your name"
              value={displayName}
              autoComplete="name"
              required
              maxLength={120}
            />
          )}
          <Field label="Email" type="email" value={email} autoComplete="email" required />
          <Field
            label="Password"
            type="password"
            value={password}
            autoComplete={signingUp ? "new-password" : "current-password"}
            required
          />
          {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
          {action.notice.value && <Alert tone="success">{action.notice.value}</Alert>}
          <Button type="submit" busy={action.busy.value}>
            {signingUp ? "Create account" : "Sign in"}
          </Button>
        </form>
        <div class="row">
          {!signingUp && (
            <Button variant="link" busy={action.busy.value} onClick={sendPasswordReset}>
              Forgot password?
            </Button>
          )}
          <Button variant="link" onClick={toggleMode}>
            {signingUp ? "I already have an account" : "Create an account"}
          </Button>
        </div>
      </Card>
    </main>
  );
}
