// The tenant boundary, proven generically through everything PostgREST exposes.
//
// Two organisations, A and B, each with an owner, a member, a teammate shared by both and a
// pending invitation. The test asks PostgREST which schemas it serves and, per schema, what
// its OpenAPI description lists (tables, views, RPCs) — as the service role, as a user and
// as anon — so a table, view or function added later is covered without touching this file.
// Then, as A's owner, A's member and anon:
//
// - reads: no row of any relation belongs to a tenant the caller is not in (and B's
//   distinctive strings appear nowhere in the responses);
// - writes: PATCH of every column, DELETE, INSERT and UPSERT aimed at B's rows change nothing
//   of B's (checked with the service role, relation by relation);
// - RPCs: every function called with B's ids (and, where it matters, the caller's own id or
//   email) fails or changes nothing of B's and returns nothing of B's;
// - anon: reads nothing anywhere and no RPC succeeds.
//
// Deciding whose a row is: a relation with an `organisation_id` column belongs to that
// organisation. Anything else must be listed in OWNERSHIP below; a relation that is neither
// fails the test, so nobody exposes a table without deciding whose its rows are.
import assert from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import {
  ANON_KEY,
  anonClient,
  must,
  runTag,
  SERVICE_ROLE_KEY,
  serviceClient,
  SUPABASE_URL,
  type TestUser,
  TestUsers,
} from "./_helpers.ts";

// ---------------------------------------------------------------------------------------------
// Ownership rules
// ---------------------------------------------------------------------------------------------

type Ownership =
  /** Rows belong to the organisation whose id is in `column`. */
  | { kind: "organisation"; column: string }
  /** Rows belong to one user (`column`): visible to that user and to their teammates. */
  | { kind: "user"; column: string }
  /** Not tenant data (e.g. a shared catalog): no tenant's rows, but no tenant may write it. */
  | { kind: "global"; why: string };

/** Exposed relations without an `organisation_id` column, keyed "schema.name". */
const OWNERSHIP: Record<string, Ownership> = {
  "public.organisations": { kind: "organisation", column: "id" },
  "public.profiles": { kind: "user", column: "id" },
};

const TENANT_COLUMN = "organisation_id";

// ---------------------------------------------------------------------------------------------
// What PostgREST exposes
// ---------------------------------------------------------------------------------------------

type Row = Record<string, unknown>;

interface Column {
  name: string;
  format: string;
  type: string;
  itemsType?: string;
  enum?: string[];
  hasDefault: boolean;
  required: boolean;
  pk: boolean;
}

interface Relation {
  schema: string;
  name: string;
  key: string;
  columns: Column[];
  ownership?: Ownership;
}

interface RpcParam {
  name: string;
  format: string;
  type: string;
  itemsType?: string;
  required: boolean;
}

interface Rpc {
  schema: string;
  name: string;
  key: string;
  params: RpcParam[];
}

interface OpenApiProperty {
  format?: string;
  type?: string;
  items?: { type?: string; format?: string };
  enum?: string[];
  default?: unknown;
  description?: string;
}

interface OpenApiSpec {
  paths?: Record<string, Record<string, { parameters?: OpenApiParameter[] }>>;
  definitions?: Record<
    string,
    { required?: string[]; properties?: Record<string, OpenApiProperty> }
  >;
}

interface OpenApiParameter {
  in?: string;
  name?: string;
  required?: boolean;
  format?: string;
  type?: string;
  items?: { type?: string; format?: string };
  schema?: { required?: string[]; properties?: Record<string, OpenApiProperty> };
}

/** PostgREST names the schemas it serves when asked for one it does not. */
async function exposedSchemas(): Promise<string[]> {
  const res = await fetch(`${SUPABASE_URL}/rest/v1/`, {
    headers: { apikey: ANON_KEY, "accept-profile": "cross_tenant_test_no_such_schema" },
  });
  const body = await res.json().catch(() => ({}));
  const listed = /one of the following: (.+)$/.exec(String(body.message ?? ""));
  assert.ok(listed, `could not learn the exposed schemas from PostgREST: ${JSON.stringify(body)}`);
  return listed[1].split(",").map((s) => s.trim()).filter(Boolean);
}

