// Benchmark (not a test): the whatsapp function's acknowledgement under load, its ingest
// throughput against a raw PostgREST insert, and a replay of duplicates.
//
//   npx -y deno@2.9.6 run -A scripts/bench/whatsapp_ingest.ts [options]
//
//   --api-url <url>      the stack's API (default: the dev stack's)
//   --db-url <url>       the same stack's database (default: the dev stack's)
//   --log-dir <dir>      the stack's logs (functions.env, with META_APP_SECRET, is next to them)
//   --rate <n>           deliveries a second in the steady round (default 200)
//   --seconds <n>        how long the steady round lasts (default 20)
//   --requests <n>       requests per side in the throughput round (default 2000)
//   --concurrency <n>    requests at once in the throughput and replay rounds (default 20)
//   --duplicates <n>     copies of one delivery in the replay round (default 1000)
//   --allow-remote       needed for a stack that is not on this machine
//
// A clinic of its own (slug bench-wa-ingest-…) gets a Meta channel on the platform app; every
// delivery is serialised and signed exactly as Meta does (supabase/tests/api/_meta_delivery.ts).
// 1. Steady: open loop — a new one-message delivery every 1/rate s whatever the answers do — for
//    --seconds; prints ack latency p50/p99/max and non-200 answers, over HTTP and then through the
//    function's handler in this process with its own pool of 3 connections (its own time without
//    the local functions host's proxies). The worker processes (and the assistant answers, 40
//    patients) meanwhile, as in production.
// 2. Throughput: --requests deliveries with --concurrency in flight, then as many single-row
//    inserts through PostgREST (POST /rest/v1/contacts, service role) the same way; prints both
//    rates and their ratio (goal ≥ 0.6).
// 3. Replay: one delivery --duplicates times; prints how many events and messages were stored
//    and how many replies the assistant sent (one each is right), and how long the reply took.
// The clinic and everything it owns are deleted at the end.
import postgres from "postgres";
import { stackConfig } from "../local-stack/config.ts";
import { handleWhatsAppWebhook } from "../../supabase/functions/_shared/meta/whatsapp_webhook.ts";
import {
  delivery,
  metaJson,
  metaSignature,
  platformApp,
  postDelivery,
} from "../../supabase/tests/api/_meta_delivery.ts";
import {
  countOption,
  devDatabaseUrl,
  option,
  percentile,
  refuseRemote,
  serviceKeyOption,
} from "./_cli.ts";

const opts = {
  apiUrl: option("api-url", stackConfig("dev").apiUrl).replace(/\/+$/, ""),
  dbUrl: option("db-url", devDatabaseUrl),
  logDir: option("log-dir", stackConfig("dev").logDir),
  rate: countOption("rate", 200),
  seconds: countOption("seconds", 20),
  requests: countOption("requests", 2000),
  concurrency: countOption("concurrency", 20),
  duplicates: countOption("duplicates", 1000),
};
refuseRemote(opts.apiUrl);
refuseRemote(opts.dbUrl);
const app = await platformApp(opts.logDir);
if (!app) {
  console.error(`no META_APP_SECRET in ${opts.logDir}/../functions.env`);
  Deno.exit(2);
}
const serviceKey = await serviceKeyOption();
const functions = `${opts.apiUrl}/functions/v1`;
const sql = postgres(opts.dbUrl, { max: 3, prepare: false, onnotice: () => {} });

const organisationId = crypto.randomUUID();
const phoneNumberId = `7${String(Date.now()).padStart(14, "0").slice(-14)}`;
await sql`insert into public.organisations (id, name, slug, timezone, languages, default_language)
  values (${organisationId}, 'Bench Ingest Clinic', ${
  "bench-wa-ingest-" + organisationId.slice(0, 8)
},
    'Europe/London', ${["en"]}, 'en')`;
await sql`insert into public.whatsapp_channels (organisation_id, provider, meta_phone_number_id)
  values (${organisationId}, 'meta', ${phoneNumberId})`;

let n = 0;
/** A new one-message delivery from one of 40 patients. */
const fresh = () => {
  n++;
  return metaJson(delivery(phoneNumberId, {
    messages: [{
      id: `wamid.bench${organisationId.slice(0, 8)}${n}`,
      timestamp: String(Math.floor(Date.now() / 1000)),
      type: "text",
      text: { body: `Do you have a free slot on Monday? (${n})` },
    }],
    waId: `4477009${String(10000 + (n % 40))}`,
  }));
};

const ms = (v: number) => `${v.toFixed(1)} ms`;
const line = (samples: number[]) => {
  const s = [...samples].sort((a, b) => a - b);
  return `p50 ${ms(percentile(s, 0.5))}  p99 ${ms(percentile(s, 0.99))}  max ${
    ms(s.at(-1)!)
  }  (n=${s.length})`;
};

/** Runs `task` `count` times with `concurrency` in flight; answers requests a second. */
async function closedLoop(count: number, task: () => Promise<boolean>): Promise<[number, number]> {
  let left = count;
  let failed = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: opts.concurrency }, async () => {
    while (left-- > 0) if (!(await task())) failed++;
  }));
  return [count / ((performance.now() - started) / 1000), failed];
}

