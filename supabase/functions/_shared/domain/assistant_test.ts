import assert from "node:assert/strict";
import { z } from "zod";
import {
  type AssistantAnswer,
  buildTransientAssistant,
  MAX_ASSISTANT_CHARS,
  type TransientAssistant,
} from "./assistant.ts";
import { PROMPT_TOOLS } from "./prompt.ts";
import type { ReceptionistConfig } from "./receptionist_config.ts";
import { demoClinics, northsideDental, riversidePhysio } from "./testdata/demo_clinics.ts";

// Vapi's CreateAssistantDTO rules we rely on (PROVIDERS §1.8, VAPI-OAS): name ≤ 40, function
// names ^[a-zA-Z0-9_-]{1,64}$, a system message, voice and transcriber with a provider, E.164
// transfer numbers, maxDurationSeconds 10–43200, only known top-level fields.
const functionName = z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/);
const parameters = z.object({
  type: z.literal("object"),
  properties: z.record(z.string(), z.object({ type: z.string() }).loose()),
  required: z.array(z.string()),
}).refine((p) => p.required.every((r) => r in p.properties), "required names a property");
const createAssistantDTO = z.strictObject({
  name: z.string().min(1).max(40),
  firstMessage: z.string().min(1).refine((s) => !/[\r\n]/.test(s), "one line"),
  firstMessageMode: z.enum([
    "assistant-speaks-first",
    "assistant-speaks-first-with-model-generated-message",
    "assistant-waits-for-user",
  ]),
  model: z.strictObject({
    provider: z.literal("openai"),
    model: z.string().min(1),
    messages: z.array(z.object({ role: z.literal("system"), content: z.string().min(100) })).length(
      1,
    ),
    tools: z.array(z.discriminatedUnion("type", [
      z.strictObject({
        type: z.literal("function"),
        async: z.boolean(),
        function: z.strictObject({
          name: functionName,
          description: z.string().min(1),
          parameters,
        }),
      }),
      z.strictObject({
        type: z.literal("transferCall"),
        function: z.strictObject({ name: functionName, description: z.string(), parameters }),
        destinations: z.array(z.strictObject({
          type: z.literal("number"),
          number: z.string().regex(/^\+[1-9]\d{6,14}$/),
          message: z.string(),
          description: z.string(),
        })).min(1),
      }),
      z.strictObject({ type: z.literal("endCall") }),
    ])),
    temperature: z.number().min(0).max(2),
    maxTokens: z.int().min(50).max(10000),
  }),
  voice: z.strictObject({
    provider: z.enum(["azure", "11labs", "openai", "cartesia", "deepgram", "vapi", "playht"]),
    voiceId: z.string().min(1),
  }),
  transcriber: z.strictObject({
    provider: z.literal("deepgram"),
    model: z.string(),
    language: z.string().regex(/^[a-z]{2}$/),
  }),
  serverMessages: z.array(z.enum(["status-update", "end-of-call-report", "tool-calls", "hang"])),
  server: z.strictObject({
    url: z.url(),
    timeoutSeconds: z.int().min(1).max(300),
    credentialId: z.string().min(1),
  }).optional(),
  metadata: z.strictObject({ organisation_id: z.uuid(), call_id: z.uuid() }),
  maxDurationSeconds: z.int().min(10).max(43200),
  artifactPlan: z.strictObject({ recordingEnabled: z.literal(true) }),
  analysisPlan: z.strictObject({ summaryPlan: z.strictObject({ enabled: z.literal(true) }) }),
});

const CALL_ID = "7f4b2c1e-0000-4000-8000-00000000c001";
// Wednesday 9 December 2026, 11:00 in London: Northside and Riverside are open.
const OPEN = new Date("2026-12-09T11:00:00Z");
// Sunday 13 December 2026, 03:00 UTC: both are closed.
const CLOSED = new Date("2026-12-13T03:00:00Z");

function build(
  config: ReceptionistConfig,
  now: Date,
  extra: { callerLanguage?: string; serverCredentialId?: string } = {},
): AssistantAnswer {
  return buildTransientAssistant(config, {
    now,
    callId: CALL_ID,
    organisationId: config.organisation.id,
    serverUrl: "https://example.supabase.co/functions/v1/vapi",
    ...extra,
  });
}

