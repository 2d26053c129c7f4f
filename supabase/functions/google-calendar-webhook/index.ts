// Google Calendar push notifications (events.watch channels opened by google.watch_calendar).
// Google calls without a JWT (verify_jwt = false): a notification is believed only when its
// channel id is one frontdesk stored and its token hashes to the stored SHA-256. A change
// enqueues a pull of that calendar (one waiting per calendar: dedupe key "<org>:<calendar>"),
// which wakes the worker; the answer goes back at once, the pull runs in the worker.
//
// 200: taken (or the opening "sync", nothing to do); 401: wrong token or resource; 404: no such
// channel (unknown, expired or replaced); 405: not a POST. Nothing is enqueued unless 200.
import { database } from "../_shared/io/db.ts";
import { enqueuePull, storedChannel } from "../_shared/google/channels.ts";
import { channelIdOf, judgeNotification } from "../_shared/google/notification.ts";

Deno.serve(async (req) => {
  if (req.method !== "POST") return new Response(null, { status: 405 });
  await req.body?.cancel();
  const channelId = channelIdOf(req.headers);
  try {
    const channel = channelId ? await storedChannel(database(), channelId) : null;
    const verdict = await judgeNotification(req.headers, channel, Date.now());
    if (verdict.pull && channel) await enqueuePull(database(), channel);
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