async function openApi(schema: string, apikey: string, bearer: string): Promise<OpenApiSpec> {
  const res = await fetch(`${SUPABASE_URL}/rest/v1/`, {
    headers: { apikey, authorization: `Bearer ${bearer}`, "accept-profile": schema },
  });
  assert.equal(res.status, 200, `OpenAPI of schema ${schema}: HTTP ${res.status}`);
  return await res.json();
}

/**
 * The union of what the service role, a signed-in user and anon are shown (PostgREST lists
 * what the asking role has privileges on), so nothing granted to anyone is missed.
 */
async function discover(userToken: string): Promise<{ relations: Relation[]; rpcs: Rpc[] }> {
  const relations = new Map<string, Relation>();
  const rpcs = new Map<string, Rpc>();
  for (const schema of await exposedSchemas()) {
    const specs = [
      await openApi(schema, SERVICE_ROLE_KEY, SERVICE_ROLE_KEY),
      await openApi(schema, ANON_KEY, userToken),
      await openApi(schema, ANON_KEY, ANON_KEY),
    ];
    for (const spec of specs) {
      for (const [path, methods] of Object.entries(spec.paths ?? {})) {
        if (path === "/") continue;
        const rpcName = /^\/rpc\/(.+)$/.exec(path)?.[1];
        if (rpcName) {
          const key = `${schema}.${rpcName}`;
          if (!rpcs.has(key)) {
            rpcs.set(key, { schema, name: rpcName, key, params: rpcParams(methods) });
          }
          continue;
        }
        const name = path.slice(1);
        const key = `${schema}.${name}`;
        const definition = spec.definitions?.[name];
        if (relations.has(key) || !definition) continue;
        const required = new Set(definition.required ?? []);
        const columns = Object.entries(definition.properties ?? {}).map(([col, p]): Column => ({
          name: col,
          format: p.format ?? "",
          type: p.type ?? "",
          itemsType: p.items?.type,
          enum: p.enum,
          hasDefault: p.default !== undefined,
          required: required.has(col),
          pk: /<pk\/>/.test(p.description ?? ""),
        }));
        const ownership = OWNERSHIP[key] ??
          (columns.some((c) => c.name === TENANT_COLUMN)
            ? { kind: "organisation", column: TENANT_COLUMN }
            : undefined);
        relations.set(key, { schema, name, key, columns, ownership });
      }
    }
  }
  const byKey = <T extends { key: string }>(a: T, b: T) => a.key.localeCompare(b.key);
  return { relations: [...relations.values()].sort(byKey), rpcs: [...rpcs.values()].sort(byKey) };
}

function rpcParams(methods: Record<string, { parameters?: OpenApiParameter[] }>): RpcParam[] {
  const body = methods.post?.parameters?.find((p) => p.in === "body")?.schema;
  if (body) {
    const required = new Set(body.required ?? []);
    return Object.entries(body.properties ?? {}).map(([name, p]) => ({
      name,
      format: p.format ?? "",
      type: p.type ?? "",
      itemsType: p.items?.type,
      required: required.has(name),
    }));
  }
  return (methods.get?.parameters ?? []).filter((p) => p.in === "query" && p.name).map((p) => ({
    name: p.name!,
    format: p.format ?? "",
    type: p.type ?? "",
    itemsType: p.items?.type,
    required: p.required === true,
  }));
}

// ---------------------------------------------------------------------------------------------
// The two tenants
// ---------------------------------------------------------------------------------------------

interface Tenant {
  label: string;
  orgId: string;
  slug: string;
  owner: TestUser;
  member: TestUser;
  /** Plain tokens of the tenant's invitations (accepted ones and the pending one). */
  tokens: string[];
}

const tag = runTag();
const users = new TestUsers();
const admin = serviceClient();

async function rpcAs<T>(user: TestUser, fn: string, args: Row): Promise<T> {
  return must<T>(await user.client.rpc(fn, args), `${user.email}: ${fn}`);
}

async function invite(owner: TestUser, orgId: string, email: string, role: string) {
  const rows = await rpcAs<{ token: string }[]>(owner, "invite_member", {
    organisation_id: orgId,
    email,
    role,
  });
  return rows[0].token;
}

