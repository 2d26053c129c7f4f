// The transient assistant we hand Vapi for one call (`assistant-request`, PROVIDERS §1.2, §1.8):
// the clinic's prompt for the voice channel, its greeting in the caller's language when the clinic
// offers it, its voice, a transcriber in the answer language, the tools the prompt names, our ids
// in `metadata`, recording and a summary. Whether the clinic is open now, from its hours, decides
// after hours: `take_message` and `book_only` answer an assistant with fewer tools, `transfer` a
// `destination` (the escalation phone; none set → take_message). Pure: the clock comes in.
import { timeLabel } from "./booking_text.ts";
import { localDateOf, openingHoursOf, openingStatus } from "./opening_hours.ts";
import { buildPrompt, DEFAULT_FAQ_BUDGET_CHARS, PROMPT_TOOLS } from "./prompt.ts";
import type { ReceptionistConfig } from "./receptionist_config.ts";
import { oneLine } from "./ordering.ts";
import { spokenTime } from "./speech.ts";

export const MAX_NAME_CHARS = 40;
/** The whole assistant as JSON: well within what Vapi takes, and what a 7.5 s answer carries. */
export const MAX_ASSISTANT_CHARS = 40_000;
/** The tool Vapi calls `transferCall`; the prompt names it transfer_to_human. */
export const VAPI_TRANSFER_TOOL = "transferCall";

export type AssistantOptions = {
  now: Date;
  /** A language the caller is known to speak (e.g. from an earlier call); else the default. */
  callerLanguage?: string;
  /** Our `calls.id`, echoed back in `metadata`. */
  callId: string;
  organisationId: string;
  /** Where Vapi sends tool calls and call events: our `vapi` function. */
  serverUrl: string;
  /** Vapi's id of the platform's server credential; without it the phone number's server is used. */
  serverCredentialId?: string;
};

export type Destination = { type: "number"; number: string; message: string };

export type AssistantAnswer =
  | { assistant: TransientAssistant }
  | { destination: Destination }
  | { error: string };

type JsonSchema = {
  type: "object";
  properties: Record<string, Record<string, unknown>>;
  required: string[];
};

export type FunctionTool = {
  type: "function";
  async: false;
  function: { name: string; description: string; parameters: JsonSchema };
};
export type TransferTool = {
  type: "transferCall";
  function: { name: string; description: string; parameters: JsonSchema };
  destinations: (Destination & { description: string })[];
};
export type Tool = FunctionTool | TransferTool | { type: "endCall" };

export type TransientAssistant = {
  name: string;
  firstMessage: string;
  firstMessageMode: "assistant-speaks-first";
  model: {
    provider: "openai";
    model: string;
    messages: { role: "system"; content: string }[];
    tools: Tool[];
    temperature: number;
    maxTokens: number;
  };
  voice: { provider: string; voiceId: string };
  transcriber: { provider: "deepgram"; model: string; language: string };
  serverMessages: string[];
  server?: { url: string; timeoutSeconds: number; credentialId: string };
  metadata: { organisation_id: string; call_id: string };
  maxDurationSeconds: number;
  artifactPlan: { recordingEnabled: true };
  analysisPlan: { summaryPlan: { enabled: true } };
};

const T = PROMPT_TOOLS;
// A voice every catalog language can use when the clinic has chosen none.
const DEFAULT_VOICE = { provider: "openai", voiceId: "nova" };

const schema = (
  properties: JsonSchema["properties"],
  required: string[] = [],
): JsonSchema => ({ type: "object", properties, required });

const fn = (name: string, description: string, parameters: JsonSchema): FunctionTool => ({
  type: "function",
  async: false,
  function: { name, description, parameters },
});

const DATE = { type: "string", description: "A local date, YYYY-MM-DD" };

/**
 * The booking tools' definitions (assistant/tools.ts runs them), worded for who the model talks
 * to: the caller on the phone, the patient in chat.
 */
