import { useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import { QueryStatus } from "../../data/QueryStatus.tsx";
import { useQuery } from "../../data/query.ts";
import { canManage, currentOrganisation } from "../../organisations/memberships.ts";
import { READ_ONLY_NOTE } from "../../receptionist/labels.ts";
import { differs, useUnsavedChanges } from "../../router.ts";
import { supabase } from "../../supabase.ts";
import { Alert, Button, Card, Field } from "../../ui/mod.ts";
import { toast } from "../../ui/toast.ts";
import { useAction } from "../../use_action.ts";

type Rules = {
  slot_interval_minutes: number;
  min_notice_minutes: number;
  horizon_days: number;
  patient_change_cutoff_hours: number;
};

/** Each rule with its field's label and the database's bounds (checked here to name the field). */
const RULES: { key: keyof Rules; label: string; min: number; max: number; help: string }[] = [
  {
    key: "slot_interval_minutes",
    label: "Times offered every (minutes)",
    min: 5,
    max: 240,
    help: "Appointments start on this grid from each opening, e.g. every 15 minutes.",
  },
  {
    key: "min_notice_minutes",
    label: "Minimum notice (minutes)",
    min: 0,
    max: 20160,
    help: "How soon from now a time can be booked.",
  },
  {
    key: "horizon_days",
    label: "Bookable ahead (days)",
    min: 1,
    max: 730,
    help: "How far ahead times are offered.",
  },
  {
    key: "patient_change_cutoff_hours",
    label: "Patients may cancel or move until (hours before)",
    min: 0,
    max: 720,
    help: "Later than this, the assistant asks them to call the clinic.",
  },
];

/** How bookings are offered: slot grid, notice, horizon and the patients' own change cutoff. */
export function BookingRules() {
  const organisation = currentOrganisation.value!;
  const rules = useQuery(() =>
    supabase().from("booking_rules")
      .select(
        "slot_interval_minutes, min_notice_minutes, horizon_days, patient_change_cutoff_hours",
      )
      .eq("organisation_id", organisation.id).single()
  );
  return (
    <Card title="Booking rules" level={2}>
      <QueryStatus data={rules.data} error={rules.error} />
      {rules.data.value && <RulesForm rules={rules.data.value} onSaved={rules.reload} />}
    </Card>
  );
}

function RulesForm({ rules, onSaved }: { rules: Rules; onSaved: () => Promise<void> }) {
  const organisation = currentOrganisation.value!;
  const manages = canManage.value;
  const values = RULES.map((rule) => useSignal(String(rules[rule.key])));
  const save = useAction();
  const typed = () => values.map((v) => v.value);
  const initial = useRef(typed());
  useUnsavedChanges(differs(typed(), initial.current));

  function submit(event: SubmitEvent) {
    event.preventDefault();
    const row: Partial<Rules> = {};
    for (const [i, rule] of RULES.entries()) {
      const value = Number(values[i].value.trim());
      if (
        !values[i].value.trim() || !Number.isInteger(value) || value < rule.min || value > rule.max
      ) {
        return save.fail(`${rule.label}: a whole number from ${rule.min} to ${rule.max}.`);
      }
      row[rule.key] = value;
    }
    save.run(async () => {
      const { data, error } = await supabase().from("booking_rules").update(row)
        .eq("organisation_id", organisation.id).select("organisation_id");
      if (error) return { error };
      // Row-level security turns a refused update into no rows.
      if (!data.length) return { error: new Error(`Nothing was changed: ${READ_ONLY_NOTE}`) };
      initial.current = typed();
      toast("Booking rules saved.");
      await onSaved();
      return { error: null };
    });
  }

  // Members read the rules as text: nothing on the page looks editable to them.
  if (!manages) {
    return (
      <div class="stack">
        <p class="muted">Used by the agenda and the assistants alike. {READ_ONLY_NOTE}</p>
        <dl>
          {RULES.map((rule) => [
            <dt key={`${rule.key}-label`}>{rule.label}</dt>,
            <dd key={`${rule.key}-value`}>{rules[rule.key]}</dd>,
          ])}
        </dl>
      </div>
    );
  }

  return (
    <form class="stack" onSubmit={submit} noValidate>
      <p class="muted">Used by the agenda and the assistants alike.</p>
      {RULES.map((rule, i) => (
        <Field
          key={rule.key}
          label={rule.label}
          type="number"
          value={values[i]}
          min={rule.min}
          max={rule.max}
          help={rule.help}
        />
      ))}
      {save.error.value && <Alert tone="error">{save.error.value}</Alert>}
      <Button type="submit" busy={save.busy.value}>Save booking rules</Button>
    </form>
  );
}
