import { useSignal } from "@preact/signals";
import { canManage, currentMembership } from "../../organisations/memberships.ts";
import { formatDateTime } from "../../format.ts";
import { Alert, Button, Card, Select } from "../../ui/mod.ts";
import { ACTION_FILTERS, describeAction, describeDetails, nameFromDetails } from "./describe.ts";
import { type AuditEntry, useAuditLog } from "./use_audit_log.ts";

/** Who changed or used which channel and credential, and when: for owners and admins only. */
export function AuditLogPage() {
  if (!canManage.value) {
    return (
      <Card title="Audit log">
        <p>Only owners and admins can see the audit log.</p>
        <a href="#/">Go to the start page</a>
      </Card>
    );
  }
  return <AuditLog />;
}

function AuditLog() {
  const { organisation } = currentMembership.value!;
  const prefix = useSignal("");
  const log = useAuditLog(organisation.id, prefix.value);
  const entries = log.entries.value;

  return (
    <Card title="Audit log">
      <p class="muted">
        Every change to{" "}
        {organisation.name}'s channels and credentials, and every time the system used a credential,
        newest first. Times are in {organisation.timezone}.
      </p>
      <Select
        label="Show"
        value={prefix.value}
        choices={ACTION_FILTERS}
        onChange={(value) => prefix.value = value}
      />
      {log.error.value && (
        <>
          <Alert tone="error">The audit log could not be loaded: {log.error.value}</Alert>
          <Button variant="secondary" onClick={entries?.length ? log.older : log.reload}>
            Try again
          </Button>
        </>
      )}
      {entries === undefined
        ? !log.error.value && <p class="muted">Loading…</p>
        : entries.length === 0
        ? <p class="muted">Nothing recorded yet.</p>
        : (
          <ul class="list audit">
            {entries.map((entry) => (
              <AuditRow
                key={entry.id}
                entry={entry}
                timezone={organisation.timezone}
                names={log.names.value}
              />
            ))}
          </ul>
        )}
      {log.more.value && (
        <Button variant="secondary" busy={log.loading.value} onClick={log.older}>Older</Button>
      )}
    </Card>
  );
}

function AuditRow(
  { entry, timezone, names }: { entry: AuditEntry; timezone: string; names: Map<string, string> },
) {
  const target = entry.target_id
    ? names.get(entry.target_id) ?? nameFromDetails(entry.details) ?? entry.target_id
    : null;
  const details = describeDetails(entry.details, names);
  return (
    <li>
      <div class="row">
        <strong>{describeAction(entry.action, entry.target_type)}</strong>
        <time class="muted small" dateTime={entry.created_at}>
          {formatDateTime(entry.created_at, timezone)}
        </time>
      </div>
      <div class="small">
        <code>{entry.action}</code> by <span class="email">{entry.actor_label}</span>
        {target && (
          <>
            {" on "}
            <span class="mono">{target}</span>
          </>
        )}
      </div>
      {details && <div class="muted small details">{details}</div>}
    </li>
  );
}
