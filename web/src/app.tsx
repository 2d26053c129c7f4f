import { useEffect } from "preact/hooks";
import { AcceptInvitationPage } from "./pages/invitation/AcceptInvitationPage.tsx";
import { InvitedSignIn } from "./pages/invitation/InvitedSignIn.tsx";
import { pendingInvitation } from "./pages/invitation/pending.ts";
import { NotFoundPage } from "./pages/not-found/NotFoundPage.tsx";
import { CreateOrganisationPage } from "./pages/onboarding/CreateOrganisationPage.tsx";
import { SetPasswordPage } from "./pages/set-password/SetPasswordPage.tsx";
import { SignInPage } from "./pages/sign-in/SignInPage.tsx";
import { currentMembership, memberships } from "./organisations/memberships.ts";
import { currentPath, matchPath, navigate } from "./router.ts";
import { pagesWithoutOrganisation, routes } from "./routes.ts";
import { recoveringPassword, session } from "./session.ts";
import { AppShell } from "./shell/AppShell.tsx";

/**
 * Signed out: the sign-in page, whatever the address. Signed in: the shell around the routed page,
 * or onboarding while the user has no organisation.
 */
export function App() {
  const current = session.value;
  if (current === undefined) return <Loading />;

  const invitation = matchPath("/invitations/:token", currentPath.value)?.token;
  if (current === null) {
    return invitation ? <InvitedSignIn token={invitation} /> : <SignInPage />;
  }
  if (recoveringPassword.value) return <SetPasswordPage />;

  if (invitation) {
    return (
      <AppShell>
        <AcceptInvitationPage key={invitation} token={invitation} />
      </AppShell>
    );
  }
  // An invitation opened before signing in is accepted right after, wherever Auth landed.
  const pending = pendingInvitation.value;
  if (pending) return <Redirect to={`/invitations/${pending.token}`} />;

  const list = memberships.value;
  if (list === undefined) return <AppShell />; // the shell shows loading, or why it failed
  const path = currentPath.value;
  const Page = list.length || pagesWithoutOrganisation.has(path)
    ? routes[path] ?? NotFoundPage
    : CreateOrganisationPage;
  // Keyed by organisation: switching clinics gives the page a fresh state, never the previous
  // clinic's rows. Pages that need an organisation are only routed to when there is one.
  return (
    <AppShell>
      <Page key={currentMembership.value?.organisation.id} />
    </AppShell>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to), [to]);
  return <Loading />;
}

function Loading() {
  return (
    <main>
      <p class="muted">Loading…</p>
    </main>
  );
}
