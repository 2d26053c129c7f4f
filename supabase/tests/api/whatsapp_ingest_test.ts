// The whatsapp function on a running stack, with deliveries serialised and signed exactly as Meta
// does (_meta_delivery.ts): per-app handshakes; forged, missing and other apps' signatures store
// nothing; malformed and fuzzed bodies get a 4xx, never a 5xx; an unknown number is acknowledged
// and dropped; every message type is stored and normalised by the messaging.ingest job; statuses
// end monotonic in any order, also when one arrives before our send recorded its id; the same
// delivery 1,000 times is one message and one reply.
import assert from "node:assert/strict";
import fc from "fast-check";
import postgres from "postgres";
import { routeMetaWhatsApp } from "../../functions/_shared/io/routing.ts";
import { storeMetaEvents } from "../../functions/_shared/messaging/ingest.ts";
import { env, randomDigits, SUPABASE_URL, waitFor } from "./_helpers.ts";
import { delivery, metaJson, platformApp, postDelivery } from "./_meta_delivery.ts";

const sql = postgres(env("SUPABASE_DB_URL"), { max: 4, prepare: false, onnotice: () => {} });
const FUNCTIONS = `${SUPABASE_URL}/functions/v1`;
const app = await platformApp(env("LOG_DIR"));

// Seeded clinics: Northside receives through its own Meta app, Riverside through the platform's.
const NORTHSIDE_APP = "a0000000-0000-4000-8000-000000000001";
const NORTHSIDE_APP_SECRET = "demo-secret-meta-app-northside-55d0";
const NORTHSIDE_VERIFY = "demo-verify-northside-2b7e";
const NORTHSIDE_NUMBER_ID = "106540352242922";
const RIVERSIDE_NUMBER_ID = "113907584401237";

const wamid = () => `wamid.${crypto.randomUUID().replaceAll("-", "")}`;
const now = () => String(Math.floor(Date.now() / 1000));

const organisations: string[] = [];

/** A clinic of its own with an active Meta channel on the platform app. */
async function clinic(): Promise<
  { organisationId: string; phoneNumberId: string; channelId: string }
> {
  const organisationId = crypto.randomUUID();
  const phoneNumberId = `9${randomDigits(14)}`;
  await sql`insert into public.organisations (id, name, slug, timezone, languages, default_language)
    values (${organisationId}, 'Ingest Clinic', ${"wa-ingest-" + organisationId.slice(0, 8)},
      'Europe/London', ${["en"]}, 'en')`;
  organisations.push(organisationId);
  const [channel] = await sql<{ id: string }[]>`
    insert into public.whatsapp_channels (organisation_id, provider, meta_phone_number_id)
    values (${organisationId}, 'meta', ${phoneNumberId}) returning id`;
  return { organisationId, phoneNumberId, channelId: channel.id };
}

const eventCount = (externalId: string) =>
  sql<{ n: number }[]>`select count(*)::int as n from private.inbound_events
    where provider = 'meta' and external_id = ${externalId}`.then(([r]) => r.n);

const messageOf = (providerId: string) =>
  sql`select m.kind, m.body, m.details, m.direction::text, m.author::text, m.conversation_id,
        c.channel::text, c.unread_count, c.last_message_preview, k.phone, k.name
      from public.messages m
      join public.conversations c on c.id = m.conversation_id
      join public.contacts k on k.id = c.contact_id
      where m.provider_message_id = ${providerId}`.then((rows) => rows[0]);