function assistantOf(answer: AssistantAnswer): TransientAssistant {
  assert.ok("assistant" in answer, `expected an assistant, got ${JSON.stringify(answer)}`);
  const checked = createAssistantDTO.safeParse(answer.assistant);
  assert.ok(checked.success, checked.success ? "" : z.prettifyError(checked.error));
  assert.ok(JSON.stringify(answer.assistant).length <= MAX_ASSISTANT_CHARS);
  return answer.assistant;
}

const toolNames = (a: TransientAssistant) =>
  a.model.tools.map((t) => "function" in t ? t.function.name : t.type);
const BOOKING = [
  PROMPT_TOOLS.checkAvailability,
  PROMPT_TOOLS.bookAppointment,
  "find_my_appointments",
  PROMPT_TOOLS.cancelAppointment,
  PROMPT_TOOLS.rescheduleAppointment,
];

Deno.test("every demo clinic in every language, open and closed, with and without a credential, is a valid CreateAssistantDTO", () => {
  for (const clinic of demoClinics) {
    for (const afterHours of ["take_message", "transfer", "book_only"] as const) {
      const config = { ...clinic, assistant: { ...clinic.assistant, afterHours } };
      for (const language of [...clinic.organisation.languages, "de", undefined]) {
        for (const now of [OPEN, CLOSED]) {
          for (const serverCredentialId of [undefined, "cred-1"]) {
            const answer = build(config, now, { callerLanguage: language, serverCredentialId });
            if (now === CLOSED && afterHours === "transfer") {
              assert.deepEqual(answer, {
                destination: {
                  type: "number",
                  number: clinic.assistant.escalationPhone,
                  message: "",
                },
              });
              continue;
            }
            const assistant = assistantOf(answer);
            assert.deepEqual(assistant.metadata, {
              organisation_id: clinic.organisation.id,
              call_id: CALL_ID,
            });
            assert.equal(assistant.server?.credentialId, serverCredentialId);
          }
        }
      }
    }
  }
});

Deno.test("in hours: the clinic's prompt, greeting, voice and language; every tool, transfer to the escalation phone", () => {
  const assistant = assistantOf(build(northsideDental, OPEN));
  assert.equal(assistant.name, "Emma – Northside Dental");
  assert.equal(assistant.firstMessage, northsideDental.assistant.greetings.en);
  assert.deepEqual(assistant.voice, { provider: "azure", voiceId: "en-GB-SoniaNeural" });
  assert.equal(assistant.transcriber.language, "en");
  const system = assistant.model.messages[0].content;
  assert.match(system, /You are Emma, the receptionist of Northside Dental/);
  assert.match(system, /It is 11:00 on Wednesday 9 December 2026 \(Europe\/London\)/);
  assert.match(system, /The clinic is open now until today, Wednesday the 9th at \d\d:\d\d\./);
  assert.deepEqual(toolNames(assistant), [
    ...BOOKING,
    PROMPT_TOOLS.takeMessage,
    PROMPT_TOOLS.lookupFaq,
    PROMPT_TOOLS.transferToHuman,
    "endCall",
  ]);
  const transfer = assistant.model.tools.find((t) => t.type === "transferCall");
  assert.ok(transfer && transfer.type === "transferCall");
  assert.equal(transfer.destinations[0].number, "+442079460000");
  // The services the clinic offers are the only ones the model can ask for.
  const check = assistant.model.tools[0];
  assert.ok(check.type === "function");
  const active = northsideDental.services.filter((s) => s.active).map((s) => s.name).sort();
  assert.deepEqual(check.function.parameters.properties.service.enum, active);
  assert.deepEqual(assistant.artifactPlan, { recordingEnabled: true });
  assert.deepEqual(assistant.analysisPlan, { summaryPlan: { enabled: true } });
});

Deno.test("the caller's language when the clinic offers it: greeting, prompt and transcriber", () => {
  const ru = assistantOf(build(riversidePhysio, OPEN, { callerLanguage: "ru" }));
  assert.equal(ru.firstMessage, riversidePhysio.assistant.greetings.ru);
  assert.equal(ru.transcriber.language, "ru");
  assert.match(ru.model.messages[0].content, /Answer in Russian \(ru\)/);
  // Not offered: the clinic's default language.
  const de = assistantOf(build(riversidePhysio, OPEN, { callerLanguage: "de" }));
  assert.equal(de.transcriber.language, riversidePhysio.organisation.defaultLanguage);
  assert.equal(
    de.firstMessage,
    riversidePhysio.assistant.greetings[riversidePhysio.organisation.defaultLanguage],
  );
});

