import { useSignal } from "@preact/signals";
import { linkError, type LinkKind, linkReturnAddress } from "../../session.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Button, Card, Field } from "../../ui/mod.ts";
import { type Outcome, useAction } from "../../use_action.ts";
import { pendingInvitation } from "../invitation/pending.ts";

type Mode = "sign-in" | "sign-up";

type SignInPageProps = {
  /** The visitor opened an invitation link, which is accepted once they are signed in. */
  invited?: boolean;
  /** Told whether creating an account succeeded (before the app switches to signed in). */
  onSignUp?: (succeeded: boolean) => void;
};

const NAME_MAX = 120;

/**
 * Sign in, create an account (then "check your mail" until its link is followed), or ask for a
 * password-reset email; a used or expired link says so and offers a new one.
 */
export function SignInPage({ invited = false, onSignUp }: SignInPageProps) {
  const mode = useSignal<Mode>("sign-in");
  const displayName = useSignal("");
  const email = useSignal("");
  const password = useSignal("");
  /** The address a confirmation link was just sent to. */
  const awaitingConfirmation = useSignal<string | null>(null);
  const action = useAction();
  const signingUp = mode.value === "sign-up";
  const returnTo = (kind: LinkKind) => linkReturnAddress(kind, pendingInvitation.value?.token);

  function submit(event: SubmitEvent) {
    event.preventDefault();
    const credentials = { email: email.value.trim(), password: password.value };
    if (signingUp && displayName.value.trim() === "") {
      action.fail("Enter your name: teammates see it on the Team page.");
      return;
    }
    action.run(async (): Promise<Outcome> => {
      if (!signingUp) {
        const result = await supabase().auth.signInWithPassword(credentials);
        if (result.error?.code === "email_not_confirmed") {
          awaitingConfirmation.value = credentials.email;
          return { error: null };
        }
        return result;
      }
      onSignUp?.(true);
      const { data, error } = await supabase().auth.signUp({
        ...credentials,
        // The database makes the profile (the name teammates see) from this.
        options: {
          data: { display_name: displayName.value.trim() },
          emailRedirectTo: returnTo("signup"),
        },
      });
      if (error) onSignUp?.(false);
      // Confirmations on: no session until the mailed link is followed.
      if (!error && !data.session) awaitingConfirmation.value = credentials.email;
      return { error };
    });
  }

  function resendConfirmation(address: string) {
    action.run(async () => {
      const { error } = await supabase().auth.resend({
        type: "signup",
        email: address,
        options: { emailRedirectTo: returnTo("signup") },
      });
      return { error, notice: `We sent a new link to ${address}.` };
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
        redirectTo: returnTo("recovery"),
      });
      return {
        error,
        notice: `If ${address} has an account, a password-reset link is on its way.`,
      };
    });
  }

  /** A new link of the kind that failed, to the address typed in. */
  function sendNewLink(kind: LinkKind) {
    const address = email.value.trim();
    if (!address) {
      action.fail("Enter your email, then choose “Send a new link”.");
      return;
    }
    if (kind === "recovery") sendPasswordReset();
    else resendConfirmation(address);
    linkError.value = null;
  }

  function toggleMode() {
    mode.value = signingUp ? "sign-in" : "sign-up";
    action.clearMessages();
  }

  const sentTo = awaitingConfirmation.value;
  if (sentTo) {
    return (
      <main>
        <Card title="Check your mail">
          <p>
            We sent a link to{" "}
            <strong class="email">{sentTo}</strong>. Follow it to confirm the address; it signs you
            in.
          </p>
          <p class="muted">Nothing there? Look in the spam folder, or send the link again.</p>
          {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
          {action.notice.value && <Alert tone="success">{action.notice.value}</Alert>}
          <div class="row">
            <Button busy={action.busy.value} onClick={() => resendConfirmation(sentTo)}>
              Send the link again
            </Button>
            <Button
              variant="link"
              onClick={() => {
                awaitingConfirmation.value = null;
                mode.value = "sign-in";
                action.clearMessages();
              }}
            >
              Back to sign in
            </Button>
          </div>
        </Card>
      </main>
    );
  }

  const failedLink = linkError.value;
  return (
    <main>
      <Card title={signingUp ? "Create your Frontdesk account" : "Sign in to Frontdesk"}>
        {failedLink && (
          <Alert tone="error">
            {failedLink.code === "otp_expired"
              ? `That ${
                failedLink.kind === "signup" ? "confirmation" : "password-reset"
              } link has expired or was already used.`
              : `That link did not work: ${failedLink.description}.`}{" "}
            Enter your email below and send a new link.
          </Alert>
        )}
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
              maxLength={NAME_MAX}
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
          {failedLink && (
            <Button
              busy={action.busy.value}
              onClick={() => sendNewLink(failedLink.kind)}
            >
              Send a new link
            </Button>
          )}
          {!signingUp && !failedLink && (
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
