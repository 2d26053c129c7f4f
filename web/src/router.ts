import { signal } from "@preact/signals";

/**
 * Hash routing ("#/calls") needs nothing from the server, which serves only index.html at "/".
 * Any other hash (e.g. Auth's "#access_token=…" redirect, which supabase-js consumes) means "/".
 */
function pathFromHash(): string {
  return location.hash.startsWith("#/") ? location.hash.slice(1) : "/";
}

/** The current page path, kept in step with the address bar. */
export const currentPath = signal(pathFromHash());

addEventListener("hashchange", () => {
  currentPath.value = pathFromHash();
});
