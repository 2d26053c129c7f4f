// The tenant boundary, proven generically through everything PostgREST exposes.
//
// Two organisations, A and B, each with an owner, a member, a teammate shared by both, a
// pending invitation and a row in every tenant table (FIXTURES). The test asks PostgREST which
// schemas it serves and, per schema, what its OpenAPI description lists (tables, views, RPCs)
// — as the service role, as a user and as anon — so a table, view or function added later is
// covered without touching this file. Then, as A's owner, A's member and anon:
//
// - reads: no row of any relation belongs to a tenant the caller is not in, and B's
//   distinctive strings (names, numbers, addresses, tokens) appear in no response;
// - writes: PATCH of every column, DELETE, INSERT (plausible, and with each column holding a
//   value checks would refuse) and UPSERT aimed at B's rows change nothing of B's (compared
//   with the service role, relation by relation);
// - RPCs: every function called with B's ids (and, where it matters, the caller's own id or
//   email) fails or changes nothing of B's and returns nothing of B's;
// - every write and RPC aimed at B's ids is sent again with ids that exist nowhere: the two
//   answers must be the same, or the difference tells the caller something about B;
// - anon: reads nothing anywhere and no RPC succeeds.
//
// Deciding whose a row is: a relation with an `organisation_id` column belongs to that
// organisation. Anything else must be listed in OWNERSHIP below; a relation that is neither
// fails the test, so nobody exposes a table without deciding whose its rows are.
import assert from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import { anonClient, must, runTag, serviceClient, type TestUser, TestUsers } from "./_helpers.ts";
import {
  type Column,
  discover as discoverExposed,
  from,
  readableColumns,
  type Relation as ExposedRelation,
  type Row,
  type Rpc,
  type RpcParam,
} from "./_exposed.ts";

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
  "public.voice_agents": { kind: "global", why: "the platform's voice catalog; operators keep it" },
  "public.languages": {
    kind: "global",
    why: "the languages clinics may choose; operators keep it",
  },
};

const TENANT_COLUMN = "organisation_id";

/**
 * RPCs anon may call because they apply the caller's own grants and RLS to whatever they do.
 * They are still called with B's ids as everyone and must still change and reveal nothing.
 */
const ANON_CALLABLE_RPCS: Record<string, string> = {
  // Hosted projects expose pg_graphql; the local stack does not.
  "graphql_public.graphql": "pg_graphql resolves queries with the caller's grants and RLS",
};

// ---------------------------------------------------------------------------------------------
// What PostgREST exposes (discovered in _exposed.ts), and whose each relation's rows are
// ---------------------------------------------------------------------------------------------

interface Relation extends ExposedRelation {
  ownership?: Ownership;
}

/**
 * Everything PostgREST exposes, each relation with its ownership rule. Without columns (no
 * role's description has a definition) a relation stays unclassified, and fails.
 */
async function discover(userToken: string): Promise<{ relations: Relation[]; rpcs: Rpc[] }> {
  const { relations, rpcs } = await discoverExposed(userToken);
  return {
    relations: relations.map((rel): Relation => ({
      ...rel,
      ownership: !rel.columns.length ? undefined : OWNERSHIP[rel.key] ??
        (rel.columns.some((c) => c.name === TENANT_COLUMN)
          ? { kind: "organisation", column: TENANT_COLUMN }
          : undefined),
    })),
    rpcs,
  };
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
  /** Ids of rows the fixtures created, by name, for later fixtures. */
  refs: Record<string, string>;
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
  return { label, orgId: org.id, slug: org.slug, owner, member, tokens, refs: {} };
}

const digits = (n: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(n)), (b, i) => (i ? b % 10 : 1 + b % 9)).join(
    "",
  );

async function insertAs(client: SupabaseClient, table: string, row: Row): Promise<string> {
  const { data, error } = await client.from(table).insert(row).select("id").single();
  if (error) throw new Error(`fixture: insert into ${table} failed: ${error.message}`);
  return String((data as Row).id);
}

