// Realtime postgres_changes through the unmodified supabase-js, as the inbox subscribes: each
// member gets only the conversations and messages RLS lets them read (never another clinic's,
// nothing for anon), within two seconds; filters narrow to one conversation; a refreshed token
// changes what a channel receives; bad tokens are refused; unsubscribing stops delivery; a client
// that drops its socket does not disturb the others. Rows are written as service code writes
// them, with SQL.
import assert from "node:assert/strict";
import postgres from "postgres";
import { createClient, type RealtimeChannel, type SupabaseClient } from "@supabase/supabase-js";
import { ANON_KEY, anonClient, clientOptions, env, SUPABASE_URL, waitFor } from "./_helpers.ts";

const sql = postgres(env("SUPABASE_DB_URL"), { max: 4, prepare: false, onnotice: () => {} });
const NORTHSIDE = "10000000-0000-4000-8000-000000000001";
const RIVERSIDE = "10000000-0000-4000-8000-000000000002";
/** Each clinic's seeded WhatsApp channel (supabase/seed.sql). */
const WHATSAPP: Record<string, string> = {
  [NORTHSIDE]: "70000000-0000-4000-8000-000000000001",
  [RIVERSIDE]: "70000000-0000-4000-8000-000000000002",
};
const contacts: string[] = [];
/** The conversations this file made. */
const ours = new Set<string>();
const clients: SupabaseClient[] = [];

async function member(email: string, options = {}): Promise<SupabaseClient> {
  const client = createClient(SUPABASE_URL, ANON_KEY, { ...clientOptions, ...options });
  const { error } = await client.auth.signInWithPassword({ email, password: "frontdesk-demo" });
  if (error) throw new Error(`sign-in of ${email} failed: ${error.message}`);
  clients.push(client);
  return client;
}

/** A WhatsApp conversation of the organisation with a fresh contact (as ingest makes one). */
async function conversation(organisationId: string): Promise<string> {
  const phone = `+99955${Math.floor(Math.random() * 1e7).toString().padStart(7, "0")}`;
  const [contact] = await sql`insert into public.contacts (organisation_id, name, phone)
    values (${organisationId}, 'Realtime test', ${phone}) returning id`;
  contacts.push(contact.id);
  const [row] = await sql`insert into public.conversations
      (organisation_id, channel, whatsapp_channel_id, contact_id)
    values (${organisationId}, 'whatsapp', ${WHATSAPP[organisationId]}, ${contact.id})
    returning id`;
  ours.add(row.id);
  return row.id;
}

/**
 * A patient's message in the conversation (or the bot's, sent), as service code inserts it;
 * its id and when the insert committed.
 */
async function message(organisationId: string, conversationId: string, outbound = false) {
  const [row] = outbound
    ? await sql`insert into public.messages
          (organisation_id, conversation_id, direction, author, body, delivery, sent_at)
        values (${organisationId}, ${conversationId}, 'outbound', 'bot', 'hello', 'sent', now())
        returning id`
    : await sql`insert into public.messages
          (organisation_id, conversation_id, direction, author, body)
        values (${organisationId}, ${conversationId}, 'inbound', 'patient', 'hello')
        returning id`;
  return { id: row.id as string, at: Date.now() };
}

interface Received {
  eventType: string;
  table: string;
  new: Record<string, unknown>;
  old: Record<string, unknown>;
  errors: string[] | null;
  at: number;
}

interface Subscription {
  channel: RealtimeChannel;
  events: Received[];
  statuses: string[];
  errors: string[];
}

type Binding = { event: "*" | "INSERT" | "UPDATE" | "DELETE"; table: string; filter?: string };

/** Subscribes as the inbox does and waits for the outcome (SUBSCRIBED or an error). */
async function subscribe(client: SupabaseClient, bindings: Binding[]): Promise<Subscription> {
  const channel = client.channel(`test-${crypto.randomUUID()}`);
  const sub: Subscription = { channel, events: [], statuses: [], errors: [] };
  for (const b of bindings) {
    channel.on(
      "postgres_changes",
      { schema: "public", ...b },
      (payload) => sub.events.push({ ...(payload as unknown as Received), at: Date.now() }),
    );
  }
  channel.on("system", {}, (payload) => {
    if (payload.status === "error") sub.errors.push(payload.message);
  });
  await new Promise<void>((resolve) => {
    channel.subscribe((status, err) => {
      sub.statuses.push(status);
      if (err) sub.errors.push(err.message);
      resolve();
    });
  });
  // "Subscribed to PostgreSQL" follows the join's reply.
  await new Promise((r) => setTimeout(r, 100));
  return sub;
}

