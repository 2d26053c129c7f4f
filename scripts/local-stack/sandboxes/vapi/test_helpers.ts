// A Vapi sandbox in memory for unit tests: a fixed clock, and a fake server URL whose answers
// tests choose per message type, every delivered message captured (URL, headers, body).
import { createVapiSandbox } from "./mod.ts";

export const API_KEY = "3c7e62b1-51a4-4c8f-9a55-1d2e0f9b7a11";
export const SERVER_SECRET = "test-server-secret";
export const SERVER_URL = "http://server.test/functions/v1/vapi";
export const NUMBER = "+442079460123";
export const CALLER = "+447700900555";

export interface Delivered {
  url: string;
  headers: Record<string, string>;
  message: Record<string, unknown> & { type: string };
}

const DATE = { type: "string", description: "A local date, YYYY-MM-DD" };
const fn = (name: string, properties: Record<string, unknown>, required: string[] = []) => ({
  type: "function",
  function: { name, description: name, parameters: { type: "object", properties, required } },
});

/** A transient assistant shaped like the one our vapi function builds (_shared/domain/assistant.ts). */
export const ASSISTANT = {
  name: "Northside receptionist",
  firstMessage: "Hello, Northside Dental, how can I help?",
  model: {
    provider: "openai",
    model: "gpt-4.1-mini",
    messages: [{ role: "system", content: "You are the receptionist." }],
    tools: [
      fn("check_availability", {
        service: { type: "string", enum: ["Check-up", "Hygiene visit"] },
        from: DATE,
        to: DATE,
        preference: { type: "string", enum: ["morning", "afternoon", "evening"] },
        practitioner: { type: "string" },
      }, ["service", "from"]),
      fn("book_appointment", {
        slot_id: { type: "string" },
        name: { type: "string" },
        phone: { type: "string" },
      }, ["slot_id", "name"]),
      fn("find_my_appointments", {}),
      fn("cancel_appointment", {
        appointment_id: { type: "string" },
        reason: { type: "string" },
      }, ["appointment_id"]),
      fn("reschedule_appointment", {
        appointment_id: { type: "string" },
        slot_id: { type: "string" },
      }, ["appointment_id", "slot_id"]),
      fn("take_message", {
        name: { type: "string" },
        callback_number: { type: "string" },
        reason: { type: "string" },
        urgency: { type: "string", enum: ["normal", "urgent"] },
      }, ["name", "reason"]),
      fn("lookup_faq", { question: { type: "string" } }, ["question"]),
      {
        type: "transferCall",
        function: { name: "transfer_to_human", parameters: { type: "object", properties: {} } },
        destinations: [{
          type: "number",
          number: "+442079460999",
          message: "Putting you through.",
        }],
      },
      { type: "endCall" },
    ],
  },
  voice: { provider: "11labs", voiceId: "demo" },
  metadata: { organisation_id: "org-1" },
};

/** Results worded like our tools': offers and appointments carry their ids. */
export function toolResults(message: Delivered["message"]) {
  const list = message.toolCallList as {
    id: string;
    function: { name: string; arguments: Record<string, unknown> };
  }[];
  const said: Record<string, string> = {
    check_availability:
      "Free times for Check-up: tomorrow at 10:00 with Dr Hale (slot_id s-1000); " +
      "tomorrow at 10:30 with Dr Hale (slot_id s-1030). Offer these; book with the slot_id.",
    find_my_appointments:
      "A Check-up on Tuesday the 9th at 10:30 with Dr Hale (appointment_id 7b0d9f53-4a0e-4d55-8f3e-2c41a7e3c001).",
  };
  return {
    results: list.map((c) => ({
      toolCallId: c.id,
      name: c.function.name,
      result: said[c.function.name] ??
        `${c.function.name} done with ${JSON.stringify(c.function.arguments)}`,
    })),
  };
}

export async function testSandbox(opts: {
  answer?: (message: Delivered["message"]) => unknown | Response;
  now?: number;
  dataFile?: string | null;
  silenceMs?: number;
} = {}) {
  const delivered: Delivered[] = [];
  const answer = opts.answer ??
    ((m: Delivered["message"]) =>
      m.type === "assistant-request"
        ? { assistant: ASSISTANT }
        : m.type === "tool-calls"
        ? toolResults(m)
        : {});
  const sandbox = await createVapiSandbox({
    dataFile: opts.dataFile ?? null,
    baseUrl: "http://127.0.0.1:54321/_local/vapi",
    apiKey: API_KEY,
    serverSecret: SERVER_SECRET,
    functionsUrl: "http://server.test/functions/v1",
    now: () => opts.now ?? Date.parse("2026-12-02T10:00:00Z"),
    silenceMs: opts.silenceMs,
    fetch: async (url, init) => {
      const message = JSON.parse(String(init?.body)).message;
      delivered.push({
        url: String(url),
        headers: Object.fromEntries(new Headers(init?.headers).entries()),
        message,
      });
      const out = await answer(message);
      return out instanceof Response ? out : Response.json(out);
    },
  });
  const request = (method: string, path: string, body?: unknown, key = API_KEY) =>
    sandbox.handle(
      new Request(`http://127.0.0.1:54321/_local/vapi${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
      path.split("?")[0],
    );
  return { sandbox, delivered, request };
}
