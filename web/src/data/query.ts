import { type Signal, signal } from "@preact/signals";
import { useEffect, useMemo, useRef } from "preact/hooks";
import { describeError } from "../errors.ts";

/**
 * What a read answers: its data, or what went wrong (for describeError). A supabase-js query is
 * one, so a fetcher can return the query itself.
 */
export type Read<T> = { data: T; error: null } | { data: null; error: unknown };

/** Something a page shows, read from the server. */
export type Query<T> = {
  /** Undefined until the first read succeeds; on a failure the previous data stays. */
  data: Signal<T | undefined>;
  /** The last read's failure, in words the page shows. */
  error: Signal<string | null>;
  /** A read is under way (the first or a reload). */
  loading: Signal<boolean>;
  /**
   * Reads again; resolves once the answer is shown. The latest request wins: an answer to an
   * earlier one that arrives later is dropped.
   */
  reload: () => Promise<void>;
  /** Forgets the data and the error (the next reload starts from nothing). */
  reset: () => void;
};

/** A query over a fetcher; useQuery is the hook pages use. */
export function createQuery<T>(fetcher: () => PromiseLike<Read<T>>): Query<T> {
  const data = signal<T | undefined>(undefined);
  const error = signal<string | null>(null);
  const loading = signal(false);
  let latest = 0;

  async function reload() {
    const request = ++latest;
    loading.value = true;
    const result = await settle(fetcher);
    if (request !== latest) return;
    loading.value = false;
    if (result.error) error.value = describeError(result.error);
    else {
      error.value = null;
      data.value = result.data as T;
    }
  }

  function reset() {
    latest++;
    data.value = undefined;
    error.value = null;
    loading.value = false;
  }

  return { data, error, loading, reload, reset };
}

/**
 * Reads with `fetcher` when the component appears and again whenever `deps` change (starting from
 * nothing, so another row's or day's data never shows as this one's). `reload` after a change.
 */
export function useQuery<T>(fetcher: () => PromiseLike<Read<T>>, deps: unknown[] = []): Query<T> {
  const current = useRef(fetcher);
  current.current = fetcher;
  const query = useMemo(() => createQuery(() => current.current()), []);
  useEffect(() => {
    query.reload();
    return query.reset;
  }, deps);
  return query;
}

/**
 * Several reads at once, as one: every answer by name, or the first failure (in the order given).
 * A page's data read from several tables is then one query.
 */
export async function readAll<T extends Record<string, unknown>>(
  reads: { [K in keyof T]: PromiseLike<Read<T[K]>> },
): Promise<Read<T>> {
  const names = Object.keys(reads);
  const answers = await Promise.all(Object.values<PromiseLike<Read<unknown>>>(reads));
  const failed = answers.find((answer) => answer.error);
  if (failed) return { data: null, error: failed.error };
  return {
    data: Object.fromEntries(names.map((name, i) => [name, answers[i].data])) as T,
    error: null,
  };
}

/** A fetcher's answer, with a throw (a failed request, a bug) turned into its error. */
export async function settle<T>(fetcher: () => PromiseLike<Read<T>>): Promise<Read<T>> {
  try {
    return await fetcher();
  } catch (thrown) {
    // Even `throw undefined` is a failure (describeError words what it cannot read).
    return { data: null, error: thrown ?? {} };
  }
}
