import { currentMembership } from "../../organisations/memberships.ts";
import { PromptPreview } from "../../receptionist/PromptPreview.tsx";
import { readConfigRows, toReceptionistConfig } from "../../receptionist/rows.ts";
import { localDateOf } from "../../receptionist/shared.ts";
import { useQuery } from "../../data/query.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Button, Card } from "../../ui/mod.ts";

/**
 * The prompt the clinic's assistant receives, from the saved configuration, built by the same
 * code the voice and WhatsApp assistants run: for every member to check, in each language.
 */
export function PromptPreviewPage() {
  const { organisation } = currentMembership.value!;
  const { data, error, reload } = useQuery(() => readConfigRows(supabase(), organisation.id));
  const rows = data.value;
  if (!rows) {
    return (
      <Card title="Prompt preview">
        {error.value
          ? (
            <>
              <Alert tone="error">The configuration could not be loaded: {error.value}</Alert>
              <Button variant="secondary" onClick={reload}>Try again</Button>
            </>
          )
          : <p class="muted">Loading…</p>}
      </Card>
    );
  }
  const today = localDateOf(organisation.timezone, new Date());
  return (
    <>
      {error.value && <Alert tone="error">{error.value}</Alert>}
      <PromptPreview
        level={1}
        config={toReceptionistConfig(organisation, rows, today)}
        note="What the assistant receives at the start of every call and WhatsApp conversation, from the saved settings, active intents, FAQ entries and services, opening hours and upcoming closures. The current date and time are added per conversation."
      />
    </>
  );
}
