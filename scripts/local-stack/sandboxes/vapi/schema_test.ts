import assert from "node:assert/strict";
import { createPhoneNumber, messages, readAssistantAnswer } from "./schema.ts";
import { ASSISTANT } from "./test_helpers.ts";

const IMPORT = {
  provider: "twilio",
  number: "+442079460123",
  twilioAccountSid: "ACdb526de9a50c358f82d03e0713174f62",
  twilioAuthToken: "token",
  smsEnabled: false,
  server: { url: "https://x.supabase.co/functions/v1/vapi", credentialId: "cred-1" },
  fallbackDestination: { type: "number", number: "+442079460999" },
};

Deno.test("createPhoneNumber: the import our connect job sends is valid", () => {
  assert.ok(createPhoneNumber.safeParse(IMPORT).success);
});

Deno.test("createPhoneNumber: Vapi's refusals, in its words", () => {
  const refused = (body: unknown) => {
    const parsed = createPhoneNumber.safeParse(body);
    assert.ok(!parsed.success);
    return messages(parsed.error);
  };
  assert.match(
    refused({ ...IMPORT, number: "020 7946 0123" })[0],
    /^number must be a valid phone number in the E.164 format/,
  );
  assert.deepEqual(refused({ ...IMPORT, assistant: {} }), ["property assistant should not exist"]);
  assert.match(refused({ ...IMPORT, provider: "vonage" })[0], /provider/);
  assert.match(refused({ ...IMPORT, server: { url: "not a url" } })[0], /^server\.url /);
  assert.match(refused({ ...IMPORT, name: "x".repeat(41) })[0], /^name /);
  const { twilioAuthToken: _, ...noToken } = IMPORT;
  assert.match(refused(noToken)[0], /twilioAuthToken/);
});

Deno.test("readAssistantAnswer: error over destination over assistant", () => {
  assert.deepEqual(readAssistantAnswer({ error: "Closed.", destination: {}, assistant: {} }), {
    kind: "error",
    error: "Closed.",
  });
  assert.equal(
    readAssistantAnswer({
      destination: { type: "number", number: "+442079460999" },
      assistant: ASSISTANT,
    }).kind,
    "destination",
  );
  assert.equal(readAssistantAnswer({ assistant: ASSISTANT }).kind, "assistant");
});

Deno.test("readAssistantAnswer: Vapi's schema rules and endedReasons", () => {
  const invalid = (body: unknown) => {
    const read = readAssistantAnswer(body);
    assert.equal(read.kind, "invalid");
    return read as { endedReason: string; problems: string[] };
  };
  const withTools = (tools: unknown[]) => ({
    assistant: { ...ASSISTANT, model: { ...ASSISTANT.model, tools } },
  });
  assert.match(
    invalid({ assistant: { ...ASSISTANT, name: "x".repeat(41) } }).problems[0],
    /^assistant\.name /,
  );
  assert.equal(
    readAssistantAnswer({ assistant: { ...ASSISTANT, name: "x".repeat(40) } }).kind,
    "assistant",
  );
  assert.match(
    invalid(withTools([{ type: "function", function: { name: "book slot" } }])).problems[0],
    /function\.name must be a-z/,
  );
  assert.match(
    invalid(withTools([{ type: "function", function: { name: "x".repeat(65) } }])).problems[0],
    /function\.name/,
  );
  assert.equal(
    readAssistantAnswer(withTools([{ type: "function", function: { name: "a-Z_0".repeat(12) } }]))
      .kind,
    "assistant",
  );
  assert.match(
    invalid({ assistant: { ...ASSISTANT, model: undefined } }).problems[0],
    /^assistant\.model/,
  );
  assert.match(
    invalid({ assistant: { ...ASSISTANT, model: { provider: "openai" } } }).problems[0],
    /^assistant\.model\.model/,
  );
  assert.match(
    invalid({ destination: { type: "number", number: "0207" } }).problems[0],
    /^destination\.number/,
  );
  assert.equal(invalid({ error: "" }).endedReason, "assistant-request-returned-unspeakable-error");
  assert.equal(
    invalid({ error: { text: "x" } }).endedReason,
    "assistant-request-returned-unspeakable-error",
  );
  assert.equal(
    invalid({ assistant: { name: "x" } }).endedReason,
    "assistant-request-returned-invalid-assistant",
  );
  assert.equal(invalid({}).endedReason, "assistant-request-returned-no-assistant");
  assert.equal(invalid([]).endedReason, "assistant-request-returned-no-assistant");
  assert.equal(invalid(null).endedReason, "assistant-request-returned-no-assistant");
  // Unknown assistant fields are accepted and ignored (Vapi's OAS lags its docs).
  assert.equal(
    readAssistantAnswer({ assistant: { ...ASSISTANT, silenceTimeoutSeconds: 30 } }).kind,
    "assistant",
  );
});
