/**
 * Reading a hash address ("#/appointments?date=2026-12-02") and matching it against route
 * patterns ("/calls/:id"). Pure, so the rules are unit-tested without a browser; router.ts keeps
 * the address bar and the current location in step.
 */

/** What a pattern's ":name" segments captured from a path. */
export type RouteParams = Record<string, string>;

/** The query of a hash address ("?date=…"), one value per name (the last one given). */
export type RouteQuery = Record<string, string>;

/** A page address: its path ("/calls/42") and its query. */
export type RouteLocation = { path: string; query: RouteQuery };

/**
 * The location a hash names. Hash routing ("#/calls") needs nothing from the server, which serves
 * only index.html at "/". Any other hash (e.g. Auth's "#access_token=…" redirect, which supabase-js
 * consumes) means "/".
 */
export function parseHash(hash: string): RouteLocation {
  if (!hash.startsWith("#/")) return { path: "/", query: {} };
  const address = hash.slice(1);
  const mark = address.indexOf("?");
  if (mark < 0) return { path: address, query: {} };
  return {
    path: address.slice(0, mark),
    query: Object.fromEntries(new URLSearchParams(address.slice(mark + 1))),
  };
}

/**
 * The address of a page ("/appointments?date=2026-12-02"), for navigate() and (after "#") links.
 * Names whose value is undefined are left out.
 */
export function addressOf(path: string, query: Record<string, string | undefined> = {}): string {
  const given = Object.entries(query).filter((entry): entry is [string, string] =>
    entry[1] !== undefined
  );
  return given.length ? `${path}?${new URLSearchParams(given)}` : path;
}

/**
 * Matches a path against a pattern: ":name" captures one non-empty segment, and a last segment
 * ":name?" may also be absent. A segment that is not valid percent-encoding matches nothing.
 */
export function matchPath(pattern: string, path: string): RouteParams | null {
  const want = pattern.split("/");
  const have = path.split("/");
  const optional = want.at(-1)?.endsWith("?") ?? false;
  if (have.length !== want.length && !(optional && have.length === want.length - 1)) return null;
  const params: RouteParams = {};
  for (let i = 0; i < have.length; i++) {
    if (!want[i].startsWith(":")) {
      if (want[i] !== have[i]) return null;
      continue;
    }
    if (!have[i]) return null;
    try {
      params[want[i].slice(1).replace(/\?$/, "")] = decodeURIComponent(have[i]);
    } catch {
      return null;
    }
  }
  return params;
}

/** The first route whose pattern matches the path, with what it captured. */
export function findRoute<R extends { path: string }>(
  routes: readonly R[],
  path: string,
): { route: R; params: RouteParams } | null {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return null;
}
