import { useSignal } from "@preact/signals";
import { isAuthRetryableFetchError } from "@supabase/supabase-js";

/** What an action reports: its error (if any) and, on success, an optional confirmation. */
export type Outcome = { error: unknown; notice?: string };

/**
 * State for a button that calls the server: busy while it runs, then its failure or confirmation
 * as a message. Form inputs are never touched, so nothing typed is lost on a failure.
 */
export function useAction() {
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);
  const notice = useSignal<string | null>(null);

  function clearMessages() {
    error.value = null;
    notice.value = null;
  }

  async function run(action: () => Promise<Outcome>) {
    clearMessages();
    busy.value = true;
    try {
      const outcome = await action();
      if (outcome.error) error.value = describeError(outcome.error);
      else notice.value = outcome.notice ?? null;
    } catch (thrown) {
      error.value = describeError(thrown);
    } finally {
      busy.value = false;
    }
  }

  return { busy, error, notice, run, clearMessages };
}

function describeError(error: unknown): string {
  // supabase-js reports a failed request (offline, server down) as a retryable fetch error.
  if (isAuthRetryableFetchError(error)) {
    return "Can't reach the server. Check your connection and try again.";
  }
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong. Please try again.";
}
