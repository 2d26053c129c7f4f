import { useEffect, useRef } from "preact/hooks";
import { formatDateTime } from "../../format.ts";
import { EmptyState } from "../../ui/mod.ts";
import { DELIVERY_TICKS, describeContent, mediaUrl, type Message } from "./conversations.ts";

/**
 * A conversation's messages in time order, the patient's on one side and the clinic's on the
 * other: who wrote each and when, what a photo, location or reaction held, and how far each of
 * the clinic's messages got (◷ sending, ✓ sent, ✓✓ delivered, blue ✓✓ read, ✕ failed and why).
 * Scrolls to the newest as messages arrive.
 */
export function MessageList({ messages, author, timeZone }: {
  messages: Message[];
  author: (message: Message) => string;
  timeZone: string;
}) {
  const end = useRef<HTMLLIElement>(null);
  const newest = messages.at(-1)?.id;
  useEffect(() => {
    end.current?.scrollIntoView({ block: "nearest" });
  }, [newest]);

  if (messages.length === 0) return <EmptyState>No messages yet.</EmptyState>;
  return (
    <ol class="messages" aria-label="Messages">
      {messages.map((message) => {
        const content = describeContent(message.kind, message.details);
        const url = mediaUrl(message.details);
        return (
          <li
            key={message.id}
            ref={message.id === newest ? end : undefined}
            class={`message ${message.direction} author-${message.author}`}
          >
            <p class="small message-meta">
              <strong>{author(message)}</strong> · {formatDateTime(message.created_at, timeZone)}
            </p>
            {content && (
              <p class={message.kind === "unsupported" ? "small warning-text" : "small muted"}>
                {url ? <a href={url} target="_blank" rel="noopener">{content}</a> : content}
              </p>
            )}
            {message.body && <p class="prewrap">{message.body}</p>}
            {message.direction === "outbound" && message.delivery && <Delivery message={message} />}
          </li>
        );
      })}
    </ol>
  );
}

function Delivery({ message }: { message: Message }) {
  const { tick, label } = DELIVERY_TICKS[message.delivery!];
  const failed = message.delivery === "failed";
  const why = failed
    ? message.error_message ?? (message.error_code ? `Error ${message.error_code}` : null)
    : null;
  return (
    <p class={`small delivery delivery-${message.delivery}`}>
      <span role="img" aria-label={label} title={label}>{tick}</span>
      {failed && <span>{` Not delivered${why ? `: ${why}` : ""}`}</span>}
    </p>
  );
}
