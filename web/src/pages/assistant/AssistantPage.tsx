import { Fragment } from "preact";
import type { Organisation } from "../../organisations/memberships.ts";
import { QueryStatus } from "../../data/QueryStatus.tsx";
import { useQuery } from "../../data/query.ts";
import { canManage, currentMembership } from "../../organisations/memberships.ts";
import { languageLabel } from "../../organisations/choices.ts";
import { AFTER_HOURS, labelOf, READ_ONLY_NOTE, TONES } from "../../receptionist/labels.ts";
import { type ConfigRows, readConfigRows } from "../../receptionist/rows.ts";
import { formatPhone } from "../../phone.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Card } from "../../ui/mod.ts";
import { AssistantForm } from "./AssistantForm.tsx";
import { TestCall } from "./TestCall.tsx";
import { TestChat } from "./TestChat.tsx";

/**
 * How the clinic's assistant presents itself and behaves: its name, greetings, voice, tone and
 * rules. Owners and admins edit them beside a live preview of the prompt; members read them.
 */
export function AssistantPage() {
  const { organisation } = currentMembership.value!;
  const manages = canManage.value;
  const { data, error, reload } = useQuery(() => readConfigRows(supabase(), organisation.id));
  const rows = data.value;

  if (rows && manages) {
    return (
      <>
        {error.value && <Alert tone="error">{error.value}</Alert>}
        <AssistantForm organisation={organisation} rows={rows} onSaved={reload} />
        <TestChat organisationId={organisation.id} />
        <TestCall organisationId={organisation.id} />
      </>
    );
  }
  return (
    <Card title="Assistant">
      <p class="muted">
        How{" "}
        {organisation.name}'s receptionist introduces itself and behaves on the phone and on
        WhatsApp. {!manages && READ_ONLY_NOTE}
      </p>
      <QueryStatus data={data} error={error} />
      {rows && <AssistantFacts organisation={organisation} rows={rows} />}
    </Card>
  );
}

/** The settings as text, for members. */
function AssistantFacts({ organisation, rows }: { organisation: Organisation; rows: ConfigRows }) {
  const { settings } = rows;
  const voice = rows.voices.find((v) => v.id === settings.voice_agent_id);
  const onOff = (on: boolean) => on ? "On" : "Off";
  return (
    <>
      <dl class="facts">
        <dt>Name</dt>
        <dd>{settings.assistant_name}</dd>
        <dt>Tone</dt>
        <dd>{labelOf(TONES, settings.tone)}</dd>
        <dt>Voice</dt>
        <dd>
          {voice
            ? (
              <>
                {voice.display_name}
                <span class="muted small block">"{voice.sample_greeting}"</span>
              </>
            )
            : "The provider's default"}
        </dd>
        <dt>Answers calls and messages</dt>
        <dd>{onOff(settings.bot_enabled)}</dd>
        <dt>AI replies on WhatsApp</dt>
        <dd>{onOff(settings.ai_replies_enabled)}</dd>
        <dt>Messages per hour, at most</dt>
        <dd>{settings.max_messages_per_hour}</dd>
        <dt>Escalation phone</dt>
        <dd>{settings.escalation_phone ? formatPhone(settings.escalation_phone) : "—"}</dd>
        <dt>Outside opening hours</dt>
        <dd>{labelOf(AFTER_HOURS, settings.after_hours)}</dd>
      </dl>
      <h2>Greetings</h2>
      <dl class="facts">
        {organisation.languages.map((lang) => (
          <Fragment key={lang}>
            <dt>{languageLabel(lang)}</dt>
            <dd>
              {settings.greetings[lang] ?? (
                <span class="muted">None: a standard greeting is used</span>
              )}
            </dd>
          </Fragment>
        ))}
      </dl>
      <h2>Extra instructions</h2>
      {settings.extra_instructions
        ? <p class="prewrap">{settings.extra_instructions}</p>
        : <p class="muted">None.</p>}
      <p>
        <a href="#/assistant/preview">See the prompt the assistant receives</a>
      </p>
    </>
  );
}