export function bookingTools(
  config: ReceptionistConfig,
  person: "caller" | "patient" = "caller",
): FunctionTool[] {
  const reaching = person === "caller" ? "calling" : "writing";
  const services = config.services.filter((s) => s.active).map((s) => oneLine(s.name))
    .filter((n) => n !== "").sort();
  const service = services.length > 0
    ? { type: "string", enum: [...new Set(services)], description: "The service, by its name" }
    : { type: "string", description: "The service, by its name" };
  const slotId = { type: "string", description: "A slot_id from check_availability" };
  return [
    fn(
      T.checkAvailability,
      "Free appointment times for a service between two local dates (at most 14 days apart).",
      schema({
        service,
        from: DATE,
        to: DATE,
        preference: { type: "string", enum: ["morning", "afternoon", "evening"] },
        time: { type: "string", description: `HH:MM, if the ${person} asked for a time` },
        practitioner: {
          type: "string",
          description: `A practitioner's name, if the ${person} asks`,
        },
      }, ["service", "from"]),
    ),
    fn(
      T.bookAppointment,
      `Books a time check_availability returned, once the ${person} has confirmed it.`,
      schema({
        slot_id: slotId,
        name: { type: "string", description: "The patient's full name" },
        phone: { type: "string", description: `Only if not the number they are ${reaching} from` },
      }, ["slot_id", "name"]),
    ),
    fn(
      "find_my_appointments",
      `The ${person}'s upcoming appointments, found by the number they are ${reaching} from.`,
      schema({}),
    ),
    fn(
      T.cancelAppointment,
      `Cancels one of the ${person}'s appointments, once they have confirmed.`,
      schema({
        appointment_id: { type: "string", description: "From find_my_appointments" },
        reason: { type: "string" },
      }, ["appointment_id"]),
    ),
    fn(
      T.rescheduleAppointment,
      `Moves one of the ${person}'s appointments to a time check_availability returned.`,
      schema({
        appointment_id: { type: "string", description: "From find_my_appointments" },
        slot_id: slotId,
      }, ["appointment_id", "slot_id"]),
    ),
  ];
}

const takeMessageTool = fn(
  T.takeMessage,
  "Leaves a message for the clinic's staff to call back.",
  schema({
    name: { type: "string", description: "The caller's name" },
    callback_number: { type: "string", description: "Only if not the number they call from" },
    reason: { type: "string", description: "What it is about, in a sentence" },
    urgency: { type: "string", enum: ["normal", "urgent"] },
  }, ["name", "reason"]),
);

export const lookupFaqTool = fn(
  T.lookupFaq,
  "Searches the clinic's answers to common questions.",
  schema({ question: { type: "string" } }, ["question"]),
);

function transferTool(phone: string): TransferTool {
  return {
    type: "transferCall",
    function: {
      name: T.transferToHuman,
      description: "Transfers the call to the clinic's staff.",
      parameters: schema({}),
    },
    destinations: [{
      type: "number",
      number: phone,
      message: "",
      description: "The clinic's front desk",
    }],
  };
}

type Mode = "open" | "take_message" | "book_only";

function toolsFor(config: ReceptionistConfig, mode: Mode): Tool[] {
  const phone = config.assistant.escalationPhone;
  return [
    ...bookingTools(config),
    ...(mode === "book_only" ? [] : [takeMessageTool, lookupFaqTool]),
    ...(mode === "open" && phone ? [transferTool(phone)] : []),
    { type: "endCall" },
  ];
}

/** What the prompt leaves to "the ones the system gives you": now, and whether the clinic is open. */
function nowSection(config: ReceptionistConfig, now: Date, mode: Mode): string {
  const zone = config.organisation.timezone;
  const status = openingStatus(openingHoursOf(config), now);
  const [day, time] = timeLabel(zone, now.getTime()).split(", ");
  const lines = [
    "# Now",
    `It is ${time} on ${day} ${localDateOf(zone, now).slice(0, 4)} (${zone}).`,
  ];
  if (mode === "open") {
    lines.push(
      "The clinic is open now" +
        (status.closesAt
          ? ` until ${spokenTime(zone, status.closesAt.getTime(), now.getTime())}.`
          : "."),
    );
  } else {
    const reason = status.closure?.reason ? ` (${oneLine(status.closure.reason)})` : "";
    lines.push(
      `The clinic is closed now${reason}` +
        (status.nextOpensAt
          ? `; it opens again ${spokenTime(zone, status.nextOpensAt.getTime(), now.getTime())}.`
          : "."),
      mode === "book_only"
        ? "Outside opening hours you only book, move and cancel appointments."
        : `Outside opening hours you can book, move and cancel appointments, or take a message ` +
          `with ${T.takeMessage}.`,
    );
  }
  return lines.join("\n");
}

