// The Realtime stand-in's pure parts: framing per vsn, postgres_changes parameters and filters,
// wal2json parsing, and token checks with Realtime's messages.
import assert from "node:assert/strict";
import { SignJWT } from "jose";
import { parseWal, wal2jsonTableList } from "./changes.ts";
import { matches, walRow } from "./delivery.ts";
import {
  bindingId,
  decode,
  encode,
  type Message,
  parseChangeParams,
  parseFilter,
  reply,
} from "./protocol.ts";
import { checkToken } from "./token.ts";

const join: Message = {
  join_ref: "1",
  ref: "1",
  topic: "realtime:inbox",
  event: "phx_join",
  payload: { config: { postgres_changes: [] }, access_token: "t" },
};

Deno.test("vsn 2.0.0 frames are arrays [join_ref, ref, topic, event, payload] both ways", () => {
  const frame = encode("2.0.0", join);
  assert.deepEqual(JSON.parse(frame), ["1", "1", "realtime:inbox", "phx_join", join.payload]);
  assert.deepEqual(decode("2.0.0", frame), join);
  // What realtime-js sends for a heartbeat: no join_ref.
  assert.deepEqual(decode("2.0.0", '[null,"5","phoenix","heartbeat",{}]'), {
    join_ref: null,
    ref: "5",
    topic: "phoenix",
    event: "heartbeat",
    payload: {},
  });
});

Deno.test("vsn 1.0.0 frames are objects, and the server's carry no join_ref", () => {
  const frame = encode("1.0.0", reply(join, "ok", { postgres_changes: [] }));
  assert.deepEqual(JSON.parse(frame), {
    topic: "realtime:inbox",
    event: "phx_reply",
    payload: { status: "ok", response: { postgres_changes: [] } },
    ref: "1",
  });
  assert.deepEqual(
    decode(
      "1.0.0",
      JSON.stringify({ topic: "phoenix", event: "heartbeat", payload: {}, ref: "2" }),
    ),
    { join_ref: null, ref: "2", topic: "phoenix", event: "heartbeat", payload: {} },
  );
});

Deno.test("frames that are not messages decode to null", () => {
  for (
    const frame of [
      "not json",
      "[]",
      '["1","1","t","e"]',
      '["1","1","t","e",[]]',
      '[1,"1","t","e",{}]',
      '["1","1",null,"e",{}]',
      '{"topic":"t","event":"e","payload":{}}',
    ]
  ) {
    assert.deepEqual(decode("2.0.0", frame), null, frame);
  }
  assert.deepEqual(decode("1.0.0", '["1","1","t","e",{}]'), null);
  assert.deepEqual(decode("1.0.0", '{"topic":"t","event":"e","payload":"x"}'), null);
});

Deno.test("filters parse as Realtime parses them, with its error messages", () => {
  assert.deepEqual(parseFilter("conversation_id=eq.a=b.c"), {
    column: "conversation_id",
    op: "eq",
    value: "a=b.c",
  });
  for (const op of ["neq", "lt", "lte", "gt", "gte"]) {
    assert.deepEqual(parseFilter(`n=${op}.5`), { column: "n", op, value: "5" });
  }
  assert.deepEqual(parseFilter("status=in.(bot, staff)"), {
    column: "status",
    op: "in",
    value: ["bot", "staff"],
  });
  assert.deepEqual(
    parseFilter("status=in.bot"),
    "Error parsing `filter` params: `in` filter value must be wrapped by parentheses",
  );
  assert.deepEqual(
    parseFilter("subject=like.hey"),
    'Error parsing `filter` params: ["subject","like"]',
  );
  assert.deepEqual(parseFilter("undefined"), 'Error parsing `filter` params: ["undefined"]');
});

Deno.test("postgres_changes bindings: defaults, ids stable per parameters, raw echoed", () => {
  const parsed = parseChangeParams({
    postgres_changes: [
      { event: "INSERT", schema: "public", table: "messages", filter: "conversation_id=eq.x" },
      { event: "*", table: "conversations" },
      { event: "UPDATE", schema: "public" },
    ],
  });
  if (typeof parsed === "string") throw new Error(parsed);
  assert.deepEqual(parsed.map((b) => [b.event, b.schema, b.table]), [
    ["INSERT", "public", "messages"],
    ["*", "public", "conversations"],
    ["UPDATE", "public", "*"],
  ]);
  assert.deepEqual(parsed[0].filter, { column: "conversation_id", op: "eq", value: "x" });
  assert.deepEqual(parsed[1].raw, { event: "*", table: "conversations" });
  const again = parseChangeParams({ postgres_changes: [{ table: "conversations", event: "*" }] });
  if (typeof again === "string") throw new Error(again);
  assert.deepEqual(again[0].id, parsed[1].id);
  assert.notEqual(parsed[0].id, parsed[1].id);
  assert.deepEqual(bindingId({ a: 1 }) < 2 ** 27, true);
  assert.deepEqual(parseChangeParams({}), []);
  assert.deepEqual(
    parseChangeParams({ postgres_changes: [{ event: "INSERT" }] }),
    "No subscription params provided. Please provide at least a `schema` or `table` to subscribe to.",
  );
  assert.deepEqual(
    typeof parseChangeParams({ postgres_changes: [{ event: "TRUNCATE", table: "x" }] }),
    "string",
  );
});

