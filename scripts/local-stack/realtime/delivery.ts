// Which subscriber gets which change, decided as Realtime's realtime.apply_rls decides it:
// values typed as PostgreSQL types them (to_jsonb of the column's type), the subscription's
// filter on the new row (the old key for DELETE; null never matches), then for INSERT and UPDATE
// on a table with RLS the row read by primary key as the subscriber's role with its JWT claims
// (`set local role`, `request.jwt.claims`) in a transaction; only columns the role may select.
// DELETE is not checked against RLS (the row is gone) and carries only the key, as in Realtime.
import type postgres from "postgres";
import type { Change, WalColumn } from "./changes.ts";
import type { ChangeData, ChangeParams, Column, Filter } from "./protocol.ts";

/** A channel's postgres_changes bindings with the claims of its current token. */
export interface Subscriber {
  bindings: ChangeParams[];
  role: string;
  claims: Record<string, unknown>;
  send(ids: number[], data: ChangeData): void;
}

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const relation = (schema: string, table: string) => `${quoteIdent(schema)}.${quoteIdent(table)}`;

const jsonTypeOids = new Set([114, 3802]);

/** wal2json columns as a JSON object jsonb_populate_record types (json columns parsed). */
export function walRow(columns: WalColumn[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const c of columns) {
    const json = jsonTypeOids.has(c.typeoid ?? 0) || c.type === "json" || c.type === "jsonb";
    row[c.name] = json && typeof c.value === "string" ? JSON.parse(c.value) : c.value ?? null;
  }
  return row;
}

export function matches(binding: ChangeParams, change: Change): boolean {
  return binding.schema === change.schema &&
    (binding.table === "*" || binding.table === change.table) &&
    (binding.event === "*" || binding.event === change.type);
}

const sqlOps: Record<Exclude<Filter["op"], "in">, string> = {
  eq: "=",
  neq: "<>",
  lt: "<",
  lte: "<=",
  gt: ">",
  gte: ">=",
};

interface TableInfo {
  rls: boolean;
  /** Columns in attnum order, with their type name and the roles that may select them. */
  columns: { name: string; type: string; selectable: Set<string> }[];
}

async function tableInfo(
  sql: postgres.Sql,
  schema: string,
  table: string,
  roles: string[],
): Promise<TableInfo> {
  const rows = await sql`
    select c.relrowsecurity as rls, a.attname as name, t.typname as type,
           coalesce(array_agg(r.role) filter (
             where has_column_privilege(r.role, c.oid, a.attname, 'SELECT')), '{}') as roles
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      join pg_type t on t.oid = a.atttypid
      cross join unnest(${roles}::text[]) r(role)
     where n.nspname = ${schema} and c.relname = ${table}
     group by c.relrowsecurity, a.attnum, a.attname, t.typname
     order by a.attnum`;
  return {
    rls: rows[0]?.rls ?? false,
    columns: rows.map((r) => ({ name: r.name, type: r.type, selectable: new Set(r.roles) })),
  };
}

/**
 * The SQL boolean for one filter against the typed row `r`; $2 -> k holds its value(s). JSON
 * goes in as text: postgres.js would encode a string for a jsonb parameter as a JSON string.
 */
function filterSql(schema: string, table: string, filter: Filter, k: number): string {
  const col = quoteIdent(filter.column);
  const rel = relation(schema, table);
  if (filter.op === "in") {
    return `coalesce(r.${col} = any(array(select x.${col}
      from jsonb_populate_recordset(null::${rel}, $2::text::jsonb -> ${k}) x)), false)`;
  }
  return `coalesce(r.${col} ${sqlOps[filter.op]}
    (jsonb_populate_record(null::${rel}, $2::text::jsonb -> ${k})).${col}, false)`;
}

const filterValues = (f: Filter) =>
  Array.isArray(f.value) ? f.value.map((v) => ({ [f.column]: v })) : { [f.column]: f.value };

/**
 * Rows typed by the table's own column types (to_jsonb, as realtime.cast does), and for each
 * row whether each filter passes.
 */
