// No secret leaves Vault through anything the API exposes.
//
// Every secret the seed puts in Vault begins with `demo-secret-` (Meta verify tokens, which Meta
// sends in a URL, with `demo-verify-`: searched for too). Signed in as each demo login
// of supabase/seed.sql (and as anon), the test sends everything a client can send and searches
// the raw body and headers of every response (data and errors alike) for that prefix, in any
// letter case, and hex- or base64-encoded (as PostgREST returns a bytea):
//
// - every relation PostgREST exposes (discovered, see _exposed.ts): all rows with `select=*`
//   (JSON and CSV), every column of its OpenAPI definition and of the catalog on its own (the
//   hidden ones too: credentials.vault_secret_id), all
//   readable columns together, and the same with common filters: each id column equal to the
//   users' own ids, each enum value, booleans, ordering, paging, a single object, and filters
//   and ordering on the hidden columns;
// - every exposed RPC, with arguments from the demo users' own data (organisation, user,
//   invitation and channel/credential subject ids, every value of every enum such as
//   credential_kind), plausible values for the rest, and random ids. Over HTTP as GET, which
//   PostgREST runs in a read-only transaction (non-volatile functions also as POST): the demo
//   data stays as seeded, and a function that writes stops at its first write. To reach what
//   a function returns after writing, each call is also made through SUPABASE_DB_URL the way
//   PostgREST makes it (the caller's role and JWT claims, transaction-local) and rolled back;
// - the OpenAPI descriptions, the Auth endpoints the dashboard uses for its session (sign-in,
//   GET /auth/v1/user, refresh, sign-out), /config.json and the dashboard's page, and every
//   edge function in supabase/functions (GET and POST with the caller's JWT).
//
// It first proves the search is not empty: the seed has `demo-secret-` values in Vault, the
// service role decrypts them (rolled back, so the audit log stays as it was), and the search
// finds one in a decrypted value.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import postgres from "postgres";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { ANON_KEY, clientOptions, env, SUPABASE_URL } from "./_helpers.ts";
import { discover, from, type Relation, type Row, type Rpc, type RpcParam } from "./_exposed.ts";

/** The logins of supabase/seed.sql (README "Demo logins"). */
const DEMO_LOGINS = [
  "owner@northside.test",
  "admin@northside.test",
  "staff@northside.test",
  "owner@riverside.test",
];
const DEMO_PASSWORD = "frontdesk-demo";
/** The seed's pending invitations' tokens (README): plausible values for token parameters. */
const DEMO_INVITATION_TOKENS = ["demo-invite-northside", "demo-invite-riverside"];

/** What every seeded secret's plaintext begins with. */
const MARKER = "demo-secret-";

// ---------------------------------------------------------------------------------------------
// Finding the marker in a response
// ---------------------------------------------------------------------------------------------

/** The marker as it could appear in a response: as text (any case), hex, base64. */
function markerPatterns(marker: string): [string, RegExp][] {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const bytes = Buffer.from(marker);
  const patterns: [string, RegExp][] = [
    ["text", new RegExp(escape(marker), "i")],
    ["hex", new RegExp(bytes.toString("hex"), "i")],
  ];
  // In base64 the marker reads differently at each of the 3 offsets in a 3-byte group: keep
  // the characters that only its own bytes decide.
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    const groups = Math.floor((offset + bytes.length) / 3);
    const stable = encoded.slice(offset ? 4 : 0, groups * 4);
    patterns.push([`base64@${offset}`, new RegExp(escape(stable))]);
    const url = stable.replaceAll("+", "-").replaceAll("/", "_");
    if (url !== stable) patterns.push([`base64url@${offset}`, new RegExp(escape(url))]);
  }
  return patterns;
}

/** What the seeded Meta verify token begins with (a credential too, never to be read back). */
const VERIFY_MARKER = "demo-verify-";

const PATTERNS = [MARKER, VERIFY_MARKER].flatMap(markerPatterns);

/** Which encodings of the marker a text holds, each with a little context. */
function findMarker(text: string): string[] {
  const found: string[] = [];
  for (const [encoding, re] of PATTERNS) {
    const m = re.exec(text);
    if (m) {
      const excerpt = text.slice(Math.max(0, m.index - 60), m.index + m[0].length + 40);
      found.push(`${encoding}: …${excerpt.replaceAll("\n", " ")}…`);
    }
  }
  return found;
}