/**
 * Ids of the rows of `table` the subscriber received, among this file's own conversations and
 * their messages (other tests and the worker may write rows of the same clinics meanwhile).
 */
const idsOf = (sub: Subscription, table = "messages") =>
  sub.events.filter((e) =>
    e.table === table && e.new.id &&
    ours.has(String(table === "messages" ? e.new.conversation_id : e.new.id))
  ).map((e) => e.new.id as string);

/** Organisations of every row the subscriber received, whoever wrote it. */
const organisationsOf = (
  sub: Subscription,
) => [...new Set(sub.events.filter((e) => e.new.id).map((e) => e.new.organisation_id))];

const arrived = (sub: Subscription, id: string, eventType = "INSERT") =>
  waitFor(
    `${eventType} of ${id} arrives`,
    () => Promise.resolve(sub.events.find((e) => e.eventType === eventType && e.new.id === id)),
    5000,
  );

const settle = () => new Promise((r) => setTimeout(r, 600));

const test = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, fn, sanitizeOps: false, sanitizeResources: false });

test("members receive only their clinic's messages and conversations, anon no rows, within 2 s", async () => {
  const north = await member("staff@northside.test");
  const river = await member("owner@riverside.test");
  // The older wire format (vsn 1.0.0, JSON objects) works the same.
  const northV1 = await member("admin@northside.test", { realtime: { vsn: "1.0.0" } });
  const anon = anonClient();
  clients.push(anon);
  const watch: Binding[] = [{ event: "*", table: "messages" }, {
    event: "*",
    table: "conversations",
  }];
  const [n, r, n1, a] = await Promise.all(
    [north, river, northV1, anon].map((c) => subscribe(c, watch)),
  );
  for (const sub of [n, r, n1, a]) {
    assert.deepEqual([sub.statuses, sub.errors], [["SUBSCRIBED"], []]);
  }

  const northConversation = await conversation(NORTHSIDE);
  const riverConversation = await conversation(RIVERSIDE);
  const northMessage = await message(NORTHSIDE, northConversation);
  const riverMessage = await message(RIVERSIDE, riverConversation);

  const got = await arrived(n, northMessage.id);
  assert.ok(got.at - northMessage.at < 2000, `arrived after ${got.at - northMessage.at} ms`);
  assert.equal(got.new.body, "hello");
  assert.equal(got.new.organisation_id, NORTHSIDE);
  // Typed as PostgREST types them: timestamps as ISO strings, jsonb as an object.
  assert.deepEqual(got.new.details, {});
  assert.match(String(got.new.created_at), /^\d{4}-\d\d-\d\dT/);
  await arrived(r, riverMessage.id);
  await arrived(n1, northMessage.id);
  await settle();

  assert.deepEqual(idsOf(n), [northMessage.id]);
  assert.deepEqual(idsOf(n, "conversations"), [northConversation]);
  assert.deepEqual(idsOf(r), [riverMessage.id]);
  assert.deepEqual(idsOf(r, "conversations"), [riverConversation]);
  assert.deepEqual(idsOf(n1), [northMessage.id]);
  assert.deepEqual(organisationsOf(n), [NORTHSIDE]);
  assert.deepEqual(organisationsOf(n1), [NORTHSIDE]);
  assert.deepEqual(organisationsOf(r), [RIVERSIDE]);
  // anon may not select these tables: as from Realtime, at most an "Unauthorized" with no row.
  assert.deepEqual(a.events.filter((e) => Object.keys(e.new).length), []);
  for (const e of a.events) assert.deepEqual(e.errors, ["Error 401: Unauthorized"]);
});