/**
 * Rows for each tenant in the tables that sign-up, create_organisation and the invitations do
 * not fill, written the way the product writes them: by the owner through the API, or with the
 * service role where service code does (the calendar connection comes from the OAuth flow).
 * They double as the positive control: what A is refused on B's rows works on A's own.
 * A table no fixture fills gets a row generated from its OpenAPI definition; when that is
 * refused, the test says so and a fixture belongs here.
 */
const FIXTURES: [string, (t: Tenant) => Promise<void>][] = [
  ["public.twilio_accounts", async (t) => {
    t.refs.twilioAccount = await insertAs(t.owner.client, "twilio_accounts", {
      organisation_id: t.orgId,
      account_sid: `AC${hex(16)}`,
      label: `${t.label} twilio ${tag}`,
    });
  }],
  ["public.phone_numbers", async (t) => {
    await insertAs(t.owner.client, "phone_numbers", {
      organisation_id: t.orgId,
      twilio_account_id: t.refs.twilioAccount,
      e164: `+4477${digits(9)}`,
      label: `${t.label} front desk ${tag}`,
    });
  }],
  ["public.whatsapp_channels", async (t) => {
    t.refs.whatsappChannel = await insertAs(t.owner.client, "whatsapp_channels", {
      organisation_id: t.orgId,
      provider: "meta",
      meta_phone_number_id: digits(15),
      meta_waba_id: digits(15),
      display_phone_number: `+44 7700 ${digits(6)}`,
      label: `${t.label} whatsapp ${tag}`,
    });
  }],
  ["public.calendar_connections", async (t) => {
    t.refs.calendar = await insertAs(admin, "calendar_connections", {
      organisation_id: t.orgId,
      account_email: `ct-${tag}-${t.label}-calendar@example.com`,
      status: "active",
    });
  }],
  ["public.calendar_busy_blocks", async (t) => {
    // Written by the pull job (service code) from the connected calendar's events.
    const { error } = await admin.from("calendar_busy_blocks").insert({
      organisation_id: t.orgId,
      calendar_id: `ct-${tag}-${t.label}-calendar@example.com`,
      event_id: `staff${tag}${t.label}`,
      starts_at: "2030-12-02T10:00:00Z",
      ends_at: "2030-12-02T11:00:00Z",
    });
    if (error) throw new Error(`fixture: calendar busy block: ${error.message}`);
  }],
  ["public.credentials", async (t) => {
    // One expiring soon, so the rotation report has a row too; every change is audited.
    await rpcAs(t.owner, "set_credential", {
      subject_id: t.refs.twilioAccount,
      kind: "twilio_auth_token",
      secret: `token-${hex(12)}`,
      expires_at: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    });
    await rpcAs(t.owner, "set_credential", {
      subject_id: t.refs.whatsappChannel,
      kind: "meta_access_token",
      secret: `token-${hex(12)}`,
    });
  }],
  ["public.assistant_settings", async (t) => {
    const { error } = await t.owner.client.from("assistant_settings").update({
      assistant_name: `${t.label} ${tag}`.slice(0, 60),
      greetings: { en: `Welcome to ${t.label} clinic ${tag}` },
      escalation_phone: `+4477${digits(9)}`,
    }).eq("organisation_id", t.orgId);
    if (error) throw new Error(`fixture: assistant settings: ${error.message}`);
  }],
  ["public.intents", async (t) => {
    await insertAs(t.owner.client, "intents", {
      organisation_id: t.orgId,
      name: `${t.label} booking ${tag}`,
      example_phrases: [`I'd like to see ${t.label} ${tag}`],
      responses: { en: `${t.label} books you in ${tag}` },
      action: "book",
    });
  }],
  ["public.faq_entries", async (t) => {
    await insertAs(t.owner.client, "faq_entries", {
      organisation_id: t.orgId,
      question: `Where is ${t.label} ${tag}?`,
      answer: `${t.label} is on the high street ${tag}`,
      language: "en",
    });
  }],
  ["public.working_hours", async (t) => {
    await insertAs(t.owner.client, "working_hours", {
      organisation_id: t.orgId,
      weekday: t.label === "alpha" ? 1 : 2,
      opens: "09:00",
      closes: "17:00",
    });
  }],
  ["public.closures", async (t) => {
    await insertAs(t.owner.client, "closures", {
      organisation_id: t.orgId,
      starts_on: "2030-12-24",
      ends_on: "2030-12-26",
      reason: `${t.label} holidays ${tag}`,
    });
  }],
  ["public.services", async (t) => {
    t.refs.service = await insertAs(t.owner.client, "services", {
      organisation_id: t.orgId,
      name: `${t.label} check-up ${tag}`,
      duration_minutes: 30,
      buffer_after_minutes: 10,
    });
  }],
  ["public.practitioner_hours", async (t) => {
    // The practitioner the organisation came with performs every service added since.
    const { data, error } = await t.owner.client.from("practitioners").select("id")
      .eq("organisation_id", t.orgId).single();
    if (error) throw new Error(`fixture: the organisation's practitioner: ${error.message}`);
    t.refs.practitioner = String((data as Row).id);
    await insertAs(t.owner.client, "practitioner_hours", {
      organisation_id: t.orgId,
      practitioner_id: t.refs.practitioner,
      weekday: 1,
      opens: "09:00",
      closes: "13:00",
    });
  }],
  ["public.contacts", async (t) => {
    const contact = await rpcAs<Row>(t.member, "find_or_create_contact", {
      organisation_id: t.orgId,
      phone: `+4477${digits(9)}`,
      name: `${t.label} patient ${tag}`,
    });
    t.refs.contact = String(contact.id);
  }],
  ["public.appointments", async (t) => {
    await rpcAs(t.member, "book_appointment", {
      organisation_id: t.orgId,
      service_id: t.refs.service,
      practitioner_id: t.refs.practitioner,
      starts_at: "2030-12-02T10:00:00Z",
      contact_id: t.refs.contact,
    });
  }],
  ["public.calls", async (t) => {
    // Written by the vapi and twilio-voice functions (service code).
    t.refs.call = await insertAs(admin, "calls", {
      organisation_id: t.orgId,
      twilio_call_sid: `CA${hex(16)}`,
      from_e164: `+4477${digits(9)}`,
      contact_id: t.refs.contact,
      summary: `${t.label} caller ${tag}`,
    });
  }],
  ["public.call_appointments", async (t) => {
    const [appointment] = must<Row[]>(
      await admin.from("appointments").select("id").eq("organisation_id", t.orgId).limit(1),
      "service role: the tenant's appointment",
    );
    await insertAs(admin, "call_appointments", {
      organisation_id: t.orgId,
      call_id: t.refs.call,
      appointment_id: appointment.id,
      action: "booked",
    });
  }],
  ["public.callback_tasks", async (t) => {
    await insertAs(admin, "callback_tasks", {
      organisation_id: t.orgId,
      call_id: t.refs.call,
      kind: "message",
      callback_e164: `+4477${digits(9)}`,
      reason: `${t.label} wants a call back ${tag}`,
    });
  }],
  // Conversations and their messages are written by service code (ingest, send) only.
  ["public.conversations", async (t) => {
    t.refs.conversation = await insertAs(admin, "conversations", {
      organisation_id: t.orgId,
      channel: "whatsapp",
      whatsapp_channel_id: t.refs.whatsappChannel,
      contact_id: t.refs.contact,
      last_inbound_at: new Date().toISOString(),
    });
  }],
  ["public.messages", async (t) => {
    await insertAs(admin, "messages", {
      organisation_id: t.orgId,
      conversation_id: t.refs.conversation,
      direction: "inbound",
      author: "patient",
      body: `${t.label} asks about opening hours ${tag}`,
      provider_message_id: `wamid.${tag}.${t.label}`,
    });
  }],
  ["public.conversation_appointments", async (t) => {
    const [appointment] = must<Row[]>(
      await admin.from("appointments").select("id").eq("organisation_id", t.orgId).limit(1),
      "service role: the tenant's appointment",
    );
    await insertAs(admin, "conversation_appointments", {
      organisation_id: t.orgId,
      conversation_id: t.refs.conversation,
      appointment_id: appointment.id,
      action: "booked",
    });
  }],
];

