// Storing provider deliveries before they are acknowledged (private.inbound_events), and asking
// the worker to process them (job messaging.ingest, one pending per clinic). Each delivery is
// one statement — route (Meta), insert on conflict do nothing, enqueue for the clinics that got
// something new — so the ack waits for one round trip, and a re-delivery stores and enqueues
// nothing.
import type { Sql } from "../io/db.ts";
import type { MetaEvent } from "../meta/webhook.ts";

/** One event routed to its clinic, as stored. */
export interface RoutedEvent {
  provider: "meta" | "twilio";
  external_id: string;
  kind: "message" | "status";
  organisation_id: string;
  whatsapp_channel_id: string | null;
  phone_number_id: string | null;
  payload: Record<string, unknown>;
}

type Fragment = ReturnType<Sql>;

/** `routed` is a query of RoutedEvent columns; answers how many rows it had and stored anew. */
async function storeRouted(sql: Sql, routed: Fragment) {
  const [row] = await sql<{ routed: number; stored: number; channels: string[] }[]>`
    with routed as (${routed}),
    stored as (
      insert into private.inbound_events
        (provider, external_id, kind, organisation_id, whatsapp_channel_id, phone_number_id, payload)
      select provider, external_id, kind, organisation_id, whatsapp_channel_id, phone_number_id, payload
      from routed
      on conflict (provider, external_id) do nothing
      returning organisation_id
    ),
    clinics as (select distinct organisation_id from stored),
    -- A clinic whose messaging.ingest job is pending and due already needs no new enqueue (an
    -- update of that one row would serialise every delivery of the clinic). Share-locked, so it
    -- cannot be claimed (claim_jobs skips locked rows) before these events are committed and
    -- visible to it; a job claimed first is no longer pending here, so a new one is enqueued.
    due as (
      select j.organisation_id from private.jobs j
      where j.kind = 'messaging.ingest' and j.status = 'pending' and j.run_after <= now()
        and j.dedupe_key in (select 'ingest:' || c.organisation_id from clinics c)
      for share
    ),
    enqueued as (
      select private.enqueue_job('messaging.ingest', '{}'::jsonb, c.organisation_id,
        'ingest:' || c.organisation_id)
      from clinics c
      where c.organisation_id not in (select d.organisation_id from due d)
    ),
    -- Wakes are throttled to one a second: a skipped claim (locked above) is tried again soon.
    woken as (select private.wake_worker() where exists (select from due))
    -- channels is jsonb, not text[]: postgres.js sends a new pool's first statement as soon as
    -- its array-type query is answered but registers the array parsers only after an await, so
    -- that statement's text[] can come back as its text ('{...}'), which read as no channel at
    -- all (porsager/postgres#789). JSON's parser is built in, not fetched.
    select (select count(*) from routed)::int as routed,
           (select count(*) from stored)::int as stored,
           (select count(*) from enqueued)::int as enqueued,
           (select count(*) from woken)::int as woken,
           coalesce((select jsonb_agg(distinct meta_phone_number_id) from routed), '[]') as channels`;
  return row;
}

export interface MetaStoreResult {
  stored: number;
  /** phone_number_ids with no active channel of this app (unknown, inactive, another app's). */
  unrouted: string[];
}

/**
 * Meta events of one delivery verified with one app's secret: each goes to the active Meta
 * channel with its phone_number_id that receives through that app (`appId` null: the platform
 * app; else the clinic's meta_apps.id). Events for any other number are not stored.
 */
export async function storeMetaEvents(
  sql: Sql,
  appId: string | null,
  events: MetaEvent[],
): Promise<MetaStoreResult> {
  if (events.length === 0) return { stored: 0, unrouted: [] };
  const result = await storeRouted(
    sql,
    sql`
      select 'meta' as provider, e.external_id, e.kind, w.organisation_id,
             w.id as whatsapp_channel_id, null::uuid as phone_number_id, e.payload,
             w.meta_phone_number_id
      from jsonb_to_recordset(${sql.json(events as never)}::jsonb)
        as e(external_id text, kind text, phone_number_id text, payload jsonb)
      join public.whatsapp_channels w
        on w.provider = 'meta' and w.meta_phone_number_id = e.phone_number_id and w.active
       and w.meta_app_id is not distinct from ${appId}::uuid`,
  );
  const routed = new Set(result.channels);
  return {
    stored: result.stored,
    unrouted: [...new Set(events.map((e) => e.phone_number_id))].filter((id) => !routed.has(id)),
  };
}

/** One Twilio event, already routed (the signature check needed the account first). */
export async function storeTwilioEvent(sql: Sql, event: RoutedEvent): Promise<boolean> {
  const result = await storeRouted(
    sql,
    sql`
      select e.provider, e.external_id, e.kind, e.organisation_id, e.whatsapp_channel_id,
             e.phone_number_id, e.payload, null::text as meta_phone_number_id
      from jsonb_to_record(${sql.json(event as never)}::jsonb)
        as e(provider text, external_id text, kind text, organisation_id uuid,
             whatsapp_channel_id uuid, phone_number_id uuid, payload jsonb)`,
  );
  return result.stored > 0;
}