try {
  // Warm the function (and its connection pool) up.
  for (let i = 0; i < 20; i++) await postDelivery(functions, fresh(), app.secret);

  // 1. Steady open-loop rate: over HTTP, then the handler alone in this process (the function's
  // own time, without the local functions host's two proxies), as many deliveries each.
  const handlerPool = postgres(opts.dbUrl, { max: 3, prepare: false, onnotice: () => {} });
  const env = { sql: handlerPool, platform: { secret: app.secret, verifyToken: app.verifyToken } };
  const inProcess = async (body: string) => {
    const res = await handleWhatsAppWebhook(
      new Request(`${functions}/whatsapp`, {
        method: "POST",
        headers: { "x-hub-signature-256": metaSignature(body, app.secret) },
        body,
      }),
      env,
    );
    await res.body?.cancel();
    return res.status;
  };
  const viaHttp = async (body: string) => (await postDelivery(functions, body, app.secret)).status;
  for (const [name, post] of [["HTTP", viaHttp], ["in process", inProcess]] as const) {
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    const total = opts.rate * opts.seconds;
    const start = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / opts.rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const body = fresh();
      const sent = performance.now();
      inFlight.push(
        post(body).then((status) => {
          latencies.push(performance.now() - sent);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }),
      );
    }
    await Promise.all(inFlight);
    const achieved = total / ((performance.now() - start) / 1000);
    const [{ stored }] = await sql<{ stored: number }[]>`
      select count(*)::int as stored from private.inbound_events
      where organisation_id = ${organisationId}`;
    console.log(
      `steady ${opts.rate}/s for ${opts.seconds} s, ${name} (achieved ${achieved.toFixed(0)}/s): ` +
        `ack ${line(latencies)}  answers ${JSON.stringify(Object.fromEntries(statuses))}  ` +
        `events stored so far ${stored} of ${n} sent`,
    );
  }
  await handlerPool.end();

  // 2. Throughput against a raw PostgREST single-row insert, same run, same concurrency.
  const [webhook, webhookFailed] = await closedLoop(
    opts.requests,
    async () => (await postDelivery(functions, fresh(), app.secret)).status === 200,
  );
  let k = 0;
  const [rest, restFailed] = await closedLoop(opts.requests, async () => {
    const res = await fetch(`${opts.apiUrl}/rest/v1/contacts`, {
      method: "POST",
      headers: {
        apikey: serviceKey,
        authorization: `Bearer ${serviceKey}`,
        "content-type": "application/json",
        prefer: "return=minimal",
      },
      body: JSON.stringify({
        organisation_id: organisationId,
        phone: `+4420${String(70000000 + k++)}`,
      }),
    });
    await res.body?.cancel();
    return res.status === 201;
  });
  console.log(
    `throughput (${opts.requests} each, ${opts.concurrency} in flight): webhook ` +
      `${webhook.toFixed(0)}/s (${webhookFailed} failed), PostgREST insert ${rest.toFixed(0)}/s ` +
      `(${restFailed} failed), ratio ${(webhook / rest).toFixed(2)}`,
  );

  // 3. Replay of duplicates.
  const id = `wamid.benchdup${organisationId.slice(0, 8)}`;
  const duplicate = metaJson(delivery(phoneNumberId, {
    messages: [{
      id,
      timestamp: String(Math.floor(Date.now() / 1000)),
      type: "text",
      text: { body: "What are your opening hours?" },
    }],
    waId: "447700955555",
  }));
  const replayStart = performance.now();
  const [, replayFailed] = await closedLoop(
    opts.duplicates,
    async () => (await postDelivery(functions, duplicate, app.secret)).status === 200,
  );
  const replayMs = performance.now() - replayStart;
  const counts = async () => {
    const [row] = await sql<{ events: number; messages: number; replies: number }[]>`
      select (select count(*) from private.inbound_events where external_id = ${`m:${id}`})::int as events,
        (select count(*) from public.messages where provider_message_id = ${id})::int as messages,
        (select count(*) from public.messages r
          join public.messages m on m.conversation_id = r.conversation_id and m.provider_message_id = ${id}
          where r.author = 'bot' and r.created_at > m.created_at)::int as replies`;
    return row;
  };
  let seen = await counts();
  const deadline = performance.now() + 60_000;
  while (seen.replies === 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    seen = await counts();
  }
  const replyAfter = performance.now() - replayStart;
  await new Promise((resolve) => setTimeout(resolve, 3000));
  seen = await counts();
  console.log(
    `replay ${opts.duplicates}× one delivery in ${ms(replayMs)} (${replayFailed} not 200): ` +
      `${seen.events} event, ${seen.messages} message, ${seen.replies} reply ` +
      `(the reply ${seen.replies ? `after ${ms(replyAfter)}` : "never came"})`,
  );
} finally {
  // The clinic goes once the worker is done with it (its rows are locked while a job runs).
  const settleUntil = performance.now() + 120_000;
  while (performance.now() < settleUntil) {
    const [{ busy }] = await sql<{ busy: number }[]>`
      select count(*)::int as busy from private.jobs
      where organisation_id = ${organisationId} and status in ('pending', 'running')`;
    if (busy === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await sql`delete from public.organisations where id = ${organisationId}`;
  await sql.end();
}
