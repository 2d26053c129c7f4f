import assert from "node:assert/strict";
import {
  ACTION_FILTERS,
  type AuditEntry,
  describeDetails,
  describeEntry,
  type Names,
} from "./describe.ts";

const MARCUS = "00000000-0000-4000-8000-0000000000aa";
const PRIYA = "00000000-0000-4000-8000-0000000000bb";
const WHATSAPP = "00000000-0000-4000-8000-0000000000dd";
const names: Names = {
  people: new Map([[MARCUS, "Marcus Reid"], [PRIYA, "Priya Shah"]]),
  channels: new Map([[WHATSAPP, "+44 7700 900123 (Front desk)"]]),
};

function entry(action: string, details: Record<string, unknown>, more: Partial<AuditEntry> = {}) {
  return {
    id: 1,
    actor_id: MARCUS,
    actor_label: "admin@northside.test",
    action,
    target_type: action.split(".")[0],
    target_id: null,
    details,
    created_at: "2026-12-01T10:00:00Z",
    ...more,
  };
}

Deno.test("audit entries read as sentences, not event names", () => {
  const cases: [AuditEntry, string, string][] = [
    [
      entry("conversation.taken_over", { by: "reply" }),
      "Marcus Reid took over a conversation by replying",
      "",
    ],
    [
      entry("conversation.handed_back", {}),
      "Marcus Reid handed a conversation back to the assistant",
      "",
    ],
    [
      entry("meta_app.created", { label: "Our app" }),
      "Marcus Reid added the Meta app Our app",
      "Label: Our app",
    ],
    [
      entry("member.role_changed", {
        name: "Priya Shah",
        email: "staff@northside.test",
        changes: { role: { from: "member", to: "admin" } },
      }, { target_id: PRIYA }),
      "Marcus Reid changed the role of Priya Shah from member to admin",
      "Role: member → admin",
    ],
    [
      entry("working_hours.updated", {
        weekday: 2,
        opens: "09:00:00",
        closes: "18:00:00",
        changes: { closes: { from: "17:00:00", to: "18:00:00" } },
      }),
      "Marcus Reid changed opening hours (Tuesday)",
      "Closes: 17:00 → 18:00",
    ],
    [
      entry("invitation.created", { email: "new@example.com", role: "admin" }),
      "Marcus Reid invited new@example.com as admin",
      "",
    ],
    [
      entry("member.removed", { name: "Priya Shah", role: "member" }, {
        actor_id: PRIYA,
        target_id: PRIYA,
      }),
      "Priya Shah left the clinic",
      "",
    ],
    [
      entry("organisation.updated", {
        changes: { timezone: { from: "Europe/London", to: "Europe/Paris" } },
      }),
      "Marcus Reid changed the clinic's time zone",
      "Time zone: Europe/London → Europe/Paris",
    ],
    [
      entry("organisation.updated", { changes: { country: { from: "GB", to: "LV" } } }),
      "Marcus Reid changed the clinic's country",
      "Country: United Kingdom → Latvia",
    ],
    [
      entry("credential.set", {}, { target_type: "meta_access_token", target_id: WHATSAPP }),
      "Marcus Reid set the WhatsApp access token of +44 7700 900123 (Front desk)",
      "",
    ],
    [
      entry("credential.decrypted", {}, {
        actor_id: null,
        actor_label: "system",
        target_type: "twilio_auth_token",
      }),
      "Frontdesk used the Twilio auth token",
      "",
    ],
    [
      entry("faq_entry.updated", {
        question: "Parking?",
        changes: { active: { from: true, to: false } },
      }),
      "Marcus Reid changed the FAQ entry “Parking?” (active)",
      "Active: yes → no",
    ],
    [
      entry("service.created", { name: "Check-up", duration_minutes: 30 }, {
        actor_id: "00000000-0000-4000-8000-0000000000cc",
        actor_label: "gone@example.com",
      }),
      "gone@example.com added the service “Check-up”",
      "Duration (minutes): 30",
    ],
  ];
  for (const [e, sentence, details] of cases) {
    assert.equal(describeEntry(e, names), sentence);
    assert.equal(describeDetails(e, names), details);
  }
});

Deno.test("every filter lists whole action names", () => {
  for (const filter of ACTION_FILTERS.slice(1)) {
    for (const action of filter.value.split(",")) assert.match(action, /^[a-z_]+\.[a-z_]+$/);
  }
});
