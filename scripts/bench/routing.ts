// Benchmark (not a test): webhook routing lookups with 1,000 organisations, each with a
// Twilio account, a voice number, a Meta WhatsApp channel and a Twilio WhatsApp sender.
// Runs the same functions the webhooks use, over a direct database connection.
//
//   npx -y deno@2.9.6 run -A scripts/bench/routing.ts [--db-url URL] [--lookups 10000]
//
// Default database: the dev stack (`deno task dev`). Its rows are tagged with the slug
// prefix bench-routing- and removed at the end.
import postgres from "postgres";
import { devDatabaseUrl, option, percentile } from "./_cli.ts";
import {
  routeMetaWhatsApp,
  routeTwilioMessage,
  routeVoiceCall,
} from "../../supabase/functions/_shared/io/routing.ts";

const dbUrl = option("db-url", devDatabaseUrl);
const lookups = Number(option("lookups", "10000"));
const organisations = 1000;

const sql = postgres(dbUrl, { max: 1, prepare: false, onnotice: () => {} });

async function seed() {
  await sql`delete from public.organisations where slug like 'bench-routing-%'`;
  await sql.begin(async (tx) => {
    await tx`
      insert into public.organisations (name, slug, timezone)
      select 'Bench clinic ' || n, 'bench-routing-' || n, 'Europe/London'
      from generate_series(1, ${organisations}) n`;
    await tx`
      insert into public.twilio_accounts (organisation_id, account_sid)
      select o.id, 'ACb' || lpad(to_hex(n), 31, '0')
      from generate_series(1, ${organisations}) n
      join public.organisations o on o.slug = 'bench-routing-' || n`;
    await tx`
      insert into public.phone_numbers (organisation_id, twilio_account_id, e164, messaging_enabled)
      select t.organisation_id, t.id, '+4470' || lpad(n::text, 8, '0'), true
      from generate_series(1, ${organisations}) n
      join public.twilio_accounts t on t.account_sid = 'ACb' || lpad(to_hex(n), 31, '0')`;
    await tx`
      insert into public.whatsapp_channels (organisation_id, provider, meta_phone_number_id)
      select o.id, 'meta', (900000000000 + n)::text
      from generate_series(1, ${organisations}) n
      join public.organisations o on o.slug = 'bench-routing-' || n`;
    await tx`
      insert into public.whatsapp_channels (organisation_id, provider, twilio_account_id, twilio_sender)
      select t.organisation_id, 'twilio', t.id, '+4471' || lpad(n::text, 8, '0')
      from generate_series(1, ${organisations}) n
      join public.twilio_accounts t on t.account_sid = 'ACb' || lpad(to_hex(n), 31, '0')`;
  });
  await sql`analyze public.phone_numbers, public.whatsapp_channels, public.twilio_accounts`;
}

async function measure(name: string, lookup: (n: number) => Promise<{ routable: boolean }>) {
  const times: number[] = [];
  for (let i = 0; i < lookups; i++) {
    const n = 1 + Math.floor(Math.random() * organisations);
    const t = performance.now();
    const route = await lookup(n);
    times.push(performance.now() - t);
    if (!route.routable) throw new Error(`${name}: organisation ${n} did not route`);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(34)} p50 ${percentile(times, 0.5).toFixed(3)} ms   p95 ${
      percentile(times, 0.95).toFixed(3)
    } ms   (${lookups} lookups)`,
  );
}

try {
  await seed();
  console.log(`routing benchmark: ${organisations} organisations, database ${new URL(dbUrl).host}`);
  await measure(
    "voice (called number)",
    (n) => routeVoiceCall(sql, `+4470${String(n).padStart(8, "0")}`),
  );
  await measure(
    "WhatsApp Cloud (phone_number_id)",
    (n) => routeMetaWhatsApp(sql, String(900000000000 + n)),
  );
  await measure(
    "Twilio WhatsApp (AccountSid + To)",
    (n) =>
      routeTwilioMessage(
        sql,
        `ACb${n.toString(16).padStart(31, "0")}`,
        `whatsapp:+4471${String(n).padStart(8, "0")}`,
      ),
  );
  const plan = await sql.unsafe(`explain analyze
    select p.id from public.phone_numbers p
    join public.twilio_accounts t on t.id = p.twilio_account_id
    join public.organisations o on o.id = p.organisation_id
    where p.e164 = '+447000000500' order by p.active desc limit 1`);
  console.log(`\nvoice lookup plan:\n${plan.map((r) => Object.values(r)[0]).join("\n")}`);
} finally {
  await sql`delete from public.organisations where slug like 'bench-routing-%'`;
  await sql.end();
}
