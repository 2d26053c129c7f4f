import { formatDateTime } from "../../format.ts";
import { formatPhone } from "../../phone.ts";
import { addressOf, type RouteQuery } from "../../router.ts";
import { CHANNEL_LABELS, type Conversation, patientName, STATUS_LABELS } from "./conversations.ts";

/**
 * One conversation in a list: the patient, channel, status, the last message and when, unread
 * messages, and why it waits for staff; opens its thread (keeping the list's filters).
 */
export function ConversationItem({ conversation, current, query = {}, timeZone }: {
  conversation: Conversation;
  /** The thread shown beside the list. */
  current?: boolean;
  query?: RouteQuery;
  timeZone: string;
}) {
  const unread = conversation.unread_count;
  return (
    <li class={current ? "conversation current" : "conversation"}>
      <div class="row">
        <a
          href={`#${addressOf(`/inbox/${conversation.id}`, query)}`}
          aria-current={current ? "page" : undefined}
        >
          <strong>{patientName(conversation, formatPhone)}</strong>
        </a>
        <span class="row start tight">
          {unread > 0 && (
            <span class="badge badge-count" aria-label={`${unread} unread`}>{unread}</span>
          )}
          <StatusChip status={conversation.status} />
        </span>
      </div>
      {conversation.last_message_preview && (
        <p class="preview">{conversation.last_message_preview}</p>
      )}
      <p class="muted small">
        {CHANNEL_LABELS[conversation.channel]}
        {conversation.contact?.name && ` · ${formatPhone(conversation.contact.phone)}`}
        {conversation.last_message_at &&
          ` · ${formatDateTime(conversation.last_message_at, timeZone)}`}
      </p>
      {conversation.status === "waiting_for_staff" && conversation.attention_reason && (
        <p class="small warning-text">{conversation.attention_reason}</p>
      )}
    </li>
  );
}

export function StatusChip({ status }: { status: Conversation["status"] }) {
  return <span class={`badge conversation-${status}`}>{STATUS_LABELS[status]}</span>;
}