Deno.test({
  name: "whatsapp webhook",
  ignore: app === null,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const { secret, verifyToken } = app!;
    try {
      await t.step("GET: each app's handshake with its own token; others 403", async () => {
        const get = async (path: string, token: string, mode = "subscribe") => {
          const q = new URLSearchParams({
            "hub.mode": mode,
            "hub.verify_token": token,
            "hub.challenge": "1158201444",
          });
          const res = await fetch(`${FUNCTIONS}/${path}?${q}`);
          return [res.status, await res.text()];
        };
        assert.deepEqual(await get("whatsapp", verifyToken), [200, "1158201444"]);
        assert.deepEqual(await get(`whatsapp/apps/${NORTHSIDE_APP}`, NORTHSIDE_VERIFY), [
          200,
          "1158201444",
        ]);
        assert.equal((await get("whatsapp", NORTHSIDE_VERIFY))[0], 403);
        assert.equal((await get(`whatsapp/apps/${NORTHSIDE_APP}`, verifyToken))[0], 403);
        assert.equal((await get("whatsapp", verifyToken, "unsubscribe"))[0], 403);
        assert.equal((await get(`whatsapp/apps/${crypto.randomUUID()}`, verifyToken))[0], 403);
        assert.equal((await get("whatsapp/apps/not-a-uuid", verifyToken))[0], 404);
      });

      await t.step("missing or forged signatures: 401/403 and nothing stored", async () => {
        const id = wamid();
        const body = metaJson(delivery(RIVERSIDE_NUMBER_ID, {
          messages: [{ id, timestamp: now(), type: "text", text: { body: "forged" } }],
        }));
        assert.equal((await postDelivery(FUNCTIONS, body, null)).status, 401);
        assert.equal((await postDelivery(FUNCTIONS, body, "not-the-secret")).status, 403);
        // A body re-serialised after signing (Meta's escapes undone) is not the signed body.
        const escaped = metaJson(delivery(RIVERSIDE_NUMBER_ID, {
          messages: [{ id, timestamp: now(), type: "text", text: { body: "Привет 😀 a/b" } }],
        }));
        const res = await fetch(`${FUNCTIONS}/whatsapp`, {
          method: "POST",
          headers: {
            "x-hub-signature-256": (await import("./_meta_delivery.ts")).metaSignature(
              escaped,
              secret,
            ),
          },
          body: JSON.stringify(JSON.parse(escaped)),
        });
        await res.body?.cancel();
        assert.equal(res.status, 403);
        assert.equal(await eventCount(`m:${id}`), 0);
      });

      await t.step(
        "cross-app: Riverside's number signed with Northside's own app stores nothing",
        async () => {
          const id = wamid();
          const body = metaJson(delivery(RIVERSIDE_NUMBER_ID, {
            messages: [{ id, timestamp: now(), type: "text", text: { body: "cross" } }],
          }));
          // Through Northside's app URL: genuinely signed for that app, but not its number.
          assert.equal(
            (await postDelivery(
              FUNCTIONS,
              body,
              NORTHSIDE_APP_SECRET,
              `whatsapp/apps/${NORTHSIDE_APP}`,
            ))
              .status,
            200,
          );
          // Through the platform URL: not the platform's signature.
          assert.equal((await postDelivery(FUNCTIONS, body, NORTHSIDE_APP_SECRET)).status, 403);
          // And Northside's own-app number through the platform app.
          const other = wamid();
          const northside = metaJson(delivery(NORTHSIDE_NUMBER_ID, {
            messages: [{ id: other, timestamp: now(), type: "text", text: { body: "cross" } }],
          }));
          assert.equal((await postDelivery(FUNCTIONS, northside, secret)).status, 200);
          assert.equal(await eventCount(`m:${id}`), 0);
          assert.equal(await eventCount(`m:${other}`), 0);
          // Routing itself says so.
          assert.deepEqual(await routeMetaWhatsApp(sql, RIVERSIDE_NUMBER_ID, NORTHSIDE_APP), {
            routable: false,
            reason: "unknown",
          });
          assert.equal(
            (await routeMetaWhatsApp(sql, NORTHSIDE_NUMBER_ID, NORTHSIDE_APP)).routable,
            true,
          );
          assert.equal((await routeMetaWhatsApp(sql, NORTHSIDE_NUMBER_ID, null)).routable, false);
        },
      );

      await t.step("unknown and inactive numbers: 200, nothing stored or processed", async () => {
        const c = await clinic();
        await sql`update public.whatsapp_channels set active = false where id = ${c.channelId}`;
        const ids = [wamid(), wamid()];
        for (const [i, numberId] of [c.phoneNumberId, `8${randomDigits(14)}`].entries()) {
          const body = metaJson(delivery(numberId, {
            messages: [{ id: ids[i], timestamp: now(), type: "text", text: { body: "hello?" } }],
          }));
          assert.deepEqual(await postDelivery(FUNCTIONS, body, secret), {
            status: 200,
            text: "ok",
          });
          assert.equal(await eventCount(`m:${ids[i]}`), 0);
        }
        const [{ n }] = await sql<{ n: number }[]>`
          select count(*)::int as n from public.conversations where organisation_id = ${c.organisationId}`;
        assert.equal(n, 0);
      });

      await t.step(
        "a pool's first delivery is routed before its array types are known",
        async () => {
          // A new pool's first statement can be answered before postgres.js has registered the
          // array types it fetched (then a text[] comes back as its text: a false "dropped" line,
          // about once per bench run); fetch_types: false makes that the rule here.
          const c = await clinic();
          const fresh = postgres(env("SUPABASE_DB_URL"), {
            max: 1,
            prepare: false,
            fetch_types: false,
            onnotice: () => {},
          });
          const id = wamid();
          try {
            const stored = await storeMetaEvents(fresh, null, [{
              external_id: `m:${id}`,
              kind: "message",
              phone_number_id: c.phoneNumberId,
              payload: {
                from: "447700900321",
                id,
                timestamp: now(),
                type: "text",
                text: { body: "hi" },
              },
            }]);
            assert.deepEqual(stored, { stored: 1, unrouted: [] });
          } finally {
            await fresh.end();
          }
          assert.equal(await eventCount(`m:${id}`), 1);
        },
      );

      await t.step(
        "a clinic's due ingest job is reused, and cannot be claimed before new events commit",
        async () => {
          const d = await clinic();
          // A run of the clinic's ingest job holds its lock, so the stack's worker leaves the
          // pending twin alone until this step lets it go.
          const [running] = await sql<{ id: string }[]>`
          insert into private.jobs (kind, organisation_id, dedupe_key, status, locked_by, locked_until)
          values ('messaging.ingest', ${d.organisationId}, ${
            "ingest:" + d.organisationId
          }, 'running',
            'test', now() + interval '1 minute') returning id`;
          const [pending] = await sql<{ id: string }[]>`
          select private.enqueue_job('messaging.ingest', '{}', ${d.organisationId},
            ${"ingest:" + d.organisationId}) as id`;
          const [pendingBefore] = await sql<{ id: string; updated_at: Date }[]>`
            select id, updated_at from private.jobs where id = ${pending.id}`;
          const id = wamid();
          const other = postgres(env("SUPABASE_DB_URL"), {
            max: 1,
            prepare: false,
            onnotice: () => {},
          });
          try {
            await sql.begin(async (tx) => {
              const stored = await storeMetaEvents(tx as unknown as typeof sql, null, [{
                external_id: `m:${id}`,
                kind: "message",
                phone_number_id: d.phoneNumberId,
                payload: {
                  from: "447700900321",
                  id,
                  timestamp: now(),
                  type: "text",
                  text: { body: "hi" },
                },
              }]);
              assert.deepEqual(stored, { stored: 1, unrouted: [] });
              const jobs = await tx<{ id: string; updated_at: Date }[]>`
                select id, updated_at from private.jobs
                where organisation_id = ${d.organisationId} and status = 'pending'`;
              assert.deepEqual(
                [...jobs],
                [{ ...pendingBefore }],
                "no second pending job, no update of the first",
              );
              // What claim_jobs does: the share-locked job is skipped while this is uncommitted.
              const skipped = await other`
              select id from private.jobs where id = ${pending.id} for update skip locked`;
              assert.equal(skipped.length, 0);
            });
            await other.begin(async (tx) => {
              const rows =
                await tx`select id from private.jobs where id = ${pending.id} for update skip locked`;
              assert.equal(rows.length, 1, "claimable once the events are committed");
            });
          } finally {
            await other.end();
          }
          await sql`delete from private.jobs where id = ${running.id}`;
          await waitFor("the pending job ran and stored the message", () => messageOf(id), 20_000);
        },
      );

      await t.step("malformed bodies: 400 with a message; fuzzed bodies never 5xx", async () => {
        for (
          const body of [
            "",
            "{",
            "[]",
            '{"object":"page","entry":[]}',
            '{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{}}]}]}',
          ]
        ) {
          const res = await postDelivery(FUNCTIONS, body, secret);
          assert.equal(res.status, 400, body);
          assert.ok(res.text.length > 0);
        }
        const envelope = fc.record({
          object: fc.oneof(fc.constant("whatsapp_business_account"), fc.string()),
          entry: fc.array(
            fc.record({
              changes: fc.array(
                fc.record({
                  field: fc.oneof(fc.constant("messages"), fc.string()),
                  value: fc.oneof(
                    fc.jsonValue(),
                    fc.record({
                      metadata: fc.record({
                        phone_number_id: fc.oneof(fc.constant(RIVERSIDE_NUMBER_ID), fc.string()),
                      }),
                      messages: fc.array(fc.dictionary(fc.string(), fc.jsonValue()), {
                        maxLength: 3,
                      }),
                      statuses: fc.array(fc.dictionary(fc.string(), fc.jsonValue()), {
                        maxLength: 3,
                      }),
                    }),
                  ),
                }),
                { maxLength: 3 },
              ),
            }),
            { maxLength: 3 },
          ),
        });
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(
              fc.string().map((s) => s),
              fc.jsonValue().map((v) => JSON.stringify(v)),
              envelope.map(metaJson),
            ),
            fc.boolean(),
            async (body, signed) => {
              const res = await postDelivery(FUNCTIONS, body, signed ? secret : "wrong");
              assert.ok(res.status < 500, `${res.status} for ${body}`);
              assert.ok(signed || res.status === 403);
            },
          ),
          { numRuns: 150 },
        );
      });

      const c = await clinic();
      const patient = `4477009${randomDigits(5)}`;
      const send = async (
        messages: Record<string, unknown>[],
        statuses: Record<string, unknown>[] = [],
      ) => {
        const body = metaJson(
          delivery(c.phoneNumberId, { messages, statuses, waId: patient, name: "Анна" }),
        );
        const res = await postDelivery(FUNCTIONS, body, secret);
        assert.deepEqual(res, { status: 200, text: "ok" });
      };

      await t.step("every inbound type is stored, normalised and shown", async () => {
        const ts = now();
        const m = (type: string, body: Record<string, unknown>) => ({
          id: wamid(),
          timestamp: ts,
          type,
          ...body,
        });
        const all = [
          m("text", { text: { body: "Здравствуйте 😀 https://x.example/a" } }),
          m("interactive", {
            interactive: {
              type: "button_reply",
              button_reply: { id: "slot_1", title: "Mon 10:00" },
            },
          }),
          m("interactive", {
            interactive: { type: "list_reply", list_reply: { id: "r2", title: "Physio" } },
          }),
          m("button", { button: { payload: "CONFIRM", text: "Confirm" } }),
          m("image", {
            image: { id: "111", mime_type: "image/jpeg", sha256: "h1", caption: "rash" },
          }),
          m("audio", {
            audio: { id: "222", mime_type: "audio/ogg; codecs=opus", sha256: "h2", voice: true },
          }),
          m("video", { video: { id: "333", mime_type: "video/mp4", sha256: "h3" } }),
          m("document", {
            document: {
              id: "444",
              mime_type: "application/pdf",
              sha256: "h4",
              filename: "ref.pdf",
              caption: "referral",
            },
          }),
          m("sticker", { sticker: { id: "555", mime_type: "image/webp", sha256: "h5" } }),
          m("location", { location: { latitude: 51.5, longitude: -0.12, name: "Car park" } }),
          m("reaction", { reaction: { message_id: "wamid.X", emoji: "👍" } }),
          m("reaction", { reaction: { message_id: "wamid.X", emoji: "" } }),
          m("contacts", { contacts: [{ name: { formatted_name: "Dr Who" } }] }),
          m("unsupported", { errors: [{ code: 131051, title: "Message type unknown" }] }),
        ];
        await send(all);
        const last = await waitFor(
          "the ingest job processed the delivery",
          () => messageOf(all.at(-1)!.id as string),
        );
        const rows = await Promise.all(all.map((x) => messageOf(x.id as string)));
        assert.deepEqual(rows.map((r) => r?.kind), all.map((x) => x.type));
        assert.ok(
          rows.every((r) =>
            r.direction === "inbound" && r.author === "patient" && r.channel === "whatsapp"
          ),
        );
        assert.equal(rows[0].body, "Здравствуйте 😀 https://x.example/a");
        assert.equal(rows[1].body, "Mon 10:00");
        assert.equal(rows[1].details.id, "slot_1");
        assert.equal(rows[3].details.id, "CONFIRM");
        assert.deepEqual(rows[4].details.media, {
          provider: "meta",
          id: "111",
          mime_type: "image/jpeg",
          sha256: "h1",
        });
        assert.equal(rows[4].body, "rash");
        assert.equal(rows[5].details.media.voice, true);
        assert.equal(rows[7].details.media.filename, "ref.pdf");
        assert.equal(rows[9].details.latitude, 51.5);
        assert.deepEqual(rows[10].details, { reacted_to: "wamid.X", emoji: "👍" });
        assert.deepEqual(rows[11].details, { reacted_to: "wamid.X", emoji: "" });
        assert.equal(rows[12].body, "Dr Who");
        assert.equal(rows[13].details.errors[0].code, 131051);
        // One patient (their profile name), one thread, all of it unread, previewed.
        assert.equal(new Set(rows.map((r) => r.conversation_id)).size, 1);
        assert.equal(last.phone, `+${patient}`);
        assert.equal(last.name, "Анна");
        assert.equal(last.unread_count, all.length);
        assert.ok(last.last_message_preview.length > 0);
        const [{ unprocessed }] =
          await sql`select count(*)::int as unprocessed from private.inbound_events
          where organisation_id = ${c.organisationId} and processed_at is null`;
        assert.equal(unprocessed, 0);
      });

      await t.step("statuses in any order end monotonic; failed keeps its error", async () => {
        const [conversation] = await sql<{ id: string }[]>`
          select id from public.conversations where organisation_id = ${c.organisationId}`;
        const out = async () => {
          const id = wamid();
          await sql`insert into public.messages (organisation_id, conversation_id, direction, author,
              body, provider_message_id, delivery)
            values (${c.organisationId}, ${conversation.id}, 'outbound', 'bot', 'Hello', ${id}, 'sent')`;
          return id;
        };
        const deliveryOf = (id: string) =>
          sql`select delivery::text, sent_at, delivered_at, read_at, failed_at, error_code
            from public.messages where provider_message_id = ${id}`.then((r) => r[0]);
        const a = await out();
        const status = (id: string, s: string, t: number) => ({
          id,
          status: s,
          timestamp: String(t),
          recipient_id: patient,
        });
        const t0 = Math.floor(Date.now() / 1000);
        await send([], [status(a, "read", t0 + 3)]);
        await send([], [status(a, "delivered", t0 + 2), status(a, "sent", t0 + 1)]);
        const done = await waitFor("the statuses are applied", async () => {
          const row = await deliveryOf(a);
          return row.delivered_at ? row : null;
        });
        assert.equal(done.delivery, "read");
        assert.equal(done.read_at.getTime(), (t0 + 3) * 1000);
        assert.equal(done.delivered_at.getTime(), (t0 + 2) * 1000);

        const b = await out();
        await send([], [{
          ...status(b, "failed", t0 + 1),
          errors: [{ code: 131026, title: "Message undeliverable" }],
        }]);
        await send([], [status(b, "delivered", t0 + 2)]);
        const failedThenDelivered = await waitFor("failed, then delivered", async () => {
          const row = await deliveryOf(b);
          return row.delivered_at && row.failed_at ? row : null;
        });
        assert.equal(failedThenDelivered.delivery, "delivered");
        assert.equal(failedThenDelivered.error_code, "131026");
      });

      await t.step(
        "a status before our send recorded its id waits for it, then applies",
        async () => {
          const [conversation] = await sql<{ id: string }[]>`
          select id from public.conversations where organisation_id = ${c.organisationId}`;
          const id = wamid();
          await send([], [{ id, status: "delivered", timestamp: now(), recipient_id: patient }]);
          await waitFor("the ingest job looked at it", async () => {
            const [e] =
              await sql`select attempts from private.inbound_events where external_id = ${`s:${id}:delivered`}`;
            return e && e.attempts > 0;
          });
          const [waiting] = await sql`select processed_at, last_error from private.inbound_events
          where external_id = ${`s:${id}:delivered`}`;
          assert.equal(waiting.processed_at, null);
          assert.match(waiting.last_error, /not known yet/);
          // The send's answer arrives: its id is recorded.
          await sql`insert into public.messages (organisation_id, conversation_id, direction, author,
            body, provider_message_id, delivery)
          values (${c.organisationId}, ${conversation.id}, 'outbound', 'bot', 'Hi', ${id}, 'sent')`;
          await waitFor("the waiting status applied", async () => {
            const [m] =
              await sql`select delivery::text from public.messages where provider_message_id = ${id}`;
            return m.delivery === "delivered";
          }, 20_000);
        },
      );

      await t.step("the same delivery 1,000 times: one event, one message, one reply", async () => {
        const d = await clinic();
        const id = wamid();
        const body = metaJson(delivery(d.phoneNumberId, {
          messages: [{
            id,
            timestamp: now(),
            type: "text",
            text: { body: "What are your opening hours?" },
          }],
          waId: `4477009${randomDigits(5)}`,
        }));
        const statuses: number[] = [];
        const queue = Array.from({ length: 1000 }, (_, i) => i);
        await Promise.all(Array.from({ length: 20 }, async () => {
          while (queue.pop() !== undefined) {
            statuses.push((await postDelivery(FUNCTIONS, body, secret)).status);
          }
        }));
        assert.deepEqual([...new Set(statuses)], [200]);
        assert.equal(await eventCount(`m:${id}`), 1);
        const message = await waitFor("the message is stored", () => messageOf(id));
        const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from public.messages
          where organisation_id = ${d.organisationId} and direction = 'inbound'`;
        assert.equal(n, 1);
        // One reply (the messaging.reply job, R1's pipeline): exactly one bot message, and still
        // one a moment later.
        const bot = () =>
          sql<{ n: number }[]>`select count(*)::int as n from public.messages
            where conversation_id = ${message.conversation_id} and author = 'bot'`.then(([r]) =>
            r.n
          );
        await waitFor("the assistant replied", async () => (await bot()) > 0, 30_000);
        await new Promise((r) => setTimeout(r, 3000));
        assert.equal(await bot(), 1);
      });
    } finally {
      await sql`delete from public.organisations where id = any(${organisations})`;
      await sql.end();
    }
  },
});
