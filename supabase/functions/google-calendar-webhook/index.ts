// Google Calendar push notifications (events.watch channels opened by google.watch_calendar).
// Google calls without a JWT (verify_jwt = false): a notification is believed only when its
// channel id is one frontdesk stored and its token hashes to the stored SHA-256. A change
// enqueues a pull of that calendar (one waiting per calendar: dedupe key "<org>:<calendar>"),
// which wakes the worker; the answer goes back at once, the pull runs in the worker.
//
// 200: taken (or the opening "sync", nothing to do); 401: wrong token or resource; 404: no such
// channel (unknown, expired or replaced); 405: not a POST. Nothing is enqueued unless 200.
import { database } from "../_shared/io/db.ts";
import {
  channelIdOf,
  judgeNotification,
  type StoredChannel,
} from "../_shared/google/notification.ts";

async function storedChannel(channelId: string): Promise<StoredChannel | null> {
  const [row] = await database()<{
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

Deno.serve(async (req) => {
  if (req.method !== "POST") return new Response(null, { status: 405 });
  await req.body?.cancel();
  const channelId = channelIdOf(req.headers);
  try {
    const channel = channelId ? await storedChannel(channelId) : null;
    const verdict = await judgeNotification(req.headers, channel, Date.now());
    if (verdict.pull && channel) {
      const { organisationId, calendarId } = channel;
      await database()`
        select private.enqueue_job('google.pull_calendar',
          jsonb_build_object('calendar_id', ${calendarId}::text), ${organisationId}::uuid,
          ${`${organisationId}:${calendarId}`})`;
    }
    return new Response(null, { status: verdict.status });
  } catch (error) {
    // The clinic was deleted between the lookup and the enqueue: its channel is gone.
    if ((error as { code?: string }).code === "23503") {
      return new Response(null, { status: 404 });
    }
    // Google retries a notification it could not deliver; the backstop pulls anyway.
    console.error(
      `google-calendar-webhook: ${error instanceof Error ? error.message : error}`,
    );
    return new Response(null, { status: 503 });
  }
});
