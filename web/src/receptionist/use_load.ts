import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { describeError } from "../errors.ts";
import type { Read } from "./rows.ts";

/**
 * What a page shows, read from the server: undefined until the first load. `reload` after any
 * change; it resolves once the new state is shown (on failure the previous one stays, with the
 * error). Pages key themselves by organisation, so one hook instance reads one organisation.
 */
export function useLoad<T>(read: () => Promise<Read<T>>) {
  const data = useSignal<T | undefined>(undefined);
  const error = useSignal<string | null>(null);
  const latest = useRef(0);

  async function reload() {
    const load = ++latest.current;
    let result: Read<T>;
    try {
      result = await read();
    } catch (thrown) {
      result = { data: null, error: thrown };
    }
    if (load !== latest.current) return; // a newer load has taken over
    if (result.error) {
      error.value = describeError(result.error);
      return;
    }
    error.value = null;
    data.value = result.data!;
  }

  useEffect(() => {
    reload();
  }, []);

  return { data, error, reload };
}