/**
 * Sees every response one subject (a demo login or anon) gets: each supabase-js client is
 * created with its `fetch`, and direct requests go through it too.
 */
class Recorder {
  area = "setup";
  readonly http = new Map<string, number>();
  readonly sql = new Map<string, number>();
  readonly leaks: { area: string; endpoint: string; example: string }[] = [];

  constructor(readonly subject: string) {}

  fetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : "GET");
    const res = await fetch(input, init);
    const body = await res.clone().text();
    const headers = [...res.headers].map(([k, v]) => `${k}: ${v}`).join("\n");
    this.inspect(
      `${method} ${url.pathname}`,
      `${url.search} → ${res.status}`,
      `${headers}\n\n${body}`,
    );
    return res;
  };

  /** Searches one answer; `sql` for calls made through the database connection. */
  inspect(endpoint: string, detail: string, text: string, { sql = false } = {}) {
    const counts = sql ? this.sql : this.http;
    counts.set(this.area, (counts.get(this.area) ?? 0) + 1);
    for (const hit of findMarker(text)) {
      this.leaks.push({ area: this.area, endpoint, example: `${detail}: ${hit}` });
    }
  }

  /** The leaks found, one line per endpoint: how many answers, and the first of them. */
  leaksIn(area?: string): string[] {
    const byEndpoint = new Map<string, { n: number; example: string }>();
    for (const l of this.leaks) {
      if (area && l.area !== area) continue;
      const seen = byEndpoint.get(l.endpoint) ?? { n: 0, example: l.example };
      seen.n++;
      byEndpoint.set(l.endpoint, seen);
    }
    return [...byEndpoint].map(([endpoint, { n, example }]) =>
      `${this.subject}: ${endpoint}: ${n} answers carry "${MARKER}", e.g. ${example}`
    );
  }
}

const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

// ---------------------------------------------------------------------------------------------
// The subjects and what they know
// ---------------------------------------------------------------------------------------------

/** Ids and values found in rows a subject can read: the material for RPC arguments. */
class Pool {
  readonly orgIds = new Set<string>();
  readonly userIds = new Set<string>();
  readonly invitationIds = new Set<string>();
  readonly subjectIds = new Set<string>();
  readonly uuids = new Set<string>();
  readonly emails = new Set<string>();
  readonly slugs = new Set<string>();
  /** Distinct values per "relation.column", for filters. */
  readonly values = new Map<string, Set<unknown>>();

  add(rel: Relation, rows: Row[]) {
    for (const row of rows) {
      for (const [col, v] of Object.entries(row)) {
        const key = `${rel.key}.${col}`;
        if (!this.values.has(key)) this.values.set(key, new Set());
        if (v !== null && typeof v !== "object") this.values.get(key)!.add(v);
        if (typeof v !== "string") continue;
        if (UUID.test(v)) {
          this.uuids.add(v);
          if (col === "organisation_id" || (col === "id" && /^organi[sz]ations$/.test(rel.name))) {
            this.orgIds.add(v);
          }
          if (isUserName(col) || (col === "id" && rel.name === "profiles")) this.userIds.add(v);
          if (col === "id" && /invit/.test(rel.name)) this.invitationIds.add(v);
          if (/^(subject|target)_id$/.test(col) || (col === "id" && isSubjectName(rel.name))) {
            this.subjectIds.add(v);
          }
        } else if (EMAIL.test(v)) this.emails.add(v);
        else if (col === "slug") this.slugs.add(v);
      }
    }
  }

  merge(other: Pool) {
    for (const k of ["orgIds", "userIds", "invitationIds", "subjectIds", "uuids"] as const) {
      for (const v of other[k]) this[k].add(v);
    }
    for (const v of other.emails) this.emails.add(v);
    for (const v of other.slugs) this.slugs.add(v);
    for (const [key, values] of other.values) {
      if (!this.values.has(key)) this.values.set(key, new Set());
      for (const v of values) this.values.get(key)!.add(v);
    }
  }
}

