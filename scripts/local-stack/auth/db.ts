// The connection pool of the Auth stand-in and what every data module shares.
// Timestamps stay PostgreSQL text so that JSON can carry GoTrue's microseconds.

import postgres from "postgres";

// deno-lint-ignore no-explicit-any
export type Db = postgres.ISql<any>;
export type Fragment = postgres.Fragment;
export type Json = postgres.JSONValue;
export type JsonMap = Record<string, unknown>;

/** GoTrue's instance_id of every row (single-instance deployments). */
export const NIL_UUID = "00000000-0000-0000-0000-000000000000";

export interface Database {
  /** the pool, for reads and writes outside a transaction */
  db: Db;
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function connect(databaseUrl: string): Database {
  const sql = postgres(databaseUrl, {
    max: 8,
    onnotice: () => {},
    connection: { application_name: "frontdesk-auth-standin", TimeZone: "UTC" },
    types: {
      timestamp: {
        to: 1184,
        from: [1114, 1184],
        serialize: (x: unknown) => (x instanceof Date ? x.toISOString() : String(x)),
        parse: (x: string) => x,
      },
    },
  }) as unknown as postgres.Sql<Record<string, never>>;
  return {
    db: sql as unknown as Db,
    transaction: <T>(fn: (tx: Db) => Promise<T>) =>
      sql.begin((tx) => fn(tx as unknown as Db)) as Promise<T>,
    close: () => sql.end({ timeout: 5 }),
  };
}

/**
 * `current` merged with `updates` the way GoTrue merges metadata maps: keys
 * with a null value are removed, all others set.
 */
export function mergedJson(db: Db, current: Fragment, updates: JsonMap): Fragment {
  const set: JsonMap = {};
  const remove: string[] = [];
  for (const [k, v] of Object.entries(updates)) {
    if (v === null || v === undefined) remove.push(k);
    else set[k] = v;
  }
  return db`(${current} || ${db.json(set as Json)}::jsonb)
    - (select coalesce(array_agg(k), '{}'::text[])
       from jsonb_array_elements_text(${db.json(remove)}::jsonb) k)`;
}
