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

/** A transient assistant the way our vapi function builds one (trimmed). */
export const ASSISTANT = {
  name: "Northside receptionist",
  firstMessage: "Hello, Northside Dental, how can I help?",
  model: {
    provider: "openai",
    model: "gpt-4.1-mini",
    messages: [{ role: "system", content: "You are the receptionist." }],
    tools: [
      {
        type: "function",
        function: {
          name: "check_availability",
          parameters: {
            type: "object",
            properties: { date: { type: "string" }, time: { type: "string" } },
            required: ["date"],
          },
        },
      },
      {
        type: "function",
        function: {
          name: "book_appointment",
          parameters: {
            type: "object",
            properties: {
              start: { type: "string" },
              caller_name: { type: "string" },
              service: { type: "string" },
            },
          },
        },
      },
      {
        type: "function",
        function: {
          name: "find_my_appointments",
          parameters: { type: "object", properties: {} },
        },
      },
      {
        type: "function",
        function: {
          name: "cancel_appointment",
          parameters: { type: "object", properties: { appointment_id: { type: "string" } } },
        },
      },
      {
        type: "function",
        function: {
          name: "take_message",
          parameters: {
            type: "object",
            properties: {
              caller_name: { type: "string" },
              callback_number: { type: "string" },
              reason: { type: "string" },
              urgency: { type: "string", enum: ["normal", "urgent"] },
            },
          },
        },
      },
      {
        type: "transferCall",
        destinations: [{
          type: "number",
          number: "+442079460999",
          message: "Putting you through.",
        }],
      },
    ],
  },
  voice: { provider: "11labs", voiceId: "demo" },
  metadata: { organisation_id: "org-1" },
};

/** Each tool's result: its name and arguments on one line (an id for find_my_appointments). */
export function toolResults(message: Delivered["message"]) {
  const list = message.toolCallList as {
    id: string;
    function: { name: string; arguments: Record<string, unknown> };
  }[];
  return {
    results: list.map((c) => ({
      toolCallId: c.id,
      name: c.function.name,
      result: c.function.name === "find_my_appointments"
        ? "Tuesday the 9th at 10:30 with Dr Hale (id 7b0d9f53-4a0e-4d55-8f3e-2c41a7e3c001)."
        : `${c.function.name} done with ${JSON.stringify(c.function.arguments)}`,
    })),
  };
}

export async function testSandbox(opts: {
  answer?: (message: Delivered["message"]) => unknown | Response;
  now?: number;
  dataFile?: string | null;
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
      path,
    );
  return { sandbox, delivered, request };
}