// ---------------------------------------------------------------------------------------------
// Rows, scopes and snapshots (always read with the service role)
// ---------------------------------------------------------------------------------------------

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

/** What the service role may select of a relation ("*" unless some column is withheld). */
const serviceColumns = new Map<string, string>();

async function serviceSelect(rel: Relation): Promise<string> {
  let list = serviceColumns.get(rel.key);
  if (list === undefined) {
    list = (await readableColumns(admin, rel)).join(",");
    serviceColumns.set(rel.key, list);
  }
  return list;
}

async function rowsInScope(rel: Relation, scope: Scope): Promise<Row[]> {
  const filter = scopeFilter(rel, scope);
  const columns = await serviceSelect(rel);
  if (!filter) {
    // A global relation: all of it, page by page.
    const all: Row[] = [];
    for (let offset = 0;; offset += 1000) {
      const page = must<Row[]>(
        await from(admin, rel).select(columns).range(offset, offset + 999)
          .overrideTypes<Row[], { merge: false }>(),
        `service role: ${rel.key}`,
      );
      all.push(...page);
      if (page.length < 1000) return all;
    }
  }
  if (!filter.ids.length) return [];
  return must<Row[]>(
    await from(admin, rel).select(columns).in(filter.column, filter.ids)
      .overrideTypes<Row[], { merge: false }>(),
    `service role: ${rel.key}`,
  );
}

