import { NotFoundPage } from "./pages/not-found/NotFoundPage.tsx";
import { SignInPage } from "./pages/sign-in/SignInPage.tsx";
import { currentPath } from "./router.ts";
import { routes } from "./routes.ts";
import { session } from "./session.ts";
import { AppShell } from "./shell/AppShell.tsx";

/** Signed out: the sign-in page, whatever the address. Signed in: the shell around the routed page. */
export function App() {
  const current = session.value;
  if (current === undefined) {
    return (
      <main>
        <p class="muted">Loading…</p>
      </main>
    );
  }
  if (current === null) return <SignInPage />;

  const Page = routes[currentPath.value] ?? NotFoundPage;
  return (
    <AppShell email={current.user.email ?? ""}>
      <Page />
    </AppShell>
  );
}
