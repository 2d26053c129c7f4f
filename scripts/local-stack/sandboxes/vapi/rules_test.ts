import assert from "node:assert/strict";
import { argumentsFor, factsOf, idFor, intentOf, missesId, toolsFor } from "./rules.ts";
import type { FunctionTool } from "./schema.ts";
import { ASSISTANT } from "./test_helpers.ts";

const NOW = Date.parse("2026-12-02T10:00:00Z"); // a Wednesday
const CALLER = "+447700900555";
const functions = ASSISTANT.model.tools.filter((t) => t.type === "function") as FunctionTool[];
const tool = (name: string) => functions.find((t) => t.function.name === name)!;

Deno.test("intentOf: the first matching rule wins", () => {
  const cases: [string, string][] = [
    ["I'd like to book a check-up tomorrow at 10:30", "book"],
    ["Anything free on Monday?", "book"],
    ["Please cancel my appointment on Tuesday", "cancel"],
    ["Can I move my appointment to Friday?", "reschedule"],
    ["Could you take a message for Dr Hale?", "message"],
    ["Can I talk to a real person? I want to cancel", "transfer"],
    ["Do you have parking?", "question"],
    ["Thanks, bye", "goodbye"],
    ["Hello there", "chat"],
  ];
  for (const [line, intent] of cases) assert.equal(intentOf(line), intent, line);
});

Deno.test("factsOf: days, times, names, urgency from the line", () => {
  assert.equal(factsOf("tomorrow at 10:30", CALLER, NOW).date, "2026-12-03");
  assert.equal(factsOf("today please", CALLER, NOW).date, "2026-12-02");
  assert.equal(factsOf("on Monday", CALLER, NOW).date, "2026-12-07");
  assert.equal(
    factsOf("next Wednesday", CALLER, NOW).date,
    "2026-12-09",
    "a week ahead, not today",
  );
  assert.equal(factsOf("on 2026-12-24", CALLER, NOW).date, "2026-12-24");
  assert.equal(factsOf("at 2pm", CALLER, NOW).time, "14:00");
  assert.equal(factsOf("at 9.15 am", CALLER, NOW).time, "09:15");
  assert.equal(factsOf("at 12am", CALLER, NOW).time, "00:00");
  assert.equal(factsOf("at 25:00", CALLER, NOW).time, undefined);
  assert.equal(factsOf("My name is Ann Lee and", CALLER, NOW).name, "Ann Lee");
  assert.equal(factsOf("I'm Bob", CALLER, NOW).name, "Bob");
  assert.equal(factsOf("with Dr Hale", CALLER, NOW).practitioner, "Dr Hale");
  assert.equal(factsOf("it's urgent", CALLER, NOW).urgency, "urgent");
  assert.equal(factsOf("whenever", CALLER, NOW).urgency, "normal");
  assert.equal(factsOf("a  hygiene\nvisit", CALLER, NOW).reason, "a hygiene visit", "one line");
});

Deno.test("argumentsFor: only declared parameters, only those with a value, enums respected", () => {
  const facts = factsOf("Book a hygiene visit on Monday at 4pm with Dr Moss", CALLER, NOW);
  assert.deepEqual(argumentsFor(tool("check_availability"), facts), {
    service: "Hygiene visit",
    from: "2026-12-07",
    to: "2026-12-07",
    preference: "afternoon",
    practitioner: "Dr Moss",
  });
  // A required service the caller did not name: the clinic's first.
  assert.equal(
    argumentsFor(tool("check_availability"), factsOf("book", CALLER, NOW)).service,
    "Check-up",
  );
  assert.deepEqual(argumentsFor(tool("find_my_appointments"), facts), {});
  const message = argumentsFor(tool("take_message"), factsOf("call me back", CALLER, NOW));
  assert.deepEqual(message, {
    name: "Sam Caller",
    callback_number: CALLER,
    reason: "call me back",
    urgency: "normal",
  });
});

Deno.test("idFor: the id offered at the caller's time, else the first; newest result first", () => {
  const offers =
    "Free times: tomorrow at 10:00 (slot_id s-1000); tomorrow at 10:30 (slot_id s-1030).";
  const at = (time: string | undefined, results: string[]) => ({
    ...factsOf("", CALLER, NOW, results),
    time,
  });
  assert.equal(idFor("slot_id", at("10:30", [offers])), "s-1030");
  assert.equal(idFor("slot_id", at("16:00", [offers])), undefined, "nothing at 16:00");
  assert.equal(idFor("slot_id", at(undefined, [offers, "(slot_id s-2)"])), "s-2");
  const mine =
    "Yours: Tuesday at 09:00 (appointment_id a-1); Friday at 11:00 (appointment_id a-2).";
  assert.equal(idFor("appointment_id", at("11:00", [mine])), "a-2");
  assert.equal(
    idFor("appointment_id", at("10:30", [mine, offers])),
    "a-1",
    "a new time, not theirs",
  );
  assert.equal(idFor("appointment_id", at(undefined, [offers])), undefined);
  const uuid = "7b0d9f53-4a0e-4d55-8f3e-2c41a7e3c001";
  assert.equal(idFor("appointment_id", at(undefined, [`Your visit ${uuid}.`])), uuid);
});

Deno.test("missesId: a required id without a value", () => {
  assert.ok(missesId(tool("book_appointment"), { name: "Ann" }));
  assert.ok(!missesId(tool("book_appointment"), { slot_id: "s-1", name: "Ann" }));
  assert.ok(!missesId(tool("check_availability"), {}), "only ids count");
});

Deno.test("toolsFor: steps by the assistant's tool names, missing ones skipped", () => {
  const names = (intent: Parameters<typeof toolsFor>[0], tools = functions) =>
    toolsFor(intent, tools).map((t) => t.function.name);
  assert.deepEqual(names("book"), ["check_availability", "book_appointment"]);
  assert.deepEqual(names("reschedule"), [
    "find_my_appointments",
    "check_availability",
    "reschedule_appointment",
  ]);
  assert.deepEqual(names("cancel"), ["find_my_appointments", "cancel_appointment"]);
  assert.deepEqual(names("message"), ["take_message"]);
  assert.deepEqual(names("question"), ["lookup_faq"]);
  assert.deepEqual(names("chat"), []);
  assert.deepEqual(names("book", [tool("book_appointment")]), ["book_appointment"]);
});
