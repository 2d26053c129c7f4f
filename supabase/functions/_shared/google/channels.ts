// The database side of Google's push notifications: the watch channel a notification names, and
// the pull it asks for.
import type { Sql } from "../io/db.ts";
import type { StoredChannel } from "./notification.ts";

/** The channel google.watch_calendar stored under this id, or null. */
export async function storedChannel(
  sql: Sql,
  channelId: string,
): Promise<StoredChannel | null> {
  const [row] = await sql<{
    organisation_id: string;
    calendar_id: string;
    channel_token_sha256: Uint8Array | null;
    resource_id: string | null;
    channel_expires_at: Date | null;
  }[]>`
    select organisation_id, calendar_id, channel_token_sha256, resource_id, channel_expires_at
    from private.calendar_pulls where channel_id = ${channelId}`;
  if (!row) return null;
  return {
    organisationId: row.organisation_id,
    calendarId: row.calendar_id,
    tokenSha256: row.channel_token_sha256 &&
      new Uint8Array(row.channel_token_sha256),
    resourceId: row.resource_id,
    expiresAt: row.channel_expires_at?.getTime() ?? null,
  };
}

/** One pull of the calendar waiting at a time (dedupe key "<org>:<calendar>"); wakes the worker. */
export async function enqueuePull(
  sql: Sql,
  channel: StoredChannel,
): Promise<void> {
  const { organisationId, calendarId } = channel;
  await sql`
    select private.enqueue_job('google.pull_calendar',
      jsonb_build_object('calendar_id', ${calendarId}::text), ${organisationId}::uuid,
      ${`${organisationId}:${calendarId}`})`;
}