interface Subject {
  label: string;
  client: SupabaseClient;
  recorder: Recorder;
  /** The bearer token PostgREST sees, and its claims (for the calls through SQL). */
  token: string;
  claims: Row;
  userId?: string;
  email?: string;
  /** What this subject itself read. */
  own: Pool;
  rowsRead: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const isOrgName = (n: string) => /organi[sz]ation|(^|_)org(_|$)|tenant/i.test(n);
const isUserName = (n: string) => /user|member|profile|(^|_)by$|owner|author|actor/i.test(n);
const isSubjectName = (n: string) =>
  /subject|channel|account|number|calendar|connection|credential|target/i.test(n);

function claimsOf(jwt: string): Row {
  const part = jwt.split(".")[1].replaceAll("-", "+").replaceAll("_", "/");
  return JSON.parse(new TextDecoder().decode(Buffer.from(part, "base64")));
}

function clientFor(recorder: Recorder): SupabaseClient {
  return createClient(SUPABASE_URL, ANON_KEY, {
    ...clientOptions,
    global: { fetch: recorder.fetch },
  });
}

async function signIn(email: string): Promise<Subject> {
  const recorder = new Recorder(email);
  recorder.area = "auth";
  const client = clientFor(recorder);
  const { data, error } = await client.auth.signInWithPassword({ email, password: DEMO_PASSWORD });
  assert.equal(error, null, `${email} signs in: ${error?.message}`);
  const token = data.session!.access_token;
  return {
    label: email,
    client,
    recorder,
    token,
    claims: claimsOf(token),
    userId: data.user!.id,
    email,
    own: new Pool(),
    rowsRead: 0,
  };
}

function anonSubject(): Subject {
  const recorder = new Recorder("anon");
  return {
    label: "anon",
    client: clientFor(recorder),
    recorder,
    token: ANON_KEY,
    claims: claimsOf(ANON_KEY),
    own: new Pool(),
    rowsRead: 0,
  };
}

// ---------------------------------------------------------------------------------------------
// The database side: the catalog, and calls made as PostgREST makes them, rolled back
// ---------------------------------------------------------------------------------------------

interface Signature {
  names: string[];
  types: string[];
  volatile: boolean;
}

interface Catalog {
  /** Columns per "schema.relation", including those no API role may read. */
  columns: Map<string, string[]>;
  /** Overloads per "schema.function". */
  functions: Map<string, Signature[]>;
  /** Labels per enum type name (unqualified and schema-qualified). */
  enums: Map<string, string[]>;
}

async function readCatalog(sql: postgres.Sql, schemas: string[]): Promise<Catalog> {
  const columns = new Map<string, string[]>();
  for (
    const r of await sql<{ key: string; cols: string[] }[]>`
      select n.nspname || '.' || c.relname as key,
        array_agg(a.attname::text order by a.attnum) as cols
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      where n.nspname = any(${schemas}) and c.relkind in ('r', 'v', 'm', 'f', 'p')
      group by 1`
  ) columns.set(r.key, r.cols);

  const functions = new Map<string, Signature[]>();
  for (
    const r of await sql<
      { key: string; names: string[] | null; modes: string[] | null; types: string[]; v: string }[]
    >`
      select n.nspname || '.' || p.proname as key, p.proargnames::text[] as names,
        p.proargmodes::text[] as modes, p.provolatile::text as v,
        array(select format_type(t, null) from unnest(p.proargtypes::oid[]) with ordinality u(t, i)
              order by i) as types
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = any(${schemas})`
  ) {
    const all = r.names ?? [];
    const names = r.modes
      ? all.filter((_, i) => ["i", "b", "v"].includes(r.modes![i]))
      : all.slice(0, r.types.length);
    const list = functions.get(r.key) ?? [];
    list.push({ names, types: r.types, volatile: r.v === "v" });
    functions.set(r.key, list);
  }

  const enums = new Map<string, string[]>();
  for (
    const r of await sql<{ schema: string; name: string; labels: string[] }[]>`
      select n.nspname as schema, t.typname as name,
        array_agg(e.enumlabel::text order by e.enumsortorder) as labels
      from pg_enum e join pg_type t on t.oid = e.enumtypid
      join pg_namespace n on n.oid = t.typnamespace
      group by 1, 2`
  ) {
    enums.set(r.name, r.labels);
    enums.set(`${r.schema}.${r.name}`, r.labels);
  }
  return { columns, functions, enums };
}

const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

/** A value as PostgreSQL's text input of its type reads it. */
function pgText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) {
    return `{${v.map((x) => `"${String(x).replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`)}}`;
  }
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/**
 * The function called the way PostgREST calls it for this subject (its role and JWT claims,
 * transaction-local), but in a transaction that is rolled back: what it returns after writing
 * is seen, and nothing it writes stays. Returns the answer as PostgREST would put it.
 */
