// The sandbox's state: accounts and their calendars, events, OAuth grants and tokens, watch
// channels. Kept in memory and written to a JSON file after each change (when given one), so a
// `dev` restart keeps calendars and connections; authorization codes live in memory only.

import { randomBase64url as random } from "./http.ts";
import { StateFile } from "../state_file.ts";

export const SCOPE = {
  calendar: "https://www.googleapis.com/auth/calendar",
  readonly: "https://www.googleapis.com/auth/calendar.readonly",
  events: "https://www.googleapis.com/auth/calendar.events",
  eventsReadonly: "https://www.googleapis.com/auth/calendar.events.readonly",
} as const;

/** The demo account Northside Dental is connected to, and its refresh token (seeded). */
export const DEMO_ACCOUNT = "calendar@northside.test";
export const DEMO_REFRESH_TOKEN = "1//demo-northside-refresh-token";
export const SECOND_DEMO_ACCOUNT = "frontdesk.demo@gmail.test";

export interface Calendar {
  /** The primary calendar's id is the account's email. */
  id: string;
  summary: string;
  timeZone: string;
  primary: boolean;
}

export interface Account {
  email: string;
  calendars: Calendar[];
}

/** An event resource as the API answers it, plus what the sandbox keeps beside it. */
export interface StoredEvent {
  calendarId: string;
  /** Deleted events stay (status "cancelled"): a second delete answers 410. */
  deleted: boolean;
  /** Start and end as instants (all-day: midnight in the calendar's time zone). */
  startMs: number;
  endMs: number;
  resource: Record<string, unknown> & { id: string };
}

/** One consent: an app (client) allowed by one account to use some scopes. */
export interface Grant {
  id: string;
  clientId: string;
  email: string;
  scopes: string[];
  refreshToken: string | null;
  revoked: boolean;
}

export interface AccessToken {
  token: string;
  grantId: string;
  expiresAt: number;
}

export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  email: string;
  scopes: string[];
  /** access_type=offline and (first consent or prompt=consent). */
  issueRefreshToken: boolean;
  expiresAt: number;
  used: boolean;
}

export interface Channel {
  id: string;
  resourceId: string;
  calendarId: string;
  address: string;
  token: string | null;
  expiration: number;
  messageNumber: number;
}

interface Persisted {
  accounts: Account[];
  events: StoredEvent[];
  grants: Grant[];
  accessTokens: AccessToken[];
  /** "<client id> <email>": the account has consented to the app before. */
  consents: string[];
  channels: Channel[];
}

/** How long an access token lives (Google answers expires_in 3599). */
export const ACCESS_TOKEN_SECONDS = 3599;
export const CODE_LIFETIME_MS = 10 * 60 * 1000;

const BASE32HEX = "0123456789abcdefghijklmnopqrstuv";
/** An id of the kind Google generates for events (base32hex). */
export const newEventId = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(26)), (b) => BASE32HEX[b & 31]).join("");

export class Store {
  accounts = new Map<string, Account>();
  /** calendar id → event id → event. */
  events = new Map<string, Map<string, StoredEvent>>();
  grants = new Map<string, Grant>();
  accessTokens = new Map<string, AccessToken>();
  consents = new Set<string>();
  channels = new Map<string, Channel>();
  codes = new Map<string, AuthorizationCode>();
  #file: StateFile<Persisted>;

  constructor(file: string | null, readonly now: () => number = Date.now) {
    this.#file = new StateFile(file, "google sandbox");
  }

  static async open(file: string | null, now?: () => number): Promise<Store> {
    const store = new Store(file, now);
    const data = await store.#file.read();
    if (!data) return store;
    for (const a of data.accounts) store.accounts.set(a.email, a);
    for (const e of data.events) store.calendarEvents(e.calendarId).set(e.resource.id, e);
    for (const g of data.grants) store.grants.set(g.id, g);
    for (const t of data.accessTokens) store.accessTokens.set(t.token, t);
    for (const c of data.consents) store.consents.add(c);
    for (const c of data.channels) store.channels.set(c.id, c);
    return store;
  }

