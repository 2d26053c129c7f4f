import type { ComponentChildren } from "preact";
import {
  currentOrganisation,
  loadMemberships,
  memberships,
  membershipsError,
} from "../organisations/memberships.ts";
import { navigate } from "../router.ts";
import { session } from "../session.ts";
import { supabase } from "../supabase.ts";
import { Alert, Button } from "../ui/mod.ts";
import { useAction } from "../use_action.ts";
import { Nav } from "./Nav.tsx";
import { OrganisationSwitcher } from "./OrganisationSwitcher.tsx";

/**
 * The frame around every signed-in page: who is signed in, which clinic they are looking at, the
 * way around and the way out. Without children it shows the organisations loading (or why not).
 */
export function AppShell({ children }: { children?: ComponentChildren }) {
  const signOut = useAction();
  const failed = membershipsError.value;

  return (
    <>
      <header class="topbar row">
        <strong>Frontdesk</strong>
        <span class="row">
          <a class="email" href="#/profile" title="Your profile">{session.value?.user.email}</a>
          <Button
            variant="secondary"
            busy={signOut.busy.value}
            onClick={() =>
              signOut.run(async () => {
                const { error } = await supabase().auth.signOut();
                // Whoever signs in next starts at the overview, not on this user's last page.
                if (!error) navigate("/");
                return { error };
              })}
          >
            Sign out
          </Button>
        </span>
      </header>
      {currentOrganisation.value && (
        <div class="subbar">
          <OrganisationSwitcher />
          <Nav />
        </div>
      )}
      <main class="stack">
        {signOut.error.value && <Alert tone="error">{signOut.error.value}</Alert>}
        {failed && (
          <div class="stack">
            <Alert tone="error">Your clinics could not be loaded: {failed}</Alert>
            <Button variant="secondary" onClick={loadMemberships}>Try again</Button>
          </div>
        )}
        {children ??
          (!failed && memberships.value === undefined && (
            <p class="muted">
              Loading your clinics…
            </p>
          ))}
      </main>
    </>
  );
}