function nameOf(config: ReceptionistConfig): string {
  const full = `${oneLine(config.assistant.assistantName)} – ${oneLine(config.organisation.name)}`;
  const chars = Array.from(full);
  return chars.length <= MAX_NAME_CHARS
    ? full
    : `${chars.slice(0, MAX_NAME_CHARS - 1).join("").trimEnd()}…`;
}

export function buildTransientAssistant(
  config: ReceptionistConfig,
  options: AssistantOptions,
): AssistantAnswer {
  const { assistant: settings } = config;
  const open = openingStatus(openingHoursOf(config), options.now).open;
  const escalation = settings.escalationPhone;
  if (!settings.botEnabled) {
    return escalation
      ? { destination: { type: "number", number: escalation, message: "" } }
      : { error: `Sorry, ${oneLine(config.organisation.name)} cannot take calls just now.` };
  }
  let mode: Mode = "open";
  if (!open) {
    if (settings.afterHours === "transfer" && escalation) {
      return { destination: { type: "number", number: escalation, message: "" } };
    }
    mode = settings.afterHours === "book_only" ? "book_only" : "take_message";
  }
  const language = options.callerLanguage ?? config.organisation.defaultLanguage;
  // Whole FAQ entries leave first when the assistant would be too big, then all of them
  // (lookup_faq still finds them).
  let assistant: TransientAssistant | undefined;
  for (const faqBudgetChars of [DEFAULT_FAQ_BUDGET_CHARS, DEFAULT_FAQ_BUDGET_CHARS / 3, 0]) {
    assistant = assemble(config, options, mode, language, faqBudgetChars);
    if (JSON.stringify(assistant).length <= MAX_ASSISTANT_CHARS) return { assistant };
  }
  // Still too big: the clinic's own free text is what can be that long.
  const trimmed = {
    ...config,
    assistant: { ...settings, extraInstructions: "" },
  };
  return { assistant: assemble(trimmed, options, mode, language, 0) };
}

function assemble(
  config: ReceptionistConfig,
  options: AssistantOptions,
  mode: Mode,
  requestedLanguage: string,
  faqBudgetChars: number,
): TransientAssistant {
  const prompt = buildPrompt(config, requestedLanguage, { channel: "voice", faqBudgetChars });
  const voice = config.assistant.voiceAgent;
  return {
    name: nameOf(config),
    firstMessage: oneLine(prompt.firstMessage),
    firstMessageMode: "assistant-speaks-first",
    model: {
      provider: "openai",
      model: "gpt-4.1-mini",
      messages: [{
        role: "system",
        content: `${prompt.instructions}\n\n${nowSection(config, options.now, mode)}`,
      }],
      tools: toolsFor(config, mode),
      temperature: 0.3,
      maxTokens: 250,
    },
    voice: voice ? { provider: voice.provider, voiceId: voice.providerVoiceId } : DEFAULT_VOICE,
    transcriber: {
      provider: "deepgram",
      model: "nova-3",
      language: prompt.language.split("-")[0].toLowerCase(),
    },
    serverMessages: ["status-update", "end-of-call-report", "tool-calls", "hang"],
    // With the credential, tool calls and events come straight to us; without it the phone
    // number's server (imported with the credential) receives them — never a secret in here.
    ...(options.serverCredentialId
      ? {
        server: {
          url: options.serverUrl,
          timeoutSeconds: 20,
          credentialId: options.serverCredentialId,
        },
      }
      : {}),
    metadata: { organisation_id: options.organisationId, call_id: options.callId },
    maxDurationSeconds: 900,
    artifactPlan: { recordingEnabled: true },
    analysisPlan: { summaryPlan: { enabled: true } },
  };
}
