// A simulated inbound call, as Vapi runs one for a number imported without an assistant:
// `assistant-request` to the number's server URL (with the server credential), the answer checked
// against Vapi's rules, then the conversation — caller lines from a script or typed live, turned
// into `tool-calls` by rules.ts, the assistant speaking the results — `status-update`s, and an
// `end-of-call-report` with the transcript, a summary, a recording the sandbox serves and a cost.
// Transfers (a `transferCall` tool or a `destination` answer) end the call as forwarded.
import type { SandboxContext } from "./context.ts";
import { delayFor } from "../faults.ts";
import {
  assistantRequest,
  endOfCallReport,
  type Envelope,
  statusUpdate,
  type ToolCall,
  toolCalls,
  transferDestinationRequest,
  wants,
} from "./messages.ts";
import { argumentsFor, factsOf, type Intent, intentOf, missesId, toolsFor } from "./rules.ts";
import {
  type Destination,
  destination as destinationSchema,
  type FunctionTool,
  readAssistantAnswer,
  type TransferTool,
} from "./schema.ts";
import type { Call, CallMessage, PhoneNumber, Server } from "./store.ts";

export interface InboundCall {
  /** The called number (E.164), as Twilio hands it over. */
  number: string;
  callSid: string;
  from: string;
  /** Caller lines played in order, then the caller hangs up; absent = a live call. */
  script?: string[];
}

export type InboundResult =
  | { handled: true; callId: string }
  | { handled: false; reason: string };

/** Vapi keeps 7.5 s for the answer to assistant-request, fixed (PROVIDERS §1.2). */
const ASSISTANT_REQUEST_TIMEOUT_MS = 7500;

const random = (n: number) =>
  Array.from(
    crypto.getRandomValues(new Uint8Array(n)),
    (b) => "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[b % 62],
  ).join("");

/** What the sandbox says where Vapi's model would improvise. */
const SAY = {
  chat: "I can book, move or cancel an appointment for you, or take a message.",
  noTool: "I'm sorry, I can't do that on the phone, but I can take a message.",
  noResult: "I'm sorry, something went wrong on our side.",
  transfer: "Transferring the call now",
  goodbye: "Goodbye.",
};

const SUMMARY: Record<Intent, string> = {
  book: "asked to book an appointment",
  reschedule: "asked to move an appointment",
  cancel: "asked to cancel an appointment",
  message: "left a message",
  transfer: "asked for a person",
  question: "asked a question",
  goodbye: "",
  chat: "",
};

export class Calls {
  /** Per live call, the turn in progress (lines are played one at a time). */
  #turns = new Map<string, Promise<unknown>>();
  #intents = new Map<string, Intent[]>();
  /** Per live call, the tool results so far (ids for later tool calls are read off them). */
  #results = new Map<string, string[]>();

  /** Per live call, the timer that ends it when the caller says nothing for a while. */
  #silence = new Map<string, ReturnType<typeof setTimeout>>();

  /** `silenceMs`: how long a live call waits for the caller's next line (Vapi: silenceTimeoutSeconds). */
  constructor(readonly ctx: SandboxContext, readonly silenceMs = 10 * 60 * 1000) {}

  /** A call reaching a number imported into Vapi (the Twilio sandbox calls this). */
  async answerInbound(inbound: InboundCall): Promise<InboundResult> {
    const { store, faults, log } = this.ctx;
    const fault = faults.take("inbound");
    if (await delayFor(fault)) {
      log.add({
        method: "CALL",
        endpoint: "inbound",
        status: fault!.status ?? 503,
        account: inbound.number,
        fault: fault!.id,
      });
      return { handled: false, reason: "Vapi is unavailable (sandbox fault)" };
    }
    const phone = store.numberByE164(inbound.number);
    if (!phone?.server) {
      return {
        handled: false,
        reason: phone ? "the number has no server URL" : "the number is not imported into Vapi",
      };
    }
    const call = store.newCall(phone, {
      type: "inboundPhoneCall",
      status: "ringing",
      phoneCallProviderId: inbound.callSid,
      customer: { number: inbound.from },
    });
    log.add({
      method: "CALL",
      endpoint: "inbound",
      status: 200,
      account: phone.number,
      fault: null,
    });
    await this.#turn(call.id, () => this.#start(call, phone, inbound.script));
    return { handled: true, callId: call.id };
  }

