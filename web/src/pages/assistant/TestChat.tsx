import { useSignal } from "@preact/signals";
import { QueryStatus } from "../../data/QueryStatus.tsx";
import { useQuery } from "../../data/query.ts";
import { useRealtime } from "../../data/realtime.ts";
import { currentOrganisation } from "../../organisations/memberships.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Button, Card, Field } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";
import { fetchMessages, type Message, upsertMessage } from "../inbox/conversations.ts";
import { MessageList } from "../inbox/MessageList.tsx";

/**
 * A WhatsApp chat with the clinic's assistant, through the real pipeline (FAQ, AI, booking tools)
 * as the "Test patient": an owner tries the assistant before connecting a number. Answers arrive
 * live, as in the inbox.
 */
export function TestChat({ organisationId }: { organisationId: string }) {
  const typed = useSignal("");
  const action = useAction();
  const timeZone = currentOrganisation.value!.timezone;
  // The clinic's one test conversation, once the first message has made it.
  const conversationId = useQuery(async () => {
    const { data, error } = await supabase().from("conversations").select("id")
      .eq("organisation_id", organisationId).eq("channel", "test").maybeSingle();
    return error ? { data: null, error } : { data: data?.id ?? null, error: null };
  }, [organisationId]);
  const id = conversationId.data.value;
  const messages = useQuery<Message[]>(
    () => id ? fetchMessages(id) : Promise.resolve({ data: [], error: null }),
    [id],
  );
  useRealtime([{ table: "messages", filter: `organisation_id=eq.${organisationId}` }], {
    onChange: (change) => {
      const row = change.new as Message;
      const shown = messages.data.value;
      if (change.eventType !== "DELETE" && row.conversation_id === id && shown) {
        messages.data.value = upsertMessage(shown, row);
      }
    },
    onLive: messages.reload,
  }, [organisationId, id]);

  function send(event: SubmitEvent) {
    event.preventDefault();
    const body = typed.value.trim();
    if (!body) return action.fail("Type what the patient writes.");
    action.run(async () => {
      const { data, error } = await supabase().rpc("send_test_chat_message", {
        organisation_id: organisationId,
        body,
      });
      if (error) return { error };
      typed.value = "";
      if (data !== id) conversationId.data.value = data as string;
      else await messages.reload();
      return { error: null };
    });
  }

  function startOver() {
    action.run(async () => {
      const { error } = await supabase().rpc("reset_test_chat", {
        organisation_id: organisationId,
      });
      if (error) return { error };
      messages.data.value = [];
      return { error: null, notice: "Started over: the assistant has forgotten this chat." };
    });
  }

  const shown = messages.data.value ?? [];
  return (
    <Card title="Test chat" level={2}>
      <p class="muted">
        Write as a patient on WhatsApp; the assistant answers as it will for real. Bookings made
        here are real appointments (source WhatsApp) for the "Test patient": cancel them afterwards.
      </p>
      <QueryStatus data={messages.data} error={messages.error} />
      {shown.length > 0 && (
        <MessageList
          messages={shown}
          author={(m) => m.author === "patient" ? "Test patient" : "Assistant"}
          timeZone={timeZone}
        />
      )}
      <form class="stack" onSubmit={send}>
        <Field
          label="The patient writes"
          value={typed}
          autoComplete="off"
          maxLength={4096}
          placeholder="Hello, can I book a check-up tomorrow?"
        />
        <div class="row start">
          <Button type="submit" busy={action.busy.value}>Send</Button>
          {shown.length > 0 && (
            <Button variant="secondary" busy={action.busy.value} onClick={startOver}>
              Start over
            </Button>
          )}
        </div>
      </form>
      {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
      {action.notice.value && <Alert tone="success">{action.notice.value}</Alert>}
    </Card>
  );
}