Deno.test("after hours, take_message: a message and bookings, no transfer; when it reopens", () => {
  const assistant = assistantOf(build(northsideDental, CLOSED));
  assert.deepEqual(toolNames(assistant), [
    ...BOOKING,
    PROMPT_TOOLS.takeMessage,
    PROMPT_TOOLS.lookupFaq,
    "endCall",
  ]);
  assert.match(
    assistant.model.messages[0].content,
    /The clinic is closed now; it opens again tomorrow, Monday the 14th at 08:30\./,
  );
  assert.match(assistant.model.messages[0].content, /or take a message with take_message/);
});

Deno.test("after hours, transfer: a destination to the escalation phone; none set → take_message", () => {
  const transfer = {
    ...northsideDental,
    assistant: { ...northsideDental.assistant, afterHours: "transfer" as const },
  };
  assert.deepEqual(build(transfer, CLOSED), {
    destination: { type: "number", number: "+442079460000", message: "" },
  });
  // In hours the same clinic gets the full assistant.
  assert.ok("assistant" in build(transfer, OPEN));
  const noPhone = { ...transfer, assistant: { ...transfer.assistant, escalationPhone: null } };
  const assistant = assistantOf(build(noPhone, CLOSED));
  assert.deepEqual(toolNames(assistant), [
    ...BOOKING,
    PROMPT_TOOLS.takeMessage,
    PROMPT_TOOLS.lookupFaq,
    "endCall",
  ]);
  // Open without a phone: nothing to transfer to.
  assert.ok(!toolNames(assistantOf(build(noPhone, OPEN))).includes(PROMPT_TOOLS.transferToHuman));
});

Deno.test("after hours, book_only: only the booking tools", () => {
  const assistant = assistantOf(build(riversidePhysio, CLOSED));
  assert.equal(riversidePhysio.assistant.afterHours, "book_only");
  assert.deepEqual(toolNames(assistant), [...BOOKING, "endCall"]);
  assert.match(assistant.model.messages[0].content, /you only book, move and cancel appointments/);
});

Deno.test("a closure day is after hours, with its reason", () => {
  const config = {
    ...northsideDental,
    closures: [{ startsOn: "2026-12-09", endsOn: "2026-12-09", reason: "Staff training" }],
  };
  const assistant = assistantOf(build(config, OPEN));
  assert.match(assistant.model.messages[0].content, /The clinic is closed now \(Staff training\)/);
  assert.ok(!toolNames(assistant).includes(PROMPT_TOOLS.transferToHuman));
});

Deno.test("the assistant switched off: transfer to the escalation phone, else a spoken error", () => {
  const off = {
    ...northsideDental,
    assistant: { ...northsideDental.assistant, botEnabled: false },
  };
  assert.ok("destination" in build(off, OPEN));
  const none = { ...off, assistant: { ...off.assistant, escalationPhone: null } };
  const answer = build(none, OPEN);
  assert.ok("error" in answer);
  assert.match(answer.error, /^Sorry, Northside Dental cannot take calls just now\.$/);
});

Deno.test("size bound: a huge FAQ and huge instructions still fit; a long name is cut to 40", () => {
  const faq = Array.from({ length: 400 }, (_, i) => ({
    id: `f${i}`,
    kind: "faq" as const,
    question: `Question number ${i} about something quite specific?`,
    answer: "An answer ".repeat(40),
    category: `c${i % 7}`,
    language: "en",
    active: true,
  }));
  const config: ReceptionistConfig = {
    ...northsideDental,
    organisation: {
      ...northsideDental.organisation,
      name: "The Very Long Named Northside Dental and Orthodontic Practice",
    },
    faq,
    assistant: { ...northsideDental.assistant, extraInstructions: "Be nice. ".repeat(8000) },
  };
  const assistant = assistantOf(build(config, OPEN));
  assert.equal(Array.from(assistant.name).length, 40);
  assert.ok(assistant.name.endsWith("…"));
  // The FAQ went first, then the free text: lookup_faq is still offered.
  assert.ok(toolNames(assistant).includes(PROMPT_TOOLS.lookupFaq));
  const fits = assistantOf(build({ ...config, assistant: northsideDental.assistant }, OPEN));
  assert.match(fits.model.messages[0].content, /Question number/);
});

Deno.test("the same input gives the same assistant", () => {
  assert.deepEqual(build(riversidePhysio, OPEN), build(riversidePhysio, OPEN));
});