async function callRolledBack(
  sql: postgres.Sql,
  catalog: Catalog,
  s: Subject,
  rpc: Rpc,
  args: Row,
): Promise<{ body: string; ok: boolean; code?: string }> {
  const keys = Object.keys(args);
  const overloads = catalog.functions.get(rpc.key) ?? [];
  const overload = overloads.find((o) => keys.every((k) => o.names.includes(k)));
  // One unnamed json parameter takes the request body as it is (set_credential).
  const bodyTaker = overloads.find((o) =>
    !o.names.length && o.types.length === 1 && /^jsonb?$/.test(o.types[0])
  );
  if (!overload && !bodyTaker) return { body: "", ok: false, code: "no overload" };
  const list = overload
    ? keys.map((k, i) =>
      `${ident(k)} => $${i + 1}::text::${overload.types[overload.names.indexOf(k)]}`
    )
    : [`$1::text::${bodyTaker!.types[0]}`];
  const values = overload
    ? keys.map((k) => pgText(args[k]))
    : [JSON.stringify(keys.length === 1 && keys[0] === "" ? args[""] : args)];
  const conn = await sql.reserve();
  try {
    await conn`begin`;
    await conn`
      select set_config('role', ${String(s.claims.role)}, true),
        set_config('request.jwt.claims', ${JSON.stringify(s.claims)}, true),
        set_config('request.method', 'POST', true),
        set_config('request.path', ${`/rpc/${rpc.name}`}, true)`;
    const rows = await conn.unsafe(
      `select coalesce(json_agg(t), '[]'::json) as out
       from ${ident(rpc.schema)}.${ident(rpc.name)}(${list.join(", ")}) t`,
      values,
    );
    return { body: JSON.stringify(rows[0].out), ok: true };
  } catch (e) {
    const err = e as { code?: string; message?: string; detail?: string; hint?: string };
    return {
      body: JSON.stringify({
        code: err.code,
        message: err.message,
        details: err.detail ?? null,
        hint: err.hint ?? null,
      }),
      ok: false,
      code: err.code,
    };
  } finally {
    await conn`rollback`.catch(() => {});
    conn.release();
  }
}

// ---------------------------------------------------------------------------------------------
// Arguments for the RPCs
// ---------------------------------------------------------------------------------------------

const hex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0"))
    .join("");

function candidates(p: RpcParam, pool: Pool, enums: Map<string, string[]>): unknown[] {
  const name = p.name.toLowerCase();
  const format = p.format.toLowerCase();
  const random = crypto.randomUUID();
  if (format === "uuid") {
    if (/invit/.test(name)) return [...pool.invitationIds, random];
    if (isOrgName(name)) return [...pool.orgIds, random];
    if (isUserName(name)) return [...pool.userIds, random];
    if (isSubjectName(name)) return [...pool.subjectIds, random];
    return [...pool.uuids, random];
  }
  const labels = enums.get(format) ?? enums.get(format.replace(/^.*\./, ""));
  if (labels) return labels;
  if (/secret|password|key/.test(name)) return [`leak-probe-${hex(6)}-zz99`];
  if (/token/.test(name)) return [...DEMO_INVITATION_TOKENS, `leak-probe-${hex(12)}`];
  if (/email/.test(name)) return [...pool.emails, `leak-probe-${hex(3)}@example.com`];
  if (/slug/.test(name)) return [...pool.slugs, `leak-probe-${hex(3)}`];
  if (/timezone/.test(name)) return ["Europe/London"];
  if (p.type === "array" && /lang/.test(name)) return [["en", "ru"]];
  if (/lang/.test(name)) return ["en"];
  if (format.startsWith("timestamp")) return [new Date(Date.now() + 30 * 86_400_000).toISOString()];
  if (format === "date") return [new Date().toISOString().slice(0, 10)];
  if (format === "json" || format === "jsonb") return [{}];
  if (p.type === "boolean") return [true, false];
  if (p.type === "integer" || p.type === "number") return [1];
  if (p.type === "array") return [p.itemsType === "string" ? ["en"] : [1]];
  return [`leak probe ${hex(3)}`];
}

