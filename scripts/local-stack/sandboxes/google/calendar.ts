// Google Calendar API v3 under `<www>/calendar/v3/…`, for Bearer access tokens from the token
// endpoint: calendarList, freeBusy, events insert/get/patch/update/delete/list/watch and
// channels.stop, with Google's error bodies. Recurring events are stored but not expanded.
import { z } from "zod";
import { record, type SandboxContext } from "./context.ts";
import { delayFor } from "../faults.ts";
import type { Endpoint } from "./faults.ts";
import { apiErrors, apiFailure, base64url, fromBase64url, json } from "./http.ts";
import { type Calendar, type Grant, newEventId, SCOPE, type StoredEvent } from "./store.ts";
import { eventInstant, formatInZone, normaliseEventTime, parseInstant } from "./time.ts";

const FREEBUSY_SCOPES = [
  SCOPE.calendar,
  SCOPE.readonly,
  "https://www.googleapis.com/auth/calendar.freebusy",
  "https://www.googleapis.com/auth/calendar.events.freebusy",
];
const READ_EVENTS = [SCOPE.calendar, SCOPE.readonly, SCOPE.events, SCOPE.eventsReadonly];
const WRITE_EVENTS = [SCOPE.calendar, SCOPE.events];

/** Google's rule for client-supplied event ids: base32hex (RFC 2938), 5 to 1024 characters. */
export const EVENT_ID = /^[a-v0-9]{5,1024}$/;

const eventTime = z.object({
  date: z.string().optional(),
  dateTime: z.string().optional(),
  timeZone: z.string().optional(),
});

/** An Event body: the fields the sandbox interprets are checked, the rest kept as sent. */
const eventBody = z.looseObject({
  id: z.string().optional(),
  summary: z.string().optional(),
  description: z.string().optional(),
  location: z.string().optional(),
  start: eventTime.optional(),
  end: eventTime.optional(),
  status: z.enum(["confirmed", "tentative", "cancelled"]).optional(),
  transparency: z.enum(["opaque", "transparent"]).optional(),
  visibility: z.enum(["default", "public", "private", "confidential"]).optional(),
});
type EventBody = z.infer<typeof eventBody>;

/** Fields Google sets itself (and the id, set once); sent ones are ignored. */
const OUTPUT_ONLY = ["kind", "etag", "id", "htmlLink", "created", "updated", "creator"];

async function readJson(req: Request): Promise<unknown | Response> {
  try {
    return await req.json();
  } catch {
    return apiErrors.badRequest("Parse Error", "parseError");
  }
}

let etagCounter = 0;
const etag = (ms: number) => `"${ms}${String(++etagCounter % 1000).padStart(3, "0")}"`;

/**
 * The event resource an input makes on `calendar` (kept fields of `existing` on update), or
 * Google's 400 when its times are missing, malformed, mixed or reversed.
 */
function buildEvent(
  ctx: SandboxContext,
  calendar: Calendar,
  input: EventBody,
  existing: StoredEvent | null,
  creator: string,
): StoredEvent | Response {
  if (!input.start) return apiErrors.required("Missing start time.");
  if (!input.end) return apiErrors.required("Missing end time.");
  const startMs = eventInstant(input.start, calendar.timeZone, "start");
  if (typeof startMs === "string") return apiErrors.invalid(startMs);
  const endMs = eventInstant(input.end, calendar.timeZone, "end");
  if (typeof endMs === "string") return apiErrors.invalid(endMs);
  if ((input.start.dateTime === undefined) !== (input.end.dateTime === undefined)) {
    return apiErrors.invalid("Start and end times must either both be date or both be dateTime.");
  }
  const allDay = input.start.dateTime === undefined;
  if (endMs < startMs || (allDay && endMs === startMs)) return apiErrors.timeRangeEmpty();

  const now = new Date(ctx.store.now()).toISOString();
  const kept = Object.fromEntries(
    Object.entries(input).filter(([k, v]) => !OUTPUT_ONLY.includes(k) && v !== undefined),
  );
  const id = existing?.resource.id ?? input.id ?? newEventId();
  const timesMoved = existing && (existing.startMs !== startMs || existing.endMs !== endMs);
  const resource: StoredEvent["resource"] = {
    kind: "calendar#event",
    etag: etag(ctx.store.now()),
    id,
    status: input.status ?? "confirmed",
    htmlLink: `https://www.google.com/calendar/event?eid=${base64url(`${id} ${calendar.id}`)}`,
    created: (existing?.resource.created as string | undefined) ?? now,
    updated: now,
    ...kept,
    creator: existing?.resource.creator ??
      { email: creator, ...(creator === calendar.id ? { self: true } : {}) },
    organizer: existing?.resource.organizer ??
      { email: calendar.id, displayName: calendar.summary, self: true },
    start: normaliseEventTime(input.start, startMs, calendar.timeZone),
    end: normaliseEventTime(input.end, endMs, calendar.timeZone),
    iCalUID: (existing?.resource.iCalUID as string | undefined) ?? input.iCalUID ??
      `${id}@google.com`,
    sequence: ((existing?.resource.sequence as number | undefined) ?? 0) + (timesMoved ? 1 : 0),
    reminders: input.reminders ?? { useDefault: true },
    eventType: input.eventType ?? "default",
  };
  return {
    calendarId: calendar.id,
    deleted: resource.status === "cancelled",
    startMs,
    endMs,
    resource,
  };
}

