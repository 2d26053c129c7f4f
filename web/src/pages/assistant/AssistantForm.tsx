import { useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import type { Organisation } from "../../organisations/memberships.ts";
import { languageLabel } from "../../organisations/choices.ts";
import { AFTER_HOURS, TONES } from "../../receptionist/labels.ts";
import { ASSISTANT_NAME, EXTRA_INSTRUCTIONS, GREETING } from "../../receptionist/limits.ts";
import { PromptPreview } from "../../receptionist/PromptPreview.tsx";
import {
  type AssistantSettingsRow,
  type ConfigRows,
  SETTINGS_COLUMNS,
  toReceptionistConfig,
  type VoiceAgentRow,
} from "../../receptionist/rows.ts";
import { type AfterHoursBehaviour, localDateOf, type Tone } from "../../receptionist/shared.ts";
import {
  TranslationFields,
  translationsOf,
  useTranslations,
} from "../../receptionist/TranslationFields.tsx";
import { countryName, formatPhone, parsePhone } from "../../phone.ts";
import { differs, useUnsavedChanges } from "../../router.ts";
import { supabase } from "../../supabase.ts";
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Field,
  type RadioChoice,
  RadioGroup,
  Select,
  TextArea,
} from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";

type AssistantFormProps = {
  organisation: Organisation;
  rows: ConfigRows;
  /** Reloads the page's rows after a save (the form keeps what it shows). */
  onSaved: () => Promise<void>;
};

/**
 * The assistant's settings in one form with one save: nothing typed is lost when the database
 * refuses something, and the preview beside it shows the prompt as the form stands, unsaved
 * changes included.
 */
