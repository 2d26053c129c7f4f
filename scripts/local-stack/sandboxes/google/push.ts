// Push notifications (developers.google.com/calendar/api/guides/push): `events.watch` opens a
// channel on a calendar; Google POSTs to its address, with X-Goog-* headers and no body, first
// `sync` when the channel opens, then `exists` on every change of the calendar's events. Sent in
// the background: a failed delivery is logged, never an error of the change that caused it.
import type { Channel, Store } from "./store.ts";

/** Google's default and longest channel lifetime for Calendar (one week / 30 days). */
const DEFAULT_TTL_MS = 7 * 24 * 3600 * 1000;
const MAX_TTL_MS = 30 * 24 * 3600 * 1000;

/** The same opaque id for every channel on one calendar, as Google's resourceId is. */
export function resourceIdOf(calendarId: string): string {
  let h1 = 0x811c9dc5, h2 = 0x01000193;
  for (const c of calendarId) {
    h1 = Math.imul(h1 ^ c.charCodeAt(0), 16777619) >>> 0;
    h2 = Math.imul(h2 ^ c.charCodeAt(0), 2246822519) >>> 0;
  }
  return `${h1.toString(36)}${h2.toString(36)}`.padEnd(14, "0").slice(0, 14).toUpperCase();
}

export class Pusher {
  #pending = new Set<Promise<void>>();

  constructor(
    readonly store: Store,
    /** The sandbox's public URL, for X-Goog-Resource-URI. */
    readonly baseUrl: string,
    readonly send: typeof fetch = fetch,
    readonly warn: (line: string) => void = (line) => console.error(line),
  ) {}

  resourceUri(calendarId: string): string {
    return `${this.baseUrl}/www/calendar/v3/calendars/${
      encodeURIComponent(calendarId)
    }/events?alt=json`;
  }

  /** Opens a channel (its id must be new) and sends its `sync` message. */
  watch(
    calendarId: string,
    request: { id: string; address: string; token?: string; expiration?: number },
  ): Channel {
    const now = this.store.now();
    const expiration = Math.min(request.expiration ?? now + DEFAULT_TTL_MS, now + MAX_TTL_MS);
    const channel: Channel = {
      id: request.id,
      resourceId: resourceIdOf(calendarId),
      calendarId,
      address: request.address,
      token: request.token ?? null,
      expiration,
      messageNumber: 0,
    };
    this.store.channels.set(channel.id, channel);
    this.store.changed();
    this.#deliver(channel, "sync");
    return channel;
  }

  /** Closes a channel; false when no open channel has that id and resource id. */
  stop(id: string, resourceId: string): boolean {
    const channel = this.store.channels.get(id);
    if (!channel || channel.resourceId !== resourceId) return false;
    this.store.channels.delete(id);
    this.store.changed();
    return true;
  }

  /** Tells every open channel on the calendar that its events changed. */
  changed(calendarId: string): void {
    const now = this.store.now();
    for (const channel of this.store.channels.values()) {
      if (channel.expiration <= now) {
        this.store.channels.delete(channel.id);
        this.store.changed();
      } else if (channel.calendarId === calendarId) {
        this.#deliver(channel, "exists");
      }
    }
  }

  /** Resolves once every notification sent so far has been answered (or failed). */
  async settled(): Promise<void> {
    while (this.#pending.size) await Promise.all(this.#pending);
  }

  #deliver(channel: Channel, state: "sync" | "exists"): void {
    channel.messageNumber++;
    this.store.changed();
    const headers: Record<string, string> = {
      "X-Goog-Channel-ID": channel.id,
      "X-Goog-Channel-Expiration": new Date(channel.expiration).toUTCString(),
      "X-Goog-Resource-ID": channel.resourceId,
      "X-Goog-Resource-URI": this.resourceUri(channel.calendarId),
      "X-Goog-Resource-State": state,
      "X-Goog-Message-Number": String(channel.messageNumber),
      "Content-Length": "0",
    };
    if (channel.token !== null) headers["X-Goog-Channel-Token"] = channel.token;
    const sending = (async () => {
      try {
        const res = await this.send(channel.address, {
          method: "POST",
          headers,
          signal: AbortSignal.timeout(10_000),
        });
        await res.body?.cancel();
        if (!res.ok) {
          this.warn(`google sandbox: channel ${channel.id}: ${state} notification → ${res.status}`);
        }
      } catch (err) {
        this.warn(`google sandbox: channel ${channel.id}: ${state} notification failed: ${err}`);
      }
    })();
    this.#pending.add(sending);
    sending.finally(() => this.#pending.delete(sending));
  }
}
