import { useSignal } from "@preact/signals";
import { CredentialField } from "../../credentials/CredentialField.tsx";
import { credentialKey } from "../../credentials/credentials.ts";
import { changeRow } from "../../data/mutate.ts";
import { functionUrl, supabase } from "../../supabase.ts";
import { Alert, Button, Card, CopyValue, EmptyState, Field, Select } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";
import { formatPhone, parsePhone, phoneHelp } from "../../phone.ts";
import { useUnsavedChanges } from "../../router.ts";
import { MetaApps } from "./MetaApps.tsx";
import { RowActions, SendProblem, StatusBadge } from "./RowActions.tsx";
import { whatsappStatus } from "./status.ts";
import { accountName, type SectionProps, type WhatsAppChannel } from "./use_channels.ts";

const PROVIDERS = [
  { value: "meta", label: "Meta WhatsApp Cloud API" },
  { value: "twilio", label: "Twilio WhatsApp sender" },
];

/** WhatsApp numbers: Meta Cloud API numbers with their tokens, or Twilio WhatsApp senders. */
export function WhatsAppChannels(props: SectionProps) {
  const { channels, manages } = props;
  const list = channels.whatsappChannels;
  return (
    <>
      <Card title="WhatsApp" level={2}>
        <p class="muted">
          WhatsApp numbers the assistant answers, through Meta's WhatsApp Cloud API or a Twilio
          WhatsApp sender.
        </p>
        {list.length === 0 ? <EmptyState>No WhatsApp number yet.</EmptyState> : (
          <ul class="list">
            {list.map((channel) => (
              <WhatsAppChannelRow key={channel.id} channel={channel} {...props} />
            ))}
          </ul>
        )}
        {list.some((c) => c.provider === "meta" && !c.meta_app_id) && (
          <p class="small muted">
            Numbers on Frontdesk's Meta app need no webhook set-up: Frontdesk's app receives their
            messages. Numbers in your own Meta app are set up with that app, below.
          </p>
        )}
        {list.some((c) => c.provider === "twilio") && (
          <div class="setup stack">
            <h3>Set up in Twilio</h3>
            <p class="small">
              In Twilio's console, set each WhatsApp sender's webhook for incoming messages (HTTP
              POST) to:
            </p>
            <CopyValue
              label="A message comes in"
              value={functionUrl("twilio-messaging/inbound")}
            />
          </div>
        )}
        {manages && <AddWhatsAppChannel {...props} />}
      </Card>
      {(list.some((c) => c.provider === "meta") || props.channels.metaApps.length > 0) && (
        <MetaApps {...props} />
      )}
    </>
  );
}

function WhatsAppChannelRow({ channel, channels, manages, reload }: SectionProps & {
  channel: WhatsAppChannel;
}) {
  const meta = channel.provider === "meta";
  const shown = meta ? channel.display_phone_number : channel.twilio_sender;
  const number = shown ? formatPhone(shown) : `Phone number ID ${channel.meta_phone_number_id}`;
  return (
    <li class="stack">
      <div class="row">
        <span>
          <strong>{number}</strong>
          {channel.label && <span>{` · ${channel.label}`}</span>}
        </span>
        <StatusBadge status={whatsappStatus(channel, channels)} />
      </div>
      {channel.send_problem && <SendProblem problem={channel.send_problem} meta={meta} />}
      {meta
        ? (
          <dl class="facts small">
            <dt>Provider</dt>
            <dd>Meta WhatsApp Cloud API</dd>
            <dt>Phone number ID</dt>
            <dd class="mono">{channel.meta_phone_number_id}</dd>
            <dt>Business account ID</dt>
            <dd class="mono">{channel.meta_waba_id || "—"}</dd>
          </dl>
        )
        : (
          <dl class="facts small">
            <dt>Provider</dt>
            <dd>Twilio WhatsApp sender</dd>
            <dt>Twilio account</dt>
            <dd>{accountName(channels.twilioAccounts, channel.twilio_account_id)}</dd>
          </dl>
        )}
      {meta && (
        <>
          <CredentialField
            label="Access token"
            subjectId={channel.id}
            kind="meta_access_token"
            credential={channels.credentials.get(credentialKey(channel.id, "meta_access_token"))}
            editable={manages}
            help={manages
              ? "A permanent token of a system user with the whatsapp_business_messaging permission (Meta Business settings, System users)."
              : undefined}
            onChanged={reload}
          />
          <MetaAppChoice channel={channel} channels={channels} manages={manages} reload={reload} />
        </>
      )}
      {manages && (
        <RowActions
          table="whatsapp_channels"
          id={channel.id}
          active={channel.active}
          removeLabel="Remove number"
          removeQuestion={`Remove the WhatsApp number ${number}?`}
          reload={reload}
        />
      )}
    </li>
  );
}

