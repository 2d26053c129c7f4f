import { type Signal, useSignal } from "@preact/signals";
import { addRow, changeRow, mutate } from "../../data/mutate.ts";
import { QueryStatus } from "../../data/QueryStatus.tsx";
import { readAll, useQuery } from "../../data/query.ts";
import { formatDays } from "../../format.ts";
import { canManage, currentOrganisation } from "../../organisations/memberships.ts";
import { READ_ONLY_NOTE, WEEKDAYS } from "../../receptionist/labels.ts";
import { hhmm, readRows, SERVICE_COLUMNS, type ServiceRow } from "../../receptionist/rows.ts";
import { describeWeek, type Weekday } from "../../receptionist/shared.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Button, Card, CheckboxGroup, EmptyState, Field, Select } from "../../ui/mod.ts";
import { toast } from "../../ui/toast.ts";
import { useAction } from "../../use_action.ts";
import { type Practitioner, readPractitioners } from "../appointments/booking.ts";

type Hours = {
  id: string;
  practitioner_id: string;
  weekday: number;
  opens: string;
  closes: string;
};
type TimeOff = {
  id: string;
  practitioner_id: string;
  starts_on: string;
  ends_on: string;
  reason: string | null;
};
type Setup = {
  practitioners: Practitioner[];
  services: ServiceRow[];
  links: { practitioner_id: string; service_id: string }[];
  hours: Hours[];
  timeOff: TimeOff[];
};

function readSetup(organisationId: string) {
  return readAll<Setup>({
    practitioners: readPractitioners(organisationId, true),
    services: readRows<ServiceRow>(supabase(), "services", SERVICE_COLUMNS, organisationId),
    links: supabase().from("practitioner_services").select("practitioner_id, service_id")
      .eq("organisation_id", organisationId),
    hours: supabase().from("practitioner_hours")
      .select("id, practitioner_id, weekday, opens, closes").eq("organisation_id", organisationId),
    timeOff: supabase().from("closures").select("id, practitioner_id, starts_on, ends_on, reason")
      .eq("organisation_id", organisationId).not("practitioner_id", "is", null)
      .order("starts_on").overrideTypes<TimeOff[], { merge: false }>(),
  });
}

/**
 * Who can be booked: each practitioner's name, the services they perform, their own weekly hours
 * (else the clinic's) and time off. Owners and admins change them; members see them.
 */
export function PractitionersPage() {
  const organisation = currentOrganisation.value!;
  const manages = canManage.value;
  const { data, error, reload } = useQuery(() => readSetup(organisation.id));
  const name = useSignal("");
  const add = useAction();
  const setup = data.value;

  function addPractitioner(event: SubmitEvent) {
    event.preventDefault();
    const trimmed = name.value.trim();
    if (!trimmed) return add.fail("Enter the practitioner's name.");
    add.run(async () => {
      const { error } = await addRow("practitioners", organisation.id, {
        display_name: trimmed,
        position: setup?.practitioners.length ?? 0,
      });
      if (error) return { error };
      name.value = "";
      toast(`${trimmed} added: tick the services they perform.`);
      await reload();
      return { error: null };
    });
  }

  return (
    <>
      <Card title="Practitioners" wide>
        <p class="muted">
          Who patients can be booked with at{" "}
          {organisation.name}. Without hours of their own, a practitioner works the clinic's opening
          hours. {!manages && READ_ONLY_NOTE}
        </p>
        <QueryStatus data={data} error={error} />
        {setup?.practitioners.length === 0 && <EmptyState>No practitioners yet.</EmptyState>}
        {setup && (
          <ul class="list">
            {setup.practitioners.map((practitioner) => (
              <PractitionerItem
                key={practitioner.id}
                practitioner={practitioner}
                setup={setup}
                shown={data}
                manages={manages}
                reload={reload}
              />
            ))}
          </ul>
        )}
      </Card>
      {manages && (
        <Card title="Add a practitioner" level={2}>
          <form class="inline-add" onSubmit={addPractitioner} noValidate>
            <Field label="Name" value={name} maxLength={120} />
            <Button type="submit" busy={add.busy.value}>Add practitioner</Button>
          </form>
          {add.error.value && <Alert tone="error">{add.error.value}</Alert>}
        </Card>
      )}
    </>
  );
}

