// Google Calendar v3 for one clinic, with its own access token. Every call has a timeout; a 401
// refreshes the token once and tries again; failures are GoogleApiError with a `kind` saying
// what to do next (errors.ts).
import type { Sql } from "../io/db.ts";
import { googleConfig } from "./config.ts";
import { GoogleApiError } from "./errors.ts";
import { DEFAULT_TIMEOUT_MS } from "../http/provider.ts";
import { googleFetch } from "./http.ts";
import { accessToken } from "./tokens.ts";

export interface GoogleEventTime {
  date?: string;
  dateTime?: string;
  timeZone?: string;
}

/** An event as Google answers it (the fields frontdesk reads; the rest passes through). */
export interface GoogleEventResource {
  id: string;
  status?: string;
  etag?: string;
  updated?: string;
  summary?: string;
  description?: string;
  transparency?: string;
  start?: GoogleEventTime;
  end?: GoogleEventTime;
  attendees?: { self?: boolean; responseStatus?: string }[];
  extendedProperties?: { private?: Record<string, string>; shared?: Record<string, string> };
  [field: string]: unknown;
}

export interface GoogleEventsPage {
  items: GoogleEventResource[];
  nextPageToken?: string;
  nextSyncToken?: string;
  timeZone?: string;
}

export interface GoogleFreeBusy {
  calendars: Record<
    string,
    { busy: { start: string; end: string }[]; errors?: { domain: string; reason: string }[] }
  >;
}

export interface GoogleWatchChannel {
  id: string;
  resourceId: string;
  resourceUri?: string;
  /** Milliseconds since the epoch, as a string (Google's format). */
  expiration?: string;
}

export interface GoogleCalendarListEntry {
  id: string;
  summary?: string;
  primary?: boolean;
  timeZone?: string;
  accessRole: string;
}

type Time = string | Date;
const iso = (time: Time) => typeof time === "string" ? time : time.toISOString();

export interface GoogleCalendarOptions {
  /** Per call, unless the call says otherwise (default 10 s). */
  timeoutMs?: number;
}

/** The clinic's calendar, with its stored tokens (refreshed as needed). */
export function googleCalendar(
  sql: Sql,
  organisationId: string,
  options: GoogleCalendarOptions = {},
) {
  return calendarClient({
    current: (timeoutMs) => accessToken(sql, organisationId, { timeoutMs }),
    renew: (rejected, timeoutMs) =>
      accessToken(sql, organisationId, { forceRefresh: true, rejected, timeoutMs }),
  }, options);
}

/** With a token just obtained (the OAuth callback, before anything is stored); a 401 is final. */
export function googleCalendarWithToken(token: string, options: GoogleCalendarOptions = {}) {
  return calendarClient({ current: () => Promise.resolve(token) }, options);
}

/** Tokens for the calls; a refresh at Google gets the call's timeout too. */
interface TokenSource {
  current(timeoutMs: number): Promise<string>;
  /** A new token after Google refused `rejected`; absent when there is no other. */
  renew?(rejected: string, timeoutMs: number): Promise<string>;
}

function calendarClient(
  tokens: TokenSource,
  { timeoutMs = DEFAULT_TIMEOUT_MS }: GoogleCalendarOptions,
) {
  const calendarApi = `${googleConfig().apiBaseUrl}/calendar/v3`;
  const calendarPath = (calendarId: string) =>
    `${calendarApi}/calendars/${encodeURIComponent(calendarId)}`;
  const eventPath = (calendarId: string, eventId: string) =>
    `${calendarPath(calendarId)}/events/${encodeURIComponent(eventId)}`;

  async function call<T>(
    operation: string,
    method: string,
    url: string,
    { body, timeout = timeoutMs }: { body?: unknown; timeout?: number } = {},
  ): Promise<T> {
    const send = (token: string) =>
      googleFetch<T>(operation, url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs: timeout,
      });
    const token = await tokens.current(timeout);
    try {
      return await send(token);
    } catch (error) {
      if (!(error instanceof GoogleApiError && error.kind === "auth" && tokens.renew)) throw error;
      return await send(await tokens.renew(token, timeout));
    }
  }

  return {
    insertEvent: (calendarId: string, event: object) =>
      call<GoogleEventResource>(
        "events.insert",
        "POST",
        `${calendarPath(calendarId)}/events?sendUpdates=none`,
        { body: event },
      ),

    getEvent: (calendarId: string, eventId: string) =>
      call<GoogleEventResource>("events.get", "GET", eventPath(calendarId, eventId)),

    patchEvent: (calendarId: string, eventId: string, patch: object) =>
      call<GoogleEventResource>(
        "events.patch",
        "PATCH",
        `${eventPath(calendarId, eventId)}?sendUpdates=none`,
        { body: patch },
      ),

    deleteEvent: (calendarId: string, eventId: string) =>
      call<void>("events.delete", "DELETE", `${eventPath(calendarId, eventId)}?sendUpdates=none`),

    /** One page of events in [timeMin, timeMax), recurring events expanded. */
    listEvents: (
      calendarId: string,
      { timeMin, timeMax, pageToken, showDeleted = false }: {
        timeMin: Time;
        timeMax: Time;
        pageToken?: string;
        showDeleted?: boolean;
      },
    ) => {
      const query = new URLSearchParams({
        timeMin: iso(timeMin),
        timeMax: iso(timeMax),
        singleEvents: "true",
        showDeleted: String(showDeleted),
        maxResults: "2500",
      });
      if (pageToken) query.set("pageToken", pageToken);
      return call<GoogleEventsPage>(
        "events.list",
        "GET",
        `${calendarPath(calendarId)}/events?${query}`,
      ).then((page) => ({ ...page, items: page?.items ?? [] }));
    },

    freeBusy: (
      calendarIds: readonly string[],
      timeMin: Time,
      timeMax: Time,
      options: { timeoutMs?: number } = {},
    ) =>
      call<GoogleFreeBusy>("freeBusy", "POST", `${calendarApi}/freeBusy`, {
        body: {
          timeMin: iso(timeMin),
          timeMax: iso(timeMax),
          items: calendarIds.map((id) => ({ id })),
        },
        timeout: options.timeoutMs ?? timeoutMs,
      }).then((answer) => ({ calendars: answer?.calendars ?? {} })),

    watchEvents: (
      calendarId: string,
      channel: { id: string; address: string; token: string; expiration?: number },
    ) =>
      call<GoogleWatchChannel>("events.watch", "POST", `${calendarPath(calendarId)}/events/watch`, {
        body: { ...channel, type: "web_hook" },
      }),

    stopChannel: (id: string, resourceId: string) =>
      call<void>("channels.stop", "POST", `${calendarApi}/channels/stop`, {
        body: { id, resourceId },
      }),

    /** Every calendar of the connected account (all pages). */
    calendarList: async () => {
      const entries: GoogleCalendarListEntry[] = [];
      let pageToken: string | undefined;
      do {
        const query = new URLSearchParams({ maxResults: "250" });
        if (pageToken) query.set("pageToken", pageToken);
        const page = await call<{ items?: GoogleCalendarListEntry[]; nextPageToken?: string }>(
          "calendarList",
          "GET",
          `${calendarApi}/users/me/calendarList?${query}`,
        );
        entries.push(...(page?.items ?? []));
        pageToken = page?.nextPageToken;
      } while (pageToken);
      return entries;
    },
  };
}

export type GoogleCalendarClient = ReturnType<typeof googleCalendar>;
