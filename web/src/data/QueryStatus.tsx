import type { ReadonlySignal } from "@preact/signals";
import { Alert } from "../ui/mod.ts";

/**
 * What a page shows in place of data it has not got: "Loading…" until the first answer, and why a
 * read failed (above the previous data, which stays). Nothing once the data is there and fresh.
 */
export function QueryStatus(
  { data, error }: { data: ReadonlySignal<unknown>; error: ReadonlySignal<string | null> },
) {
  if (error.value) return <Alert tone="error">{error.value}</Alert>;
  if (data.value === undefined) return <p class="muted">Loading…</p>;
  return null;
}