async function typedRows(
  sql: postgres.Sql,
  schema: string,
  table: string,
  rows: Record<string, unknown>[],
  filters: Filter[],
): Promise<{ row: Record<string, unknown>; passes: boolean[] }[]> {
  if (!rows.length) return [];
  const checks = filters.map((f, k) => filterSql(schema, table, f, k));
  const out = await sql.unsafe(
    `select e.i::int as i, to_jsonb(r) as row,
            array[${checks.join(", ") || "null"}]::bool[] as passes
       from jsonb_array_elements($1::text::jsonb) with ordinality e(v, i)
      cross join lateral jsonb_populate_record(null::${relation(schema, table)}, e.v) r
      order by e.i`,
    // $2 only when a filter reads it: PostgreSQL cannot type an unused parameter.
    [JSON.stringify(rows), ...(filters.length ? [JSON.stringify(filters.map(filterValues))] : [])],
  );
  return out.map((r) => ({ row: r.row, passes: r.passes }));
}

/**
 * Checks that a binding's filter names a column of the table and a value of its type, as
 * Realtime does when it stores the subscription; the error text on failure.
 */
export async function checkFilter(
  sql: postgres.Sql,
  schema: string,
  table: string,
  filter: Filter,
): Promise<string | null> {
  try {
    await typedRows(sql, schema, table, [{}], [filter]);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Which of the keys (rows of primary-key values) the role with these claims may select. */
async function visibleKeys(
  sql: postgres.Sql,
  schema: string,
  table: string,
  pk: string[],
  role: string,
  claims: string,
  keys: Record<string, unknown>[],
): Promise<Set<number>> {
  const rel = relation(schema, table);
  const on = pk.map((c) => `x.${quoteIdent(c)} = k.${quoteIdent(c)}`).join(" and ");
  const rows = await sql.begin(async (tx) => {
    await tx.unsafe(`set local role ${quoteIdent(role)}`);
    await tx`select set_config('request.jwt.claims', ${claims}, true)`;
    return await tx.unsafe(
      `select e.i::int as i
         from jsonb_array_elements($1::text::jsonb) with ordinality e(v, i)
        cross join lateral jsonb_populate_record(null::${rel}, e.v) k
        where exists (select 1 from ${rel} x where ${on})`,
      [JSON.stringify(keys)],
    );
  });
  return new Set(rows.map((r) => r.i - 1));
}

const pick = (row: Record<string, unknown>, names: Iterable<string>) =>
  Object.fromEntries([...names].filter((n) => n in row).map((n) => [n, row[n]]));

/** Sends each change of the batch, in order, to the subscribers allowed to see it. */
export async function deliver(
  sql: postgres.Sql,
  changes: Change[],
  subscribers: Subscriber[],
): Promise<void> {
  // Per change, the (subscriber, binding) pairs whose schema, table and event match.
  const candidates = changes.map((change) =>
    subscribers.flatMap((s) => s.bindings.filter((b) => matches(b, change)).map((b) => ({ s, b })))
  );
  const tables = new Map<string, number[]>();
  changes.forEach((c, i) => {
    if (!candidates[i].length) return;
    const key = `${c.schema}.${c.table}`;
    tables.set(key, [...(tables.get(key) ?? []), i]);
  });

  // Per change, the ids per subscriber and the data each role sees.
  const outbox: { s: Subscriber; ids: number[]; data: ChangeData }[][] = changes.map(() => []);
  for (const indexes of tables.values()) {
    const { schema, table } = changes[indexes[0]];
    const roles = [...new Set(indexes.flatMap((i) => candidates[i].map((c) => c.s.role)))];
    const info = await tableInfo(sql, schema, table, roles);
    const filters = [
      ...new Map(
        indexes.flatMap((i) => candidates[i].map((c) => c.b.filter))
          .filter((f): f is Filter => f !== null)
          .map((f) => [JSON.stringify(f), f]),
      ).values(),
    ];
    const filterIndex = new Map(filters.map((f, k) => [JSON.stringify(f), k]));
    // The new rows (INSERT, UPDATE) and the old keys (UPDATE, DELETE).
    const [news, olds] = await Promise.all(
      (["columns", "identity"] as const).map((side) =>
        typedRows(sql, schema, table, indexes.map((i) => walRow(changes[i][side])), filters)
      ),
    );

    // RLS: one transaction per distinct role and claims, for all this table's rows at once.
    const visible = new Map<string, Set<number>>();
    const checked = indexes.map((i, n) => ({ i, n })).filter(({ i }) =>
      changes[i].type !== "DELETE" && changes[i].pk.length > 0
    );
    if (info.rls && checked.length) {
      const pk = changes[checked[0].i].pk;
      const keys = checked.map(({ n }) => pick(news[n].row, pk));
      for (const i of indexes) {
        for (const { s } of candidates[i]) {
          const key = JSON.stringify([s.role, s.claims]);
          if (visible.has(key) || !pk.every((c) => columnFor(info, c)?.selectable.has(s.role))) {
            continue;
          }
          const claims = JSON.stringify(s.claims);
          const rows = await visibleKeys(sql, schema, table, pk, s.role, claims, keys);
          visible.set(key, new Set([...rows].map((k) => checked[k].n)));
        }
      }
    }

    indexes.forEach((i, n) => {
      const change = changes[i];
      const bySubscriber = new Map<Subscriber, number[]>();
      for (const { s, b } of candidates[i]) {
        if (b.filter) {
          const row = change.type === "DELETE" ? olds[n] : news[n];
          if (!row.passes[filterIndex.get(JSON.stringify(b.filter))!]) continue;
        }
        bySubscriber.set(s, [...(bySubscriber.get(s) ?? []), b.id]);
      }
      for (const [s, ids] of bySubscriber) {
        const seen = visible.get(JSON.stringify([s.role, s.claims]))?.has(n) ?? false;
        const data = dataFor(info, change, news[n].row, olds[n].row, s.role, seen);
        if (data) outbox[i].push({ s, ids, data });
      }
    });
  }
  for (const sends of outbox) for (const { s, ids, data } of sends) s.send(ids, data);
}

const columnFor = (info: TableInfo, name: string) => info.columns.find((c) => c.name === name);

/** What this subscriber's role sees of the change, or null when it may not see the row. */
function dataFor(
  info: TableInfo,
  change: Change,
  row: Record<string, unknown>,
  old: Record<string, unknown>,
  role: string,
  /** Whether the role with its claims may select the row (RLS). */
  visible: boolean,
): ChangeData | null {
  const head = { schema: change.schema, table: change.table, type: change.type };
  if (change.type !== "DELETE") {
    if (!change.pk.length) {
      return { ...head, errors: ["Error 400: Bad Request, no primary key"] } as ChangeData;
    }
    if (!change.pk.every((c) => columnFor(info, c)?.selectable.has(role))) {
      return { ...head, errors: ["Error 401: Unauthorized"] } as ChangeData;
    }
  }
  if (info.rls && change.type !== "DELETE" && !visible) return null;
  const selectable = info.columns.filter((c) => c.selectable.has(role));
  const names = selectable.map((c) => c.name);
  const present = new Set(change.columns.map((c) => c.name));
  const data: ChangeData = {
    ...head,
    commit_timestamp: change.commitTimestamp,
    columns: selectable.map((c): Column => ({ name: c.name, type: c.type })),
    errors: null,
  };
  if (change.type !== "DELETE") data.record = pick(row, names.filter((n) => present.has(n)));
  if (change.type === "UPDATE") {
    data.old_record = pick(old, names.filter((n) => change.identity.some((c) => c.name === n)));
  }
  if (change.type === "DELETE") {
    const keyOnly = info.rls ? change.pk : names;
    data.old_record = pick(
      old,
      names.filter((n) => keyOnly.includes(n) && change.identity.some((c) => c.name === n)),
    );
  }
  return data;
}
