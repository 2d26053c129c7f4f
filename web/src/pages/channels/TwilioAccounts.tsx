import { useSignal } from "@preact/signals";
import { CredentialField } from "../../credentials/CredentialField.tsx";
import { credentialKey } from "../../credentials/credentials.ts";
import { plural } from "../../format.ts";
import { useUnsavedChanges } from "../../router.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Button, Card, EmptyState, Field } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";
import { RowActions } from "./RowActions.tsx";
import type { SectionProps, TwilioAccount } from "./use_channels.ts";

/** The Twilio accounts (or subaccounts) that own the clinic's numbers, with their auth tokens. */
export function TwilioAccounts(props: SectionProps) {
  const { channels, manages, organisationId, reload } = props;
  const accounts = channels.twilioAccounts;
  return (
    <Card title="Twilio accounts" level={2}>
      <p class="muted">
        The Twilio account or subaccount the clinic's numbers belong to. Its auth token lets
        Frontdesk check that calls and messages really come from Twilio.
      </p>
      {accounts.length === 0 ? <EmptyState>No Twilio account yet.</EmptyState> : (
        <ul class="list">
          {accounts.map((account) => (
            <TwilioAccountRow key={account.id} account={account} {...props} />
          ))}
        </ul>
      )}
      {manages && <AddTwilioAccount organisationId={organisationId} reload={reload} />}
    </Card>
  );
}

function TwilioAccountRow({ account, channels, manages, reload }: SectionProps & {
  account: TwilioAccount;
}) {
  const numbers = channels.phoneNumbers.filter((n) => n.twilio_account_id === account.id).length;
  const senders = channels.whatsappChannels.filter((w) => w.twilio_account_id === account.id)
    .length;
  const name = account.label || account.account_sid;
  const goesWith = numbers || senders
    ? ` Its ${plural(numbers, "phone number")} and ${
      plural(senders, "WhatsApp sender")
    } go with it.`
    : "";
  return (
    <li class="stack">
      <div>
        <strong>{account.label || "Twilio account"}</strong>
        <div class="mono small">{account.account_sid}</div>
      </div>
      <CredentialField
        label="Auth token"
        subjectId={account.id}
        kind="twilio_auth_token"
        credential={channels.credentials.get(credentialKey(account.id, "twilio_auth_token"))}
        editable={manages}
        help={manages
          ? "In Twilio's console: Account info, Auth token (of this account or subaccount)."
          : undefined}
        onChanged={reload}
      />
      {manages && (
        <RowActions
          table="twilio_accounts"
          id={account.id}
          removeLabel="Remove account"
          removeQuestion={`Remove ${name}?${goesWith}`}
          reload={reload}
        />
      )}
    </li>
  );
}

function AddTwilioAccount(
  { organisationId, reload }: { organisationId: string; reload: () => Promise<void> },
) {
  const sid = useSignal("");
  const label = useSignal("");
  const action = useAction();
  useUnsavedChanges(sid.value.trim() !== "" || label.value.trim() !== "");

  function submit(event: SubmitEvent) {
    event.preventDefault();
    if (!sid.value.trim()) return action.fail("Enter the account's SID (it starts with AC).");
    action.run(async () => {
      const { error } = await supabase().from("twilio_accounts").insert({
        organisation_id: organisationId,
        account_sid: sid.value.trim(),
        label: label.value.trim(),
      });
      if (error) return { error };
      sid.value = "";
      label.value = "";
      await reload();
      return { error: null, notice: "Twilio account added. Now save its auth token." };
    });
  }

  return (
    <form class="stack subform" onSubmit={submit}>
      <h3>Add a Twilio account</h3>
      <Field label="Account SID" value={sid} autoComplete="off" maxLength={34} />
      <Field label="Label (optional)" value={label} autoComplete="off" maxLength={80} />
      {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
      {action.notice.value && <Alert tone="success">{action.notice.value}</Alert>}
      <Button type="submit" busy={action.busy.value}>Add Twilio account</Button>
    </form>
  );
}
