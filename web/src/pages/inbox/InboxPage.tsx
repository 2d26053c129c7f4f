import { usePagedList } from "../../data/paged_list.ts";
import { QueryStatus } from "../../data/QueryStatus.tsx";
import { useRealtime } from "../../data/realtime.ts";
import { currentOrganisation } from "../../organisations/memberships.ts";
import { addressOf, navigate } from "../../router.ts";
import type { PageProps } from "../../routes.ts";
import { userId } from "../../session.ts";
import { Button, Card, EmptyState, Select } from "../../ui/mod.ts";
import {
  type Conversation,
  fetchConversations,
  type InboxFilters,
  inboxFilters,
  type Message,
  SHOW_CHOICES,
} from "./conversations.ts";
import { ConversationItem } from "./ConversationItem.tsx";
import { Thread, useThread } from "./Thread.tsx";

const PAGE_SIZE = 30;

/**
 * WhatsApp and SMS conversations with patients: the list (filtered by the address) beside the open
 * thread (`#/inbox/<id>`); on a phone one or the other. Both follow changes live.
 */
export function InboxPage({ params, query }: PageProps) {
  const organisation = currentOrganisation.value!;
  const me = userId.value!;
  const filters = inboxFilters(query);
  const openId = params.conversationId;
  const list = usePagedList<Conversation>({
    pageSize: PAGE_SIZE,
    key: (conversation) => conversation.id,
    fetchPage: (after, limit) => fetchConversations(organisation.id, me, filters, after, limit),
  }, [organisation.id, filters.show, filters.unread, filters.channel]);
  const thread = useThread(openId);

  // One subscription for the page: a changed conversation re-reads the list (its order, filters
  // and badges) and the open thread; a message of the open thread is shown as it comes.
  const filter = `organisation_id=eq.${organisation.id}`;
  useRealtime([{ table: "conversations", filter }, { table: "messages", filter }], {
    onChange: (change) => {
      const row = (change.eventType === "DELETE" ? change.old : change.new) as Partial<Message>;
      if (change.table === "conversations") {
        list.reload();
        if (row.id === openId) thread.conversation.reload();
      } else if (row.conversation_id === openId && change.eventType !== "DELETE") {
        thread.showMessage(change.new as Message);
      }
    },
    onLive: () => {
      list.reload();
      if (openId) {
        thread.conversation.reload();
        thread.messages.reload();
      }
    },
  }, [organisation.id, openId]);

  const filtered = Boolean(filters.show || filters.unread || filters.channel);
  const rows = list.rows.value;
  return (
    <div class="inbox wide" data-open={openId ? "" : undefined}>
      <Card title="Inbox" wide>
        <Filters filters={filters} />
        <QueryStatus data={list.rows} error={list.error} />
        {rows?.length === 0 && (
          <EmptyState action={filtered ? <a href="#/inbox">All conversations</a> : undefined}>
            {filtered
              ? "No conversation matches these filters."
              : "No conversations yet: they appear here when patients message the clinic on WhatsApp or by text."}
          </EmptyState>
        )}
        {rows && rows.length > 0 && (
          <ul class="list conversations" aria-label="Conversations">
            {rows.map((conversation) => (
              <ConversationItem
                key={conversation.id}
                conversation={conversation}
                current={conversation.id === openId}
                query={query}
                timeZone={organisation.timezone}
              />
            ))}
          </ul>
        )}
        {list.hasMore.value && (
          <Button variant="secondary" busy={list.loading.value} onClick={list.loadMore}>
            Show more
          </Button>
        )}
      </Card>
      {/* Keyed: a reply typed for one patient never stays in the box for another. */}
      {openId && <Thread key={openId} thread={thread} query={query} />}
    </div>
  );
}

/** The filters; each change is a new address, so a filtered list can be linked to and reloaded. */
function Filters({ filters }: { filters: InboxFilters }) {
  const go = (change: Partial<Record<keyof InboxFilters, string>>) => {
    const query = {
      show: filters.show,
      unread: filters.unread ? "1" : undefined,
      channel: filters.channel,
      ...change,
    };
    navigate(addressOf("/inbox", query));
  };
  return (
    <div class="row start filters" role="group" aria-label="Filter conversations">
      <Select
        label="Show"
        value={filters.show ?? ""}
        choices={SHOW_CHOICES}
        onChange={(show) => go({ show: show || undefined })}
      />
      <Select
        label="Channel"
        value={filters.channel ?? ""}
        choices={[
          { value: "", label: "WhatsApp and SMS" },
          { value: "whatsapp", label: "WhatsApp" },
          { value: "sms", label: "SMS" },
        ]}
        onChange={(channel) => go({ channel: channel || undefined })}
      />
      <label class="check">
        <input
          type="checkbox"
          checked={Boolean(filters.unread)}
          onChange={(event) => go({ unread: event.currentTarget.checked ? "1" : undefined })}
        />
        <span>Unread only</span>
      </label>
    </div>
  );
}
