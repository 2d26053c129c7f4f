import { type Signal, signal } from "@preact/signals";
import { useEffect, useMemo, useRef } from "preact/hooks";
import { describeError } from "../errors.ts";
import { type Read, settle } from "./query.ts";

/**
 * Reads one page: at most `limit` rows after `after` (the last row shown; undefined for the
 * first page), in the list's order. keysetAfter writes the filter for the usual order.
 */
export type PageFetcher<T> = (after: T | undefined, limit: number) => PromiseLike<Read<T[]>>;

/** A list read a page at a time, newest first, that can also grow while it is open. */
export type PagedList<T> = {
  /** Undefined until the first page arrives. */
  rows: Signal<T[] | undefined>;
  /** Whether there are rows after the last one shown. */
  hasMore: Signal<boolean>;
  loading: Signal<boolean>;
  error: Signal<string | null>;
  /** Reads the first page again (the latest request wins; a page still coming is dropped). */
  reload: () => Promise<void>;
  /** Appends the next page; while one is coming, asking again waits for that one. */
  loadMore: () => Promise<void>;
  /** Shows a row that appeared while the list is open (e.g. a new call) at the top, or in its
   * place when the list already has it. */
  prepend: (row: T) => void;
  /** Forgets the rows (the next reload starts from nothing). */
  reset: () => void;
};

export type PagedListOptions<T> = {
  fetchPage: PageFetcher<T>;
  pageSize: number;
  /** What tells rows apart, for a live row the list already has. */
  key: (row: T) => string;
};

export function createPagedList<T>(
  { fetchPage, pageSize, key }: PagedListOptions<T>,
): PagedList<T> {
  const rows = signal<T[] | undefined>(undefined);
  const hasMore = signal(false);
  const loading = signal(false);
  const error = signal<string | null>(null);
  /** Bumped by every reload and reset: a page read before it no longer belongs to the list. */
  let generation = 0;
  let more: Promise<void> | null = null;

  async function read(after: T | undefined) {
    const mine = generation;
    loading.value = true;
    // One row beyond the page tells whether there is another page.
    const result = await settle(() => fetchPage(after, pageSize + 1));
    if (mine !== generation) return;
    loading.value = false;
    if (result.error) {
      error.value = describeError(result.error);
      return;
    }
    error.value = null;
    const page = result.data!;
    hasMore.value = page.length > pageSize;
    const shown = page.slice(0, pageSize);
    rows.value = after === undefined ? shown : [...(rows.value ?? []), ...shown];
  }

  function reload() {
    generation++;
    more = null;
    return read(undefined);
  }

  function loadMore() {
    if (!more) {
      const mine = generation;
      more = read(rows.value?.at(-1)).finally(() => {
        if (mine === generation) more = null;
      });
    }
    return more;
  }

  function prepend(row: T) {
    const list = rows.value;
    if (!list) return; // the first page, when it comes, has it
    const id = key(row);
    const at = list.findIndex((shown) => key(shown) === id);
    rows.value = at < 0 ? [row, ...list] : list.with(at, row);
  }

  function reset() {
    generation++;
    more = null;
    rows.value = undefined;
    hasMore.value = false;
    loading.value = false;
    error.value = null;
  }

  return { rows, hasMore, loading, error, reload, loadMore, prepend, reset };
}

/**
 * A paged list for a component: the first page when it appears and again, from nothing, whenever
 * `deps` change (e.g. a filter).
 */
export function usePagedList<T>(options: PagedListOptions<T>, deps: unknown[] = []): PagedList<T> {
  const current = useRef(options);
  current.current = options;
  const list = useMemo(
    () =>
      createPagedList<T>({
        pageSize: options.pageSize,
        fetchPage: (after, limit) => current.current.fetchPage(after, limit),
        key: (row) => current.current.key(row),
      }),
    [],
  );
  useEffect(() => {
    list.reload();
    return list.reset;
  }, deps);
  return list;
}

/**
 * The PostgREST filter (for `.or(…)`) for rows after `last` in the order `column` descending, then
 * `id` descending: strictly older, whatever was written since the page before was read. Values are
 * quoted, so timestamps' "+" and ":" and any "," or ")" stay inside them.
 */
export function keysetAfter(
  column: string,
  last: { id: string | number } & Record<string, unknown>,
): string {
  const value = quote(String(last[column]));
  return `${column}.lt.${value},and(${column}.eq.${value},id.lt.${quote(String(last.id))})`;
}

function quote(value: string): string {
  return `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}
