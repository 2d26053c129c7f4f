// Benchmark (not a test): how long from a patient's WhatsApp message to our reply reaching Meta?
// The Meta sandbox posts the patient's message to the whatsapp function as Meta does (signed);
// ingest, the messaging.reply job (burst window, FAQ or OpenAI), and the messaging.send job run
// on the stack's worker; the clock stops when the sandbox's Graph endpoint has the reply.
//
//   npx -y deno@2.9.6 run -A scripts/bench/whatsapp_reply.ts [options]
//
//   --api-url <url>      the stack's API (default: the dev stack's)
//   --db-url <url>       the same stack's database (default: the dev stack's)
//   --runs <n>           messages per path (default 30)
//   --openai-delay <ms>  how long the OpenAI sandbox takes per completion (default 500)
//   --allow-remote       needed for a stack that is not on this machine
//
// Two paths, one message at a time, each from a new patient of Riverside (its Meta number, the
// platform app): "Is there parking?" (answered from the clinic's FAQ, no LLM) and a question the
// FAQ does not know (OpenAI sandbox answering after --openai-delay). Printed per path: end to end,
// and its parts from the rows' timestamps — ingest (sent → inbound row), reply (inbound row →
// reply queued; includes the burst window, BURST_WINDOW_MS), send (queued → at Meta). The
// clinic's hourly cap is lifted while it runs; the patients it made are removed afterwards.
import postgres from "postgres";
import { BURST_WINDOW_MS } from "../../supabase/functions/_shared/assistant/burst.ts";
import { stackConfig } from "../local-stack/config.ts";
import { sandboxControlAt } from "../local-stack/sandboxes/control_client.ts";
import { countOption, devDatabaseUrl, option, refuseRemote, summary } from "./_cli.ts";

const opts = {
  apiUrl: option("api-url", stackConfig("dev").apiUrl).replace(/\/+$/, ""),
  dbUrl: option("db-url", devDatabaseUrl),
  runs: countOption("runs", 30),
  openaiDelay: Number(option("openai-delay", "500")),
};
refuseRemote(opts.apiUrl);
refuseRemote(opts.dbUrl);

const RIVERSIDE = "10000000-0000-4000-8000-000000000002";
const PHONE_NUMBER_ID = "113907584401237";
const sql = postgres(opts.dbUrl, { max: 2, prepare: false, onnotice: () => {} });
const control = <T>(sandbox: string, method: string, path: string, body?: unknown) =>
  sandboxControlAt<T>(opts.apiUrl, sandbox, method, path, body);

interface Timing {
  total: number;
  ingest: number;
  reply: number;
  send: number;
  source: string;
}

const waIds: string[] = [];

async function once(text: string): Promise<Timing> {
  const waId = `3712${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
  waIds.push(waId);
  const started = Date.now();
  await control("meta", "POST", "/inbound", {
    phone_number_id: PHONE_NUMBER_ID,
    from: waId,
    name: "Bench Patient",
    text,
  });
  const deadline = started + 30_000;
  for (;;) {
    const [sent] = await control<{ at: number }[]>(
      "meta",
      "GET",
      `/outbox?phone_number_id=${PHONE_NUMBER_ID}&to=${waId}`,
    );
    if (sent) {
      const [row] = await sql<{ inbound: Date; queued: Date; source: string | null }[]>`
        select i.created_at as inbound, o.created_at as queued, o.details->>'source' as source
        from public.contacts k
        join public.conversations c on c.contact_id = k.id
        join public.messages i on i.conversation_id = c.id and i.direction = 'inbound'
        join public.messages o on o.conversation_id = c.id and o.author = 'bot'
        where k.organisation_id = ${RIVERSIDE} and k.phone = ${"+" + waId}
        order by o.created_at limit 1`;
      return {
        total: sent.at - started,
        ingest: row.inbound.getTime() - started,
        reply: row.queued.getTime() - row.inbound.getTime(),
        send: sent.at - row.queued.getTime(),
        source: row.source ?? "?",
      };
    }
    if (Date.now() > deadline) throw new Error(`no reply to ${waId} within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function path(name: string, text: string) {
  const timings: Timing[] = [];
  for (let i = 0; i < opts.runs; i++) timings.push(await once(text));
  const sources = [...new Set(timings.map((t) => t.source))].join(", ");
  console.log(`${name} (${opts.runs} messages, answered from: ${sources})`);
  for (const part of ["total", "ingest", "reply", "send"] as const) {
    console.log(`  ${part.padEnd(7)} ${summary(timings.map((t) => t[part]))}`);
  }
}

const [settings] = await sql<{ cap: number }[]>`
  select max_messages_per_hour as cap from public.assistant_settings
  where organisation_id = ${RIVERSIDE}`;
await sql`
  update public.assistant_settings set max_messages_per_hour = 10000
  where organisation_id = ${RIVERSIDE}`;
const fault = await control<{ id: string }>("openai", "POST", "/faults", {
  delayMs: opts.openaiDelay,
});
try {
  console.log(
    `WhatsApp inbound → reply at Meta (burst window ${BURST_WINDOW_MS} ms; ` +
      `OpenAI sandbox delay ${opts.openaiDelay} ms)`,
  );
  await path("FAQ path", "Is there parking?");
  await path("LLM path", "Do you treat tennis elbow, and how long does recovery usually take?");
} finally {
  await control("openai", "DELETE", `/faults/${fault.id}`).catch(() => {});
  await sql`
    update public.assistant_settings set max_messages_per_hour = ${settings.cap}
    where organisation_id = ${RIVERSIDE}`;
  await sql`
    delete from public.contacts
    where organisation_id = ${RIVERSIDE} and phone = any(${waIds.map((w) => "+" + w)})`;
  await sql.end();
}