function saveEvent(ctx: SandboxContext, event: StoredEvent): Response {
  ctx.store.calendarEvents(event.calendarId).set(event.resource.id, event);
  ctx.store.changed();
  ctx.push.changed(event.calendarId);
  return json(200, event.resource);
}

/** events.insert, also used by the control API for staff-created events. */
export function insertEvent(
  ctx: SandboxContext,
  calendar: Calendar,
  body: unknown,
  creator: string,
): Response {
  const parsed = eventBody.safeParse(body);
  if (!parsed.success) return apiErrors.invalid(invalidMessage(parsed.error));
  const input = parsed.data;
  if (input.id !== undefined && !EVENT_ID.test(input.id)) {
    return apiErrors.invalid("Invalid resource id value.");
  }
  if (input.id !== undefined && ctx.store.calendarEvents(calendar.id).has(input.id)) {
    return apiErrors.duplicate();
  }
  const event = buildEvent(ctx, calendar, input, null, creator);
  return event instanceof Response ? event : saveEvent(ctx, event);
}

function invalidMessage(error: z.ZodError): string {
  const issue = error.issues[0];
  return `Invalid value for: ${issue.path.join(".") || "body"}`;
}

/** events.patch (`merge`: fields sent replace the stored ones) and events.update (whole body). */
export function changeEvent(
  ctx: SandboxContext,
  calendar: Calendar,
  eventId: string,
  body: unknown,
  merge: boolean,
  creator: string,
): Response {
  const existing = ctx.store.calendarEvents(calendar.id).get(eventId);
  if (!existing) return apiErrors.notFound();
  const parsed = eventBody.safeParse(body);
  if (!parsed.success) return apiErrors.invalid(invalidMessage(parsed.error));
  if (parsed.data.id !== undefined && parsed.data.id !== eventId) {
    return apiErrors.invalid("Invalid resource id value.");
  }
  const input = merge ? { ...existing.resource, ...parsed.data } : parsed.data;
  const event = buildEvent(ctx, calendar, input as EventBody, existing, creator);
  return event instanceof Response ? event : saveEvent(ctx, event);
}

/** events.delete: 204; an event deleted before answers 410 `deleted`. */
export function deleteEvent(ctx: SandboxContext, calendar: Calendar, eventId: string): Response {
  const existing = ctx.store.calendarEvents(calendar.id).get(eventId);
  if (!existing) return apiErrors.notFound();
  if (existing.deleted) return apiErrors.deleted();
  const now = ctx.store.now();
  existing.deleted = true;
  existing.resource = {
    ...existing.resource,
    status: "cancelled",
    updated: new Date(now).toISOString(),
    etag: etag(now),
  };
  ctx.store.changed();
  ctx.push.changed(calendar.id);
  return new Response(null, { status: 204 });
}

const pageToken = {
  encode: (offset: number, query: string) => base64url(JSON.stringify([offset, query])),
  decode(token: string, query: string): number | null {
    try {
      const [offset, q] = JSON.parse(fromBase64url(token));
      return q === query && Number.isInteger(offset) && offset >= 0 ? offset : null;
    } catch {
      return null;
    }
  },
};

