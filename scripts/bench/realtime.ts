// Benchmark (not a test): how long a new message takes from its insert (committed) to the
// callback of a supabase-js postgres_changes subscriber, as the inbox receives it. A Northside
// member subscribes to messages; the bench inserts one message at a time (as service code
// does) and waits for it, `--events` times, with a busy Riverside member subscribed too.
//
//   npx -y deno@2.9.6 run -A scripts/bench/realtime.ts [--events 100] [--gap-ms 50]
//
// Default: the dev stack (`deno task dev`, FRONTDESK_PORT_BASE honoured). Its rows go with the
// contact it creates, removed at the end.
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import postgres from "postgres";
import { loadSecrets, stackConfig } from "../local-stack/config.ts";
import { countOption, devDatabaseUrl, option, refuseRemote, summary } from "./_cli.ts";

const apiUrl = option("api-url", stackConfig("dev").apiUrl);
const dbUrl = option("db-url", devDatabaseUrl);
refuseRemote(apiUrl);
refuseRemote(dbUrl);
const events = countOption("events", 100);
const gapMs = Number(option("gap-ms", "50"));
const anonKey = option("anon-key", (await loadSecrets()).anonKey);

const NORTHSIDE = "10000000-0000-4000-8000-000000000001";
const NORTHSIDE_WHATSAPP = "70000000-0000-4000-8000-000000000001";
const sql = postgres(dbUrl, { max: 2, prepare: false, onnotice: () => {} });

async function member(email: string): Promise<SupabaseClient> {
  const client = createClient(apiUrl, anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  const { error } = await client.auth.signInWithPassword({ email, password: "frontdesk-demo" });
  if (error) throw new Error(`sign-in of ${email} failed: ${error.message}`);
  return client;
}

const arrivals = new Map<string, number>();
const north = await member("staff@northside.test");
const river = await member("owner@riverside.test");
for (const [client, record] of [[north, true], [river, false]] as const) {
  await new Promise<void>((resolve, reject) => {
    client.channel(`bench-${crypto.randomUUID()}`)
      .on("postgres_changes", { event: "INSERT", schema: "public", table: "messages" }, (p) => {
        if (record) arrivals.set(p.new.id as string, performance.now());
      })
      .subscribe((status, err) =>
        status === "SUBSCRIBED" ? resolve() : reject(err ?? new Error(status))
      );
  });
}

const [contact] = await sql`insert into public.contacts (organisation_id, name, phone)
  values (${NORTHSIDE}, 'Realtime bench', ${`+99966${Date.now() % 1e7}`}) returning id`;
const [conversation] = await sql`insert into public.conversations
    (organisation_id, channel, whatsapp_channel_id, contact_id)
  values (${NORTHSIDE}, 'whatsapp', ${NORTHSIDE_WHATSAPP}, ${contact.id}) returning id`;

const samples: number[] = [];
try {
  for (let i = 0; i < events; i++) {
    const [row] = await sql`insert into public.messages
        (organisation_id, conversation_id, direction, author, body)
      values (${NORTHSIDE}, ${conversation.id}, 'inbound', 'patient', ${`bench ${i}`})
      returning id`;
    const committed = performance.now();
    const deadline = committed + 5000;
    while (!arrivals.has(row.id) && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2));
    }
    if (!arrivals.has(row.id)) throw new Error(`message ${i} did not arrive within 5 s`);
    samples.push(arrivals.get(row.id)! - committed);
    await new Promise((r) => setTimeout(r, gapMs));
  }
  console.log(
    `insert → supabase-js callback (postgres_changes, RLS checked):  ${summary(samples)}`,
  );
} finally {
  await north.removeAllChannels();
  await river.removeAllChannels();
  await sql`delete from public.contacts where id = ${contact.id}`;
  await sql.end();
}
