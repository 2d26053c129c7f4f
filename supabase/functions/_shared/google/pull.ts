// Mirroring a Google calendar's busy time (the worker's jobs; enqueued by the
// calendar_connections trigger, the google-calendar-webhook function and the backstop cron):
//
// - google.pull_calendar: events.list over now − 1 day … now + the booking horizon (all pages,
//   repeating events expanded) replaces the calendar's rows of calendar_busy_blocks in one
//   transaction; events frontdesk created for its own appointments are left out.
// - google.watch_calendar: a new push channel (events.watch) with a fresh id and a random token,
//   of which only the SHA-256 is stored; the channel it replaces is stopped.
//
// Both are idempotent and do nothing for a calendar no active practitioner uses any more, or
// once the connection is not active (reconnecting enqueues them again). Google unreachable,
// slow or rate limiting → thrown, so the jobs mechanism retries with backoff; the grant
// revoked → postponed until an owner reconnects (the callback resumes the organisation's jobs).
import type { Sql, Tx } from "../io/db.ts";
import { JobFailedPermanently, type JobHandler, JobPostponed } from "../jobs/types.ts";
import { type BusyBlock, busyBlocks } from "./busy.ts";
import { newChannelToken } from "./channel_token.ts";
import { googleCalendar } from "./client.ts";
import { GoogleApiError, GoogleNeedsReauth, GoogleNotConnected } from "./errors.ts";

const DAY_MS = 86_400_000;
/** Until the owner reconnects: the OAuth callback resumes waiting jobs sooner. */
const REAUTH_WAIT_MS = DAY_MS;
/** Asked of Google for a channel; the backstop renews channels a day before they expire. */
const CHANNEL_LIFETIME_MS = 7 * DAY_MS;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Target {
  organisationId: string;
  calendarId: string;
}

function targetOf(job: { organisation_id: string | null; payload: unknown }): Target {
  const calendarId = (job.payload as { calendar_id?: unknown } | null)?.calendar_id;
  if (!job.organisation_id || typeof calendarId !== "string" || !calendarId) {
    throw new JobFailedPermanently("A calendar job needs an organisation and a calendar_id");
  }
  return { organisationId: job.organisation_id, calendarId };
}

/** Whether an active practitioner still uses the calendar (connection active), and the
 * organisation's zone and booking horizon. */
async function usage(sql: Sql, { organisationId, calendarId }: Target) {
  const [row] = await sql<{ used: boolean; timezone: string; horizon_days: number }[]>`
    select exists (select from private.used_calendars(o.id) u where u = ${calendarId}) as used,
      o.timezone, coalesce(r.horizon_days, 60) as horizon_days
    from public.organisations o
    left join public.booking_rules r on r.organisation_id = o.id
    where o.id = ${organisationId}`;
  return row ?? { used: false, timezone: "UTC", horizon_days: 0 };
}

/** The error, noted on the calendar for operators, as what the worker should do next. */
async function failure(sql: Sql, { organisationId, calendarId }: Target, error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  await sql`
    insert into private.calendar_pulls (organisation_id, calendar_id, last_error)
    values (${organisationId}, ${calendarId}, ${message.slice(0, 500)})
    on conflict (organisation_id, calendar_id)
    do update set last_error = excluded.last_error, updated_at = now()`;
  if (error instanceof GoogleNeedsReauth) {
    return new JobPostponed(new Date(Date.now() + REAUTH_WAIT_MS), message);
  }
  if (error instanceof GoogleNotConnected) return new JobFailedPermanently(message);
  // The calendar is gone or no longer shared with the account: retrying will not help.
  if (error instanceof GoogleApiError && error.kind !== "retry" && error.kind !== "auth") {
    return new JobFailedPermanently(message);
  }
  return error;
}

/** Mirrors the calendar's busy time over the booking horizon. */
export const pullCalendar: JobHandler = async (job, { sql }) => {
  const target = targetOf(job);
  const { organisationId, calendarId } = target;
  const { used, timezone, horizon_days } = await usage(sql, target);
  if (!used) return;
  const now = Date.now();
  const timeMin = new Date(now - DAY_MS);
  const timeMax = new Date(now + (horizon_days + 1) * DAY_MS);

  const google = googleCalendar(sql, organisationId);
  const events = [];
  let calendarZone: string | undefined;
  try {
    let pageToken: string | undefined;
    do {
      const page = await google.listEvents(calendarId, { timeMin, timeMax, pageToken });
      events.push(...page.items);
      calendarZone ??= page.timeZone;
      pageToken = page.nextPageToken;
    } while (pageToken);
  } catch (error) {
    throw await failure(sql, target, error);
  }
  await replaceMirror(sql, target, busyBlocks(events, calendarZone ?? timezone));
};

