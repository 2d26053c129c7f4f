import { useEffect, useRef } from "preact/hooks";
import {
  loadMemberships,
  memberships,
  selectOrganisation,
} from "../../organisations/memberships.ts";
import { navigate } from "../../router.ts";
import type { PageProps } from "../../routes.ts";
import { session } from "../../session.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Button, Card } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";
import { forgetInvitation, pendingInvitation } from "./pending.ts";

/**
 * `#/invitations/<token>` when signed in: accepts the invitation at once and opens its clinic.
 * The database refuses an expired, withdrawn or used invitation, or one for another address.
 */
export function AcceptInvitationPage({ params: { token } }: PageProps) {
  const action = useAction();
  const started = useRef(false);
  const loaded = memberships.value !== undefined;

  useEffect(() => {
    if (!loaded || started.current) return;
    started.current = true;
    const pending = pendingInvitation.peek();
    forgetInvitation();
    // A brand-new account belongs only to clinics whose invitations the database accepted when
    // the account was created: this one was among them, so there is nothing left to accept.
    if (pending?.token === token && pending.signedUp && memberships.peek()?.length) {
      navigate("/");
      return;
    }
    action.run(async () => {
      const { data, error } = await supabase().rpc("accept_invitation", { token });
      if (error) return { error };
      await loadMemberships();
      selectOrganisation(data as string);
      navigate("/");
      return { error: null };
    });
  }, [loaded]);

  return (
    <Card title="Join a clinic">
      {!action.error.value && <p class="muted">Accepting the invitation…</p>}
      {action.error.value && (
        <>
          <Alert tone="error">{action.error.value}</Alert>
          <p class="muted email">You are signed in as {session.value?.user.email}.</p>
          <div class="row">
            <a href="#/">
              {memberships.value?.length
                ? "Go to your dashboard"
                : "Create your own clinic instead"}
            </a>
            <Button variant="link" onClick={() => supabase().auth.signOut()}>
              Use another account
            </Button>
          </div>
        </>
      )}
    </Card>
  );
}