/** events.list with timeMin/timeMax, singleEvents, orderBy, paging, showDeleted, q, syncToken. */
export function listEvents(
  ctx: SandboxContext,
  calendar: Calendar,
  params: URLSearchParams,
): Response {
  const instant = (name: string): number | null | Response => {
    const value = params.get(name);
    if (value === null) return null;
    return parseInstant(value) ?? apiErrors.badRequest();
  };
  const timeMin = instant("timeMin");
  if (timeMin instanceof Response) return timeMin;
  const timeMax = instant("timeMax");
  if (timeMax instanceof Response) return timeMax;
  if (timeMin !== null && timeMax !== null && timeMax <= timeMin) {
    return apiErrors.timeRangeEmpty("timeMax");
  }
  const orderBy = params.get("orderBy");
  if (orderBy !== null && orderBy !== "startTime" && orderBy !== "updated") {
    return apiErrors.invalid(
      `Invalid value '${orderBy}'. Values must match the following regular expression: '(startTime|updated)'`,
      "orderBy",
    );
  }
  if (orderBy === "startTime" && params.get("singleEvents") !== "true") {
    return apiErrors.badRequest(
      "The requested ordering is not available for the particular query.",
    );
  }
  const maxResults = Number(params.get("maxResults") ?? 250);
  if (!Number.isInteger(maxResults) || maxResults < 1) {
    return apiErrors.invalid(`Invalid value '${params.get("maxResults")}'.`, "maxResults");
  }
  const syncToken = params.get("syncToken");
  let since: number | null = null;
  if (syncToken !== null) {
    if (timeMin !== null || timeMax !== null || orderBy !== null || params.has("q")) {
      return apiErrors.badRequest("Sync token cannot be used with other request restrictions.");
    }
    since = Number(syncToken.match(/^s(\d+)$/)?.[1]);
    if (Number.isNaN(since)) return apiErrors.invalid("Invalid sync token value.", "syncToken");
  }
  const showDeleted = params.get("showDeleted") === "true" || since !== null;
  const q = params.get("q")?.toLowerCase();

  const events = [...ctx.store.calendarEvents(calendar.id).values()].filter((e) =>
    (showDeleted || !e.deleted) &&
    (timeMin === null || e.endMs > timeMin || (e.endMs === e.startMs && e.startMs >= timeMin)) &&
    (timeMax === null || e.startMs < timeMax) &&
    (since === null || Date.parse(e.resource.updated as string) >= since) &&
    (!q ||
      ["summary", "description", "location"].some((k) =>
        String(e.resource[k] ?? "").toLowerCase().includes(q)
      ))
  );
  if (orderBy === "startTime") events.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  if (orderBy === "updated") {
    events.sort((a, b) => String(a.resource.updated).localeCompare(String(b.resource.updated)));
  }
  const query = [...params].filter(([k]) => k !== "pageToken").sort().join("&");
  const token = params.get("pageToken");
  const offset = token === null ? 0 : pageToken.decode(token, query);
  if (offset === null) return apiErrors.invalid("Invalid page token value.", "pageToken");
  const limit = Math.min(maxResults, 2500);
  const more = offset + limit < events.length;
  return json(200, {
    kind: "calendar#events",
    etag: etag(ctx.store.now()),
    summary: calendar.summary,
    description: "",
    updated: new Date(ctx.store.now()).toISOString(),
    timeZone: calendar.timeZone,
    accessRole: "owner",
    defaultReminders: [],
    ...(more
      ? { nextPageToken: pageToken.encode(offset + limit, query) }
      : { nextSyncToken: `s${ctx.store.now()}` }),
    items: events.slice(offset, offset + limit).map((e) => e.resource),
  });
}

const freeBusyBody = z.object({
  timeMin: z.string(),
  timeMax: z.string(),
  timeZone: z.string().optional(),
  groupExpansionMax: z.number().int().max(100).optional(),
  calendarExpansionMax: z.number().int().max(50).optional(),
  items: z.array(z.object({ id: z.string() })).default([]),
});

/** The opaque, not cancelled time of a calendar's events inside [from, to), merged. */
export function busyIntervals(
  ctx: SandboxContext,
  calendarId: string,
  from: number,
  to: number,
): [number, number][] {
  const spans = [...ctx.store.calendarEvents(calendarId).values()]
    .filter((e) =>
      !e.deleted && e.resource.transparency !== "transparent" && e.endMs > from && e.startMs < to
    )
    .map((e) => [Math.max(e.startMs, from), Math.min(e.endMs, to)] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push(span);
  }
  return merged;
}