  /** The caller says a line in a live call; resolves once the assistant has answered it. */
  say(callId: string, line: string): Promise<Call> {
    return this.#turn(callId, async () => {
      const { call, phone } = this.#live(callId);
      await this.#line(call, phone, line);
      if (call.status === "in-progress") this.#awaitCaller(call, phone);
      return call;
    });
  }

  /** The caller hangs up a live call. */
  hangUp(callId: string): Promise<Call> {
    return this.#turn(callId, async () => {
      const { call, phone } = this.#live(callId);
      await this.#end(call, phone, "customer-ended-call");
      return call;
    });
  }

  /** Resolves when every turn started so far is done. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#turns.values()]);
  }

  #live(callId: string): { call: Call; phone: PhoneNumber } {
    const call = this.ctx.store.calls.get(callId);
    if (!call) throw new CallRefused(404, "no such call");
    if (call.status !== "in-progress") throw new CallRefused(409, "the call has ended");
    const phone = this.ctx.store.phoneNumbers.get(call.phoneNumberId ?? "");
    if (!phone) throw new CallRefused(409, "the call's phone number was deleted");
    return { call, phone };
  }

  #turn<T>(callId: string, act: () => Promise<T>): Promise<T> {
    const previous = this.#turns.get(callId) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(act);
    this.#turns.set(callId, next);
    next.finally(() => {
      if (this.#turns.get(callId) === next) this.#turns.delete(callId);
    }).catch(() => {});
    return next;
  }

  async #start(call: Call, phone: PhoneNumber, script?: string[]): Promise<void> {
    const answer = await this.#post(
      phone.server!,
      assistantRequest(this.#envelope(call, phone)),
      "assistant-request",
      phone,
      ASSISTANT_REQUEST_TIMEOUT_MS,
    );
    if (!answer.ok) {
      call.problems.push(`assistant-request failed: ${answer.problem}`);
      if (phone.fallbackDestination) {
        return await this.#forward(
          call,
          phone,
          phone.fallbackDestination,
          "assistant-request-failed",
        );
      }
      return await this.#end(call, phone, "assistant-request-failed");
    }
    const read = readAssistantAnswer(answer.body);
    switch (read.kind) {
      case "invalid":
        call.problems.push(...read.problems);
        return await this.#end(call, phone, read.endedReason);
      case "error":
        this.#speak(call, "bot", read.error);
        return await this.#end(call, phone, "assistant-request-returned-error");
      case "destination":
        return await this.#forward(call, phone, read.destination, "assistant-forwarded-call");
    }
    call.assistant = read.assistant;
    call.status = "in-progress";
    call.startedAt = this.ctx.store.iso();
    await this.#notify(call, phone, "status-update", statusUpdate);
    if (read.assistant.firstMessageMode !== "assistant-waits-for-user") {
      this.#speak(call, "bot", read.assistant.firstMessage || "Hello.");
    }
    if (script === undefined) return this.#awaitCaller(call, phone);
    for (const line of script) {
      if (call.status !== "in-progress") break;
      await this.#line(call, phone, line);
    }
    if (call.status === "in-progress") await this.#end(call, phone, "customer-ended-call");
  }

  async #line(call: Call, phone: PhoneNumber, line: string): Promise<void> {
    const assistant = call.assistant!;
    this.#speak(call, "user", line);
    const intent = intentOf(line);
    this.#intents.set(call.id, [...(this.#intents.get(call.id) ?? []), intent]);
    const tools = assistant.model.tools ?? [];
    if (intent === "goodbye") {
      this.#speak(call, "bot", String(assistant.endCallMessage ?? SAY.goodbye));
      return await this.#end(call, phone, "customer-ended-call");
    }
    if (intent === "transfer") {
      const transfer = tools.find((t): t is TransferTool => t.type === "transferCall");
      if (transfer) return await this.#transfer(call, phone, transfer);
    }
    if (intent === "chat") return this.#speak(call, "bot", SAY.chat);
    const functions = tools.filter((t): t is FunctionTool => t.type === "function");
    const chain = toolsFor(intent, functions);
    if (chain.length === 0) return this.#speak(call, "bot", SAY.noTool);
    for (const tool of chain) {
      const results = this.#results.get(call.id) ?? [];
      const facts = factsOf(line, call.customer.number, this.ctx.store.now(), results);
      const args = argumentsFor(tool, facts);
      // Nothing earlier named what this tool needs (no slot at the time asked): read that out.
      if (tool !== chain[0] && missesId(tool, args)) {
        return this.#speak(call, "bot", results.at(-1) ?? SAY.noTool);
      }
      const toolCall: ToolCall = {
        id: `call_${random(24)}`,
        type: "function",
        function: { name: tool.function.name, arguments: args },
      };
      call.messages.push(this.#message(call, { role: "tool_calls", toolCalls: [toolCall] }, 1));
      const answer = await this.#post(
        tool.server ?? assistant.server ?? phone.server!,
        toolCalls(this.#envelope(call, phone), [{ tool, toolCall }]),
        "tool-calls",
        phone,
      );
      const outcome = answer.ok ? resultFor(answer.body, toolCall.id) : { problem: answer.problem };
      if ("problem" in outcome) {
        call.problems.push(`${tool.function.name}: ${outcome.problem}`);
        return this.#speak(call, "bot", SAY.noResult);
      }
      call.messages.push(this.#message(call, {
        role: "tool_call_result",
        name: tool.function.name,
        toolCallId: toolCall.id,
        result: outcome.text,
      }, 1));
      this.#results.set(call.id, [...results, outcome.text]);
      // The model reads the result out; an error ends the chain (nothing to build on).
      if (outcome.failed || tool === chain[chain.length - 1]) {
        return this.#speak(call, "bot", outcome.text);
      }
    }
  }

  async #transfer(call: Call, phone: PhoneNumber, tool: TransferTool): Promise<void> {
    let destination: Destination | undefined = tool.destinations?.[0];
    if (!destination) {
      const answer = await this.#post(
        call.assistant!.server ?? phone.server!,
        transferDestinationRequest(this.#envelope(call, phone)),
        "transfer-destination-request",
        phone,
      );
      const parsed = answer.ok
        ? destinationSchema.safeParse((answer.body as { destination?: unknown })?.destination)
        : null;
      if (!parsed?.success) {
        call.problems.push("transfer-destination-request: no valid destination");
        return this.#speak(call, "bot", SAY.noTool);
      }
      destination = parsed.data;
    }
    await this.#forward(call, phone, destination, "assistant-forwarded-call");
  }

  async #forward(
    call: Call,
    phone: PhoneNumber,
    destination: Destination,
    endedReason: string,
  ): Promise<void> {
    if (destination.message !== "") this.#speak(call, "bot", destination.message ?? SAY.transfer);
    call.destination = destination;
    call.startedAt ??= this.ctx.store.iso();
    call.status = "forwarding";
    this.#intents.set(call.id, [...(this.#intents.get(call.id) ?? []), "transfer"]);
    await this.#notify(call, phone, "status-update", statusUpdate);
    await this.#end(call, phone, endedReason);
  }

  /** A live call left silent ends as Vapi ends one (an abandoned test call does not stay live). */
  #awaitCaller(call: Call, phone: PhoneNumber): void {
    clearTimeout(this.#silence.get(call.id));
    const timer = setTimeout(() => {
      this.#turn(call.id, async () => {
        if (call.status === "in-progress") await this.#end(call, phone, "silence-timed-out");
      }).catch(() => {});
    }, this.silenceMs);
    // A stack stopping does not wait for silent callers (Deno's timers are numbers).
    Deno.unrefTimer(Number(timer));
    this.#silence.set(call.id, timer);
    this.ctx.store.changed();
  }

  async #end(call: Call, phone: PhoneNumber, endedReason: string): Promise<void> {
    clearTimeout(this.#silence.get(call.id));
    this.#silence.delete(call.id);
    const startedAt = call.startedAt ?? this.ctx.store.iso();
    call.startedAt = startedAt;
    call.status = "ended";
    call.endedReason = endedReason;
    call.endedAt = new Date(Date.parse(startedAt) + call.seconds * 1000).toISOString();
    call.updatedAt = this.ctx.store.iso();
    call.cost = Math.round((0.02 + 0.0015 * call.seconds) * 10000) / 10000;
    call.summary = summaryOf(call, this.#intents.get(call.id) ?? []);
    if (call.assistant && call.assistant.artifactPlan?.recordingEnabled !== false) {
      call.recordingUrl = `${this.ctx.baseUrl}/recordings/${call.id}.wav`;
    }
    this.#intents.delete(call.id);
    this.#results.delete(call.id);
    await this.#notify(call, phone, "status-update", statusUpdate);
    await this.#notify(call, phone, "end-of-call-report", endOfCallReport);
    this.ctx.store.changed();
  }

  #envelope(call: Call, phone: PhoneNumber): Envelope {
    return { call, phoneNumber: phone, now: this.ctx.store.now() };
  }

  /** Sends an informational message where the assistant (or the number) wants it. */
  async #notify(
    call: Call,
    phone: PhoneNumber,
    type: string,
    build: (e: Envelope) => unknown,
  ): Promise<void> {
    call.updatedAt = this.ctx.store.iso();
    if (!wants(call.assistant, type)) return;
    const answer = await this.#post(
      call.assistant?.server ?? phone.server!,
      build(this.#envelope(call, phone)),
      type,
      phone,
    );
    if (!answer.ok) call.problems.push(`${type}: ${answer.problem}`);
  }

  /** A turn of speech; each takes simulated time (about 2.5 words a second, at least 2 s). */
  #speak(call: Call, role: "bot" | "user", text: string): void {
    const seconds = Math.max(2, Math.ceil(text.split(/\s+/).length / 2.5));
    call.messages.push(this.#message(call, { role, message: text }, seconds));
    call.updatedAt = this.ctx.store.iso();
    this.ctx.store.changed();
  }

  #message(
    call: Call,
    fields: Omit<CallMessage, "time" | "secondsFromStart">,
    seconds: number,
  ): CallMessage {
    const message = {
      ...fields,
      time: Date.parse(call.startedAt ?? call.createdAt) + call.seconds * 1000,
      secondsFromStart: call.seconds,
    };
    call.seconds += seconds;
    return message;
  }

  /** POSTs a server message with the server's credential; never logs the body. */
  async #post(
    server: Server,
    body: unknown,
    type: string,
    phone: PhoneNumber,
    timeoutMs = (server.timeoutSeconds ?? 20) * 1000,
  ): Promise<{ ok: true; body: unknown } | { ok: false; problem: string }> {
    const headers = new Headers({ "content-type": "application/json" });
    const own = Object.entries(server.headers ?? {});
    // An Authorization header on the server overrides the credential (PROVIDERS §1.1).
    if (!own.some(([k]) => k.toLowerCase() === "authorization")) {
      headers.set("x-vapi-secret", this.ctx.serverSecret);
    }
    for (const [k, v] of own) headers.set(k, v);
    let status = 0;
    try {
      const res = await this.ctx.fetch(server.url, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      const text = await res.text();
      if (!res.ok) return { ok: false, problem: `the server answered ${res.status}` };
      if (text.trim() === "") return { ok: true, body: null };
      try {
        return { ok: true, body: JSON.parse(text) };
      } catch {
        return { ok: false, problem: "the server's answer is not JSON" };
      }
    } catch (e) {
      const timedOut = e instanceof DOMException && e.name === "TimeoutError";
      return {
        ok: false,
        problem: timedOut ? `no answer within ${timeoutMs} ms` : "the server could not be reached",
      };
    } finally {
      this.ctx.log.add({
        method: "POST",
        endpoint: `webhook ${type}`,
        status,
        account: phone.number,
        fault: null,
      });
    }
  }
}

