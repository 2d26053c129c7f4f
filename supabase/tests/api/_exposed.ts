// What PostgREST exposes, learnt from PostgREST itself: the schemas it serves and, per schema,
// the tables, views and RPCs its OpenAPI description lists. Shared by the generic API tests
// (cross_tenant_test.ts, secret_leak_test.ts) so a relation or function added later is
// covered by all of them without touching any.
import assert from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import { ANON_KEY, SERVICE_ROLE_KEY, SUPABASE_URL } from "./_helpers.ts";

export type Row = Record<string, unknown>;

export interface Column {
  name: string;
  format: string;
  type: string;
  itemsType?: string;
  enum?: string[];
  hasDefault: boolean;
  required: boolean;
  pk: boolean;
}

export interface Relation {
  schema: string;
  name: string;
  /** "schema.name" */
  key: string;
  /** Every column of the OpenAPI definition, readable by the API roles or not. */
  columns: Column[];
}

export interface RpcParam {
  name: string;
  format: string;
  type: string;
  itemsType?: string;
  required: boolean;
}

export interface Rpc {
  schema: string;
  name: string;
  /** "schema.name" */
  key: string;
  params: RpcParam[];
}

export interface OpenApiProperty {
  format?: string;
  type?: string;
  items?: { type?: string; format?: string };
  enum?: string[];
  default?: unknown;
  description?: string;
}

export interface OpenApiSpec {
  paths?: Record<string, Record<string, { parameters?: OpenApiParameter[] }>>;
  definitions?: Record<
    string,
    { required?: string[]; properties?: Record<string, OpenApiProperty> }
  >;
}

export interface OpenApiParameter {
  in?: string;
  name?: string;
  required?: boolean;
  format?: string;
  type?: string;
  items?: { type?: string; format?: string };
  schema?: { required?: string[]; properties?: Record<string, OpenApiProperty> };
}

/** How the discovery requests are sent (a test may pass a fetch that records responses). */
export interface DiscoverOptions {
  fetch?: typeof fetch;
}

/** PostgREST names the schemas it serves when asked for one it does not. */
export async function exposedSchemas(
  { fetch: send = fetch }: DiscoverOptions = {},
): Promise<string[]> {
  const res = await send(`${SUPABASE_URL}/rest/v1/`, {
    headers: { apikey: ANON_KEY, "accept-profile": "exposed_test_no_such_schema" },
  });
  const body = await res.json().catch(() => ({}));
  const listed = /one of the following: (.+)$/.exec(String(body.message ?? ""));
  assert.ok(listed, `could not learn the exposed schemas from PostgREST: ${JSON.stringify(body)}`);
  return listed[1].split(",").map((s) => s.trim()).filter(Boolean);
}

export async function openApi(
  schema: string,
  apikey: string,
  bearer: string,
  { fetch: send = fetch }: DiscoverOptions = {},
): Promise<OpenApiSpec> {
  const res = await send(`${SUPABASE_URL}/rest/v1/`, {
    headers: { apikey, authorization: `Bearer ${bearer}`, "accept-profile": schema },
  });
  assert.equal(res.status, 200, `OpenAPI of schema ${schema}: HTTP ${res.status}`);
  return await res.json();
}

/**
 * The union of what the service role, a signed-in user and anon are shown (PostgREST lists
 * what the asking role has privileges on), so nothing granted to anyone is missed.
 */
export async function discover(
  userToken: string,
  options: DiscoverOptions = {},
): Promise<{ relations: Relation[]; rpcs: Rpc[] }> {
  const relations = new Map<string, Relation>();
  const rpcs = new Map<string, Rpc>();
  for (const schema of await exposedSchemas(options)) {
    const specs = [
      await openApi(schema, SERVICE_ROLE_KEY, SERVICE_ROLE_KEY, options),
      await openApi(schema, ANON_KEY, userToken, options),
      await openApi(schema, ANON_KEY, ANON_KEY, options),
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
        const known = relations.get(key);
        if (known?.columns.length || (known && !definition)) continue;
        // Without a definition there are no columns, unless another role's description has one.
        const required = new Set(definition?.required ?? []);
        const columns = Object.entries(definition?.properties ?? {}).map(([col, p]): Column => ({
          name: col,
          format: p.format ?? "",
          type: p.type ?? "",
          itemsType: p.items?.type,
          enum: p.enum,
          hasDefault: p.default !== undefined,
          required: required.has(col),
          pk: /<pk\/>/.test(p.description ?? ""),
        }));
        relations.set(key, { schema, name, key, columns });
      }
    }
  }
  const byKey = <T extends { key: string }>(a: T, b: T) => a.key.localeCompare(b.key);
  return { relations: [...relations.values()].sort(byKey), rpcs: [...rpcs.values()].sort(byKey) };
}

export function rpcParams(
  methods: Record<string, { parameters?: OpenApiParameter[] }>,
): RpcParam[] {
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

/** A query builder on the relation, in its own schema. */
export const from = (client: SupabaseClient, rel: Relation) =>
  client.schema(rel.schema).from(rel.name);

/** "*" if every column is readable, else the readable ones (probed one by one). */
export async function readableColumns(client: SupabaseClient, rel: Relation): Promise<string[]> {
  const star = await from(client, rel).select("*").limit(1);
  if (!star.error) return ["*"];
  const columns: string[] = [];
  for (const c of rel.columns) {
    const probe = await from(client, rel).select(c.name).limit(1);
    if (!probe.error) columns.push(c.name);
  }
  return columns;
}