function freeBusy(ctx: SandboxContext, grant: Grant, body: unknown): Response {
  const parsed = freeBusyBody.safeParse(body);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0].path[0] ?? "body");
    return field === "timeMin" || field === "timeMax"
      ? apiErrors.required(`Missing ${field}.`)
      : apiErrors.invalid(invalidMessage(parsed.error));
  }
  const { timeMin, timeMax, timeZone = "UTC", items } = parsed.data;
  const from = parseInstant(timeMin);
  const to = parseInstant(timeMax);
  if (from === null || to === null) return apiErrors.badRequest();
  if (to <= from) return apiErrors.timeRangeEmpty("timeMax");
  const calendars: Record<string, unknown> = {};
  for (const [i, { id }] of items.entries()) {
    const calendar = ownCalendar(ctx, grant, id);
    if (i >= 50) {
      calendars[id] = {
        errors: [{ domain: "global", reason: "tooManyCalendarsRequested" }],
        busy: [],
      };
    } else if (!calendar) {
      calendars[id] = { errors: [{ domain: "global", reason: "notFound" }], busy: [] };
    } else {
      calendars[id] = {
        busy: busyIntervals(ctx, calendar.id, from, to).map(([s, e]) => ({
          start: formatInZone(s, timeZone),
          end: formatInZone(e, timeZone),
        })),
      };
    }
  }
  return json(200, {
    kind: "calendar#freeBusy",
    timeMin: new Date(from).toISOString(),
    timeMax: new Date(to).toISOString(),
    calendars,
  });
}

function calendarList(ctx: SandboxContext, grant: Grant): Response {
  const account = ctx.store.accounts.get(grant.email);
  return json(200, {
    kind: "calendar#calendarList",
    etag: etag(ctx.store.now()),
    nextSyncToken: `s${ctx.store.now()}`,
    items: (account?.calendars ?? []).map((c) => ({
      kind: "calendar#calendarListEntry",
      etag: etag(ctx.store.now()),
      id: c.id,
      summary: c.summary,
      timeZone: c.timeZone,
      colorId: "14",
      backgroundColor: "#9fe1e7",
      foregroundColor: "#000000",
      selected: true,
      accessRole: "owner",
      defaultReminders: [],
      ...(c.primary ? { primary: true } : {}),
    })),
  });
}

const watchBody = z.object({
  id: z.string().regex(/^[A-Za-z0-9\-_+/=]{1,64}$/),
  type: z.enum(["web_hook", "webhook"]),
  address: z.url({ protocol: /^https?$/ }),
  token: z.string().max(256).optional(),
  expiration: z.union([z.string().regex(/^\d+$/).transform(Number), z.number().int()]).optional(),
  params: z.record(z.string(), z.string()).optional(),
});

function watch(ctx: SandboxContext, calendar: Calendar, body: unknown): Response {
  const parsed = watchBody.safeParse(body);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0].path[0] ?? "body");
    return parsed.error.issues[0].code === "invalid_type" && field !== "body"
      ? apiErrors.required(`Required parameter: ${field}`)
      : apiErrors.invalid(invalidMessage(parsed.error));
  }
  const request = parsed.data;
  if (ctx.store.channels.has(request.id)) {
    return apiError400("channelIdNotUnique", `Channel id not unique: ${request.id}`);
  }
  const channel = ctx.push.watch(calendar.id, request);
  return json(200, {
    kind: "api#channel",
    id: channel.id,
    resourceId: channel.resourceId,
    resourceUri: ctx.push.resourceUri(calendar.id),
    ...(channel.token !== null ? { token: channel.token } : {}),
    expiration: String(channel.expiration),
  });
}

const apiError400 = (reason: string, message: string) =>
  json(400, { error: { errors: [{ domain: "global", reason, message }], code: 400, message } });

const stopBody = z.object({ id: z.string(), resourceId: z.string() });

function stopChannel(ctx: SandboxContext, grant: Grant, body: unknown): Response {
  const parsed = stopBody.safeParse(body);
  if (!parsed.success) return apiErrors.required("Required parameter: id, resourceId");
  const channel = ctx.store.channels.get(parsed.data.id);
  const owner = channel && ctx.store.calendarWithOwner(channel.calendarId)?.account.email;
  if (owner !== grant.email || !ctx.push.stop(parsed.data.id, parsed.data.resourceId)) {
    return apiErrors.notFound();
  }
  return new Response(null, { status: 204 });
}

