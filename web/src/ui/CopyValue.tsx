import { useSignal } from "@preact/signals";
import { useId } from "preact/hooks";
import { Alert } from "./Alert.tsx";
import { Button } from "./Button.tsx";

/**
 * A value someone pastes elsewhere (a webhook URL, a verify token, an invitation link) with a
 * button that copies it.
 * Plain text, not a form field: read-only pages stay free of inputs.
 */
export function CopyValue({ label, value }: { label: string; value: string }) {
  const id = useId();
  const copied = useSignal<boolean | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      copied.value = true;
    } catch {
      copied.value = false;
    }
  }

  return (
    <div class="copy-value">
      <span class="copy-label" id={id}>{label}</span>
      <div class="row">
        <code aria-labelledby={id}>{value}</code>
        <Button variant="secondary" aria-label={`Copy ${label.toLowerCase()}`} onClick={copy}>
          {copied.value ? "Copied" : "Copy"}
        </Button>
      </div>
      {copied.value === false && (
        <Alert tone="error">Could not copy: select the text and copy it yourself.</Alert>
      )}
    </div>
  );
}
