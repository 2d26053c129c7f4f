// The Twilio sandbox's state: accounts (SID + auth token), their incoming phone numbers with the
// voice URLs Twilio would request, and the calls placed through the control API with what the
// caller heard. Accounts and numbers are kept in a JSON file between starts (so URLs a connect
// job set survive a `dev` restart); calls and recordings live in memory.

import { StateFile } from "../state_file.ts";

export interface Account {
  sid: string;
  authToken: string;
  friendlyName: string;
}

export interface IncomingNumber {
  sid: string;
  accountSid: string;
  phoneNumber: string;
  friendlyName: string;
  voiceUrl: string;
  voiceMethod: "GET" | "POST";
  voiceFallbackUrl: string;
  voiceFallbackMethod: "GET" | "POST";
  statusCallback: string;
  statusCallbackMethod: "GET" | "POST";
  dateCreated: number;
  dateUpdated: number;
}

/** One thing that happened on a call, in order (what the console and tests read). */
export type CallStep =
  | { verb: "vapi"; handled: boolean; detail: string }
  | { verb: "request"; url: string; status: number; purpose: string }
  | { verb: "say"; text: string; language: string | null; voice: string | null }
  | { verb: "dial"; number: string; result: string }
  | { verb: "record"; recordingSid: string | null; seconds: number }
  | { verb: "redirect"; url: string }
  | { verb: "hangup" }
  | { verb: "application-error"; detail: string };

export interface Recording {
  sid: string;
  accountSid: string;
  callSid: string;
  seconds: number;
  /** What the caller said (the script's lines), for the console. */
  text: string;
  createdAt: number;
}

export interface Call {
  sid: string;
  accountSid: string;
  from: string;
  to: string;
  status: "ringing" | "in-progress" | "completed" | "busy" | "failed" | "no-answer";
  /** Who took the call: Vapi (the number's voice URL) or the number's voice fallback URL. */
  answeredBy: "vapi" | "fallback" | null;
  vapiCallId: string | null;
  steps: CallStep[];
  startedAt: number;
  endedAt: number | null;
  /** Simulated seconds the call lasted (speech, recording, dialled leg). */
  seconds: number;
}

/** Demo accounts with the tokens supabase/seed.sql stores for them (private.store_credential). */
export const DEMO_ACCOUNTS: {
  account: Account;
  numbers: { phoneNumber: string; name: string }[];
}[] = [
  {
    account: {
      sid: "ACdb526de9a50c358f82d03e0713174f62",
      authToken: "demo-secret-twilio-northside-7a1c",
      friendlyName: "Northside Dental",
    },
    numbers: [{ phoneNumber: "+442079460123", name: "Reception line" }],
  },
  {
    account: {
      sid: "AC7ce37dc3cbaed18c8f4d14f559ef2ead",
      authToken: "demo-secret-twilio-riverside-3d8b",
      friendlyName: "Riverside Physio",
    },
    numbers: [{ phoneNumber: "+37167000123", name: "Reception (voice and SMS)" }],
  },
];

const hex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0"))
    .join("");

/** A Twilio SID: two letters and 32 hex digits. */
export const newSid = (prefix: "CA" | "RE" | "PN" | "AC") => `${prefix}${hex(16)}`;

/** A stable number SID per account and number (the same after a reset, like the real one). */
async function numberSid(accountSid: string, phoneNumber: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(`${accountSid} ${phoneNumber}`),
  );
  return "PN" +
    Array.from(new Uint8Array(digest).slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join(
      "",
    );
}

export class Store {
  accounts = new Map<string, Account>();
  numbers = new Map<string, IncomingNumber>();
  calls = new Map<string, Call>();
  recordings = new Map<string, Recording>();
  /** Accounts and numbers (calls are not kept). */
  #file: StateFile<{ accounts?: Account[]; numbers?: IncomingNumber[] }>;

  private constructor(file: string | null, readonly now: () => number) {
    this.#file = new StateFile(file, "twilio sandbox");
  }

  static async open(file: string | null, now: () => number = Date.now): Promise<Store> {
    const store = new Store(file, now);
    const saved = await store.#file.read();
    for (const a of saved?.accounts ?? []) store.accounts.set(a.sid, a);
    for (const n of saved?.numbers ?? []) store.numbers.set(n.sid, n);
    return store;
  }

  upsertAccount(account: Account): Account {
    this.accounts.set(account.sid, { ...account });
    this.changed();
    return account;
  }

  async addNumber(
    accountSid: string,
    phoneNumber: string,
    fields: Partial<IncomingNumber> = {},
  ): Promise<IncomingNumber> {
    const sid = await numberSid(accountSid, phoneNumber);
    const existing = this.numbers.get(sid);
    if (existing) return existing;
    const now = this.now();
    const number: IncomingNumber = {
      sid,
      accountSid,
      phoneNumber,
      friendlyName: phoneNumber,
      voiceUrl: "",
      voiceMethod: "POST",
      voiceFallbackUrl: "",
      voiceFallbackMethod: "POST",
      statusCallback: "",
      statusCallbackMethod: "POST",
      ...fields,
      dateCreated: now,
      dateUpdated: now,
    };
    this.numbers.set(sid, number);
    this.changed();
    return number;
  }

  numberByPhone(phoneNumber: string): IncomingNumber | undefined {
    return [...this.numbers.values()].find((n) => n.phoneNumber === phoneNumber);
  }

  changed(): void {
    this.#file.changed(() => ({
      accounts: [...this.accounts.values()],
      numbers: [...this.numbers.values()],
    }));
  }

  flush(): Promise<void> {
    return this.#file.flush();
  }
}