/** Which Meta app the number's webhooks come from: Frontdesk's (null) or one of the clinic's own. */
function MetaAppChoice({ channel, channels, manages, reload }: {
  channel: WhatsAppChannel;
  channels: SectionProps["channels"];
  manages: boolean;
  reload: () => Promise<void>;
}) {
  const action = useAction();
  const apps = channels.metaApps;
  const choices = [
    { value: "", label: "Frontdesk's Meta app" },
    ...apps.map((app) => ({ value: app.id, label: app.label || `App ${app.meta_app_id ?? ""}` })),
  ];
  if (!manages || apps.length === 0) {
    const current = choices.find((c) => c.value === (channel.meta_app_id ?? ""));
    return (
      <p class="small">
        <strong>Meta app</strong>: {current?.label ?? "Unknown app"}
      </p>
    );
  }
  return (
    <div class="stack-tight">
      <Select
        label="Meta app"
        value={channel.meta_app_id ?? ""}
        choices={choices}
        disabled={action.busy.value}
        help="The app whose webhooks bring this number's messages."
        onChange={(id) =>
          action.run(async () => {
            const { error } = await changeRow("whatsapp_channels", channel.id, {
              meta_app_id: id || null,
            });
            if (!error) await reload();
            return { error, notice: error ? undefined : "Meta app changed." };
          })}
      />
      {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
      {action.notice.value && <Alert tone="success">{action.notice.value}</Alert>}
    </div>
  );
}

function AddWhatsAppChannel({ organisationId, country, channels, reload }: SectionProps) {
  const accounts = channels.twilioAccounts;
  const provider = useSignal<"meta" | "twilio">("meta");
  const phoneNumberId = useSignal("");
  const wabaId = useSignal("");
  const displayNumber = useSignal("");
  const chosenAccount = useSignal("");
  const sender = useSignal("");
  const label = useSignal("");
  const action = useAction();
  const account = accounts.find((a) => a.id === chosenAccount.value)?.id ?? accounts[0]?.id;
  const meta = provider.value === "meta";
  useUnsavedChanges(
    [phoneNumberId, wabaId, displayNumber, sender, label].some((field) => field.value.trim()),
  );

  /** A number field as E.164, in the clinic's country; an optional one left empty is null. */
  function phone(typed: string, what: string): { e164: string | null; error?: string } {
    if (!typed.trim()) return { e164: null };
    const parsed = parsePhone(typed, country);
    return parsed.error
      ? { e164: null, error: `${what}: ${parsed.error}` }
      : { e164: parsed.e164! };
  }

  function submit(event: SubmitEvent) {
    event.preventDefault();
    if (meta && !phoneNumberId.value.trim()) {
      return action.fail("Enter the number's phone number ID from Meta.");
    }
    if (!meta && !account) return action.fail("Add a Twilio account first.");
    if (!meta && !sender.value.trim()) return action.fail("Enter the sender's number.");
    const number = phone(
      meta ? displayNumber.value : sender.value,
      meta ? "Display phone number" : "Sender number",
    );
    if (number.error) return action.fail(number.error);
    const row = meta
      ? {
        provider: "meta" as const,
        meta_phone_number_id: phoneNumberId.value.trim(),
        meta_waba_id: wabaId.value.trim() || null,
        display_phone_number: number.e164,
      }
      : { provider: "twilio" as const, twilio_account_id: account, twilio_sender: number.e164 };
    action.run(async () => {
      const { error } = await supabase().from("whatsapp_channels").insert({
        organisation_id: organisationId,
        label: label.value.trim(),
        ...row,
      });
      if (error) return { error };
      for (const field of [phoneNumberId, wabaId, displayNumber, sender, label]) field.value = "";
      await reload();
      return {
        error: null,
        notice: meta
          ? "WhatsApp number added. Now save its access token."
          : "WhatsApp sender added.",
      };
    });
  }

  return (
    <form class="stack subform" onSubmit={submit}>
      <h3>Add a WhatsApp number</h3>
      <Select
        label="Provider"
        value={provider.value}
        choices={PROVIDERS}
        onChange={(value) => {
          provider.value = value as "meta" | "twilio";
          action.clearMessages();
        }}
      />
      {meta
        ? (
          <>
            <Field
              label="Phone number ID"
              value={phoneNumberId}
              autoComplete="off"
              maxLength={30}
            />
            <Field
              label="WhatsApp Business Account ID (optional)"
              value={wabaId}
              autoComplete="off"
              maxLength={30}
            />
            <Field
              label="Display phone number (optional)"
              type="tel"
              value={displayNumber}
              autoComplete="off"
              maxLength={32}
              help={phoneHelp(country)}
            />
            <p class="muted small">
              All three are in Meta's WhatsApp Manager (API setup) for the number.
            </p>
          </>
        )
        : accounts.length === 0
        ? <p class="muted">Add a Twilio account first: the sender belongs to one.</p>
        : (
          <>
            <Select
              label="Twilio account"
              value={account ?? ""}
              choices={accounts.map((a) => ({ value: a.id, label: a.label || a.account_sid }))}
              onChange={(id) => chosenAccount.value = id}
            />
            <Field
              label="Sender number"
              type="tel"
              value={sender}
              autoComplete="off"
              maxLength={32}
              help={phoneHelp(country)}
            />
          </>
        )}
      <Field label="Label (optional)" value={label} autoComplete="off" maxLength={80} />
      {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
      {action.notice.value && <Alert tone="success">{action.notice.value}</Alert>}
      <Button type="submit" busy={action.busy.value}>Add WhatsApp number</Button>
    </form>
  );
}
