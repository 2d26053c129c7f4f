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

/** Goes to a page ("/team"); the address bar and currentPath follow. */
export function navigate(path: string) {
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
