// What a Google push notification (events.watch channel → the google-calendar-webhook function)
// asks of frontdesk, decided from its headers and the channel frontdesk stored. Google sends no
// body: the headers say which channel and that something changed; the pull reads what.
import { channelTokenMatches } from "./channel_token.ts";

/** A watch channel as private.calendar_pulls holds it. */
export interface StoredChannel {
  organisationId: string;
  calendarId: string;
  tokenSha256: Uint8Array | null;
  resourceId: string | null;
  expiresAt: number | null; // epoch ms
}

export type Verdict =
  | { status: 200; pull: boolean }
  | { status: 401 | 404; pull: false };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The channel id a notification names, when it is one frontdesk could have made (a uuid). */
export function channelIdOf(headers: Headers): string | null {
  const id = headers.get("x-goog-channel-id")?.trim() ?? "";
  return UUID.test(id) ? id.toLowerCase() : null;
}

/**
 * 404 for a channel frontdesk does not know (or no longer: expired or replaced), 401 when the
 * token or resource does not match, else 200 — with a pull when the calendar changed
 * (`exists`, `not_exists`), without one for the `sync` that opens a channel.
 */
export async function judgeNotification(
  headers: Headers,
  channel: StoredChannel | null,
  now: number,
): Promise<Verdict> {
  if (!channel || (channel.expiresAt !== null && channel.expiresAt <= now)) {
    return { status: 404, pull: false };
  }
  const tokenOk = await channelTokenMatches(
    headers.get("x-goog-channel-token"),
    channel.tokenSha256,
  );
  const resource = headers.get("x-goog-resource-id");
  if (!tokenOk || (channel.resourceId !== null && resource !== channel.resourceId)) {
    return { status: 401, pull: false };
  }
  const state = headers.get("x-goog-resource-state");
  return { status: 200, pull: state === "exists" || state === "not_exists" };
}
