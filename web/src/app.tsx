import { useEffect } from "preact/hooks";
import { invitationAddress, pendingInvitation } from "./pages/invitation/pending.ts";
import { NotFoundPage } from "./pages/not-found/NotFoundPage.tsx";
import { CreateOrganisationPage } from "./pages/onboarding/CreateOrganisationPage.tsx";
import { SetPasswordPage } from "./pages/set-password/SetPasswordPage.tsx";
import { SignInPage } from "./pages/sign-in/SignInPage.tsx";
import { currentMembership, memberships } from "./organisations/memberships.ts";
import { findRoute } from "./route_match.ts";
import { currentLocation, navigate } from "./router.ts";
import { routes } from "./routes.ts";
import { recoveringPassword, session } from "./session.ts";
import { AppShell } from "./shell/AppShell.tsx";

/**
 * Signed out: the sign-in page, or what the route shows signed out. Signed in: the shell around
 * the routed page, or onboarding while the user has no organisation.
 */
export function App() {
  const current = session.value;
  if (current === undefined) return <Loading />;

  const { path, query } = currentLocation.value;
  const match = findRoute(routes, path);
  const props = { params: match?.params ?? {}, query };
  if (current === null) {
    const SignedOut = match?.route.signedOut;
    return SignedOut ? <SignedOut {...props} /> : <SignInPage />;
  }
  if (recoveringPassword.value) return <SetPasswordPage />;

  if (match?.route.withoutOrganisation) {
    const Page = match.route.page;
    return (
      <AppShell>
        <Page key={path} {...props} />
      </AppShell>
    );
  }
  // An invitation opened before signing in is accepted right after, wherever Auth landed.
  const pending = pendingInvitation.value;
  if (pending) return <Redirect to={invitationAddress(pending.token)} />;

  const list = memberships.value;
  if (list === undefined) return <AppShell />; // the shell shows loading, or why it failed
  const Page = !list.length ? CreateOrganisationPage : match?.route.page ?? NotFoundPage;
  // Keyed by organisation and path: switching clinics gives the page a fresh state, never the
  // previous clinic's rows, and so does another row's address ("/calls/7" after "/calls/6").
  return (
    <AppShell>
      <Page key={`${currentMembership.value?.organisation.id} ${path}`} {...props} />
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