function PractitionerItem({ practitioner, setup, shown, manages, reload }: {
  practitioner: Practitioner;
  setup: Setup;
  /** The page's data, changed at once when services are ticked (put back if refused). */
  shown: Signal<Setup | undefined>;
  manages: boolean;
  reload: () => Promise<void>;
}) {
  const action = useAction();
  const renaming = useSignal(false);
  const name = useSignal(practitioner.display_name);
  const weekday = useSignal("1");
  const opens = useSignal("09:00");
  const closes = useSignal("17:00");
  const offFrom = useSignal("");
  const offTo = useSignal("");
  const offReason = useSignal("");
  const performs = setup.links.filter((l) => l.practitioner_id === practitioner.id)
    .map((l) => l.service_id);
  const hours = setup.hours.filter((h) => h.practitioner_id === practitioner.id)
    .sort((a, b) => a.weekday - b.weekday || a.opens.localeCompare(b.opens));
  const timeOff = setup.timeOff.filter((c) => c.practitioner_id === practitioner.id);
  const who = practitioner.display_name;

  /** Runs a change and shows the list as saved; a refusal stays beside this practitioner. */
  function change(request: () => PromiseLike<{ error: unknown }>, done?: string) {
    return action.run(async () => {
      const { error } = await request();
      if (error) return { error };
      if (done) toast(done);
      await reload();
      return { error: null };
    });
  }

  function setServices(selected: string[]) {
    const added = selected.filter((id) => !performs.includes(id));
    const removed = performs.filter((id) => !selected.includes(id));
    const mine = (link: { practitioner_id: string }) => link.practitioner_id === practitioner.id;
    const links = selected.map((service_id) => ({ practitioner_id: practitioner.id, service_id }));
    action.run(() =>
      mutate(
        shown,
        (now) => ({ ...now, links: [...now.links.filter((l) => !mine(l)), ...links] }),
        async () => {
          if (added.length) {
            const { error } = await supabase().from("practitioner_services").insert(
              added.map((service_id) => ({
                organisation_id: currentOrganisation.value!.id,
                practitioner_id: practitioner.id,
                service_id,
              })),
            );
            if (error) return { error };
          }
          if (removed.length) {
            return await supabase().from("practitioner_services").delete()
              .eq("practitioner_id", practitioner.id).in("service_id", removed);
          }
          return { error: null };
        },
      )
    );
  }

  return (
    <li aria-label={who}>
      <div class="row">
        {renaming.value
          ? (
            <form
              class="inline-add"
              onSubmit={(event) => {
                event.preventDefault();
                const trimmed = name.value.trim();
                if (!trimmed) return action.fail("Enter the practitioner's name.");
                change(() => changeRow("practitioners", practitioner.id, { display_name: trimmed }))
                  .then((ok) => renaming.value = !ok);
              }}
            >
              <Field label="Name" value={name} maxLength={120} />
              <Button type="submit" busy={action.busy.value}>Save name</Button>
            </form>
          )
          : <strong>{who}</strong>}
        {!practitioner.active && <span class="badge badge-warning">Inactive</span>}
      </div>
      {manages && !renaming.value && (
        <div class="row start">
          <Button variant="secondary" onClick={() => renaming.value = true}>Rename</Button>
          <Button
            variant="secondary"
            busy={action.busy.value}
            onClick={() =>
              change(
                () => changeRow("practitioners", practitioner.id, { active: !practitioner.active }),
                practitioner.active
                  ? `${who} deactivated: no new bookings with them.`
                  : `${who} activated.`,
              )}
          >
            {practitioner.active ? "Deactivate" : "Activate"}
          </Button>
        </div>
      )}
      {manages
        ? (
          <CheckboxGroup
            legend={`Services ${who} performs`}
            choices={setup.services.map((s) => ({ value: s.id, label: s.name }))}
            selected={performs}
            onChange={setServices}
          />
        )
        : (
          <p class="small">
            Performs:{" "}
            {setup.services.filter((s) => performs.includes(s.id)).map((s) => s.name).join(", ") ||
              "nothing yet"}
          </p>
        )}
      <p class="small">
        Hours: {hours.length
          ? describeWeek(
            hours.map((h) => ({
              weekday: h.weekday as Weekday,
              opens: hhmm(h.opens),
              closes: hhmm(h.closes),
            })),
            "en",
          )
          : "the clinic's opening hours"}
      </p>
      {manages && (
        <Intervals
          label={`${who}'s hours`}
          items={hours.map((h) => ({
            id: h.id,
            text: `${WEEKDAYS[h.weekday - 1]} ${hhmm(h.opens)}–${hhmm(h.closes)}`,
          }))}
          onRemove={(id) => change(() => changeRow("practitioner_hours", id, "delete"))}
        />
      )}
      {manages && (
        <div class="pickers">
          <Select
            label="Day"
            value={weekday.value}
            choices={WEEKDAYS.map((day, i) => ({ value: String(i + 1), label: day }))}
            onChange={(value) => weekday.value = value}
          />
          <Field label="From" type="time" value={opens} />
          <Field label="Until" type="time" value={closes} />
          <Button
            variant="secondary"
            onClick={() =>
              change(() =>
                addRow("practitioner_hours", currentOrganisation.value!.id, {
                  practitioner_id: practitioner.id,
                  weekday: Number(weekday.value),
                  opens: opens.value,
                  closes: closes.value,
                })
              )}
          >
            Add hours
          </Button>
        </div>
      )}
      <p class="small">
        Time off: {timeOff.length === 0 && "none"}
      </p>
      <Intervals
        label={`${who}'s time off`}
        items={timeOff.map((c) => ({
          id: c.id,
          text: `${formatDays(c.starts_on, c.ends_on)}${c.reason ? ` · ${c.reason}` : ""}`,
        }))}
        onRemove={manages ? (id) => change(() => changeRow("closures", id, "delete")) : undefined}
      />
      {manages && (
        <div class="pickers">
          <Field label="Off from" type="date" value={offFrom} />
          <Field label="Off until" type="date" value={offTo} />
          <Field label="Reason" value={offReason} maxLength={200} />
          <Button
            variant="secondary"
            onClick={() => {
              if (!offFrom.value) return action.fail("Pick the first day off.");
              change(() =>
                addRow("closures", currentOrganisation.value!.id, {
                  practitioner_id: practitioner.id,
                  starts_on: offFrom.value,
                  ends_on: offTo.value || offFrom.value,
                  reason: offReason.value.trim() || null,
                }), `Time off added for ${who}.`);
            }}
          >
            Add time off
          </Button>
        </div>
      )}
      {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
    </li>
  );
}

/** Hours or days off, one a line, each removable by owners and admins. */
function Intervals({ label, items, onRemove }: {
  label: string;
  items: { id: string; text: string }[];
  onRemove?: (id: string) => void;
}) {
  if (items.length === 0) return null;
  return (
    <ul class="intervals" aria-label={label}>
      {items.map((item) => (
        <li key={item.id}>
          {item.text}
          {onRemove && <Button variant="link" onClick={() => onRemove(item.id)}>Remove</Button>}
        </li>
      ))}
    </ul>
  );
}