type Snapshot = Map<string, string[]>;

async function snapshot(relations: Relation[], scope: Scope): Promise<Snapshot> {
  const rows = await Promise.all(relations.map((rel) => rowsInScope(rel, scope)));
  return new Map(
    relations.map((rel, i) => [rel.key, rows[i].map((r) => JSON.stringify(r)).sort()]),
  );
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+([+-]\d{2}(:\d{2})?|Z)?)?$/;

/** A value that could only come from one tenant's data (not an id, date or common word). */
const distinctive = (v: string) =>
  v.includes(tag) || (v.length >= 12 && !UUID.test(v) && !TIMESTAMP.test(v));

/**
 * Strings that identify B's data and nothing A may see: names, slugs, addresses, numbers,
 * account ids, tokens. Ids are left out: A is given B's ids on purpose.
 */
async function markersOf(relations: Relation[], b: Scope, a: Scope): Promise<string[]> {
  const strings = (rows: Row[], into: Set<string>) => {
    const walk = (v: unknown) => {
      if (typeof v === "string" && distinctive(v)) into.add(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") Object.values(v).forEach(walk);
    };
    rows.forEach(walk);
  };
  const bStrings = new Set<string>();
  const aStrings = new Set<string>();
  for (const rel of relations) {
    // A global relation's rows are in both scopes, so never count as B's.
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
  // A list of ids (e.g. a new order of rows): all of B's at once.
  if (format === "uuid[]") return [x.bUuids];
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
  if (total <= 256) {
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

interface Response {
  status: number;
  error: { code?: string; message: string; details?: string | null; hint?: string | null } | null;
  count?: number | null;
  data?: unknown;
}

/** B's ids, each paired with an id that exists nowhere, to ask the same question of nobody. */
class Control {
  readonly pairs: [string, string][];
  constructor(ids: Iterable<string>) {
    this.pairs = [...ids].map((id) => [id, crypto.randomUUID()]);
  }
  /** The same value with every one of B's ids replaced by its nobody-id. */
  swap<T>(value: T): T {
    if (value === undefined) return value;
    let text = JSON.stringify(value);
    for (const [id, nobody] of this.pairs) text = text.replaceAll(id, nobody);
    return JSON.parse(text);
  }
  /** What a response tells, with the ids themselves blanked. */
  fingerprint(r: Response): string {
    let text = JSON.stringify([
      r.status,
      r.error?.code ?? null,
      r.error?.message ?? null,
      r.error?.details ?? null,
      r.error?.hint ?? null,
      r.data ?? null,
      r.count ?? null,
    ]);
    for (const [id, nobody] of this.pairs) {
      text = text.replaceAll(id, "<id>").replaceAll(nobody, "<id>");
    }
    return text;
  }
}

/** A value a table's checks or validation triggers would likely refuse, or undefined. */
function oddValue(rel: Relation, col: Column): unknown {
  const o = rel.ownership;
  if (col.pk || col.enum || (o && o.kind !== "global" && o.column === col.name)) return undefined;
  const format = col.format.toLowerCase();
  if (format === "json" || format === "jsonb") return { zz: "zz" };
  if (col.type === "array") return col.itemsType === "string" ? ["zz"] : undefined;
  if (format === "date") return "1900-01-01";
  if (format.startsWith("timestamp")) return "1900-01-01T00:00:00Z";
  if (format.startsWith("time")) return "00:00:00";
  if (col.type === "integer" || col.type === "number") return -1;
  if (col.type === "string" && format !== "uuid" && format !== "bytea") return "zz";
  return undefined;
}

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

    const exposedKeys = new Set(exposed.map((r) => r.key));
    for (const tenant of [a, b]) {
      for (const [key, fill] of FIXTURES) {
        // A fixture for a table that is no longer exposed has nothing left to prove.
        if (exposedKeys.has(key)) await fill(tenant);
      }
    }

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
                  `${error.message}; add a fixture for it to FIXTURES`,
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

    // B's ids (every uuid in B's rows), addresses and invitations, for probes and controls.
    const bRowsAll = new Map<string, Row[]>();
    for (const rel of relations) bRowsAll.set(rel.key, await rowsInScope(rel, bScope));
    const uuids = new Set<string>();
    const emails = new Set<string>();
    for (const [key, rows] of bRowsAll) {
      if (relations.find((r) => r.key === key)!.ownership!.kind === "global") continue;
      for (const row of rows) {
        for (const v of Object.values(row)) {
          if (typeof v !== "string") continue;
          if (UUID.test(v)) uuids.add(v);
          else if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v)) emails.add(v);
        }
      }
    }
    for (const attacker of attackers) if (attacker.user) uuids.delete(attacker.user.id);
    const control = new Control(uuids);
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
      bInvitationIds: [...bRowsAll.entries()]
        .filter(([key]) => isInvitationName(key))
        .flatMap(([, rows]) => rows.map((r) => String(r.id))),
      bEmails: [...emails],
      enums,
    };

    await t.step("writes aimed at B's rows change nothing of B's", async () => {
      const found: string[] = [];
      let probes = 0;
      for (const attacker of attackers) {
        for (const rel of relations) {
          const filter = scopeFilter(rel, bScope) ??
            { column: rel.columns.find((c) => c.pk)?.name ?? rel.columns[0].name, ids: [] };
          const bRows = bRowsAll.get(rel.key)!;
          if (!filter.ids.length) {
            filter.ids = bRows.slice(0, 20).map((r) => String(r[filter.column]));
          }
          const example = (await rowsInScope(rel, aScope))[0];
          const before = await snapshot(relations, bScope);
          // Each request goes twice: aimed at B's rows and at ids that exist nowhere. B's rows
          // must be refused exactly like rows that do not exist, or the answer tells about them.
          const probe = async (
            what: string,
            send: (swap: <T>(v: T) => T) => PromiseLike<Response>,
            { sent, targetsRows = true }: { sent?: unknown; targetsRows?: boolean } = {},
          ) => {
            const [r, c] = await Promise.all([send((v) => v), send((v) => control.swap(v))]);
            probes += 2;
            tally(writeOutcomes, r);
            const who = `${attacker.label}: ${what}`;
            if ((r.count ?? 0) > 0) found.push(`${who}: ${r.count} rows affected`);
            if (!targetsRows && !r.error) found.push(`${who}: succeeded`);
            // Only a row being written raises these (for an insert, BEFORE triggers might).
            if (targetsRows && integrityError(r.error?.code)) {
              found.push(`${who}: reached B's rows (${r.error!.code} ${r.error!.message})`);
            }
            if (control.fingerprint(r) !== control.fingerprint(c)) {
              found.push(
                `${who}: answers differently for B than for ids that exist nowhere: ` +
                  `${control.fingerprint(r)} ≠ ${control.fingerprint(c)}`,
              );
            }
            for (const m of leakedMarkers([r.data, r.error], markers, sent)) {
              found.push(`${who}: response carries B's "${m}"`);
            }
          };
          for (const col of rel.columns) {
            const value = updateValue(rel, col, attacker, example);
            await probe(
              `PATCH ${rel.key}.${col.name} where ${filter.column} in B's`,
              (swap) =>
                from(attacker.client, rel)
                  .update({ [col.name]: value }, { count: "exact" })
                  .in(filter.column, swap(filter.ids)),
              { sent: value },
            );
          }
          await probe(
            `DELETE ${rel.key} where ${filter.column} in B's`,
            (swap) =>
              from(attacker.client, rel).delete({ count: "exact" }).in(
                filter.column,
                swap(filter.ids),
              ),
          );
          // Inserts for B: a plausible row, then with each column in turn holding a value the
          // table's checks and triggers are likely to reject (they must not run before RLS).
          const o = rel.ownership!;
          const target = o.kind === "organisation" ? b.orgId : o.kind === "user" ? b.owner.id : "";
          const body = insertBody(rel, target, attacker, example);
          const bodies: [string, Row][] = [["", body]];
          for (const col of rel.columns) {
            const odd = oddValue(rel, col);
            if (odd !== undefined) {
              bodies.push([` with an odd ${col.name}`, { ...body, [col.name]: odd }]);
            }
          }
          for (const [label, row] of bodies) {
            await probe(
              `INSERT ${rel.key}${label} ${JSON.stringify(row)}`,
              (swap) => from(attacker.client, rel).insert(swap(row), { count: "exact" }),
              { sent: row, targetsRows: false },
            );
          }
          // Upsert onto B's own primary key: ON CONFLICT DO UPDATE is a write to B's row.
          const pk = rel.columns.filter((c) => c.pk).map((c) => c.name);
          if (pk.length && bRows.length) {
            for (const col of rel.columns.filter((c) => !c.pk)) {
              const row: Row = Object.fromEntries(pk.map((k) => [k, bRows[0][k]]));
              for (const c of rel.columns) {
                if (c.required && !c.hasDefault && !(c.name in row)) row[c.name] = bRows[0][c.name];
              }
              row[col.name] = updateValue(rel, col, attacker, example);
              await probe(
                `UPSERT ${rel.key}.${col.name} onto B's row ${JSON.stringify(row)}`,
                (swap) =>
                  from(attacker.client, rel).upsert(swap(row), {
                    onConflict: pk.join(","),
                    count: "exact",
                  }),
                { sent: row },
              );
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
      const found: string[] = [];
      let calls = 0;
      for (const attacker of attackers) {
        for (const rpc of rpcs) {
          const before = await snapshot(relations, bScope);
          for (const args of argumentSets(rpc, attacker, x)) {
            const swapped = control.swap(args);
            const hasIds = JSON.stringify(swapped) !== JSON.stringify(args);
            const [r, c] = await Promise.all([
              attacker.client.schema(rpc.schema).rpc(rpc.name, args),
              hasIds ? attacker.client.schema(rpc.schema).rpc(rpc.name, swapped) : null,
            ]);
            calls += hasIds ? 2 : 1;
            const what = `${attacker.label}: ${rpc.key}(${JSON.stringify(args)})`;
            tally(attacker.user ? rpcOutcomes : anonRpcOutcomes, r);
            if (attacker.user && /^PGRST2|^22P02$/.test(r.error?.code ?? "")) {
              found.push(`${what}: the probe did not reach the function: ${r.error!.message}`);
            }
            if (!attacker.user && !r.error && !(rpc.key in ANON_CALLABLE_RPCS)) {
              found.push(`${what} succeeded as anon`);
            }
            if (c && control.fingerprint(r) !== control.fingerprint(c)) {
              found.push(
                `${what}: answers differently for B's ids than for ids that exist nowhere: ` +
                  `${control.fingerprint(r)} ≠ ${control.fingerprint(c)}`,
              );
            }
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
