import { canManage, currentMembership } from "../../organisations/memberships.ts";
import { formatDateTime } from "../../format.ts";
import { addressOf, navigate } from "../../router.ts";
import type { PageProps } from "../../routes.ts";
import { Alert, Button, Card, EmptyState, Select } from "../../ui/mod.ts";
import {
  ACTION_FILTERS,
  type AuditEntry,
  describeDetails,
  describeEntry,
  type Names,
} from "./describe.ts";
import { useAuditLog } from "./use_audit_log.ts";

/**
 * Who changed what and when, in words: the team, the clinic's configuration, channels and
 * credentials (and every time the system used a credential). For owners and admins only.
 */
export function AuditLogPage({ query }: PageProps) {
  if (!canManage.value) {
    return (
      <Card title="Audit log">
        <p>Only owners and admins can see the audit log.</p>
        <a href="#/">Go to the start page</a>
      </Card>
    );
  }
  // An unknown filter in the address shows everything.
  const filter = ACTION_FILTERS.find((f) => f.show === query.show) ?? ACTION_FILTERS[0];
  return <AuditLog filter={filter} />;
}

function AuditLog({ filter }: { filter: typeof ACTION_FILTERS[number] }) {
  const { organisation } = currentMembership.value!;
  const { entries: log, names } = useAuditLog(organisation.id, filter.value);
  const entries = log.rows.value;

  return (
    <Card title="Audit log" wide>
      <p class="muted">
        Every change to{" "}
        {organisation.name}'s team, settings, assistant, hours, services, channels and credentials,
        and every time the system used a credential, newest first. Times are in{" "}
        {organisation.timezone}.
      </p>
      <Select
        label="Show"
        value={filter.show}
        choices={ACTION_FILTERS.map(({ show, label }) => ({ value: show, label }))}
        // In the address: a filtered log can be reloaded, bookmarked and gone back from.
        onChange={(show) => navigate(addressOf("/audit", { show: show || undefined }))}
      />
      {log.error.value && (
        <>
          <Alert tone="error">The audit log could not be loaded: {log.error.value}</Alert>
          <Button variant="secondary" onClick={entries?.length ? log.loadMore : log.reload}>
            Try again
          </Button>
        </>
      )}
      {entries === undefined
        ? !log.error.value && <p class="muted">Loading…</p>
        : entries.length === 0
        ? <EmptyState>Nothing recorded yet.</EmptyState>
        : (
          <ul class="list audit">
            {entries.map((entry) => (
              <AuditRow
                key={entry.id}
                entry={entry}
                timezone={organisation.timezone}
                names={names.data.value ?? NO_NAMES}
              />
            ))}
          </ul>
        )}
      {log.hasMore.value && (
        <Button variant="secondary" busy={log.loading.value} onClick={log.loadMore}>Older</Button>
      )}
    </Card>
  );
}

const NO_NAMES: Names = { people: new Map(), channels: new Map() };

function AuditRow(
  { entry, timezone, names }: { entry: AuditEntry; timezone: string; names: Names },
) {
  const details = describeDetails(entry, names);
  return (
    <li>
      <div class="row">
        <strong>{describeEntry(entry, names)}</strong>
        <time class="muted small" dateTime={entry.created_at}>
          {formatDateTime(entry.created_at, timezone)}
        </time>
      </div>
      {details && <div class="muted small details">{details}</div>}
    </li>
  );
}
