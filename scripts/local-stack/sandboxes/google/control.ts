// The control API tests and developers drive the sandbox with (JSON, under
// /_local/google/control; errors are 4xx `{error}`):
//   GET  /accounts                         accounts and their calendars
//   POST /accounts {email, timeZone?, calendars?: [{id, summary, timeZone?}]}   create or extend
//   POST /accounts/{email}/revoke          the account removes every app's access
//   GET  /calendars/{id}/events?…          as events.list (timeMin, timeMax, showDeleted, …)
//   POST /calendars/{id}/events            a staff-created event (Google Event body)
//   PATCH, DELETE /calendars/{id}/events/{eventId}   staff change or delete one
//   GET, POST {endpoint, status?, delayMs?, error?, times?, account?}, DELETE /faults[/{id}]
//   GET  /requests?since=<seq or ISO time>  the request log
//   GET  /channels                         open watch channels (without their tokens)
// Staff changes notify watch channels like any change.
import { z } from "zod";
import { changeEvent, deleteEvent, insertEvent, listEvents } from "./calendar.ts";
import type { SandboxContext } from "./context.ts";
import { body, faultControl, invalid, refusal } from "../faults.ts";
import { faultRequest } from "./faults.ts";
import { json } from "./http.ts";
import { isTimeZone } from "./time.ts";

const email = z.string().trim().toLowerCase().regex(/^[^@\s/]+@[^@\s/]+$/, "must be an email");
const timeZone = z.string().refine(isTimeZone, "must be an IANA time zone");

const accountRequest = z.object({
  email,
  timeZone: timeZone.optional(),
  calendars: z.array(z.object({
    id: z.string().trim().min(1).max(200),
    summary: z.string().min(1).max(200),
    timeZone: timeZone.optional(),
  })).default([]),
});

function accountsView(ctx: SandboxContext) {
  return [...ctx.store.accounts.values()].map((a) => ({
    email: a.email,
    calendars: a.calendars.map((c) => ({ ...c })),
  }));
}

/** `path` is below /control. */
export async function control(ctx: SandboxContext, req: Request, path: string): Promise<Response> {
  const method = req.method;
  const url = new URL(req.url);
  if (path === "/accounts" && method === "GET") return json(200, accountsView(ctx));
  if (path === "/accounts" && method === "POST") {
    const parsed = accountRequest.safeParse(await body(req));
    if (!parsed.success) return invalid(parsed.error);
    const { email, calendars, timeZone } = parsed.data;
    for (const c of calendars) {
      const owner = ctx.store.calendarWithOwner(c.id)?.account.email;
      if (owner && owner !== email) return refusal(409, `calendar ${c.id} belongs to ${owner}`);
    }
    const account = ctx.store.upsertAccount(email, calendars, timeZone);
    return json(200, { email: account.email, calendars: account.calendars });
  }
  const revoke = path.match(/^\/accounts\/([^/]+)\/revoke$/);
  if (revoke && method === "POST") {
    const who = decodeURIComponent(revoke[1]).toLowerCase();
    if (!ctx.store.accounts.has(who)) return refusal(404, `no account ${who}`);
    return json(200, { revoked: ctx.store.revokeAccount(who) });
  }

  const events = path.match(/^\/calendars\/([^/]+)\/events(?:\/([^/]+))?$/);
  if (events) {
    const calendarId = decodeURIComponent(events[1]);
    const found = ctx.store.calendarWithOwner(calendarId);
    if (!found) return refusal(404, `no calendar ${calendarId}`);
    const { calendar, account } = found;
    const eventId = events[2] === undefined ? undefined : decodeURIComponent(events[2]);
    if (eventId === undefined && method === "GET") {
      return listEvents(ctx, calendar, url.searchParams);
    }
    // Staff add and change events in Google's own UI: the account itself is the creator.
    if (eventId === undefined && method === "POST") {
      return insertEvent(ctx, calendar, await body(req), account.email);
    }
    if (eventId !== undefined && method === "PATCH") {
      return changeEvent(ctx, calendar, eventId, await body(req), true, account.email);
    }
    if (eventId !== undefined && method === "DELETE") return deleteEvent(ctx, calendar, eventId);
  }

  const faults = await faultControl(ctx, faultRequest, req, path);
  if (faults) return faults;
  if (path === "/channels" && method === "GET") {
    // Channel tokens are the webhook's secret: only whether there is one.
    return json(
      200,
      [...ctx.store.channels.values()].map(({ token, ...c }) => ({
        ...c,
        hasToken: token !== null,
      })),
    );
  }
  return refusal(404, `no control endpoint ${method} ${path}`);
}
