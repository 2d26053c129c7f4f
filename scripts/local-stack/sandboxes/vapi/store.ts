// The sandbox's state: imported phone numbers and calls (with their transcripts). Kept in memory
// and written to a JSON file after each change (when given one), so a `dev` restart keeps them.
import type { Assistant, Destination } from "./schema.ts";
import { StateFile } from "../state_file.ts";

/** Vapi's Server object, as the phone number (or an assistant, or a tool) carries it. */
export interface Server {
  url: string;
  timeoutSeconds?: number;
  credentialId?: string;
  headers?: Record<string, string>;
}

/** A Twilio number imported into Vapi. The auth token stays here, never in an answer. */
export interface PhoneNumber {
  id: string;
  orgId: string;
  provider: "twilio";
  number: string;
  name?: string;
  twilioAccountSid: string;
  twilioAuthToken?: string;
  twilioApiKey?: string;
  twilioApiSecret?: string;
  assistantId?: string;
  server?: Server;
  fallbackDestination?: Destination;
  smsEnabled: boolean;
  status: "active";
  createdAt: string;
  updatedAt: string;
}

/** One artifact message (Vapi's roles: bot, user, tool_call_result, system). */
export interface CallMessage {
  role: "bot" | "user" | "tool_calls" | "tool_call_result" | "system";
  message?: string;
  /** tool_calls: the calls made; tool_call_result: the one answered. */
  toolCalls?: unknown[];
  name?: string;
  result?: string;
  toolCallId?: string;
  time: number;
  secondsFromStart: number;
}

export type CallStatus = "queued" | "ringing" | "in-progress" | "forwarding" | "ended";

export interface Call {
  id: string;
  orgId: string;
  type: "inboundPhoneCall" | "outboundPhoneCall";
  status: CallStatus;
  phoneNumberId: string | null;
  phoneCallProvider: "twilio";
  phoneCallProviderId: string | null;
  phoneCallTransport: "pstn";
  customer: { number: string };
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  endedAt?: string;
  endedReason?: string;
  /** The assistant the server returned (transient), as accepted. */
  assistant?: Assistant;
  destination?: Destination;
  messages: CallMessage[];
  summary?: string;
  cost?: number;
  recordingUrl?: string;
  /** What the sandbox found wrong in the server's answers (as Vapi's call log would show). */
  problems: string[];
  /** Simulated seconds since the call started (each turn takes a few). */
  seconds: number;
}

interface Persisted {
  phoneNumbers: PhoneNumber[];
  calls: Call[];
}

/** The org every sandbox resource belongs to (one API key, one org). */
export const ORG_ID = "00000000-0000-4000-8000-00000000a91d";

/** Calls kept (oldest forgotten first): a benchmark makes thousands. */
const KEEP_CALLS = 500;

export class Store {
  phoneNumbers = new Map<string, PhoneNumber>();
  calls = new Map<string, Call>();
  // Twilio auth tokens are in it.
  #file: StateFile<Persisted>;

  constructor(file: string | null, readonly now: () => number = Date.now) {
    this.#file = new StateFile(file, "vapi sandbox");
  }

  static async open(file: string | null, now?: () => number): Promise<Store> {
    const store = new Store(file, now);
    const data = await store.#file.read();
    if (!data) return store;
    for (const p of data.phoneNumbers) store.phoneNumbers.set(p.id, p);
    for (const c of data.calls) store.calls.set(c.id, c);
    return store;
  }

  /** Writes the state soon (one write at a time, the last state wins). */
  changed(): void {
    while (this.calls.size > KEEP_CALLS) this.calls.delete(this.calls.keys().next().value!);
    this.#file.changed(() => ({
      phoneNumbers: [...this.phoneNumbers.values()],
      calls: [...this.calls.values()],
    }));
  }

  flush(): Promise<void> {
    return this.#file.flush();
  }

  iso(): string {
    return new Date(this.now()).toISOString();
  }

  /** A new call on `phone`, stored. */
  newCall(
    phone: PhoneNumber,
    fields: Pick<Call, "type" | "status" | "phoneCallProviderId" | "customer">,
  ): Call {
    const now = this.iso();
    const call: Call = {
      ...fields,
      id: crypto.randomUUID(),
      orgId: ORG_ID,
      phoneNumberId: phone.id,
      phoneCallProvider: "twilio",
      phoneCallTransport: "pstn",
      createdAt: now,
      updatedAt: now,
      messages: [],
      problems: [],
      seconds: 0,
    };
    this.calls.set(call.id, call);
    this.changed();
    return call;
  }

  numberByE164(e164: string): PhoneNumber | undefined {
    return [...this.phoneNumbers.values()].find((p) => p.number === e164);
  }
}
