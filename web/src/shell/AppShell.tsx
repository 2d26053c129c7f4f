import type { ComponentChildren } from "preact";
import { supabase } from "../supabase.ts";
import { Alert, Button } from "../ui/mod.ts";
import { useAction } from "../use_action.ts";

/** The frame around every signed-in page: who is signed in, and the way out. */
export function AppShell({ email, children }: { email: string; children: ComponentChildren }) {
  const signOut = useAction();

  return (
    <>
      <header class="topbar row">
        <strong>Frontdesk</strong>
        <span class="row">
          <span class="email">{email}</span>
          <Button
            variant="secondary"
            busy={signOut.busy.value}
            onClick={() => signOut.run(() => supabase().auth.signOut())}
          >
            Sign out
          </Button>
        </span>
      </header>
      <main class="stack">
        {signOut.error.value && <Alert tone="error">{signOut.error.value}</Alert>}
        {children}
      </main>
    </>
  );
}
