import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { functionUrl, supabase } from "../../supabase.ts";
import {
  Alert,
  Button,
  Card,
  CheckboxGroup,
  CopyValue,
  EmptyState,
  Field,
  Select,
} from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";
import { formatPhone, parsePhone, phoneHelp } from "../../phone.ts";
import { useUnsavedChanges } from "../../router.ts";
import { RowActions, SendProblem, StatusBadge } from "./RowActions.tsx";
import { phoneNumberStatus } from "./status.ts";
import { accountName, type PhoneNumber, type SectionProps } from "./use_channels.ts";

const USES = [
  { value: "voice", label: "Calls" },
  { value: "messaging", label: "SMS" },
];

/** The Twilio numbers patients call or text, and where Twilio must send their webhooks. */
const CONNECT_RECHECK_MS = 3000;
const CONNECT_RECHECK_FOR_MS = 120_000;

export function PhoneNumbers(props: SectionProps) {
  const { channels, manages, reload } = props;
  const numbers = channels.phoneNumbers;
  // Connecting a number to the assistant is a job of a few seconds: read again while one asked
  // for in the last two minutes is pending, so the page shows how it went without a reload.
  const connecting = numbers.some((n) =>
    n.active && n.voice_enabled && n.voice_connection === "pending" &&
    Date.now() - Date.parse(n.updated_at) < CONNECT_RECHECK_FOR_MS
  );
  useEffect(() => {
    if (!connecting) return;
    const timer = setTimeout(reload, CONNECT_RECHECK_MS);
    return () => clearTimeout(timer);
  }, [connecting, numbers]);
  return (
    <Card title="Phone numbers" level={2}>
      <p class="muted">
        Twilio numbers the receptionist answers. A number can be active in only one clinic.
      </p>
      {numbers.length === 0 ? <EmptyState>No phone number yet.</EmptyState> : (
        <ul class="list">
          {numbers.map((number) => <PhoneNumberRow key={number.id} number={number} {...props} />)}
        </ul>
      )}
      <TwilioSetup />
      {manages && <AddPhoneNumber {...props} />}
    </Card>
  );
}

/** What to paste into each number's configuration in Twilio's console. */
function TwilioSetup() {
  return (
    <div class="setup stack">
      <h3>Set up in Twilio</h3>
      <p class="small">
        In Twilio's console, open each number (Phone Numbers, Active numbers) and set these webhooks
        with HTTP POST:
      </p>
      <CopyValue label="A call comes in" value={functionUrl("twilio-voice")} />
      <CopyValue label="A message comes in" value={functionUrl("twilio-messaging/inbound")} />
    </div>
  );
}

function PhoneNumberRow({ number, channels, manages, reload }: SectionProps & {
  number: PhoneNumber;
}) {
  const uses = [number.voice_enabled && "calls", number.messaging_enabled && "SMS"]
    .filter(Boolean)
    .join(" and ");
  return (
    <li class="stack">
      <div class="row">
        <span>
          <strong>{formatPhone(number.e164)}</strong>
          {number.label && <span>{` · ${number.label}`}</span>}
        </span>
        <StatusBadge status={phoneNumberStatus(number, channels)} />
      </div>
      <div class="muted small">
        {uses ? `Answers ${uses}` : "Answers nothing"} · Twilio account{" "}
        {accountName(channels.twilioAccounts, number.twilio_account_id)}
      </div>
      {number.active && number.voice_enabled && (
        <VoiceConnection number={number} manages={manages} reload={reload} />
      )}
      {number.send_problem && <SendProblem problem={number.send_problem} meta={false} />}
      {manages && (
        <RowActions
          table="phone_numbers"
          id={number.id}
          active={number.active}
          removeLabel="Remove number"
          removeQuestion={`Remove ${formatPhone(number.e164)}?`}
          reload={reload}
        />
      )}
    </li>
  );
}

/** Whether calls to the number reach the assistant (imported into Vapi), and a retry on failure. */
function VoiceConnection({ number, manages, reload }: {
  number: PhoneNumber;
  manages: boolean;
  reload: () => Promise<void>;
}) {
  const action = useAction();
  const state = number.voice_connection;
  function retry() {
    action.run(async () => {
      const { error } = await supabase().rpc("retry_voice_connection", {
        phone_number_id: number.id,
      });
      if (!error) await reload();
      return { error };
    });
  }
  return (
    <div class="stack">
      {state === "connected" && <p class="small">Calls: connected to the assistant ✓</p>}
      {(state === "pending" || state === "disconnected") && (
        <p class="small muted">Calls: connecting to the assistant…</p>
      )}
      {state === "failed" && (
        <Alert tone="error">
          Calls could not be connected to the assistant:{" "}
          {number.voice_connection_error ?? "no reason was given"}.
        </Alert>
      )}
      {manages && state === "failed" && (
        <div class="row start">
          <Button variant="secondary" busy={action.busy.value} onClick={retry}>Retry</Button>
        </div>
      )}
      {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
    </div>
  );
}

function AddPhoneNumber({ organisationId, country, channels, reload }: SectionProps) {
  const accounts = channels.twilioAccounts;
  const chosenAccount = useSignal("");
  const e164 = useSignal("");
  const label = useSignal("");
  const uses = useSignal<string[]>(["voice"]);
  const action = useAction();
  useUnsavedChanges(e164.value.trim() !== "" || label.value.trim() !== "");
  // The chosen account while it exists, else the first one.
  const account = accounts.find((a) => a.id === chosenAccount.value)?.id ?? accounts[0]?.id;

  function submit(event: SubmitEvent) {
    event.preventDefault();
    if (!account) return action.fail("Add a Twilio account first.");
    const number = parsePhone(e164.value, country);
    if (number.e164 === undefined) return action.fail(number.error);
    if (uses.value.length === 0) {
      return action.fail("Choose what the number answers: calls, SMS or both.");
    }
    action.run(async () => {
      const { error } = await supabase().from("phone_numbers").insert({
        organisation_id: organisationId,
        twilio_account_id: account,
        e164: number.e164,
        label: label.value.trim(),
        voice_enabled: uses.value.includes("voice"),
        messaging_enabled: uses.value.includes("messaging"),
      });
      if (error) return { error };
      e164.value = "";
      label.value = "";
      await reload();
      return { error: null, notice: "Phone number added." };
    });
  }

  return (
    <form class="stack subform" onSubmit={submit}>
      <h3>Add a phone number</h3>
      {accounts.length === 0
        ? <p class="muted">Add a Twilio account first: every number belongs to one.</p>
        : (
          <>
            <Select
              label="Twilio account"
              value={account ?? ""}
              choices={accounts.map((a) => ({ value: a.id, label: a.label || a.account_sid }))}
              onChange={(id) => chosenAccount.value = id}
            />
            <Field
              label="Number"
              type="tel"
              value={e164}
              autoComplete="off"
              maxLength={32}
              help={phoneHelp(country)}
            />
            <Field label="Label (optional)" value={label} autoComplete="off" maxLength={80} />
            <CheckboxGroup
              legend="Answers"
              choices={USES}
              selected={uses.value}
              onChange={(selected) => uses.value = selected}
            />
            {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
            {action.notice.value && <Alert tone="success">{action.notice.value}</Alert>}
            <Button type="submit" busy={action.busy.value}>Add phone number</Button>
          </>
        )}
    </form>
  );
}
