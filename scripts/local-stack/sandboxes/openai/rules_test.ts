// The default rules against the prompt and tools our side really sends (buildPrompt for
// WhatsApp, bookingTools for a patient, plus a hand-over tool), in English and Russian.
import assert from "node:assert/strict";
import { bookingTools } from "../../../../supabase/functions/_shared/domain/assistant.ts";
import { buildPrompt } from "../../../../supabase/functions/_shared/domain/prompt.ts";
import {
  northsideDental,
  riversidePhysio,
} from "../../../../supabase/functions/_shared/domain/testdata/demo_clinics.ts";
import { type ChatMessage, type ChatTool, clinicOf, decide, servicesOf, slotsIn } from "./rules.ts";

const TODAY = "2026-12-02";
const handOver: ChatTool = {
  type: "function",
  function: {
    name: "transfer_to_human",
    parameters: { properties: { reason: {} }, required: [] },
  },
};

function conversation(config: typeof northsideDental, language: string) {
  const system = buildPrompt(config, language, { channel: "whatsapp" }).instructions;
  const tools = [...bookingTools(config, "patient"), handOver] as ChatTool[];
  return { system, tools, start: [{ role: "system", content: system }] as ChatMessage[] };
}

const SLOTS = "Free times for Sports massage: Thursday the 3rd at 10:00 (slot_id s-1); " +
  "Thursday the 3rd at 11:00 (slot_id s-2). Offer these; book with the slot_id once the " +
  "patient confirms.";

const toolTurn = (name: string, args: unknown, result: string, id = "call_1"): ChatMessage[] => [
  {
    role: "assistant",
    content: null,
    tool_calls: [{ id, type: "function", function: { name, arguments: JSON.stringify(args) } }],
  },
  { role: "tool", tool_call_id: id, content: result },
];

Deno.test("the prompt's clinic name and services are read as buildPrompt writes them", () => {
  const { system } = conversation(riversidePhysio, "ru");
  assert.equal(clinicOf(system), "Riverside Physio");
  assert.deepEqual(servicesOf(system), [
    "Follow-up session",
    "Initial assessment",
    "Sports massage",
  ]);
  assert.deepEqual(slotsIn(SLOTS), [
    { id: "s-1", text: "Thursday the 3rd at 10:00" },
    { id: "s-2", text: "Thursday the 3rd at 11:00" },
  ]);
});

Deno.test("EN: a booking question checks availability for the service named", () => {
  const { tools, start } = conversation(northsideDental, "en");
  const d = decide(
    [...start, { role: "user", content: "Can I book a hygiene appointment please?" }],
    tools,
    TODAY,
  );
  assert.deepEqual(d, {
    toolCalls: [{
      name: "check_availability",
      arguments: { service: "Hygiene appointment", from: TODAY },
    }],
  });
});

Deno.test("RU: «записаться» checks availability for the first service; slots are offered in Russian", () => {
  const { tools, start } = conversation(riversidePhysio, "ru");
  const ask: ChatMessage = { role: "user", content: "Здравствуйте, можно записаться на приём?" };
  assert.deepEqual(decide([...start, ask], tools, TODAY), {
    toolCalls: [{
      name: "check_availability",
      arguments: { service: "Follow-up session", from: TODAY },
    }],
  });
  const offered = decide(
    [...start, ask, ...toolTurn("check_availability", {}, SLOTS)],
    tools,
    TODAY,
  );
  assert.ok("content" in offered);
  assert.match(offered.content, /^Могу предложить: 1\) Thursday the 3rd at 10:00; 2\)/);
});

Deno.test("EN: yes after slots books the first slot with the name given earlier; the result is confirmed", () => {
  const { tools, start } = conversation(riversidePhysio, "en");
  const history: ChatMessage[] = [
    ...start,
    { role: "user", content: "Hi, my name is John Smith, I'd like to book a sports massage" },
    ...toolTurn("check_availability", { service: "Sports massage" }, SLOTS),
    { role: "assistant", content: "I can offer: 1) Thursday the 3rd at 10:00. Shall I book?" },
    { role: "user", content: "Yes please" },
  ];
  assert.deepEqual(decide(history, tools, TODAY), {
    toolCalls: [{ name: "book_appointment", arguments: { slot_id: "s-1", name: "John Smith" } }],
  });
  const booked = decide(
    [
      ...history,
      ...toolTurn(
        "book_appointment",
        { slot_id: "s-1" },
        "Booked: Sports massage on Thursday the 3rd at 10:00, for John Smith. Tell the patient.",
        "call_2",
      ),
    ],
    tools,
    TODAY,
  );
  assert.deepEqual(booked, {
    content: "You're booked: Sports massage on Thursday the 3rd at 10:00, for John Smith. " +
      "See you then!",
  });
});