/**
 * Every combination of candidates (or one parameter varied at a time when that is too many),
 * and the required parameters alone.
 */
function argumentSets(rpc: Rpc, pool: Pool, enums: Map<string, string[]>): Row[] {
  const lists = rpc.params.map((p) => ({ p, values: candidates(p, pool, enums) }));
  const total = lists.reduce((n, l) => n * Math.max(1, l.values.length), 1);
  let sets: Row[];
  if (total <= 256) {
    sets = [{}];
    for (const l of lists) {
      sets = sets.flatMap((s) => l.values.map((v) => ({ ...s, [l.p.name]: v })));
    }
  } else {
    const base: Row = Object.fromEntries(lists.map((l) => [l.p.name, l.values[0]]));
    sets = [base];
    for (const l of lists) for (const v of l.values.slice(1)) sets.push({ ...base, [l.p.name]: v });
  }
  if (rpc.params.some((p) => !p.required)) {
    const required = rpc.params.filter((p) => p.required).map((p) => p.name);
    sets.push(Object.fromEntries(required.map((k) => [k, sets[0][k]])));
  }
  return sets;
}

// ---------------------------------------------------------------------------------------------
// The probes
// ---------------------------------------------------------------------------------------------

interface Coverage {
  columnProbes: number;
  hiddenRefused: number;
  rpcCalls: number;
  rpcOk: number;
}

/** The columns each subject may select, per relation ("subject|schema.relation"). */
const readableBy = new Map<string, string[]>();

/**
 * Every relation. Unfiltered: all of it (JSON, CSV), each column alone, all columns named at
 * once, the readable ones together. Filtered (after every subject's unfiltered pass, so the
 * ids are known): the readable columns where each id column equals known ids or a random one,
 * each enum value, each boolean, ordered, paged, as one object; filters and ordering on the
 * hidden columns.
 */
async function readRelations(
  s: Subject,
  relations: Relation[],
  catalog: Catalog,
  filterPool: Pool,
  enums: Map<string, string[]>,
  cov: Coverage,
  { filters }: { filters: boolean },
) {
  s.recorder.area = "relations";
  for (const rel of relations) {
    const q = () => from(s.client, rel);
    const columns = [
      ...new Set([...rel.columns.map((c) => c.name), ...(catalog.columns.get(rel.key) ?? [])]),
    ];
    if (!filters) {
      const star = await q().select("*", { count: "exact" }).range(0, 9999);
      await q().select("*").csv();
      const readable: string[] = [];
      for (const col of columns) {
        const r = await q().select(col).range(0, 9999);
        cov.columnProbes++;
        if (r.error) cov.hiddenRefused++;
        else readable.push(col);
      }
      // Every column named at once: refused as a whole when one is hidden.
      await q().select(columns.join(",")).range(0, 9999);
      let rows = (star.data ?? []) as Row[];
      if (star.error && readable.length) {
        const some = await q().select(readable.join(",")).range(0, 9999);
        rows = (some.data ?? []) as unknown as Row[];
      }
      s.own.add(rel, rows);
      s.rowsRead += rows.length;
      readableBy.set(`${s.label}|${rel.key}`, readable);
      continue;
    }
    const readable = readableBy.get(`${s.label}|${rel.key}`) ?? [];
    const hidden = columns.filter((c) => !readable.includes(c));
    const sel = readable.length ? readable.join(",") : "*";
    const byName = new Map(rel.columns.map((c) => [c.name, c]));
    for (const col of readable) {
      const def = byName.get(col);
      const seen = [...(filterPool.values.get(`${rel.key}.${col}`) ?? [])];
      if (def?.format === "uuid") {
        const ids = seen.filter((v): v is string => typeof v === "string" && UUID.test(v));
        for (const id of [...ids.slice(0, 5), crypto.randomUUID()]) {
          await q().select(sel).eq(col, id).range(0, 9999);
        }
        if (ids.length) await q().select(sel).in(col, ids).range(0, 9999);
      } else if (def?.enum?.length || enums.has(def?.format.replace(/^.*\./, "") ?? "")) {
        for (const label of def!.enum ?? enums.get(def!.format.replace(/^.*\./, ""))!) {
          await q().select(sel).eq(col, label).range(0, 9999);
        }
      } else if (def?.type === "boolean") {
        await q().select(sel).is(col, true).range(0, 9999);
        await q().select(sel).is(col, false).range(0, 9999);
      }
    }
    if (readable.length) {
      await q().select(sel).order(readable[0], { ascending: false }).range(0, 9999);
      await q().select(sel).range(1, 1);
      await q().select(sel).limit(1).maybeSingle();
    }
    // The hidden columns used in filters and ordering must be refused like selecting them.
    for (const col of hidden) {
      await q().select(sel).not(col, "is", null).range(0, 9999);
      await q().select(sel).order(col).range(0, 9999);
    }
  }
}

