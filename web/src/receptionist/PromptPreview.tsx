import { useSignal } from "@preact/signals";
import { formatCount } from "../format.ts";
import { languageLabel } from "../organisations/choices.ts";
import { Alert, Card, Select } from "../ui/mod.ts";
import { buildPrompt, type BuiltPrompt, type Channel, type ReceptionistConfig } from "./shared.ts";

const CHANNELS: { value: Channel; label: string }[] = [
  { value: "voice", label: "Phone call" },
  { value: "whatsapp", label: "WhatsApp" },
];

type PromptPreviewProps = {
  config: ReceptionistConfig;
  /** What the preview is built from, under the title. */
  note: string;
  /** The instructions folded away behind a summary (beside a form, where space is short). */
  folded?: boolean;
  level?: 1 | 2;
};

/**
 * What the assistant receives at the start of a call or conversation, built by the same prompt
 * builder the voice and WhatsApp assistants run, in a language and for a channel of your choice.
 */
export function PromptPreview({ config, note, folded = false, level = 2 }: PromptPreviewProps) {
  const { languages, defaultLanguage } = config.organisation;
  const chosenLanguage = useSignal(defaultLanguage);
  const channel = useSignal<Channel>("voice");
  const language = languages.includes(chosenLanguage.value)
    ? chosenLanguage.value
    : defaultLanguage;

  let prompt: BuiltPrompt | null = null;
  let failure: string | null = null;
  try {
    prompt = buildPrompt(config, language, { channel: channel.value });
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }

  return (
    <Card title="Prompt preview" level={level}>
      <p class="muted small">{note}</p>
      <div class="pickers">
        <Select
          label="Language"
          value={language}
          choices={languages.map((code) => ({ value: code, label: languageLabel(code) }))}
          onChange={(code) => chosenLanguage.value = code}
        />
        <Select
          label="Channel"
          value={channel.value}
          choices={CHANNELS}
          onChange={(value) => channel.value = value as Channel}
        />
      </div>
      {failure && <Alert tone="error">The prompt could not be built: {failure}</Alert>}
      {prompt && <BuiltPromptView prompt={prompt} folded={folded} />}
    </Card>
  );
}

function BuiltPromptView({ prompt, folded }: { prompt: BuiltPrompt; folded: boolean }) {
  const size = `${formatCount(prompt.sizeChars)} characters`;
  const instructions = (
    <pre class="prompt" tabIndex={0} aria-label="Instructions">{prompt.instructions}</pre>
  );
  return (
    <>
      <div class="stack-tight">
        <h3>First message</h3>
        <p class="first-message" aria-label="First message">{prompt.firstMessage}</p>
      </div>
      <dl class="facts small">
        <dt>Answers in</dt>
        <dd>{languageLabel(prompt.language)}</dd>
        <dt>Size</dt>
        <dd>{size}</dd>
        <dt>FAQ</dt>
        <dd>
          {prompt.faqIncluded} included
          {prompt.faqOmitted > 0 &&
            `, ${prompt.faqOmitted} left out for size (the assistant looks them up when asked)`}
        </dd>
      </dl>
      {folded
        ? (
          <details>
            <summary>Instructions ({size})</summary>
            {instructions}
          </details>
        )
        : (
          <div class="stack-tight">
            <h3>Instructions</h3>
            {instructions}
          </div>
        )}
    </>
  );
}