test("a filter narrows to one conversation; delivery status updates arrive within 2 s", async () => {
  const north = await member("staff@northside.test");
  const one = await conversation(NORTHSIDE);
  const other = await conversation(NORTHSIDE);
  const sub = await subscribe(north, [
    { event: "INSERT", table: "messages", filter: `conversation_id=eq.${one}` },
    { event: "UPDATE", table: "messages", filter: `conversation_id=eq.${one}` },
  ]);
  assert.deepEqual([sub.statuses, sub.errors], [["SUBSCRIBED"], []]);
  const mine = await message(NORTHSIDE, one, true);
  const notMine = await message(NORTHSIDE, other, true);
  await arrived(sub, mine.id);

  // Delivery statuses move as the webhooks move them.
  await sql`select private.apply_delivery_status(${mine.id}, 'delivered', now(), null, null)`;
  const at = Date.now();
  await sql`select private.apply_delivery_status(${notMine.id}, 'read', now(), null, null)`;
  const update = await arrived(sub, mine.id, "UPDATE");
  assert.ok(update.at - at < 2000, `update arrived after ${update.at - at} ms`);
  assert.equal(update.new.delivery, "delivered");
  assert.deepEqual(update.old, { id: mine.id });
  await settle();
  assert.deepEqual(sub.events.map((e) => [e.eventType, e.new.id]), [
    ["INSERT", mine.id],
    ["UPDATE", mine.id],
  ]);

  // `in` narrows the same way; a filter on a column the table lacks is refused.
  const both = await subscribe(north, [
    { event: "INSERT", table: "messages", filter: `conversation_id=in.(${one},${other})` },
  ]);
  const outside = await message(NORTHSIDE, await conversation(NORTHSIDE));
  const again = await message(NORTHSIDE, other);
  await arrived(both, again.id);
  await settle();
  assert.deepEqual(idsOf(both), [again.id]);
  assert.ok(!idsOf(both).includes(outside.id));
  const bad = await subscribe(north, [{ event: "INSERT", table: "messages", filter: "nope=eq.1" }]);
  assert.deepEqual(bad.statuses, ["SUBSCRIBED"]);
  assert.match(bad.errors.join(), /Subscription insert failed/);
  const unparsable = await subscribe(north, [
    { event: "INSERT", table: "messages", filter: "body=like.x" },
  ]);
  assert.deepEqual(unparsable.statuses, ["SUBSCRIBED"]);
  assert.match(unparsable.errors.join(), /Error parsing `filter` params/);
});

test("filters compare as the column's type; DELETE carries the old key only", async () => {
  const north = await member("staff@northside.test");
  const id = await conversation(NORTHSIDE);
  const sub = await subscribe(north, [
    { event: "UPDATE", table: "conversations", filter: "unread_count=gt.9" },
    { event: "DELETE", table: "messages", filter: "id=neq.00000000-0000-4000-8000-000000000000" },
  ]);
  assert.deepEqual([sub.statuses, sub.errors], [["SUBSCRIBED"], []]);
  // As text "10" < "9"; as integers 10 > 9.
  await sql`update public.conversations set unread_count = 5 where id = ${id}`;
  await sql`update public.conversations set unread_count = 10 where id = ${id}`;
  const update = await waitFor(
    "the update to 10 arrives",
    () => Promise.resolve(sub.events.find((e) => e.new.id === id)),
    5000,
  );
  assert.equal(update.new.unread_count, 10);
  const gone = await message(NORTHSIDE, id);
  await sql`delete from public.messages where id = ${gone.id}`;
  const deleted = await waitFor(
    "the delete arrives",
    () => Promise.resolve(sub.events.find((e) => e.eventType === "DELETE" && e.old.id === gone.id)),
    5000,
  );
  assert.deepEqual([deleted.new, deleted.old], [{}, { id: gone.id }]);
  await settle();
  assert.deepEqual(
    sub.events.filter((e) => e.new.id === id).map((e) => e.new.unread_count),
    [10],
  );
});

test("a refreshed access token is honoured: the channel then sees what the new token may", async () => {
  const client = await member("staff@northside.test");
  const river = await member("owner@riverside.test");
  const riverToken = (await river.auth.getSession()).data.session!.access_token;
  const sub = await subscribe(client, [{ event: "INSERT", table: "messages" }]);
  const northConversation = await conversation(NORTHSIDE);
  const riverConversation = await conversation(RIVERSIDE);
  const before = await message(NORTHSIDE, northConversation);
  await arrived(sub, before.id);

  await client.realtime.setAuth(riverToken);
  await new Promise((r) => setTimeout(r, 300));
  const northAfter = await message(NORTHSIDE, northConversation);
  const riverAfter = await message(RIVERSIDE, riverConversation);
  await arrived(sub, riverAfter.id);
  await settle();
  assert.deepEqual(idsOf(sub), [before.id, riverAfter.id]);
  assert.ok(!idsOf(sub).includes(northAfter.id));
});