export function AssistantForm({ organisation, rows, onSaved }: AssistantFormProps) {
  const saved = rows.settings;
  const name = useSignal(saved.assistant_name);
  const greetings = useTranslations(saved.greetings, organisation.languages);
  const voice = useSignal(saved.voice_agent_id ?? "");
  const tone = useSignal<Tone>(saved.tone);
  const instructions = useSignal(saved.extra_instructions);
  const botEnabled = useSignal(saved.bot_enabled);
  const aiReplies = useSignal(saved.ai_replies_enabled);
  const maxMessages = useSignal(String(saved.max_messages_per_hour));
  const escalationPhone = useSignal(
    saved.escalation_phone ? formatPhone(saved.escalation_phone) : "",
  );
  const afterHours = useSignal<AfterHoursBehaviour>(saved.after_hours);
  const action = useAction();

  /** Everything as typed, to tell unsaved changes from what was last saved. */
  function typed() {
    return [
      name.value,
      translationsOf(greetings),
      voice.value,
      tone.value,
      instructions.value,
      botEnabled.value,
      aiReplies.value,
      maxMessages.value,
      escalationPhone.value,
      afterHours.value,
    ];
  }
  const savedForm = useRef(typed());

  /** The settings as the form stands (numbers as typed: checked on save). */
  function draft(): AssistantSettingsRow {
    const max = Number(maxMessages.value);
    const phone = escalation();
    return {
      assistant_name: name.value.trim(),
      greetings: translationsOf(greetings),
      tone: tone.value,
      extra_instructions: instructions.value.trim(),
      voice_agent_id: voice.value || null,
      bot_enabled: botEnabled.value,
      ai_replies_enabled: aiReplies.value,
      max_messages_per_hour: Number.isInteger(max) ? max : saved.max_messages_per_hour,
      // Until what is typed reads as a number (checked on save), the preview keeps the saved one.
      escalation_phone: phone.error ? saved.escalation_phone : phone.e164,
      after_hours: afterHours.value,
    };
  }

  /** The escalation phone as typed, read in the clinic's country; none when left empty. */
  function escalation(): { e164: string | null; error?: string } {
    if (!escalationPhone.value.trim()) return { e164: null };
    const parsed = parsePhone(escalationPhone.value, organisation.country);
    return parsed.error ? { e164: null, error: parsed.error } : { e164: parsed.e164! };
  }

  function problem(): string | null {
    if (!name.value.trim()) return "Give the assistant a name.";
    const phone = escalation();
    if (phone.error) return `Escalation phone: ${phone.error}`;
    const max = Number(maxMessages.value.trim());
    if (!maxMessages.value.trim() || !Number.isInteger(max) || max < 1 || max > 10000) {
      return "Messages per hour must be a whole number from 1 to 10000.";
    }
    return null;
  }

  function submit(event: SubmitEvent) {
    event.preventDefault();
    const refused = problem();
    if (refused) return action.fail(refused);
    action.run(async () => {
      const { data, error } = await supabase().from("assistant_settings")
        .update(draft())
        .eq("organisation_id", organisation.id)
        .select(SETTINGS_COLUMNS);
      if (error) return { error };
      // Row-level security filters a refused update down to no rows rather than failing it.
      const row = (data as unknown as AssistantSettingsRow[])[0];
      if (!row) {
        return { error: new Error("Only owners and admins can change the assistant's settings.") };
      }
      // Numbers are kept one way (+442079460000): show what was kept, grouped for reading.
      escalationPhone.value = row.escalation_phone ? formatPhone(row.escalation_phone) : "";
      savedForm.current = typed();
      await onSaved();
      return { error: null, notice: "Assistant settings saved." };
    });
  }

  const today = localDateOf(organisation.timezone, new Date());
  const preview = toReceptionistConfig(organisation, { ...rows, settings: draft() }, today);
  useUnsavedChanges(differs(typed(), savedForm.current));
  const transferWithoutPhone = afterHours.value === "transfer" && !escalationPhone.value.trim();

  return (
    <>
      <Card title="Assistant">
        <p class="muted">
          How{" "}
          {organisation.name}'s receptionist introduces itself and behaves on the phone and on
          WhatsApp.
        </p>
        <form class="stack" onSubmit={submit} noValidate>
          <h2>Introduction</h2>
          <Field label="Assistant's name" value={name} required maxLength={ASSISTANT_NAME} />
          <TranslationFields
            label="Greeting"
            texts={greetings}
            saved={saved.greetings}
            maxLength={GREETING}
            help="The first thing callers hear. Left empty, a standard greeting with the assistant's and clinic's names is used."
          />
          <VoicePicker
            voices={rows.voices}
            languages={organisation.languages}
            value={voice.value}
            onChange={(id) => voice.value = id}
          />

          <h2>Manner</h2>
          <Select
            label="Tone"
            value={tone.value}
            choices={TONES}
            onChange={(value) => tone.value = value as Tone}
          />
          <TextArea
            label="Extra instructions"
            value={instructions}
            rows={5}
            maxLength={EXTRA_INSTRUCTIONS}
            help="Anything the assistant should know or do that the other pages do not cover, in plain words."
          />

          <h2>Behaviour</h2>
          <Checkbox
            label="The assistant answers calls and messages"
            checked={botEnabled}
            help="Off: it stays silent and your staff handle everything."
          />
          <Checkbox
            label="AI replies on WhatsApp"
            checked={aiReplies}
            help="Off: only FAQ answers and canned replies are sent; anything else waits for staff."
          />
          <Field
            label="Messages per hour, at most"
            type="number"
            value={maxMessages}
            min={1}
            max={10000}
            help="A cap on the assistant's WhatsApp replies across all conversations, against floods and loops."
          />
          <Field
            label="Escalation phone (optional)"
            type="tel"
            value={escalationPhone}
            autoComplete="off"
            maxLength={32}
            help={`Where calls are transferred to a person: a number in ${
              countryName(organisation.country)
            } as you would dial it there, or another with + and its country code.`}
          />
          <RadioGroup
            legend="Outside opening hours"
            name="after-hours"
            value={afterHours.value}
            choices={AFTER_HOURS}
            onChange={(value) => afterHours.value = value as AfterHoursBehaviour}
          />
          {transferWithoutPhone && (
            <Alert tone="warning">
              Without an escalation phone there is nobody to transfer to: the assistant takes a
              message instead.
            </Alert>
          )}
          {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
          {action.notice.value && <Alert tone="success">{action.notice.value}</Alert>}
          <Button type="submit" busy={action.busy.value}>Save assistant settings</Button>
        </form>
      </Card>
      <PromptPreview
        config={preview}
        folded
        note="Built from the form as it stands, unsaved changes included, with the clinic's intents, FAQ, hours, upcoming closures and services."
      />
    </>
  );
}

type VoicePickerProps = {
  voices: VoiceAgentRow[];
  languages: readonly string[];
  value: string;
  onChange: (id: string) => void;
};

/** The shared catalog's voices, each with its languages and sample greeting. */
function VoicePicker({ voices, languages, value, onChange }: VoicePickerProps) {
  const choices: RadioChoice[] = [
    { value: "", label: "No particular voice", details: "The voice provider's default voice." },
    ...voices.map((voice) => {
      const missing = languages.filter((lang) => !voice.languages.includes(lang));
      return {
        value: voice.id,
        label: voice.display_name,
        details: (
          <>
            Speaks {voice.languages.map(languageLabel).join(", ")}.
            {missing.length > 0 && (
              <strong class="warning-text">
                {` Does not speak ${missing.map(languageLabel).join(", ")}.`}
              </strong>
            )}
            <q class="sample">{voice.sample_greeting}</q>
          </>
        ),
      };
    }),
  ];
  // A voice no longer in the catalog stays chosen until someone picks another.
  if (value && !voices.some((voice) => voice.id === value)) {
    choices.push({ value, label: value, details: "No longer offered in the catalog." });
  }
  return (
    <RadioGroup
      legend="Voice on the phone"
      name="voice"
      value={value}
      choices={choices}
      onChange={onChange}
    />
  );
}