/** The blocks that are not frontdesk's own events for the organisation's appointments. */
export async function staffBlocks(
  sql: Sql,
  organisationId: string,
  blocks: readonly BusyBlock[],
): Promise<BusyBlock[]> {
  const candidates = [
    ...new Set(
      blocks.flatMap((b) =>
        b.appointmentId && UUID.test(b.appointmentId) ? [b.appointmentId.toLowerCase()] : []
      ),
    ),
  ];
  if (candidates.length === 0) return [...blocks];
  const ours = new Set(
    (await sql<{ id: string }[]>`
      select a.id::text as id from public.appointments a
      where a.organisation_id = ${organisationId} and a.id = any (${candidates}::uuid[])`)
      .map((row) => row.id),
  );
  return blocks.filter((b) => !(b.appointmentId && ours.has(b.appointmentId.toLowerCase())));
}

/**
 * Writes the calendar's busy blocks (an event once, should Google list it twice); an event
 * already mirrored takes its new times (a re-check at booking may have written it meanwhile).
 */
export async function writeBusy(
  sql: Sql | Tx,
  { organisationId, calendarId }: Target,
  blocks: readonly BusyBlock[],
): Promise<void> {
  const rows = new Map(blocks.map((b) => [b.eventId, {
    organisation_id: organisationId,
    calendar_id: calendarId,
    event_id: b.eventId,
    starts_at: new Date(b.startsAt).toISOString(),
    ends_at: new Date(b.endsAt).toISOString(),
  }]));
  if (rows.size === 0) return;
  await sql`
    insert into public.calendar_busy_blocks ${sql([...rows.values()])}
    on conflict (organisation_id, calendar_id, event_id)
    do update set starts_at = excluded.starts_at, ends_at = excluded.ends_at`;
}

/** Replaces the calendar's mirrored busy time with the staff events among `blocks`; notes the pull. */
async function replaceMirror(
  sql: Sql,
  target: Target,
  blocks: readonly BusyBlock[],
): Promise<void> {
  const { organisationId, calendarId } = target;
  const staff = await staffBlocks(sql, organisationId, blocks);
  await sql.begin(async (tx) => {
    await tx`
      delete from public.calendar_busy_blocks
      where organisation_id = ${organisationId} and calendar_id = ${calendarId}`;
    await writeBusy(tx, target, staff);
    await tx`
      insert into private.calendar_pulls (organisation_id, calendar_id, last_pulled_at)
      values (${organisationId}, ${calendarId}, now())
      on conflict (organisation_id, calendar_id)
      do update set last_pulled_at = now(), last_error = null, updated_at = now()`;
  });
}

/** Opens a new push channel for the calendar and stops the one it replaces. */
export const watchCalendar: JobHandler = async (job, { sql }) => {
  const target = targetOf(job);
  const { organisationId, calendarId } = target;
  const { used } = await usage(sql, target);
  const [previous] = await sql<{ channel_id: string | null; resource_id: string | null }[]>`
    select channel_id::text, resource_id from private.calendar_pulls
    where organisation_id = ${organisationId} and calendar_id = ${calendarId}`;
  if (!used) {
    // Nobody books against it any more: forget the channel (Google ends it at expiry).
    await sql`
      update private.calendar_pulls
      set channel_id = null, resource_id = null, channel_token_sha256 = null,
        channel_expires_at = null, updated_at = now()
      where organisation_id = ${organisationId} and calendar_id = ${calendarId}`;
    return;
  }
  const google = googleCalendar(sql, organisationId);
  const { token, sha256 } = await newChannelToken();
  const id = crypto.randomUUID();
  let channel;
  try {
    channel = await google.watchEvents(calendarId, {
      id,
      address: `${Deno.env.get("SUPABASE_URL")}/functions/v1/google-calendar-webhook`,
      token,
      expiration: Date.now() + CHANNEL_LIFETIME_MS,
    });
  } catch (error) {
    throw await failure(sql, target, error);
  }
  const expiresAt = Number(channel.expiration) || Date.now() + CHANNEL_LIFETIME_MS;
  await sql`
    insert into private.calendar_pulls as p (organisation_id, calendar_id, channel_id, resource_id,
      channel_token_sha256, channel_expires_at)
    values (${organisationId}, ${calendarId}, ${id}, ${channel.resourceId}, ${sha256},
      ${new Date(expiresAt).toISOString()})
    on conflict (organisation_id, calendar_id) do update
    set channel_id = excluded.channel_id, resource_id = excluded.resource_id,
      channel_token_sha256 = excluded.channel_token_sha256,
      channel_expires_at = excluded.channel_expires_at, updated_at = now()`;
  if (previous?.channel_id && previous.resource_id) {
    // Best effort: a channel left open expires by itself, and its notifications are refused
    // as unknown now that it is replaced.
    await google.stopChannel(previous.channel_id, previous.resource_id).catch((error) =>
      console.warn(`google.watch_calendar: stopping the old channel failed: ${error.message}`)
    );
  }
};