Deno.test("RU: «да» without a name asks for it; the next message is taken as the name", () => {
  const { tools, start } = conversation(riversidePhysio, "ru");
  const history: ChatMessage[] = [
    ...start,
    { role: "user", content: "Хочу записаться" },
    ...toolTurn("check_availability", {}, SLOTS),
    { role: "assistant", content: "Могу предложить: 1) Thursday the 3rd at 10:00." },
    { role: "user", content: "Да, первое" },
  ];
  const ask = decide(history, tools, TODAY);
  assert.deepEqual(ask, { content: "Отлично! На какое имя вас записать?" });
  const book = decide(
    [...history, { role: "assistant", content: ask.content }, {
      role: "user",
      content: "Анна Петрова",
    }],
    tools,
    TODAY,
  );
  assert.deepEqual(book, {
    toolCalls: [{ name: "book_appointment", arguments: { slot_id: "s-1", name: "Анна Петрова" } }],
  });
});

Deno.test("asking for a person calls the hand-over tool; anything else is a polite answer naming the clinic", () => {
  const { tools, start } = conversation(northsideDental, "en");
  assert.deepEqual(
    decide([...start, { role: "user", content: "Can I talk to a human?" }], tools, TODAY),
    {
      toolCalls: [{ name: "transfer_to_human", arguments: { reason: "Can I talk to a human?" } }],
    },
  );
  assert.deepEqual(
    decide([...start, { role: "user", content: "Позовите оператора" }], tools, TODAY),
    {
      toolCalls: [{ name: "transfer_to_human", arguments: { reason: "Позовите оператора" } }],
    },
  );
  assert.deepEqual(decide([...start, { role: "user", content: "Hello there" }], tools, TODAY), {
    content: "Thank you for your message! This is Northside Dental. How can I help you?",
  });
  assert.deepEqual(decide([...start, { role: "user", content: "Добрый день" }], [], TODAY), {
    content: "Спасибо за сообщение! Это Northside Dental. Чем могу помочь?",
  });
});

Deno.test("history without tool results (as our reply job sends it): yes → availability again → book the first slot for the name the prompt knows", () => {
  const { tools, start } = conversation(northsideDental, "en");
  const system = `${
    start[0].content
  }\n\n# Now\nThe patient writes from +447700900555 and is known as Mary Jones.`;
  const history: ChatMessage[] = [
    { role: "system", content: system },
    { role: "user", content: "Can I book a check-up?" },
    {
      role: "assistant",
      content: "I can offer: 1) Thursday the 3rd at 10:00. Shall I book the first one?",
    },
    { role: "user", content: "Yes" },
  ];
  assert.deepEqual(decide(history, tools, TODAY), {
    toolCalls: [{ name: "check_availability", arguments: { service: "Check-up", from: TODAY } }],
  });
  assert.deepEqual(
    decide([...history, ...toolTurn("check_availability", {}, SLOTS)], tools, TODAY),
    {
      toolCalls: [{ name: "book_appointment", arguments: { slot_id: "s-1", name: "Mary Jones" } }],
    },
  );
  // "Yes" with nothing offered before is not a booking.
  assert.ok("content" in decide([history[0], { role: "user", content: "Yes" }], tools, TODAY));
});

Deno.test("a tool's refusal is not reported as done", () => {
  const { tools, start } = conversation(northsideDental, "en");
  const turn = (result: string) =>
    decide(
      [
        ...start,
        { role: "user", content: "cancel it" },
        ...toolTurn("cancel_appointment", {}, result),
      ],
      tools,
      TODAY,
    );
  assert.deepEqual(turn("Cancelled: Check-up on Thursday the 3rd at 10:00. Tell the patient."), {
    content: "Thank you, that's done.",
  });
  assert.deepEqual(
    turn("That appointment is not booked with the number the patient is writing from."),
    {
      content: "Sorry, I couldn't do that. Could you tell me a little more?",
    },
  );
});