Deno.test("wal2json lines become changes; truncates and messages are ignored", () => {
  const insert = parseWal(
    JSON.stringify({
      action: "I",
      schema: "public",
      table: "messages",
      columns: [{ name: "id", type: "uuid", typeoid: 2950, value: "a" }],
      pk: [{ name: "id", type: "uuid", typeoid: 2950 }],
    }),
    "2026-12-02T03:00:00.000Z",
  );
  assert.deepEqual(insert?.type, "INSERT");
  assert.deepEqual(insert?.pk, ["id"]);
  assert.deepEqual(insert?.identity, []);
  const del = parseWal(
    JSON.stringify({ action: "D", schema: "public", table: "t", identity: [{ name: "id" }] }),
    "x",
  );
  assert.deepEqual([del?.type, del?.columns, del?.identity], ["DELETE", [], [{ name: "id" }]]);
  assert.deepEqual(parseWal('{"action":"T","schema":"public","table":"t"}', "x"), null);
  assert.deepEqual(parseWal('{"action":"M","prefix":"p","content":"c"}', "x"), null);
});

Deno.test("wal2json's add-tables list escapes its separators", () => {
  assert.deepEqual(
    wal2jsonTableList([{ schema: "public", table: "messages" }, {
      schema: "a.b",
      table: "c,d*e f",
    }]),
    "public.messages,a\\.b.c\\,d\\*e\\ f",
  );
});

Deno.test("wal2json values: json columns parsed, the rest kept for PostgreSQL to type", () => {
  assert.deepEqual(
    walRow([
      { name: "details", type: "jsonb", typeoid: 3802, value: '{"a": [1]}' },
      { name: "n", type: "integer", typeoid: 23, value: 2 },
      { name: "body", type: "text", typeoid: 25, value: '{"not":"json"}' },
      { name: "gone", type: "text", typeoid: 25, value: null },
    ]),
    { details: { a: [1] }, n: 2, body: '{"not":"json"}', gone: null },
  );
});

Deno.test("bindings match by schema, table (or *) and event (or *)", () => {
  const change = {
    schema: "public",
    table: "messages",
    type: "UPDATE" as const,
    commitTimestamp: "",
    columns: [],
    identity: [],
    pk: [],
  };
  const binding = (event: string, schema: string, table: string) => {
    const parsed = parseChangeParams({ postgres_changes: [{ event, schema, table }] });
    if (typeof parsed === "string") throw new Error(parsed);
    return parsed[0];
  };
  assert.deepEqual(matches(binding("UPDATE", "public", "messages"), change), true);
  assert.deepEqual(matches(binding("*", "public", "*"), change), true);
  assert.deepEqual(matches(binding("INSERT", "public", "messages"), change), false);
  assert.deepEqual(matches(binding("*", "public", "conversations"), change), false);
  assert.deepEqual(matches(binding("*", "private", "messages"), change), false);
});

Deno.test("tokens are checked as Realtime checks them, with its messages", async () => {
  const secret = new TextEncoder().encode("a-test-secret-of-enough-length-32b");
  const now = Math.floor(Date.now() / 1000);
  const sign = (claims: Record<string, unknown>, key = secret) =>
    new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(key);
  const good = await checkToken(await sign({ role: "authenticated", exp: now + 60 }), secret);
  assert.deepEqual(good.ok && good.claims.role, "authenticated");
  assert.deepEqual(await checkToken(await sign({ role: "anon", exp: now - 30 }), secret), {
    ok: false,
    code: "InvalidJWTToken",
    message: "Token has expired 30 seconds ago",
  });
  assert.deepEqual(await checkToken(await sign({ exp: now + 60 }), secret), {
    ok: false,
    code: "InvalidJWTToken",
    message: "Fields `role` and `exp` are required in JWT",
  });
  const other = new TextEncoder().encode("another-secret-of-enough-length-32");
  assert.deepEqual(await checkToken(await sign({ role: "anon", exp: now + 60 }, other), secret), {
    ok: false,
    code: "JwtSignatureError",
    message: "Failed to validate JWT signature",
  });
  assert.deepEqual(await checkToken("not.a.jwt", secret), {
    ok: false,
    code: "MalformedJWT",
    message: "The token provided is not a valid JWT",
  });
});
