import { computed, signal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { parseHash, type RouteLocation } from "./route_match.ts";

export { addressOf, type RouteParams, type RouteQuery } from "./route_match.ts";

/** The address after "#", as last accepted (put back when leaving is refused). */
let currentAddress = location.hash.slice(1);

/** The current page's path and query, kept in step with the address bar. */
export const currentLocation = signal<RouteLocation>(parseHash(location.hash));

/** The current page's path ("/calls/42"), without its query. */
export const currentPath = computed(() => currentLocation.value.path);

/** The forms on screen with changes not yet saved (see useUnsavedChanges). */
const unsavedForms = new Set<object>();

/**
 * Whether to leave the page: at once when nothing is unsaved, else after the person agrees to lose
 * their changes. Whatever else replaces the page (e.g. switching clinics) asks this first.
 */
export function confirmLeaving(): boolean {
  if (unsavedForms.size === 0) return true;
  if (!confirm("You have changes that are not saved. Leave and lose them?")) return false;
  unsavedForms.clear();
  return true;
}

addEventListener("hashchange", () => {
  const address = location.hash.slice(1);
  if (address === currentAddress) return;
  // A link, the back button or a typed address: stay, with the address put back, unless agreed.
  if (!confirmLeaving()) {
    history.replaceState(history.state, "", `#${currentAddress}`);
    return;
  }
  currentAddress = address;
  currentLocation.value = parseHash(location.hash);
});

// Closing the tab or reloading: the browser's own "Leave site?" question.
addEventListener("beforeunload", (event) => {
  if (unsavedForms.size > 0) event.preventDefault();
});

/**
 * Marks the calling form as holding unsaved changes while `dirty` is true: leaving the page (a
 * link, back, reload, closing the tab, switching clinics) asks first. Every editing form uses it.
 */
export function useUnsavedChanges(dirty: boolean) {
  const form = useRef({});
  useEffect(() => {
    if (!dirty) return;
    const key = form.current;
    unsavedForms.add(key);
    return () => unsavedForms.delete(key);
  }, [dirty]);
}

/** Whether a form's values differ from what it started with (plain data: strings, lists, maps). */
export function differs(current: unknown, initial: unknown): boolean {
  return JSON.stringify(current) !== JSON.stringify(initial);
}

/**
 * Goes to an address ("/team", or addressOf(path, query)); the address bar and currentLocation
 * follow. The caller has decided to leave (after a save, a deletion, a sign-out), so nothing is
 * asked.
 */
export function navigate(address: string) {
  unsavedForms.clear();
  location.hash = address;
}
