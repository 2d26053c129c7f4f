import { useSignal } from "@preact/signals";
import { describeError } from "./errors.ts";

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

  /** Runs the action; resolves to whether it succeeded. */
  async function run(action: () => Promise<Outcome>): Promise<boolean> {
    clearMessages();
    busy.value = true;
    try {
      const outcome = await action();
      if (outcome.error) error.value = describeError(outcome.error);
      else notice.value = outcome.notice ?? null;
      return !outcome.error;
    } catch (thrown) {
      error.value = describeError(thrown);
      return false;
    } finally {
      busy.value = false;
    }
  }

  /** Shows a refusal found before calling the server (e.g. a missing choice). */
  function fail(message: string) {
    clearMessages();
    error.value = message;
  }

  return { busy, error, notice, run, fail, clearMessages };
}
