import { useSignal } from "@preact/signals";
import { useId } from "preact/hooks";
import { Alert, Button } from "../../ui/mod.ts";

/** The invitation link in a read-only field, with a button that copies it. */
export function InvitationLink({ link }: { link: string }) {
  const id = useId();
  const copied = useSignal<boolean | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(link);
      copied.value = true;
    } catch {
      copied.value = false;
    }
  }

  return (
    <div class="stack">
      <div class="field">
        <label for={id}>Invitation link</label>
        <input
          id={id}
          readOnly
          value={link}
          onFocus={(event) => event.currentTarget.select()}
        />
      </div>
      <Button variant="secondary" onClick={copy}>Copy link</Button>
      {copied.value === true && <Alert tone="success">Link copied.</Alert>}
      {copied.value === false && (
        <Alert tone="error">Could not copy: select the link above and copy it yourself.</Alert>
      )}
    </div>
  );
}