async function callRpcs(
  s: Subject,
  rpcs: Rpc[],
  pool: Pool,
  catalog: Catalog,
  sql: postgres.Sql,
  cov: Coverage,
  outcomes: Map<string, number>,
  notReached: string[],
) {
  s.recorder.area = "rpcs";
  const tally = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  for (const rpc of rpcs) {
    const volatile = (catalog.functions.get(rpc.key) ?? [{ volatile: true }])
      .some((o) => o.volatile);
    for (const args of argumentSets(rpc, pool, catalog.enums)) {
      const what = `${rpc.key}(${JSON.stringify(args)})`;
      // GET: a read-only transaction, whatever the function does.
      const get = await s.client.schema(rpc.schema).rpc(rpc.name, args, { get: true });
      tally(`GET ${get.status} ${get.error?.code ?? "ok"}`);
      if (s.userId && /^PGRST2/.test(get.error?.code ?? "")) {
        notReached.push(`${s.label}: GET ${what}: ${get.error!.message}`);
      }
      if (!volatile) {
        const post = await s.client.schema(rpc.schema).rpc(rpc.name, args);
        tally(`POST ${post.status} ${post.error?.code ?? "ok"}`);
      }
      const rolled = await callRolledBack(sql, catalog, s, rpc, args);
      s.recorder.inspect(
        `${rpc.key} through SQL (rolled back)`,
        JSON.stringify(args),
        rolled.body,
        { sql: true },
      );
      tally(`SQL ${rolled.ok ? "ok" : rolled.code}`);
      if (rolled.code === "no overload") notReached.push(`${s.label}: SQL ${what}: no overload`);
      cov.rpcCalls++;
      if (rolled.ok || !get.error) cov.rpcOk++;
    }
  }
}

/** Function names under supabase/functions (folders with an index.ts, not _shared). */
async function edgeFunctions(): Promise<string[]> {
  const dir = new URL("../../functions/", import.meta.url);
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (!e.isDirectory || e.name.startsWith("_") || e.name.startsWith(".")) continue;
    const index = await Deno.stat(new URL(`${e.name}/index.ts`, dir)).catch(() => null);
    if (index?.isFile) names.push(e.name);
  }
  return names.sort();
}

// ---------------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------------