  /** Writes the state soon (one write at a time, the last state wins). */
  changed(): void {
    this.#file.changed(() => {
      const now = this.now();
      return {
        accounts: [...this.accounts.values()],
        events: [...this.events.values()].flatMap((m) => [...m.values()]),
        grants: [...this.grants.values()],
        accessTokens: [...this.accessTokens.values()].filter((t) => t.expiresAt > now),
        consents: [...this.consents],
        channels: [...this.channels.values()].filter((c) => c.expiration > now),
      };
    });
  }

  /** Resolves once every change so far is on disk. */
  flush(): Promise<void> {
    return this.#file.flush();
  }

  /** Creates the account (primary calendar = its email) or adds calendars it lacks. */
  upsertAccount(
    email: string,
    calendars: { id: string; summary: string; timeZone?: string }[] = [],
    timeZone = "Europe/London",
  ): Account {
    const key = email.toLowerCase();
    let account = this.accounts.get(key);
    if (!account) {
      account = { email: key, calendars: [{ id: key, summary: key, timeZone, primary: true }] };
      this.accounts.set(key, account);
    }
    for (const c of calendars) {
      if (this.calendar(c.id)) continue;
      account.calendars.push({
        id: c.id,
        summary: c.summary,
        timeZone: c.timeZone ?? timeZone,
        primary: false,
      });
    }
    this.changed();
    return account;
  }

  /** The calendar with this id (any account's) and its owner. */
  calendarWithOwner(id: string): { calendar: Calendar; account: Account } | null {
    for (const account of this.accounts.values()) {
      const calendar = account.calendars.find((c) => c.id === id);
      if (calendar) return { calendar, account };
    }
    return null;
  }

  calendar(id: string): Calendar | null {
    return this.calendarWithOwner(id)?.calendar ?? null;
  }

  calendarEvents(calendarId: string): Map<string, StoredEvent> {
    let events = this.events.get(calendarId);
    if (!events) {
      events = new Map();
      this.events.set(calendarId, events);
    }
    return events;
  }

  // ---- OAuth ----

  newCode(code: Omit<AuthorizationCode, "expiresAt" | "used">): string {
    this.#forgetExpired(this.codes);
    const value = `4/0${random(40)}`;
    this.codes.set(value, { ...code, expiresAt: this.now() + CODE_LIFETIME_MS, used: false });
    return value;
  }

  newGrant(clientId: string, email: string, scopes: string[], withRefreshToken: boolean): Grant {
    const grant: Grant = {
      id: crypto.randomUUID(),
      clientId,
      email,
      scopes,
      refreshToken: withRefreshToken ? `1//0${random(60)}` : null,
      revoked: false,
    };
    this.grants.set(grant.id, grant);
    this.changed();
    return grant;
  }

  newAccessToken(grant: Grant): AccessToken {
    this.#forgetExpired(this.accessTokens);
    const token: AccessToken = {
      token: `ya29.a0${random(90)}`,
      grantId: grant.id,
      expiresAt: this.now() + ACCESS_TOKEN_SECONDS * 1000,
    };
    this.accessTokens.set(token.token, token);
    this.changed();
    return token;
  }

  /** Drops what expired, now and then (a benchmark makes thousands of tokens). */
  #forgetExpired(map: Map<string, { expiresAt: number }>): void {
    if (map.size < 1000) return;
    const now = this.now();
    for (const [key, value] of map) if (value.expiresAt <= now) map.delete(key);
  }

  grantOfRefreshToken(refreshToken: string): Grant | null {
    for (const grant of this.grants.values()) {
      if (grant.refreshToken === refreshToken) return grant;
    }
    return null;
  }

  /** The live grant behind an access token, or null (unknown, expired or revoked). */
  grantOfAccessToken(token: string): Grant | null {
    const access = this.accessTokens.get(token);
    if (!access || access.expiresAt <= this.now()) return null;
    const grant = this.grants.get(access.grantId);
    return grant && !grant.revoked ? grant : null;
  }

  /**
   * Removes the app's access to the account, as revoking any of its tokens does at Google (an
   * access token's refresh token goes with it): every grant of that app and account stops
   * working, their access tokens with them, and the next consent is a first one again.
   */
  revokeGrant(grant: Grant): void {
    this.#revoke((g) => g.clientId === grant.clientId && g.email === grant.email);
  }

  /** The account removes every app's access (its Google account's security page). */
  revokeAccount(email: string): number {
    return this.#revoke((g) => g.email === email);
  }

  #revoke(which: (grant: Grant) => boolean): number {
    let revoked = 0;
    for (const grant of this.grants.values()) {
      if (!which(grant) || grant.revoked) continue;
      grant.revoked = true;
      revoked++;
      this.consents.delete(`${grant.clientId} ${grant.email}`);
      for (const [token, access] of this.accessTokens) {
        if (access.grantId === grant.id) this.accessTokens.delete(token);
      }
    }
    this.changed();
    return revoked;
  }
}
