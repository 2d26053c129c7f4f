import { useSignal } from "@preact/signals";
import { FunctionsHttpError } from "@supabase/supabase-js";
import { supabase } from "../../supabase.ts";
import { Alert, Button, Card, Field } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";
import { Transcript } from "../calls/CallPage.tsx";

type Line = { role: string; text: string };
type TestCallAnswer = { call_id: string; transcript: Line[]; ended: boolean };

const NO_SANDBOX = "Test calls need the Vapi sandbox, which this installation does not run: " +
  "call your clinic's number instead to hear the assistant.";

/**
 * A pretend call to the clinic's number (through the local Vapi sandbox): an owner types what a
 * caller says and reads what the assistant answers, bookings included, before going live.
 */
export function TestCall({ organisationId }: { organisationId: string }) {
  const said = useSignal("");
  const callId = useSignal<string | null>(null);
  const transcript = useSignal<Line[]>([]);
  const ended = useSignal(false);
  const action = useAction();

  function send(event: SubmitEvent) {
    event.preventDefault();
    const line = said.value.trim();
    if (!line) return action.fail("Type what the caller says.");
    action.run(async () => {
      const { data, error } = await supabase().functions.invoke<TestCallAnswer>("test-call", {
        body: { organisation_id: organisationId, line, call_id: callId.value ?? undefined },
      });
      if (error instanceof FunctionsHttpError) {
        // The function's refusal in its words ("Test calls need the Vapi sandbox…", "Add a voice
        // number…"); a 404 without words is a project with no test-call function at all.
        const response = error.context as Response;
        const body = await response.json().catch(() => null);
        if (typeof body?.message === "string") return { error: { message: body.message } };
        return { error: response.status === 404 ? { message: NO_SANDBOX } : error };
      }
      if (error) return { error };
      said.value = "";
      callId.value = data!.call_id;
      transcript.value = data!.transcript;
      ended.value = data!.ended;
      return { error: null };
    });
  }

  function hangUp() {
    callId.value = null;
    transcript.value = [];
    ended.value = false;
    action.clearMessages();
  }

  return (
    <Card title="Test call" level={2}>
      <p class="muted">
        Type what a caller would say; the assistant answers as on the phone and really books. The
        call then shows under Calls.
      </p>
      {transcript.value.length > 0 && <Transcript lines={transcript.value} />}
      {ended.value && <p class="muted">The call has ended.</p>}
      {!ended.value && (
        <form class="stack" onSubmit={send}>
          <Field
            label="The caller says"
            value={said}
            autoComplete="off"
            maxLength={500}
            placeholder="I'd like to book a check-up tomorrow at 10:30"
          />
          <div class="row start">
            <Button type="submit" busy={action.busy.value}>
              {callId.value ? "Say" : "Call"}
            </Button>
          </div>
        </form>
      )}
      {callId.value && (
        <div class="row start">
          <Button variant="secondary" onClick={hangUp}>New test call</Button>
          <a href="#/calls">Calls</a>
        </div>
      )}
      {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
    </Card>
  );
}
