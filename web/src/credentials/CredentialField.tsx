import { useSignal } from "@preact/signals";
import { useId } from "preact/hooks";
import { formatDate, timeFromNow } from "../format.ts";
import { currentMembership } from "../organisations/memberships.ts";
import { useUnsavedChanges } from "../router.ts";
import type { Json } from "@frontdesk/database";
import { supabase } from "../supabase.ts";
import { Alert, Button, ConfirmButton, Field } from "../ui/mod.ts";
import { useAction } from "../use_action.ts";
import { type Credential, type CredentialKind, ROTATION_LABELS } from "./credentials.ts";

type CredentialFieldProps = {
  /** What the secret is ("Access token"). */
  label: string;
  /** The Twilio account, WhatsApp channel or calendar connection it belongs to. */
  subjectId: string;
  kind: CredentialKind;
  /** Its metadata, or undefined while none is set. */
  credential: Credential | undefined;
  /** Owners and admins set, rotate and remove; everyone else only sees the status. */
  editable: boolean;
  /** Where to find the value, or what happens without it. */
  help?: string;
  /** Things work without it: "not set" is then no warning. */
  optional?: boolean;
  /** Called after a change so the page reloads the metadata; resolves once it is shown. */
  onChanged: () => Promise<void>;
};

/**
 * A write-only secret: the status ("set · ends in 1234 · rotated 3 days ago") with the rotation
 * report's warning, and for owners and admins a password field to set or rotate it and a way to
 * remove it. The value typed is sent once and then cleared; nothing ever reads a secret back.
 */
export function CredentialField(
  { label, subjectId, kind, credential, editable, help, optional, onChanged }: CredentialFieldProps,
) {
  const secret = useSignal("");
  const expiresOn = useSignal("");
  const action = useAction();
  const expiryId = useId();
  const lower = label.toLowerCase();
  useUnsavedChanges(secret.value !== "" || expiresOn.value !== "");

  function save(event: SubmitEvent) {
    event.preventDefault();
    if (!secret.value.trim()) return action.fail(`Paste the ${lower} first.`);
    action.run(async () => {
      const { error } = await supabase().rpc("set_credential", {
        subject_id: subjectId,
        kind,
        secret: secret.value,
        expires_at: expiresOn.value ? new Date(`${expiresOn.value}T00:00:00`).toISOString() : null,
        // set_credential(json) takes the whole body as its one argument, which the generated
        // types can only name "".
      } as unknown as { "": Json });
      if (error) return { error }; // what was typed stays, to correct or retry
      secret.value = "";
      expiresOn.value = "";
      await onChanged();
      return { error: null, notice: `${label} ${credential ? "rotated" : "saved"}.` };
    });
  }

  function remove() {
    action.run(async () => {
      const { error } = await supabase().rpc("clear_credential", { subject_id: subjectId, kind });
      if (error) return { error };
      await onChanged();
      return { error: null, notice: `${label} removed.` };
    });
  }

  return (
    <div class="credential stack">
      <div>
        <strong>{label}</strong>: <CredentialStatus credential={credential} optional={optional} />
      </div>
      {help && <p class="muted small">{help}</p>}
      {editable && (
        <form class="stack" onSubmit={save}>
          <Field
            label={credential ? `New ${lower}` : label}
            type="password"
            autoComplete="off"
            value={secret}
          />
          <details class="small">
            <summary>Expiry date (optional)</summary>
            <div class="field">
              <label for={expiryId}>Expires on</label>
              <input
                id={expiryId}
                type="date"
                value={expiresOn}
                onInput={(event) => expiresOn.value = event.currentTarget.value}
              />
            </div>
          </details>
          {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
          {action.notice.value && <Alert tone="success">{action.notice.value}</Alert>}
          <div class="row start">
            <Button type="submit" variant="secondary" busy={action.busy.value}>
              {credential ? `Rotate ${lower}` : `Save ${lower}`}
            </Button>
            {credential && (
              <ConfirmButton
                label={`Remove ${lower}`}
                question={`Remove the ${lower}? It stops working at once.`}
                confirmLabel="Yes, remove"
                busy={action.busy.value}
                onConfirm={remove}
              />
            )}
          </div>
        </form>
      )}
    </div>
  );
}

/** "set · ends in 1234 · rotated 3 days ago", its expiry, and the rotation warning if any. */
export function CredentialStatus(
  { credential, optional }: { credential: Credential | undefined; optional?: boolean },
) {
  if (!credential) {
    return optional
      ? <span class="muted">not set</span>
      : <span class="badge badge-warning">Not set</span>;
  }
  const changed = credential.rotated_at
    ? `rotated ${timeFromNow(credential.rotated_at)}`
    : `set ${timeFromNow(credential.set_at)}`;
  const expires = credential.expires_at;
  const expired = expires !== null && new Date(expires).getTime() <= Date.now();
  // The expiry day as the clinic counts days; the browser's zone until an organisation is chosen.
  const timeZone = currentMembership.value?.organisation.timezone ??
    Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <span>
      set · ends in <span class="mono">{credential.last4}</span> · {changed}
      {expires && ` · ${expired ? "expired" : "expires"} ${formatDate(expires, timeZone)}`}
      {credential.rotation && (
        <>
          {" "}
          <span class="badge badge-warning" title="Set a new value to rotate it">
            {ROTATION_LABELS[credential.rotation]}
          </span>
        </>
      )}
    </span>
  );
}
