import { useSignal } from "@preact/signals";
import { usePagedList } from "../../data/paged_list.ts";
import { QueryStatus } from "../../data/QueryStatus.tsx";
import { currentOrganisation } from "../../organisations/memberships.ts";
import { parsePhone } from "../../phone.ts";
import { addressOf, navigate } from "../../router.ts";
import type { PageProps } from "../../routes.ts";
import { Button, Card, EmptyState, Select } from "../../ui/mod.ts";
import { rangeOf } from "../appointments/agenda.ts";
import { CallbackTasks } from "./CallbackTasks.tsx";
import { CallItem } from "./CallItem.tsx";
import {
  type Call,
  type CallFilters,
  callFilters,
  fetchCalls,
  OUTCOMES,
  STATUSES,
} from "./calls.ts";

const PAGE_SIZE = 25;

/** The clinic's phone calls, newest first, filtered by the address; and the callbacks to make. */
export function CallsPage({ query }: PageProps) {
  const organisation = currentOrganisation.value!;
  const filters = callFilters(query);
  const range = filters.date ? rangeOf([filters.date], organisation.timezone) : undefined;
  const calls = usePagedList<Call>({
    pageSize: PAGE_SIZE,
    key: (call) => call.id,
    fetchPage: (after, limit) => fetchCalls(organisation.id, filters, range, after, limit),
  }, [filters.date, filters.outcome, filters.status, filters.caller]);
  const filtered = Object.values(filters).some(Boolean);
  return (
    <>
      <Card title="Calls" wide>
        <Filters filters={filters} country={organisation.country} />
        <QueryStatus data={calls.rows} error={calls.error} />
        {calls.rows.value?.length === 0 && (
          <EmptyState action={filtered ? <a href="#/calls">All calls</a> : undefined}>
            {filtered
              ? "No call matches these filters."
              : "No calls yet: they appear here as the assistant answers your number."}
          </EmptyState>
        )}
        {calls.rows.value && calls.rows.value.length > 0 && (
          <ul class="list" aria-label="Calls">
            {calls.rows.value.map((call) => (
              <CallItem key={call.id} call={call} timeZone={organisation.timezone} />
            ))}
          </ul>
        )}
        {calls.hasMore.value && (
          <Button variant="secondary" busy={calls.loading.value} onClick={calls.loadMore}>
            Show more
          </Button>
        )}
      </Card>
      <CallbackTasks organisationId={organisation.id} />
    </>
  );
}

/** The filters; each change is a new address, so a filtered list can be linked to and reloaded. */
function Filters({ filters, country }: { filters: CallFilters; country: string }) {
  const caller = useSignal(filters.caller ?? "");
  const go = (change: Partial<Record<keyof CallFilters, string>>) =>
    navigate(addressOf("/calls", { ...filters, ...change }));
  return (
    <form
      class="row start filters"
      aria-label="Filter calls"
      onSubmit={(event) => {
        event.preventDefault();
        // A number typed as dialled nationally ("07700 900101") is looked for in E.164.
        const typed = caller.value.trim();
        const digits = (parsePhone(typed, country).e164 ?? typed).replace(/\D/g, "");
        go({ caller: digits || undefined });
      }}
    >
      <div class="field">
        <label for="calls-date">Day</label>
        <input
          id="calls-date"
          type="date"
          value={filters.date ?? ""}
          onChange={(event) => go({ date: event.currentTarget.value || undefined })}
        />
      </div>
      <Select
        label="Outcome"
        value={filters.outcome ?? ""}
        choices={[{ value: "", label: "Any outcome" }, ...OUTCOMES]}
        onChange={(outcome) => go({ outcome: outcome || undefined })}
      />
      <Select
        label="Status"
        value={filters.status ?? ""}
        choices={[{ value: "", label: "Any status" }, ...STATUSES]}
        onChange={(status) => go({ status: status || undefined })}
      />
      <div class="field">
        <label for="calls-caller">Caller's number</label>
        <input
          id="calls-caller"
          type="search"
          inputMode="tel"
          autoComplete="off"
          value={caller.value}
          onInput={(event) => caller.value = event.currentTarget.value}
        />
      </div>
      <Button type="submit" variant="secondary">Filter</Button>
    </form>
  );
}
