// The Meta sandbox's state: apps (secret, verify token, callback URL), business phone numbers
// (which app they belong to, the access token Graph accepts for them), what our side sent
// (the outbox, with the statuses posted back), inbound messages posted to our side, read marks,
// and media objects made for inbound media. Everything is kept in a JSON file of the stack's
// data folder (media bytes too; the outbox and inbound lists keep their last 500 entries).
import { StateFile } from "../state_file.ts";

export interface MetaApp {
  /** The platform app: "platform"; a clinic's own app: its meta_apps.id. */
  id: string;
  secret: string;
  verifyToken: string | null;
  callbackUrl: string;
}

export interface BusinessNumber {
  /** Graph's phone_number_id. */
  id: string;
  wabaId: string;
  /** Digits, as Meta writes metadata.display_phone_number. */
  displayPhoneNumber: string;
  /** The access token Graph accepts for this number; null: none set yet (every send is 190). */
  token: string | null;
  appId: string;
}

export type StatusName = "sent" | "delivered" | "read" | "failed";

export interface GraphErrorItem {
  code: number;
  title: string;
  message: string;
  error_data: { details: string };
  href: string;
}

/** A message our side sent through Graph. */
export interface SentMessage {
  id: string;
  phoneNumberId: string;
  to: string;
  type: string;
  /** What a person reads: the text, an interactive body, a template name. */
  text: string;
  /** The request body as sent (no token in it). */
  request: Record<string, unknown>;
  at: number;
  /** Status webhooks posted back: status, our function's HTTP status (0 = no answer). */
  statuses: { status: StatusName; at: number; httpStatus: number; errorCode?: number }[];
}

/** A message the sandbox posted to our side as a patient. */
export interface InboundRecord {
  id: string;
  phoneNumberId: string;
  from: string;
  name: string | null;
  type: string;
  text: string;
  at: number;
  /** Our function's HTTP status per delivery (0 = no answer). */
  httpStatuses: number[];
}

/** A read mark (optionally with the typing indicator) our side sent. */
export interface ReadMark {
  phoneNumberId: string;
  messageId: string;
  typing: boolean;
  at: number;
}

export interface MediaObject {
  id: string;
  phoneNumberId: string;
  mimeType: string;
  sha256: string;
  /** base64 */
  bytes: string;
  filename: string | null;
  at: number;
}

/** Demo apps and numbers as supabase/seed.sql stores them (Northside has its own app). */
export const NORTHSIDE_APP_ID = "a0000000-0000-4000-8000-000000000001";
export const DEMO_NUMBERS: Omit<BusinessNumber, "appId">[] = [
  {
    id: "106540352242922",
    wabaId: "102290129340398",
    displayPhoneNumber: "447700900123",
    token: "demo-secret-meta-northside-e4f2",
  },
  {
    id: "113907584401237",
    wabaId: "109876543210987",
    displayPhoneNumber: "37120000123",
    token: "demo-secret-meta-riverside-91c4",
  },
];
export const DEMO_NORTHSIDE_APP = {
  id: NORTHSIDE_APP_ID,
  secret: "demo-secret-meta-app-northside-55d0",
  verifyToken: "demo-verify-northside-2b7e",
};

const KEEP = 500;

interface Saved {
  apps?: MetaApp[];
  numbers?: BusinessNumber[];
  outbox?: SentMessage[];
  inbound?: InboundRecord[];
  reads?: ReadMark[];
  media?: MediaObject[];
}

export class Store {
  apps = new Map<string, MetaApp>();
  numbers = new Map<string, BusinessNumber>();
  outbox: SentMessage[] = [];
  inbound: InboundRecord[] = [];
  reads: ReadMark[] = [];
  media = new Map<string, MediaObject>();
  #file: StateFile<Saved>;

  private constructor(file: string | null, readonly now: () => number) {
    this.#file = new StateFile(file, "meta sandbox");
  }

  static async open(file: string | null, now: () => number = Date.now): Promise<Store> {
    const store = new Store(file, now);
    const saved = await store.#file.read();
    for (const a of saved?.apps ?? []) store.apps.set(a.id, a);
    for (const n of saved?.numbers ?? []) store.numbers.set(n.id, n);
    for (const m of saved?.media ?? []) store.media.set(m.id, m);
    store.outbox = saved?.outbox ?? [];
    store.inbound = saved?.inbound ?? [];
    store.reads = saved?.reads ?? [];
    return store;
  }

  /** The app a number belongs to; unknown numbers go through the platform app. */
  appFor(phoneNumberId: string): MetaApp {
    const number = this.numbers.get(phoneNumberId);
    return this.apps.get(number?.appId ?? "platform") ?? this.apps.get("platform")!;
  }

  sent(message: SentMessage): void {
    this.outbox.push(message);
    if (this.outbox.length > KEEP) this.outbox.shift();
    this.changed();
  }

  received(record: InboundRecord): void {
    this.inbound.push(record);
    if (this.inbound.length > KEEP) this.inbound.shift();
    this.changed();
  }

  read(mark: ReadMark): void {
    this.reads.push(mark);
    if (this.reads.length > KEEP) this.reads.shift();
    this.changed();
  }

  changed(): void {
    this.#file.changed(() => ({
      apps: [...this.apps.values()],
      numbers: [...this.numbers.values()],
      outbox: this.outbox,
      inbound: this.inbound,
      reads: this.reads,
      // Media made in the last 7 days (Meta's media ids expire then).
      media: [...this.media.values()].filter((m) => m.at > this.now() - 7 * 86_400_000),
    }));
  }

  flush(): Promise<void> {
    return this.#file.flush();
  }
}
