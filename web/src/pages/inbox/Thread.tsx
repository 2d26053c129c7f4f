import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { QueryStatus } from "../../data/QueryStatus.tsx";
import { type Query, useQuery } from "../../data/query.ts";
import { currentOrganisation } from "../../organisations/memberships.ts";
import { formatPhone } from "../../phone.ts";
import { addressOf, type RouteQuery, useUnsavedChanges } from "../../router.ts";
import { userId } from "../../session.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Button, Card, TextArea } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";
import { ContactPanel } from "./ContactPanel.tsx";
import {
  CHANNEL_LABELS,
  type Conversation,
  CONVERSATION_COLUMNS,
  fetchMessages,
  type Message,
  patientName,
  replyBlocked,
  upsertMessage,
} from "./conversations.ts";
import { StatusChip } from "./ConversationItem.tsx";
import { MessageList } from "./MessageList.tsx";

/** The open conversation and its messages, read and kept live by the inbox page. */
export type ThreadState = {
  conversation: Query<Conversation | null>;
  messages: Query<Message[]>;
  /** Shows a message that arrived or changed (a new delivery status). */
  showMessage: (message: Message) => void;
};

export function useThread(conversationId: string | undefined): ThreadState {
  const conversation = useQuery<Conversation | null>(
    () =>
      conversationId
        ? supabase().from("conversations").select(CONVERSATION_COLUMNS).eq("id", conversationId)
          .maybeSingle().overrideTypes<Conversation | null, { merge: false }>()
        : Promise.resolve({ data: null, error: null }),
    [conversationId],
  );
  const messages = useQuery<Message[]>(
    () =>
      conversationId ? fetchMessages(conversationId) : Promise.resolve({ data: [], error: null }),
    [conversationId],
  );
  function showMessage(message: Message) {
    const shown = messages.data.value;
    if (shown) messages.data.value = upsertMessage(shown, message);
  }
  return { conversation, messages, showMessage };
}

/** Names of the clinic's staff by user id, for "who replied" and "who took over". */
function useStaffNames(organisationId: string) {
  return useQuery(async () => {
    const members = await supabase().from("organisation_members").select("user_id")
      .eq("organisation_id", organisationId);
    if (members.error) return { data: null, error: members.error };
    const profiles = await supabase().from("profiles").select("id, display_name")
      .in("id", members.data.map((m) => m.user_id));
    if (profiles.error) return { data: null, error: profiles.error };
    return {
      data: new Map(profiles.data.map((p) => [p.id, p.display_name || "A colleague"])),
      error: null,
    };
  }, [organisationId]);
}

/**
 * A conversation: its messages with who wrote them and how far each reply got, what staff can do
 * (take over, hand back to the assistant, resolve, reply) and the patient beside it.
 */