async function makeTenant(
  label: "alpha" | "beta",
  shared: TestUser,
  sharedRole: string,
): Promise<Tenant> {
  const who = (role: string) => `ct-${tag}-${label}-${role}@example.com`;
  const owner = await users.signUp(who("owner"), `${label} owner ${tag}`);
  const member = await users.signUp(who("member"), `${label} member ${tag}`);
  const org = await rpcAs<{ id: string; slug: string }>(owner, "create_organisation", {
    name: `${label} clinic ${tag}`,
    slug: `ct-${label}-${tag}`,
    timezone: label === "alpha" ? "Europe/London" : "Europe/Riga",
    languages: label === "alpha" ? ["en"] : ["en", "ru"],
  });
  const tokens: string[] = [];
  tokens.push(await invite(owner, org.id, member.email, "member"));
  await rpcAs(member, "accept_invitation", { token: tokens.at(-1) });
  tokens.push(await invite(owner, org.id, shared.email, sharedRole));
  await rpcAs(shared, "accept_invitation", { token: tokens.at(-1) });
  tokens.unshift(await invite(owner, org.id, who("invitee"), "admin"));
  return { label, orgId: org.id, slug: org.slug, owner, member, tokens };
}

// ---------------------------------------------------------------------------------------------
// Rows, scopes and snapshots (always read with the service role)
// ---------------------------------------------------------------------------------------------

const from = (client: SupabaseClient, rel: Relation) => client.schema(rel.schema).from(rel.name);

/** Organisation ids per user, for users-owned rows. */
async function memberships(userIds: string[]): Promise<Map<string, Set<string>>> {
  const map = new Map<string, Set<string>>();
  for (const id of userIds) map.set(id, new Set());
  if (!userIds.length) return map;
  const rows = must<Row[]>(
    await admin.from("organisation_members").select("organisation_id, user_id").in(
      "user_id",
      userIds,
    ),
    "service role: memberships",
  );
  for (const r of rows) map.get(String(r.user_id))!.add(String(r.organisation_id));
  return map;
}

/** What "B's rows" means: B's organisation, and users who are in B and share nothing with A. */
interface Scope {
  orgIds: string[];
  userIds: string[];
}

async function scopeOf(tenant: Tenant, excluding?: Tenant): Promise<Scope> {
  const members = must<Row[]>(
    await admin.from("organisation_members").select("user_id").eq("organisation_id", tenant.orgId),
    "service role: members",
  );
  let userIds = members.map((m) => String(m.user_id));
  if (excluding) {
    const of = await memberships(userIds);
    userIds = userIds.filter((u) => !of.get(u)!.has(excluding.orgId));
  }
  return { orgIds: [tenant.orgId], userIds: userIds.sort() };
}

function scopeFilter(rel: Relation, scope: Scope): { column: string; ids: string[] } | null {
  const o = rel.ownership;
  if (!o || o.kind === "global") return null;
  return { column: o.column, ids: o.kind === "organisation" ? scope.orgIds : scope.userIds };
}

async function rowsInScope(rel: Relation, scope: Scope): Promise<Row[]> {
  const filter = scopeFilter(rel, scope);
  if (!filter) {
    // A global relation: all of it, page by page.
    const all: Row[] = [];
    for (let offset = 0;; offset += 1000) {
      const page = must<Row[]>(
        await from(admin, rel).select("*").range(offset, offset + 999),
        `service role: ${rel.key}`,
      );
      all.push(...page);
      if (page.length < 1000) return all;
    }
  }
  if (!filter.ids.length) return [];
  return must<Row[]>(
    await from(admin, rel).select("*").in(filter.column, filter.ids),
    `service role: ${rel.key}`,
  );
}

type Snapshot = Map<string, string[]>;

async function snapshot(relations: Relation[], scope: Scope): Promise<Snapshot> {
  const snap: Snapshot = new Map();
  for (const rel of relations) {
    snap.set(rel.key, (await rowsInScope(rel, scope)).map((r) => JSON.stringify(r)).sort());
  }
  return snap;
}

