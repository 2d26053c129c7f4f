// The change feed, read as Supabase Realtime reads it: a temporary logical replication slot with
// the wal2json plugin, polled with pg_logical_slot_get_changes every ~100 ms (again at once when a
// poll returned changes), limited to the tables of the `supabase_realtime` publication.
import postgres from "postgres";
import type { ChangeEvent } from "./protocol.ts";

export const publication = "supabase_realtime";
const pollIntervalMs = 100;
const maxChangesPerPoll = 1000;

/** One column of a wal2json (format 2) change. */
export interface WalColumn {
  name: string;
  type: string;
  typeoid?: number;
  value?: unknown;
}

export interface Change {
  schema: string;
  table: string;
  type: ChangeEvent;
  /** UTC, millisecond precision, as Realtime formats it. */
  commitTimestamp: string;
  /** The new row (INSERT, UPDATE). */
  columns: WalColumn[];
  /** The replica identity (old key) of UPDATE and DELETE. */
  identity: WalColumn[];
  /** Primary key column names. */
  pk: string[];
}

export interface PublishedTable {
  schema: string;
  table: string;
}

const actions: Record<string, ChangeEvent> = { I: "INSERT", U: "UPDATE", D: "DELETE" };

/** A wal2json format-2 line as a change, or null for what Realtime ignores (truncate, messages). */
export function parseWal(data: string, commitTimestamp: string): Change | null {
  const wal = JSON.parse(data);
  const type = actions[wal.action];
  if (!type) return null;
  return {
    schema: wal.schema,
    table: wal.table,
    type,
    commitTimestamp,
    columns: wal.columns ?? [],
    identity: wal.identity ?? [],
    pk: (wal.pk ?? []).map((c: WalColumn) => c.name),
  };
}

/** wal2json's `add-tables` syntax escapes its separators (as realtime.quote_wal2json does). */
export function wal2jsonTableList(tables: PublishedTable[]): string {
  const esc = (s: string) => s.replace(/[\\,.* ]/g, (c) => `\\${c}`);
  return tables.map((t) => `${esc(t.schema)}.${esc(t.table)}`).join(",");
}

export interface ChangeFeed {
  /** The publication's tables as of the latest poll. */
  tables(): PublishedTable[];
  close(): Promise<void>;
}

/**
 * Creates the slot (ending whatever holds a slot of the same name: a run that died) and polls
 * it until closed. The slot is temporary: PostgreSQL drops it when this session ends, so a
 * crashed run leaves nothing that would keep WAL. `onChanges` runs for each non-empty poll, in
 * order; a failed connection is reopened with a new slot.
 */
export function startChangeFeed(
  databaseUrl: string,
  slot: string,
  onChanges: (changes: Change[]) => Promise<void>,
  log: (line: string) => void,
): ChangeFeed {
  let closed = false;
  let published: PublishedTable[] = [];
  // The slot lives in one session: a client of one connection, made anew when it fails.
  let session: postgres.Sql | null = null;
  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  async function openSlot(): Promise<postgres.Sql> {
    const conn = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await claimSlot(conn);
      return conn;
    } catch (err) {
      await conn.end({ timeout: 0 }).catch(() => {});
      throw err;
    }
  }

  async function claimSlot(conn: postgres.Sql): Promise<void> {
    const [stale] = await conn`
      select active_pid from pg_replication_slots where slot_name = ${slot}`;
    if (stale?.active_pid) {
      await conn`select pg_terminate_backend(${stale.active_pid})`;
      // The slot goes with its session; wait until it is gone.
      for (let i = 0; i < 50; i++) {
        const [still] = await conn`select 1 from pg_replication_slots where slot_name = ${slot}`;
        if (!still) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    } else if (stale) {
      await conn`select pg_drop_replication_slot(${slot})`;
    }
    await conn`select pg_create_logical_replication_slot(${slot}, 'wal2json', true)`;
  }

  async function poll(conn: postgres.Sql): Promise<number> {
    const rows = await conn`
      select t.schemaname as schema, t.tablename as table,
             p.pubinsert, p.pubupdate, p.pubdelete
        from pg_publication p
        join pg_publication_tables t on t.pubname = p.pubname
       where p.pubname = ${publication}`;
    published = rows.map((r) => ({ schema: r.schema, table: r.table }));
    const want = new Set<string>();
    if (rows.some((r) => r.pubinsert)) want.add("insert");
    if (rows.some((r) => r.pubupdate)) want.add("update");
    if (rows.some((r) => r.pubdelete)) want.add("delete");
    // With no table published the changes are still read (and dropped), so the slot keeps up.
    const options = published.length
      ? ["add-tables", wal2jsonTableList(published), "actions", [...want].join(",")]
      : [];
    const changes = await conn.unsafe(
      `select data,
              to_char((data::jsonb ->> 'timestamp')::timestamptz at time zone 'utc',
                      'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as commit_timestamp
         from pg_logical_slot_get_changes($1, null, $2,
                'include-pk', 'true', 'include-transaction', 'false',
                'include-timestamp', 'true', 'include-type-oids', 'true',
                'format-version', '2'${options.map((_, i) => `, $${i + 3}`).join("")})`,
      [slot, maxChangesPerPoll, ...options],
    );
    const keys = new Set(published.map((t) => `${t.schema}.${t.table}`));
    const batch = changes
      .map((r) => parseWal(r.data, r.commit_timestamp))
      .filter((c): c is Change => c !== null && keys.has(`${c.schema}.${c.table}`));
    // A delivery that fails must not cost the slot (and with it the changes still to come).
    if (batch.length) await onChanges(batch).catch((err) => log(`realtime: delivery: ${err}`));
    return changes.length;
  }

  const running = (async () => {
    let backoff = 100;
    while (!closed) {
      try {
        session ??= await openSlot();
        const read = await poll(session);
        backoff = 100;
        if (read === 0) await sleep(pollIntervalMs);
      } catch (err) {
        if (closed) break;
        log(`realtime: change feed: ${err instanceof Error ? err.message : String(err)}`);
        await session?.end({ timeout: 0 }).catch(() => {});
        session = null;
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  })();

  return {
    tables: () => published,
    async close() {
      closed = true;
      wake?.();
      await running;
      if (session) {
        await session`select pg_drop_replication_slot(${slot})`.catch(() => {});
        await session.end({ timeout: 2 });
      }
    },
  };
}
