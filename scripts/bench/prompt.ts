// Benchmark (not a test): building the assistant's prompt for the largest demo organisation,
// as the voice webhook does — configuration loaded from the database, then built per language.
//
//   npx -y deno@2.9.6 run -A scripts/bench/prompt.ts [--db-url URL] [--builds 2000]
import postgres from "postgres";
import { devDatabaseUrl, option, percentile } from "./_cli.ts";
import { buildPrompt } from "../../supabase/functions/_shared/domain/prompt.ts";
import { loadReceptionistConfig } from "../../supabase/functions/_shared/io/receptionist_config_store.ts";

const dbUrl = option("db-url", devDatabaseUrl);
const builds = Number(option("builds", "2000"));
const today = new Date().toISOString().slice(0, 10);

const sql = postgres(dbUrl, { max: 1, prepare: false, onnotice: () => {} });
try {
  // The largest configuration: most intents + FAQ entries + services.
  const [largest] = await sql<{ id: string; name: string }[]>`
    select o.id, o.name from public.organisations o
    order by (select count(*) from public.intents i where i.organisation_id = o.id)
           + (select count(*) from public.faq_entries f where f.organisation_id = o.id)
           + (select count(*) from public.services s where s.organisation_id = o.id) desc, o.name
    limit 1`;
  if (!largest) {
    throw new Error("No organisation in the database: start the stack with its seed first");
  }

  const loads: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await loadReceptionistConfig(sql, largest.id, today);
    loads.push(performance.now() - t);
  }
  loads.sort((a, b) => a - b);
  const config = (await loadReceptionistConfig(sql, largest.id, today))!;
  console.log(
    `prompt benchmark: ${largest.name} (${config.intents.length} intents, ${config.faq.length} FAQ entries, ${config.services.length} services)`,
  );
  console.log(
    `load configuration (1 query)   p50 ${percentile(loads, 0.5).toFixed(3)} ms   p95 ${
      percentile(loads, 0.95).toFixed(3)
    } ms`,
  );

  for (const language of config.organisation.languages) {
    for (const channel of ["voice", "whatsapp"] as const) {
      const times: number[] = [];
      let size = 0;
      for (let i = 0; i < builds; i++) {
        const t = performance.now();
        size = buildPrompt(config, language, { channel }).sizeChars;
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      console.log(
        `build ${language}/${channel.padEnd(8)}           p50 ${
          (percentile(times, 0.5) * 1000).toFixed(1)
        } µs   p95 ${(percentile(times, 0.95) * 1000).toFixed(1)} µs   ${size} characters`,
      );
    }
  }
} finally {
  await sql.end();
}