function diff(before: Snapshot, after: Snapshot): string[] {
  const changes: string[] = [];
  for (const [key, rows] of before) {
    const now = after.get(key) ?? [];
    const gone = rows.filter((r) => !now.includes(r));
    const added = now.filter((r) => !rows.includes(r));
    for (const r of gone) changes.push(`${key}: row changed or removed: ${r}`);
    for (const r of added) changes.push(`${key}: row changed or added: ${r}`);
  }
  return changes;
}

/** Strings that identify B's data and nothing A may see (names, slugs, addresses). */
async function markersOf(relations: Relation[], b: Scope, a: Scope): Promise<string[]> {
  const strings = (rows: Row[], into: Set<string>) => {
    const walk = (v: unknown) => {
      if (typeof v === "string" && v.includes(tag)) into.add(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") Object.values(v).forEach(walk);
    };
    rows.forEach(walk);
  };
  const bStrings = new Set<string>();
  const aStrings = new Set<string>();
  for (const rel of relations) {
    strings(await rowsInScope(rel, b), bStrings);
    strings(await rowsInScope(rel, a), aStrings);
  }
  return [...bStrings].filter((s) => !aStrings.has(s));
}

function leakedMarkers(payload: unknown, markers: string[], passed: unknown = null): string[] {
  const text = JSON.stringify(payload ?? null);
  const sent = JSON.stringify(passed ?? null);
  return markers.filter((m) => text.includes(m) && !sent.includes(m));
}

// ---------------------------------------------------------------------------------------------
// Plausible values for writes and RPC arguments
// ---------------------------------------------------------------------------------------------

interface Attacker {
  label: string;
  client: SupabaseClient;
  user?: TestUser;
  /** The attacker's own organisation (where it has one): target of "move B's rows to me". */
  orgId?: string;
}

const isOrgName = (n: string) => /organi[sz]ation|(^|_)org(_|$)|tenant/i.test(n);
const isUserName = (n: string) => /user|member|profile|(^|_)by$|owner|author/i.test(n);
const isInvitationName = (n: string) => /invit/i.test(n);

function hex(bytes: number): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(bytes)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

/** A value of the column's type that satisfies the usual checks; prefers A's own example row. */
function plausible(
  col: { name: string; format: string; type: string; itemsType?: string; enum?: string[] },
  example?: Row,
): unknown {
  if (example && example[col.name] !== undefined && example[col.name] !== null) {
    return example[col.name];
  }
  const name = col.name.toLowerCase();
  const format = col.format.toLowerCase();
  if (col.enum?.length) return col.enum[0];
  if (format === "uuid") return crypto.randomUUID();
  if (format === "bytea") return `\\x${hex(32)}`;
  if (format.startsWith("timestamp")) return new Date().toISOString();
  if (format === "date") return new Date().toISOString().slice(0, 10);
  if (format.startsWith("time")) return "09:00:00";
  if (format === "json" || format === "jsonb") return {};
  if (col.type === "array") return col.itemsType === "string" ? ["en"] : [1];
  if (col.type === "boolean" || format === "boolean") return false;
  if (col.type === "integer" || col.type === "number") return 1;
  if (name.includes("email")) return `ct-${tag}-probe-${hex(3)}@example.com`;
  if (name.includes("slug")) return `ct-probe-${hex(4)}`;
  if (name.includes("timezone")) return "UTC";
  if (name.includes("language")) return "en";
  if (name.includes("phone")) return "+15005550006";
  if (name.includes("url")) return "https://example.com/probe";
  return `cross-tenant probe ${hex(3)}`;
}

/** A row for the target tenant: its owner column, every required column without a default. */
function insertBody(rel: Relation, target: string, attacker: Attacker, example?: Row): Row {
  const o = rel.ownership;
  const body: Row = {};
  for (const col of rel.columns) {
    if (o && o.kind !== "global" && col.name === o.column) body[col.name] = target;
    else if (col.required && !col.hasDefault) {
      if (col.format === "uuid" && isUserName(col.name)) {
        body[col.name] = attacker.user?.id ?? crypto.randomUUID();
      } else if (col.format === "uuid" && isOrgName(col.name)) body[col.name] = target;
      else if (col.format === "bytea" || /email|slug|token/i.test(col.name)) {
        body[col.name] = plausible(col);
      } else body[col.name] = plausible(col, example);
    }
  }
  return body;
}

/** The value an attacker would write into one column of B's rows. */
function updateValue(rel: Relation, col: Column, attacker: Attacker, example?: Row): unknown {
  const o = rel.ownership;
  if (o && o.kind !== "global" && col.name === o.column) {
    return o.kind === "organisation"
      ? attacker.orgId ?? crypto.randomUUID()
      : attacker.user?.id ?? crypto.randomUUID();
  }
  if (col.format === "uuid" && isUserName(col.name) && attacker.user) return attacker.user.id;
  if (col.enum?.length) return col.enum[0];
  return plausible(col, example);
}

interface Bundle {
  b: Tenant;
  bScope: Scope;
  /** B's ids found in B's rows, by kind. */
  bUuids: string[];
  bInvitationIds: string[];
  bEmails: string[];
  enums: Map<string, string[]>;
}

function candidates(p: RpcParam, attacker: Attacker, x: Bundle): unknown[] {
  const name = p.name.toLowerCase();
  const format = p.format.toLowerCase().replace(/^.*\./, "");
  if (format === "uuid") {
    if (isInvitationName(name)) return x.bInvitationIds;
    if (isOrgName(name)) return [x.b.orgId];
    if (isUserName(name)) {
      return [...x.bScope.userIds, ...(attacker.user ? [attacker.user.id] : [])];
    }
    return x.bUuids;
  }
  const enumValues = x.enums.get(format);
  if (enumValues) return enumValues;
  if (name.includes("token")) return x.b.tokens;
  if (name.includes("email")) {
    return [...(attacker.user ? [attacker.user.email] : []), ...x.bEmails];
  }
  if (name.includes("slug")) return [x.b.slug];
  if (p.type === "array" && /lang/.test(name)) return [["en"]];
  if (/lang/.test(name)) return ["en"];
  return [plausible({ name: p.name, format: p.format, type: p.type, itemsType: p.itemsType })];
}

/** Every combination of candidates, or one parameter varied at a time when that is too many. */
function argumentSets(rpc: Rpc, attacker: Attacker, x: Bundle): Row[] {
  const lists = rpc.params.map((p) => ({ name: p.name, values: candidates(p, attacker, x) }));
  const total = lists.reduce((n, l) => n * Math.max(1, l.values.length), 1);
  if (total <= 48) {
    let sets: Row[] = [{}];
    for (const l of lists) {
      if (!l.values.length) continue;
      sets = sets.flatMap((s) => l.values.map((v) => ({ ...s, [l.name]: v })));
    }
    return sets;
  }
  const base: Row = Object.fromEntries(lists.map((l) => [l.name, l.values[0]]));
  const sets: Row[] = [base];
  for (const l of lists) for (const v of l.values.slice(1)) sets.push({ ...base, [l.name]: v });
  return sets;
}

// ---------------------------------------------------------------------------------------------
// The probes
// ---------------------------------------------------------------------------------------------

interface ReadResult {
  rows: Row[];
  columns: string[];
  error?: string;
}

/** Everything the caller can read of a relation (the columns it may select, all rows). */
async function readAll(client: SupabaseClient, rel: Relation): Promise<ReadResult> {
  const star = await from(client, rel).select("*").range(0, 9999);
  if (!star.error) return { rows: star.data ?? [], columns: rel.columns.map((c) => c.name) };
  const columns: string[] = [];
  for (const c of rel.columns) {
    const probe = await from(client, rel).select(c.name).limit(1);
    if (!probe.error) columns.push(c.name);
  }
  if (!columns.length) return { rows: [], columns, error: star.error.message };
  const some = await from(client, rel).select(columns.join(",")).range(0, 9999);
  if (some.error) return { rows: [], columns, error: some.error.message };
  return { rows: (some.data ?? []) as unknown as Row[], columns };
}

/** Whose is this row, as a set of organisations ("self" for the caller's own user row)? */
function ownersOf(rel: Relation, row: Row, userOrgs: Map<string, Set<string>>): Set<string> {
  const o = rel.ownership!;
  if (o.kind === "global") return new Set();
  const value = row[o.column];
  if (typeof value !== "string") return new Set();
  return o.kind === "organisation" ? new Set([value]) : userOrgs.get(value) ?? new Set();
}

type Outcomes = Map<string, number>;
const writeOutcomes: Outcomes = new Map();
const rpcOutcomes: Outcomes = new Map();
const anonRpcOutcomes: Outcomes = new Map();

/** Counts how the probes ended (HTTP status and error code), so the log shows what refused them. */
function tally(into: Outcomes, r: { status: number; error: { code?: string } | null }) {
  const key = r.error ? `${r.status} ${r.error.code ?? "?"}` : `${r.status} ok`;
  into.set(key, (into.get(key) ?? 0) + 1);
}
const show = (o: Outcomes) => [...o].sort().map(([k, n]) => `${n}× ${k}`).join(", ");

/** An error that only a row actually being written can raise (the filter matched B's rows). */
const integrityError = (code?: string) => typeof code === "string" && code.startsWith("23");

// ---------------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------------

Deno.test("cross-tenant: no read or write of another organisation through any exposed path", async (t) => {
  try {
    // Arrange: A and B, a user in both, a pending invitation in each.
    const shared = await users.signUp(`ct-${tag}-shared@example.com`, `shared ${tag}`);
    const a = await makeTenant("alpha", shared, "member");
    const b = await makeTenant("beta", shared, "admin");

    const { relations: exposed, rpcs } = await discover(a.owner.accessToken);
    const relations = exposed.filter((r) => r.ownership);
    console.log(
      `cross-tenant: covers ${exposed.length} relations (${exposed.map((r) => r.key).join(", ")})` +
        ` and ${rpcs.length} RPCs (${rpcs.map((r) => r.key).join(", ")})`,
    );

    await t.step("every exposed relation has an ownership rule", () => {
      const unclassified = exposed.filter((r) => !r.ownership).map((r) => r.key);
      assert.deepEqual(
        unclassified,
        [],
        `exposed without "${TENANT_COLUMN}" and without an entry in OWNERSHIP ` +
          `(supabase/tests/api/cross_tenant_test.ts): ${unclassified.join(", ")}`,
      );
    });

    const aScope = await scopeOf(a);
    let bScope = await scopeOf(b, a);

    await t.step(
      "both tenants have rows in every tenant relation (else the check is empty)",
      async () => {
        const empty: string[] = [];
        for (const rel of relations) {
          if (rel.ownership!.kind === "global") continue;
          for (const [tenant, scope] of [[a, aScope], [b, bScope]] as const) {
            if ((await rowsInScope(rel, scope)).length) continue;
            // A table added later: give it a row built from its OpenAPI definition.
            const o = rel.ownership as { kind: "organisation" | "user"; column: string };
            const target = o.kind === "organisation" ? tenant.orgId : tenant.owner.id;
            const body = insertBody(rel, target, {
              label: "seed",
              client: admin,
              user: tenant.owner,
            });
            const { error } = await from(admin, rel).insert(body);
            if (error) {
              empty.push(
                `${rel.key} (${tenant.label}): no rows, and a generated row was refused: ` +
                  `${error.message}; create rows for both tenants in makeTenant()`,
              );
            }
          }
        }
        assert.deepEqual(empty, []);
        bScope = await scopeOf(b, a);
        for (const rel of relations) {
          const count = (await rowsInScope(rel, bScope)).length;
          console.log(`  ${rel.key}: ${count} rows of B`);
          if (rel.ownership!.kind !== "global") assert.ok(count > 0, `${rel.key}: B has no rows`);
        }
      },
    );

    const markers = await markersOf(relations, bScope, aScope);
    assert.ok(markers.length >= 3, `B's distinctive strings: ${markers.join(", ")}`);

    const attackers: Attacker[] = [
      { label: "A's owner", client: a.owner.client, user: a.owner, orgId: a.orgId },
      { label: "A's member", client: a.member.client, user: a.member, orgId: a.orgId },
      { label: "anon", client: anonClient() },
    ];

    await t.step("A's owner and member read nothing of B's (nor of anyone else's)", async () => {
      const found: string[] = [];
      let ownRows = 0;
      for (const attacker of attackers.slice(0, 2)) {
        const orgs = (await memberships([attacker.user!.id])).get(attacker.user!.id)!;
        for (const rel of relations) {
          const { rows, columns, error } = await readAll(attacker.client, rel);
          const o = rel.ownership!;
          if (o.kind !== "global" && rows.length && !columns.includes(o.column)) {
            found.push(`${attacker.label}: ${rel.key}: rows readable but not "${o.column}"`);
            continue;
          }
          const userIds = o.kind === "user" ? rows.map((r) => String(r[o.column])) : [];
          const userOrgs = await memberships([...new Set(userIds)]);
          for (const row of rows) {
            if (o.kind === "global") continue;
            if (o.kind === "user" && row[o.column] === attacker.user!.id) {
              ownRows++;
              continue;
            }
            const owners = ownersOf(rel, row, userOrgs);
            if ([...owners].some((org) => orgs.has(org))) ownRows++;
            else found.push(`${attacker.label} reads ${rel.key}: ${JSON.stringify(row)}`);
          }
          for (const m of leakedMarkers(rows, markers)) {
            found.push(`${attacker.label} reads B's "${m}" in ${rel.key}`);
          }
          console.log(
            `  read ${rel.key} as ${attacker.label}: ${rows.length} rows` +
              (error ? ` (${error})` : ""),
          );
        }
      }
      assert.deepEqual(found, []);
      // The check is not vacuous: the callers do see their own organisation's rows.
      assert.ok(ownRows > 0, "A's users see none of their own rows: the sessions are broken");
      const mine = must<Row[]>(
        await a.owner.client.from("organisations").select("id"),
        "A's owner reads its organisations",
      );
      assert.deepEqual(mine.map((r) => r.id), [a.orgId]);
    });

    await t.step("writes aimed at B's rows change nothing of B's", async () => {
      const found: string[] = [];
      let probes = 0;
      for (const attacker of attackers) {
        for (const rel of relations) {
          const filter = scopeFilter(rel, bScope) ??
            { column: rel.columns.find((c) => c.pk)?.name ?? rel.columns[0].name, ids: [] };
          const bRows = await rowsInScope(rel, bScope);
          if (!filter.ids.length) {
            filter.ids = bRows.slice(0, 20).map((r) => String(r[filter.column]));
          }
          const example = (await rowsInScope(rel, aScope))[0];
          const before = await snapshot(relations, bScope);
          const note = (
            what: string,
            r: {
              status: number;
              error: { code?: string; message: string } | null;
              count?: number | null;
              data?: unknown;
            },
            sent?: unknown,
          ) => {
            probes++;
            tally(writeOutcomes, r);
            if ((r.count ?? 0) > 0) {
              found.push(`${attacker.label}: ${what}: ${r.count} rows affected`);
            }
            if (integrityError(r.error?.code)) {
              found.push(
                `${attacker.label}: ${what}: reached B's rows (${r.error!.code} ${
                  r.error!.message
                })`,
              );
            }
            for (const m of leakedMarkers([r.data, r.error], markers, sent)) {
              found.push(`${attacker.label}: ${what}: response carries B's "${m}"`);
            }
          };
          for (const col of rel.columns) {
            const value = updateValue(rel, col, attacker, example);
            const r = await from(attacker.client, rel)
              .update({ [col.name]: value }, { count: "exact" })
              .in(filter.column, filter.ids);
            note(`PATCH ${rel.key}.${col.name} where ${filter.column} in B's`, r, value);
          }
          note(
            `DELETE ${rel.key} where ${filter.column} in B's`,
            await from(attacker.client, rel).delete({ count: "exact" }).in(
              filter.column,
              filter.ids,
            ),
          );
          const target = rel.ownership!.kind === "organisation" ? b.orgId : b.owner.id;
          const body = insertBody(rel, target, attacker, example);
          const ins = await from(attacker.client, rel).insert(body, { count: "exact" });
          note(`INSERT ${rel.key} ${JSON.stringify(body)}`, ins, body);
          if (!ins.error) found.push(`${attacker.label}: INSERT into ${rel.key} for B succeeded`);
          // Upsert onto B's own primary key: ON CONFLICT DO UPDATE is a write to B's row.
          const pk = rel.columns.filter((c) => c.pk).map((c) => c.name);
          if (pk.length && bRows.length) {
            for (const col of rel.columns.filter((c) => !c.pk)) {
              const row: Row = Object.fromEntries(pk.map((k) => [k, bRows[0][k]]));
              for (const c of rel.columns) {
                if (c.required && !c.hasDefault && !(c.name in row)) row[c.name] = bRows[0][c.name];
              }
              row[col.name] = updateValue(rel, col, attacker, example);
              const r = await from(attacker.client, rel).upsert(row, {
                onConflict: pk.join(","),
                count: "exact",
              });
              note(`UPSERT ${rel.key}.${col.name} onto B's row ${JSON.stringify(row)}`, r, row);
            }
          }
          for (const change of diff(before, await snapshot(relations, bScope))) {
            found.push(`${attacker.label} writing ${rel.key}: ${change}`);
          }
        }
      }
      console.log(`  ${probes} write requests: ${show(writeOutcomes)}`);
      assert.deepEqual(found, []);
    });

    await t.step("RPCs called with B's ids fail or change and reveal nothing of B's", async () => {
      const bRowsAll = new Map<string, Row[]>();
      for (const rel of relations) bRowsAll.set(rel.key, await rowsInScope(rel, bScope));
      const uuids = new Set<string>();
      const emails = new Set<string>();
      for (const rows of bRowsAll.values()) {
        for (const row of rows) {
          for (const v of Object.values(row)) {
            if (typeof v !== "string") continue;
            if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) {
              uuids.add(v);
            } else if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v)) emails.add(v);
          }
        }
      }
      const invitationIds = [...bRowsAll.entries()]
        .filter(([key]) => isInvitationName(key))
        .flatMap(([, rows]) => rows.map((r) => String(r.id)));
      const enums = new Map<string, string[]>();
      for (const rel of exposed) {
        for (const c of rel.columns) {
          if (c.enum) enums.set(c.format.toLowerCase().replace(/^.*\./, ""), c.enum);
        }
      }
      const x: Bundle = {
        b,
        bScope,
        bUuids: [...uuids],
        bInvitationIds: invitationIds,
        bEmails: [...emails],
        enums,
      };
      const found: string[] = [];
      let calls = 0;
      for (const attacker of attackers) {
        for (const rpc of rpcs) {
          const before = await snapshot(relations, bScope);
          for (const args of argumentSets(rpc, attacker, x)) {
            const r = await attacker.client.schema(rpc.schema).rpc(rpc.name, args);
            calls++;
            const what = `${attacker.label}: ${rpc.key}(${JSON.stringify(args)})`;
            tally(attacker.user ? rpcOutcomes : anonRpcOutcomes, r);
            if (attacker.user && /^PGRST2|^22P02$/.test(r.error?.code ?? "")) {
              found.push(`${what}: the probe did not reach the function: ${r.error!.message}`);
            }
            if (attacker.label === "anon" && !r.error) found.push(`${what} succeeded as anon`);
            for (const m of leakedMarkers([r.data, r.error], markers, args)) {
              found.push(`${what}: response carries B's "${m}"`);
            }
          }
          for (const change of diff(before, await snapshot(relations, bScope))) {
            found.push(`${attacker.label} calling ${rpc.key}: ${change}`);
          }
        }
      }
      console.log(
        `  ${calls} RPC calls; signed in: ${show(rpcOutcomes)}; anon: ${show(anonRpcOutcomes)}`,
      );
      assert.deepEqual(found, []);
    });

    await t.step("anon reads nothing in any relation", async () => {
      const found: string[] = [];
      for (const rel of exposed) {
        const { rows } = await readAll(anonClient(), rel);
        if (rows.length) found.push(`anon reads ${rows.length} rows of ${rel.key}`);
      }
      assert.deepEqual(found, []);
    });
  } finally {
    await users.deleteAll();
  }
});
