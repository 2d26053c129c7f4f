import { useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import {
  currentOrganisation,
  loadMemberships,
  memberships,
  membershipsError,
} from "../organisations/memberships.ts";
import { currentPath, navigate } from "../router.ts";
import { session } from "../session.ts";
import { supabase } from "../supabase.ts";
import { Alert, Button, Toasts } from "../ui/mod.ts";
import { useAction } from "../use_action.ts";
import { CalendarReauthBanner } from "./CalendarReauthBanner.tsx";
import { Nav } from "./Nav.tsx";
import { OrganisationSwitcher } from "./OrganisationSwitcher.tsx";

/**
 * The frame around every signed-in page: which clinic they are looking at, the way around, who is
 * signed in and the way out. On a desktop that is a sidebar beside the page; narrower, a top bar
 * whose Menu button opens the whole list. Without children it shows the clinics loading (or why
 * not).
 */
export function AppShell({ children }: { children?: ComponentChildren }) {
  const signOut = useAction();
  const failed = membershipsError.value;
  const open = useSignal(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const path = currentPath.value;

  // Going to another page closes the menu: the page it opened is what the person wants to see.
  useEffect(() => {
    open.value = false;
  }, [path]);

  // While open: focus is in the list, and Escape closes it, back to the button.
  useEffect(() => {
    if (!open.value) return;
    menu.current?.querySelector<HTMLElement>("a, select, button")?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      open.value = false;
      menuButton.current?.focus();
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, [open.value]);

  return (
    <div class="shell">
      <header class="shell-bar" data-open={open.value || undefined}>
        <div class="shell-top">
          <strong class="brand">Frontdesk</strong>
          {currentOrganisation.value && (
            <div class="clinic">
              <OrganisationSwitcher />
            </div>
          )}
          <button
            type="button"
            ref={menuButton}
            class="btn btn-secondary menu-button"
            aria-expanded={open.value}
            aria-controls="menu"
            onClick={() => open.value = !open.value}
          >
            Menu
          </button>
        </div>
        <div
          id="menu"
          class="menu"
          ref={menu}
          // Following a link to the page already shown changes nothing else: close for it too.
          onClick={(event) => {
            if ((event.target as Element).closest("a")) open.value = false;
          }}
        >
          <Nav />
          <div class="account stack-tight">
            <span class="email">{session.value?.user.email}</span>
            <div class="row start">
              <a href="#/profile" aria-current={path === "/profile" ? "page" : undefined}>
                Profile
              </a>
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
            </div>
          </div>
        </div>
      </header>
      <main class="content stack">
        {signOut.error.value && <Alert tone="error">{signOut.error.value}</Alert>}
        {currentOrganisation.value && (
          <CalendarReauthBanner organisationId={currentOrganisation.value.id} />
        )}
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
      <Toasts />
    </div>
  );
}
