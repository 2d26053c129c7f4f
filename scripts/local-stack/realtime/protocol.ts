// Supabase Realtime's wire protocol as realtime-js (supabase-js) speaks it: Phoenix channel
// messages over one websocket, serialised per the `vsn` query parameter: "1.0.0" sends JSON
// objects, "2.0.0" (realtime-js's default) JSON arrays [join_ref, ref, topic, event, payload].
// Pure: framing, the postgres_changes parameters and filters, and the payloads the server sends.

export type Vsn = "1.0.0" | "2.0.0";
export const vsns: readonly Vsn[] = ["1.0.0", "2.0.0"];

export interface Message {
  join_ref: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: Record<string, unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const refOf = (v: unknown): string | null | undefined =>
  v === null || v === undefined ? null : typeof v === "string" ? v : undefined;

/**
 * A text frame as a message, or null when it is not one (bad JSON, wrong shape). Binary frames
 * carry only broadcast pushes, which the stand-in does not serve: the caller ignores them.
 */
export function decode(vsn: Vsn, frame: string): Message | null {
  let raw: unknown;
  try {
    raw = JSON.parse(frame);
  } catch {
    return null;
  }
  let parts: unknown[];
  if (vsn === "2.0.0") {
    if (!Array.isArray(raw) || raw.length !== 5) return null;
    parts = raw;
  } else {
    if (!isRecord(raw)) return null;
    parts = [raw.join_ref, raw.ref, raw.topic, raw.event, raw.payload];
  }
  const [joinRef, ref, topic, event, payload] = parts;
  const join_ref = refOf(joinRef);
  const msgRef = refOf(ref);
  if (join_ref === undefined || msgRef === undefined) return null;
  if (typeof topic !== "string" || typeof event !== "string") return null;
  if (!isRecord(payload)) return null;
  return { join_ref, ref: msgRef, topic, event, payload };
}

export function encode(vsn: Vsn, msg: Message): string {
  if (vsn === "2.0.0") {
    return JSON.stringify([msg.join_ref, msg.ref, msg.topic, msg.event, msg.payload]);
  }
  // 1.0.0 (Phoenix.Socket.V1.JSONSerializer) has no join_ref.
  return JSON.stringify({ topic: msg.topic, event: msg.event, payload: msg.payload, ref: msg.ref });
}

/** A reply to a client's push: Phoenix's phx_reply with status and response. */
export function reply(
  to: Pick<Message, "join_ref" | "ref" | "topic">,
  status: "ok" | "error",
  response: Record<string, unknown> = {},
): Message {
  return {
    join_ref: to.join_ref,
    ref: to.ref,
    topic: to.topic,
    event: "phx_reply",
    payload: { status, response },
  };
}

/** A server push on a joined channel (no ref: nothing answers it). */
export function push(
  topic: string,
  joinRef: string | null,
  event: string,
  payload: Record<string, unknown>,
): Message {
  return { join_ref: joinRef, ref: null, topic, event, payload };
}

/** What Realtime pushes as `system`: a subscription's outcome, or why a channel shuts down. */
export function systemPayload(
  extension: "system" | "postgres_changes",
  status: "ok" | "error",
  message: string,
  channel: string,
): Record<string, unknown> {
  return { extension, status, message, channel };
}

export type ChangeEvent = "INSERT" | "UPDATE" | "DELETE";
export type EventFilter = ChangeEvent | "*";
export type FilterOp = "eq" | "neq" | "lt" | "lte" | "gt" | "gte" | "in";
const filterOps: readonly FilterOp[] = ["eq", "neq", "lt", "lte", "gt", "gte", "in"];

/** `column=op.value`; for `in` the value is a list. */
export interface Filter {
  column: string;
  op: FilterOp;
  value: string | string[];
}

/** One entry of the join's `config.postgres_changes`, checked. */
export interface ChangeParams {
  /** Echoed in the join reply exactly as the client sent it (it compares them). */
  raw: Record<string, unknown>;
  id: number;
  event: EventFilter;
  schema: string;
  /** "*" for every table of the schema in the publication. */
  table: string;
  filter: Filter | null;
}

/**
 * The id Realtime gives a postgres_changes binding (it uses erlang:phash2 of the parameters,
 * an integer below 2^27): stable for the same parameters, which is all the client relies on.
 */
export function bindingId(params: Record<string, unknown>): number {
  const text = JSON.stringify(params, Object.keys(params).sort());
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash & 0x7ffffff;
}

/** Realtime's parsing of a `filter` string, with its error messages. */
export function parseFilter(filter: string): Filter | string {
  const eq = filter.indexOf("=");
  const fail = `Error parsing \`filter\` params: ${JSON.stringify(filter.split(/[=.]/, 2))}`;
  if (eq <= 0) return fail;
  const column = filter.slice(0, eq);
  const rest = filter.slice(eq + 1);
  const dot = rest.indexOf(".");
  if (dot < 0) return fail;
  const op = rest.slice(0, dot) as FilterOp;
  const value = rest.slice(dot + 1);
  if (!filterOps.includes(op)) return fail;
  if (op !== "in") return { column, op, value };
  const list = value.match(/^\((.*)\)$/s);
  if (!list) {
    return "Error parsing `filter` params: `in` filter value must be wrapped by parentheses";
  }
  return { column, op, value: list[1] === "" ? [] : list[1].split(",").map((v) => v.trim()) };
}

/** The join's postgres_changes entries, or the message Realtime gives for bad ones. */
export function parseChangeParams(config: unknown): ChangeParams[] | string {
  const list = isRecord(config) ? config.postgres_changes : undefined;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) return "`postgres_changes` must be a list";
  const out: ChangeParams[] = [];
  for (const entry of list) {
    if (entry === null) continue;
    if (!isRecord(entry)) return "Each `postgres_changes` entry must be an object";
    const event = typeof entry.event === "string" ? entry.event.toUpperCase() : "";
    if (!["INSERT", "UPDATE", "DELETE", "*"].includes(event)) {
      return `Invalid event ${JSON.stringify(entry.event)}: use INSERT, UPDATE, DELETE or *`;
    }
    const schema = typeof entry.schema === "string" ? entry.schema : undefined;
    const table = typeof entry.table === "string" ? entry.table : undefined;
    if (schema === undefined && table === undefined) {
      return "No subscription params provided. Please provide at least a `schema` or `table` to subscribe to.";
    }
    let filter: Filter | null = null;
    if (typeof entry.filter === "string" && entry.filter !== "" && table !== undefined) {
      const parsed = parseFilter(entry.filter);
      if (typeof parsed === "string") return parsed;
      filter = parsed;
    }
    // The client sends the binding's own fields; Realtime hashes them (without `id`).
    const { id: _ignored, ...raw } = entry;
    out.push({
      raw,
      id: bindingId(raw),
      event: event as EventFilter,
      schema: schema ?? "public",
      table: table ?? "*",
      filter,
    });
  }
  return out;
}

/** One column of a change's `columns`: name and PostgreSQL type name (pg_type.typname). */
export interface Column {
  name: string;
  type: string;
}

/** What Realtime sends for a change (Realtime.Adapters.Changes.{New,Updated,Deleted}Record). */
export interface ChangeData {
  schema: string;
  table: string;
  commit_timestamp: string;
  type: ChangeEvent;
  columns: Column[];
  record?: Record<string, unknown>;
  old_record?: Record<string, unknown>;
  errors: string[] | null;
}

/** The `postgres_changes` push: the bindings it matches and the change. */
export function changePayload(ids: number[], data: ChangeData): Record<string, unknown> {
  return { ids, data };
}