test("bad tokens are refused: an API key at connect, a token at join, a refresh closes the channel", async () => {
  // A key not signed by the project: the websocket upgrade is refused.
  const socket = new WebSocket(
    `${SUPABASE_URL.replace(/^http/, "ws")}/realtime/v1/websocket?apikey=${
      ANON_KEY.slice(0, -4)
    }AAAA&vsn=2.0.0`,
  );
  const outcome = await new Promise<string>((resolve) => {
    socket.onopen = () => resolve("open");
    socket.onerror = () => resolve("refused");
  });
  assert.equal(outcome, "refused");

  const forged = ANON_KEY.slice(0, ANON_KEY.lastIndexOf(".") + 1) + "c2lnbmF0dXJl";
  const client = await member("staff@northside.test");
  await client.realtime.setAuth(forged);
  const refused = await subscribe(client, [{ event: "*", table: "messages" }]);
  assert.deepEqual(refused.statuses, ["CHANNEL_ERROR"]);
  assert.match(refused.errors.join(), /JwtSignatureError: Failed to validate JWT signature/);
  await client.removeChannel(refused.channel);

  const other = await member("staff@northside.test");
  const sub = await subscribe(other, [{ event: "*", table: "messages" }]);
  assert.deepEqual(sub.statuses, ["SUBSCRIBED"]);
  await other.realtime.setAuth(forged);
  await waitFor("the channel closes", () => Promise.resolve(sub.statuses.includes("CLOSED")), 5000);
  assert.match(sub.errors.join(), /Failed to validate JWT signature/);
});

test("unsubscribing stops delivery; a client dropping its socket leaves the others served", async () => {
  const client = await member("staff@northside.test");
  const stays = await member("admin@northside.test");
  const sub = await subscribe(client, [{ event: "INSERT", table: "messages" }]);
  const kept = await subscribe(stays, [{ event: "INSERT", table: "messages" }]);
  const id = await conversation(NORTHSIDE);
  const first = await message(NORTHSIDE, id);
  await arrived(sub, first.id);
  assert.equal(await client.removeChannel(sub.channel), "ok");
  const second = await message(NORTHSIDE, id);
  await arrived(kept, second.id);
  await settle();
  assert.deepEqual(idsOf(sub), [first.id]);

  // A raw socket that joins and vanishes without leaving.
  const raw = new WebSocket(
    `${SUPABASE_URL.replace(/^http/, "ws")}/realtime/v1/websocket?apikey=${ANON_KEY}&vsn=2.0.0`,
  );
  await new Promise((resolve) => (raw.onopen = resolve));
  const next = () =>
    new Promise<unknown>((resolve) => (raw.onmessage = (e) => resolve(JSON.parse(e.data))));
  raw.send(JSON.stringify([null, "1", "phoenix", "heartbeat", {}]));
  assert.deepEqual(await next(), [null, "1", "phoenix", "phx_reply", {
    status: "ok",
    response: {},
  }]);
  raw.send(JSON.stringify(["2", "2", "realtime:gone", "phx_join", {
    config: { postgres_changes: [{ event: "*", schema: "public", table: "messages" }] },
  }]));
  const [, ref, topic, event, payload] = await next() as [unknown, string, string, string, {
    status: string;
    response: { postgres_changes: { id: number }[] };
  }];
  assert.deepEqual([ref, topic, event, payload.status], ["2", "realtime:gone", "phx_reply", "ok"]);
  assert.equal(typeof payload.response.postgres_changes[0].id, "number");
  raw.close();
  const third = await message(NORTHSIDE, id);
  await arrived(kept, third.id);
});

Deno.test({
  name: "realtime: clean up",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    for (const client of clients) await client.removeAllChannels();
    if (contacts.length) await sql`delete from public.contacts where id = any(${contacts})`;
    await sql.end();
  },
});