export function Thread({ thread, query }: { thread: ThreadState; query: RouteQuery }) {
  const organisation = currentOrganisation.value!;
  const me = userId.value;
  const conversation = thread.conversation.data.value;
  const names = useStaffNames(organisation.id).data.value;
  const action = useAction();

  // Opened or a new message came while open: it has been seen.
  const unread = conversation?.unread_count ?? 0;
  useEffect(() => {
    if (conversation && unread > 0) {
      supabase().rpc("mark_conversation_read", { conversation_id: conversation.id })
        .then(({ error }) => {
          if (error) action.fail(`Could not mark it read: ${error.message}`);
        });
    }
  }, [conversation?.id, unread]);

  const back = <a class="back-link" href={`#${addressOf("/inbox", query)}`}>← All conversations</a>;
  if (thread.conversation.data.value === null) {
    return (
      <Card title="Conversation not found" level={2} wide>
        <p>This conversation is not in {organisation.name}.</p>
        {back}
      </Card>
    );
  }

  function act(rpc: "take_over_conversation" | "hand_back_conversation" | "resolve_conversation") {
    const notices = {
      take_over_conversation: "Taken over: the assistant is silent until handed back.",
      hand_back_conversation: "Handed back: the assistant answers again.",
      resolve_conversation: "Resolved.",
    };
    action.run(async () => {
      const { error } = await supabase().rpc(rpc, { conversation_id: conversation!.id });
      if (error) return { error };
      await thread.conversation.reload();
      return { error: null, notice: notices[rpc] };
    });
  }

  const name = conversation ? patientName(conversation, formatPhone) : "Conversation";
  const who = (message: Message) => {
    if (message.author === "patient") return name;
    if (message.author === "bot") return "Assistant";
    if (message.author_user_id === me) return "You";
    return names?.get(message.author_user_id ?? "") ?? "Staff";
  };
  const status = conversation?.status;
  const assignee = conversation?.assigned_to === me
    ? "you"
    : names?.get(conversation?.assigned_to ?? "") ?? "a colleague";

  return (
    <div class="thread-column stack">
      <Card title={name} level={2} wide>
        {back}
        <QueryStatus data={thread.conversation.data} error={thread.conversation.error} />
        {conversation && (
          <>
            <div class="row start">
              <StatusChip status={conversation.status} />
              <span class="muted small">{CHANNEL_LABELS[conversation.channel]}</span>
              {status === "staff" && conversation.assigned_to && (
                <span class="muted small">Taken over by {assignee}</span>
              )}
            </div>
            {status === "waiting_for_staff" && conversation.attention_reason && (
              <Alert tone="warning">{conversation.attention_reason}</Alert>
            )}
            <div class="row start">
              {status !== "staff" && (
                <Button
                  variant="secondary"
                  busy={action.busy.value}
                  onClick={() => act("take_over_conversation")}
                >
                  Take over
                </Button>
              )}
              {(status === "staff" || status === "waiting_for_staff") && (
                <Button
                  variant="secondary"
                  busy={action.busy.value}
                  onClick={() => act("hand_back_conversation")}
                >
                  Hand back to the assistant
                </Button>
              )}
              {status !== "resolved" && (
                <Button
                  variant="secondary"
                  busy={action.busy.value}
                  onClick={() => act("resolve_conversation")}
                >
                  Resolve
                </Button>
              )}
            </div>
            {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
            {action.notice.value && <Alert tone="success">{action.notice.value}</Alert>}
          </>
        )}
        <QueryStatus data={thread.messages.data} error={thread.messages.error} />
        {thread.messages.data.value && (
          <MessageList
            messages={thread.messages.data.value}
            author={who}
            timeZone={organisation.timezone}
          />
        )}
        {conversation && (
          <ReplyBox
            conversation={conversation}
            onSent={(message) => {
              thread.showMessage(message);
              thread.conversation.reload();
            }}
          />
        )}
      </Card>
      {conversation?.contact && <ContactPanel contact={conversation.contact} />}
    </div>
  );
}

/** The reply box, or why staff cannot reply (the window closed, the patient opted out). */
function ReplyBox({ conversation, onSent }: {
  conversation: Conversation;
  onSent: (message: Message) => void;
}) {
  const body = useSignal("");
  const action = useAction();
  const blocked = replyBlocked(conversation);
  useUnsavedChanges(body.value.trim() !== "");

  function send(event: SubmitEvent) {
    event.preventDefault();
    if (!body.value.trim()) return action.fail("Type a reply first.");
    action.run(async () => {
      const { data, error } = await supabase().rpc("send_staff_reply", {
        conversation_id: conversation.id,
        body: body.value,
      });
      if (error) return { error }; // what was typed stays, to correct or retry
      body.value = "";
      onSent(data as unknown as Message);
      return { error: null };
    });
  }

  return (
    <form class="stack reply" onSubmit={send} aria-label="Reply">
      {blocked && <Alert tone="warning">{blocked}</Alert>}
      <fieldset class="bare" disabled={Boolean(blocked)}>
        <TextArea label="Your reply" value={body} rows={2} maxLength={4096} />
        <div class="row start">
          <Button type="submit" busy={action.busy.value}>Send</Button>
          {conversation.status !== "staff" && !blocked && (
            <span class="muted small">Sending takes the conversation over from the assistant.</span>
          )}
        </div>
      </fieldset>
      {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
    </form>
  );
}
