import { signal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";

/**
 * Hash routing ("#/calls") needs nothing from the server, which serves only index.html at "/".
 * Any other hash (e.g. Auth's "#access_token=…" redirect, which supabase-js consumes) means "/".
 */
function pathFromHash(): string {
  return location.hash.startsWith("#/") ? location.hash.slice(1) : "/";
}

/** The current page path, kept in step with the address bar. */
export const currentPath = signal(pathFromHash());

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
  const path = pathFromHash();
  if (path === currentPath.value) return;
  // A link, the back button or a typed address: stay, with the address put back, unless agreed.
  if (!confirmLeaving()) {
    history.replaceState(history.state, "", `#${currentPath.value}`);
    return;
  }
  currentPath.value = path;
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
 * Goes to a page ("/team"); the address bar and currentPath follow. The caller has decided to
 * leave (after a save, a deletion, a sign-out), so nothing is asked.
 */
export function navigate(path: string) {
  unsavedForms.clear();
  location.hash = path;
}

/** What a pattern such as "/invitations/:token" captured from a path. */
export type RouteParams = Record<string, string>;

/** Matches a path against a pattern whose ":name" segments capture one segment each. */
export function matchPath(pattern: string, path: string): RouteParams | null {
  const want = pattern.split("/");
  const have = path.split("/");
  if (want.length !== have.length) return null;
  const params: RouteParams = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(":")) {
      if (!have[i]) return null;
      params[want[i].slice(1)] = decodeURIComponent(have[i]);
    } else if (want[i] !== have[i]) return null;
  }
  return params;
}