/** A refusal of a control request on a call (the status to answer with). */
export class CallRefused extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * The result for `toolCallId` in a tool-calls answer, checked as Vapi does
 * (custom-tools-troubleshooting.mdx): `results[]` with the exact id, `result` or `error` a
 * single-line string; anything else is "No result returned".
 */
export function resultFor(
  body: unknown,
  toolCallId: string,
): { text: string; failed: boolean } | { problem: string } {
  const results = (body as { results?: unknown })?.results;
  if (!Array.isArray(results)) return { problem: "No result returned (no results array)" };
  const entry = results.find((r) => r?.toolCallId === toolCallId);
  if (!entry) return { problem: `No result returned (no result for ${toolCallId})` };
  const value = typeof entry.error === "string" ? entry.error : entry.result;
  if (typeof value !== "string") return { problem: "No result returned (result is not a string)" };
  if (/[\r\n]/.test(value)) return { problem: "the result has line breaks (parsing error)" };
  return { text: value, failed: typeof entry.error === "string" };
}

function summaryOf(call: Call, intents: Intent[]): string {
  const did = [...new Set(intents.map((i) => SUMMARY[i]).filter(Boolean))];
  const who = `The caller (${call.customer.number})`;
  if (call.endedReason?.startsWith("assistant-request")) {
    return `${who} could not be answered: ${call.endedReason}.`;
  }
  const forwarded = call.destination?.type === "number"
    ? ` The call was transferred to ${call.destination.number}.`
    : call.destination
    ? " The call was transferred."
    : "";
  return did.length > 0
    ? `${who} ${did.join(", then ")}.${forwarded}`
    : `${who} called; nothing was asked.${forwarded}`;
}