Deno.test("secret leak: no response to any demo login or anon contains demo-secret-", async (t) => {
  const sql = postgres(env("SUPABASE_DB_URL"), { max: 2, onnotice: () => {} });
  const subjects: Subject[] = [];
  try {
    await t.step("the seed has secrets to leak, and the search finds them", async () => {
      const [{ count }] = await sql<{ count: number }[]>`
        select count(*)::int as count from vault.decrypted_secrets
        where decrypted_secret like ${MARKER + "%"}`;
      assert.ok(count > 0, `no Vault secret begins with ${MARKER}: the check would be empty`);
      // The service role decrypts them (private.decrypt_credential audits: rolled back).
      const conn = await sql.reserve();
      let plain: { kind: string; plain: string | null }[];
      try {
        await conn`begin`;
        await conn`select set_config('role', 'service_role', true),
          set_config('request.jwt.claims', '{"role":"service_role"}', true)`;
        plain = await conn<{ kind: string; plain: string | null }[]>`
          select c.kind::text as kind, private.decrypt_credential(c.subject_id, c.kind) as plain
          from public.credentials c`;
      } finally {
        await conn`rollback`.catch(() => {});
        conn.release();
      }
      const demo = plain.filter((p) => p.plain?.startsWith(MARKER));
      assert.ok(demo.length > 0, "the service role decrypts no demo secret");
      console.log(
        `  Vault holds ${count} ${MARKER}… secrets; the service role decrypts ${demo.length} ` +
          `credentials (${[...new Set(demo.map((p) => p.kind))].join(", ")})`,
      );
      // The search finds a real one, in every encoding, and in any case; not a lookalike.
      const secret = demo[0].plain!;
      const bytes = Buffer.from(`{"x":"${secret}"}`);
      assert.ok(findMarker(JSON.stringify({ data: secret })).length);
      assert.ok(findMarker(secret.toUpperCase()).length);
      assert.ok(findMarker(`\\x${bytes.toString("hex")}`).length);
      for (let pad = 0; pad < 3; pad++) {
        const b64 = Buffer.concat([Buffer.alloc(pad, 32), bytes]).toString("base64");
        assert.ok(findMarker(b64).length, `base64 at offset ${pad}`);
        assert.ok(findMarker(b64.replaceAll("+", "-").replaceAll("/", "_")).length);
      }
      assert.deepEqual(findMarker('{"label":"demo secret","last4":"e4f2"}'), []);
    });

    for (const email of DEMO_LOGINS) subjects.push(await signIn(email));
    subjects.push(anonSubject());
    const users = subjects.filter((s) => s.userId);

    // Discovery's own answers (as the service role, a user and anon) are searched too.
    const discovery = new Recorder("discovery");
    const { relations, rpcs } = await discover(users[0].token, { fetch: discovery.fetch });
    const schemas = [...new Set([...relations, ...rpcs].map((x) => x.schema))];
    const catalog = await readCatalog(sql, schemas);
    const functionNames = await edgeFunctions();
    const coverage = new Map(
      subjects.map((s) => [s.label, { columnProbes: 0, hiddenRefused: 0, rpcCalls: 0, rpcOk: 0 }]),
    );
    console.log(
      `secret leak: ${relations.length} relations (${relations.map((r) => r.key).join(", ")}), ` +
        `${rpcs.length} RPCs (${rpcs.map((r) => r.key).join(", ")}), ` +
        `${functionNames.length} edge functions (${functionNames.join(", ")})`,
    );
    assert.ok(relations.length > 0 && rpcs.length > 0, "PostgREST exposes nothing?");

    await t.step("sign-in, the session user, /config.json and the dashboard", async () => {
      for (const s of subjects) {
        s.recorder.area = "auth";
        const headers = { apikey: ANON_KEY, authorization: `Bearer ${s.token}` };
        const user = await s.client.auth.getUser();
        if (s.userId) assert.equal(user.data.user?.id, s.userId, `${s.label}: GET /auth/v1/user`);
        await s.recorder.fetch(`${SUPABASE_URL}/auth/v1/user`, { headers });
        await s.recorder.fetch(`${SUPABASE_URL}/auth/v1/settings`, { headers });
        if (s.userId) {
          const refreshed = await s.client.auth.refreshSession();
          assert.equal(refreshed.error, null, `${s.label}: refresh: ${refreshed.error?.message}`);
        }
        for (const path of ["/config.json", "/"]) {
          await s.recorder.fetch(`${SUPABASE_URL}${path}`);
          await s.recorder.fetch(`${SUPABASE_URL}${path}`, { headers });
        }
        s.recorder.area = "openapi";
        for (const schema of schemas) {
          await s.recorder.fetch(`${SUPABASE_URL}/rest/v1/`, {
            headers: { ...headers, "accept-profile": schema },
          });
        }
      }
      const leaks = subjects.flatMap((
        s,
      ) => [...s.recorder.leaksIn("auth"), ...s.recorder.leaksIn("openapi")]);
      assert.deepEqual(leaks, []);
    });

    const everyone = new Pool();
    await t.step("every exposed relation, every column, with and without filters", async () => {
      // Unfiltered first, to learn the ids; anon last, given everything the users know.
      for (const s of subjects) {
        await readRelations(s, relations, catalog, s.own, catalog.enums, coverage.get(s.label)!, {
          filters: false,
        });
        everyone.merge(s.own);
      }
      for (const s of users) {
        assert.ok(s.rowsRead > 0, `${s.label} reads no rows: the session is broken`);
        assert.ok(
          (readableBy.get(`${s.label}|public.credentials`) ?? []).includes("last4"),
          `${s.label} should read credential metadata (else nothing here touches credentials)`,
        );
      }
      for (const s of subjects) {
        const pool = s.userId ? s.own : everyone;
        await readRelations(s, relations, catalog, pool, catalog.enums, coverage.get(s.label)!, {
          filters: true,
        });
      }
      assert.deepEqual(subjects.flatMap((s) => s.recorder.leaksIn("relations")), []);
    });

    await t.step(
      "every exposed RPC with the users' ids, every enum value, random ids",
      async () => {
        // Each user's own data first, then everyone else's too (what anon is given).
        const notReached: string[] = [];
        for (const s of subjects) {
          const pool = new Pool();
          pool.merge(s.own);
          pool.merge(everyone);
          if (s.userId) {
            pool.userIds.add(s.userId);
            pool.emails.add(s.email!);
          }
          const outcomes = new Map<string, number>();
          await callRpcs(s, rpcs, pool, catalog, sql, coverage.get(s.label)!, outcomes, notReached);
          console.log(
            `  ${s.label}: ${[...outcomes].sort().map(([k, n]) => `${n}× ${k}`).join(", ")}`,
          );
        }
        assert.deepEqual(subjects.flatMap((s) => s.recorder.leaksIn("rpcs")), []);
        assert.deepEqual(notReached, [], "calls that did not reach the function prove nothing");
        for (const s of users) {
          assert.ok(coverage.get(s.label)!.rpcOk > 0, `${s.label}: no RPC call succeeded`);
        }
      },
    );

    await t.step("every edge function", async () => {
      for (const s of subjects) {
        s.recorder.area = "functions";
        for (const name of functionNames) {
          await s.client.functions.invoke(name, { method: "GET" });
          await s.client.functions.invoke(name, { method: "POST", body: {} });
          const headers = { apikey: ANON_KEY, authorization: `Bearer ${s.token}` };
          await s.recorder.fetch(`${SUPABASE_URL}/functions/v1/${name}`, { headers });
          await s.recorder.fetch(`${SUPABASE_URL}/functions/v1/${name}/leak-probe`, { headers });
          await s.recorder.fetch(`${SUPABASE_URL}/functions/v1/${name}`, {
            method: "POST",
            headers: { ...headers, "content-type": "application/json" },
            body: JSON.stringify({ subject_id: [...everyone.subjectIds][0] ?? null }),
          });
          await s.recorder.fetch(`${SUPABASE_URL}/functions/v1/${name}`, {
            method: "OPTIONS",
            headers: { origin: "http://example.com", "access-control-request-method": "POST" },
          });
        }
      }
      assert.deepEqual(subjects.flatMap((s) => s.recorder.leaksIn("functions")), []);
    });

    for (const s of users) {
      s.recorder.area = "auth";
      const { error } = await s.client.auth.signOut({ scope: "local" });
      assert.equal(error, null, `${s.label} signs out: ${error?.message}`);
    }

    console.log("secret leak: requests per subject (HTTP, plus calls through SQL rolled back)");
    for (const s of subjects) {
      const c = coverage.get(s.label)!;
      const areas = [...s.recorder.http].map(([a, n]) => `${a} ${n}`).join(", ");
      console.log(
        `  ${s.label}: ${total(s.recorder.http)} HTTP (${areas}) + ${total(s.recorder.sql)} SQL; ` +
          `${s.rowsRead} rows, ${c.columnProbes} single-column selects ` +
          `(${c.hiddenRefused} refused), ${c.rpcCalls} RPC argument sets (${c.rpcOk} succeeded)`,
      );
    }
    const all = subjects.reduce(
      (n, s) => n + total(s.recorder.http) + total(s.recorder.sql),
      total(discovery.http),
    );
    console.log(
      `  ${all} responses searched for "${MARKER}" and "${VERIFY_MARKER}" (any case, hex, base64)`,
    );
    assert.deepEqual(
      [discovery, ...subjects.map((s) => s.recorder)].flatMap((r) => r.leaksIn()),
      [],
    );
  } finally {
    await sql.end();
  }
});
