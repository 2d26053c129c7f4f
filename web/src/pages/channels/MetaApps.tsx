import { useSignal } from "@preact/signals";
import { CredentialField } from "../../credentials/CredentialField.tsx";
import { credentialKey } from "../../credentials/credentials.ts";
import { useUnsavedChanges } from "../../router.ts";
import { functionUrl, supabase } from "../../supabase.ts";
import { Alert, Button, Card, CopyValue, EmptyState, Field } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";
import { RowActions } from "./RowActions.tsx";
import type { MetaApp, SectionProps } from "./use_channels.ts";

/** Where Meta posts a clinic's own app's webhooks (and checks its verify token). */
export function metaAppWebhookUrl(appId: string): string {
  return `${functionUrl("whatsapp")}/apps/${appId}`;
}

/**
 * The clinic's own Meta apps, for numbers that do not join through Frontdesk's app: Meta signs
 * each app's webhooks with that app's secret, so each app has its own webhook address, secret
 * and verify token (both write-only).
 */
export function MetaApps(props: SectionProps) {
  const { channels, manages, organisationId, reload } = props;
  const apps = channels.metaApps;
  return (
    <Card title="Your own Meta apps" level={2}>
      <p class="muted">
        Only for numbers in a Meta app of your own rather than Frontdesk's; each number says which
        app it uses.
      </p>
      {apps.length === 0 ? <EmptyState>No Meta app of your own.</EmptyState> : (
        <ul class="list">
          {apps.map((app) => <MetaAppRow key={app.id} app={app} {...props} />)}
        </ul>
      )}
      {manages && <AddMetaApp organisationId={organisationId} reload={reload} />}
    </Card>
  );
}

function MetaAppRow({ app, channels, manages, reload }: SectionProps & { app: MetaApp }) {
  const credential = (kind: "meta_app_secret" | "meta_verify_token") =>
    channels.credentials.get(credentialKey(app.id, kind));
  const name = app.label || `App ${app.meta_app_id ?? ""}`.trim();
  return (
    <li class="stack">
      <div>
        <strong>{name}</strong>
        {app.meta_app_id && <div class="mono small">App ID {app.meta_app_id}</div>}
      </div>
      <CredentialField
        label="App secret"
        subjectId={app.id}
        kind="meta_app_secret"
        credential={credential("meta_app_secret")}
        editable={manages}
        help={manages ? "In Meta's App settings, Basic." : undefined}
        onChanged={reload}
      />
      <CredentialField
        label="Verify token"
        subjectId={app.id}
        kind="meta_verify_token"
        credential={credential("meta_verify_token")}
        editable={manages}
        help={manages
          ? "Any long random phrase: save it here and type the same into Meta's webhook settings."
          : undefined}
        onChanged={reload}
      />
      <div class="setup stack">
        <p class="small">
          In this app (WhatsApp, Configuration), set the webhook's callback URL to the one below and
          its verify token to the one saved above, then subscribe it to <code>messages</code>.
        </p>
        <CopyValue label="Callback URL" value={metaAppWebhookUrl(app.id)} />
      </div>
      {manages && (
        <RowActions
          table="meta_apps"
          id={app.id}
          removeLabel="Remove app"
          removeQuestion={`Remove ${name}? Move its numbers to another app first.`}
          reload={reload}
        />
      )}
    </li>
  );
}

function AddMetaApp(
  { organisationId, reload }: { organisationId: string; reload: () => Promise<void> },
) {
  const label = useSignal("");
  const appId = useSignal("");
  const action = useAction();
  useUnsavedChanges(Boolean(label.value.trim() || appId.value.trim()));

  function submit(event: SubmitEvent) {
    event.preventDefault();
    const id = appId.value.trim();
    if (id && !/^\d+$/.test(id)) {
      return action.fail("The app ID is digits only (App settings, Basic).");
    }
    action.run(async () => {
      const { error } = await supabase().from("meta_apps").insert({
        organisation_id: organisationId,
        label: label.value.trim(),
        meta_app_id: id || null,
      });
      if (error) return { error };
      label.value = "";
      appId.value = "";
      await reload();
      return { error: null, notice: "Meta app added. Now save its app secret and verify token." };
    });
  }

  return (
    <form class="stack subform" onSubmit={submit}>
      <h3>Add your own Meta app</h3>
      <Field label="Label" value={label} autoComplete="off" maxLength={80} />
      <Field label="App ID (optional)" value={appId} autoComplete="off" maxLength={30} />
      {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
      {action.notice.value && <Alert tone="success">{action.notice.value}</Alert>}
      <Button type="submit" busy={action.busy.value}>Add Meta app</Button>
    </form>
  );
}