/** The calendar `id` names ("primary" = the account's own) if the grant's account owns it. */
function ownCalendar(ctx: SandboxContext, grant: Grant, id: string): Calendar | null {
  const account = ctx.store.accounts.get(grant.email);
  if (!account) return null;
  return account.calendars.find((c) => id === "primary" ? c.primary : c.id === id) ?? null;
}

interface Route {
  endpoint: Endpoint;
  scopes: string[];
  calendarId?: string;
  eventId?: string;
}

function route(method: string, path: string): Route | null {
  const p = path.replace(/^\/calendar\/v3/, "");
  if (p === path) return null;
  if (p === "/users/me/calendarList" && method === "GET") {
    return { endpoint: "calendarList", scopes: [SCOPE.calendar, SCOPE.readonly] };
  }
  if (p === "/freeBusy" && method === "POST") {
    return { endpoint: "freeBusy", scopes: FREEBUSY_SCOPES };
  }
  if (p === "/channels/stop" && method === "POST") {
    return { endpoint: "channels.stop", scopes: [...READ_EVENTS, ...FREEBUSY_SCOPES] };
  }
  const m = p.match(/^\/calendars\/([^/]+)\/events(?:\/([^/]+))?$/);
  if (!m) return null;
  let calendarId: string, eventId: string | undefined;
  try {
    calendarId = decodeURIComponent(m[1]);
    eventId = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
  } catch {
    return null;
  }
  const to = (endpoint: Endpoint, scopes: string[]) => ({ endpoint, scopes, calendarId, eventId });
  if (eventId === "watch" && method === "POST") return to("events.watch", READ_EVENTS);
  if (eventId === undefined) {
    if (method === "GET") return to("events.list", READ_EVENTS);
    if (method === "POST") return to("events.insert", WRITE_EVENTS);
    return null;
  }
  switch (method) {
    case "GET":
      return to("events.get", READ_EVENTS);
    case "PATCH":
      return to("events.patch", WRITE_EVENTS);
    case "PUT":
      return to("events.update", WRITE_EVENTS);
    case "DELETE":
      return to("events.delete", WRITE_EVENTS);
  }
  return null;
}

/** A request under `<www>`: `path` starts with /calendar/v3. */
export async function calendarApi(
  ctx: SandboxContext,
  req: Request,
  path: string,
): Promise<Response> {
  const r = route(req.method, path);
  if (!r) return record(ctx, req, "unknown", null, apiErrors.notFound());
  const bearer = req.headers.get("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const grant = bearer ? ctx.store.grantOfAccessToken(bearer) : null;
  const account = grant?.email ?? null;
  const fault = ctx.faults.take(r.endpoint, account);
  const done = (res: Response) => record(ctx, req, r.endpoint, account, res, fault);
  if (await delayFor(fault)) {
    return done(fault!.status ? apiFailure(fault!.status) : apiErrors.invalidCredentials());
  }
  if (!grant) return done(apiErrors.invalidCredentials());
  if (!r.scopes.some((s) => grant.scopes.includes(s))) {
    return done(apiErrors.insufficientPermissions());
  }

  if (r.endpoint === "calendarList") return done(calendarList(ctx, grant));
  const body = req.method === "POST" || req.method === "PATCH" || req.method === "PUT"
    ? await readJson(req)
    : undefined;
  if (body instanceof Response) return done(body);
  if (r.endpoint === "freeBusy") return done(freeBusy(ctx, grant, body));
  if (r.endpoint === "channels.stop") return done(stopChannel(ctx, grant, body));

  const calendar = ownCalendar(ctx, grant, r.calendarId!);
  if (!calendar) return done(apiErrors.notFound());
  const params = new URL(req.url).searchParams;
  switch (r.endpoint) {
    case "events.list":
      return done(listEvents(ctx, calendar, params));
    case "events.insert":
      return done(insertEvent(ctx, calendar, body, grant.email));
    case "events.watch":
      return done(watch(ctx, calendar, body));
    case "events.get": {
      const event = ctx.store.calendarEvents(calendar.id).get(r.eventId!);
      // A deleted event is still there, cancelled, as Google answers it.
      return done(event ? json(200, event.resource) : apiErrors.notFound());
    }
    case "events.patch":
    case "events.update":
      return done(
        changeEvent(ctx, calendar, r.eventId!, body, r.endpoint === "events.patch", grant.email),
      );
    default:
      return done(deleteEvent(ctx, calendar, r.eventId!));
  }
}
