// Benchmark (not a test): how many appointment pushes per second does the worker get through
// when Google answers every insert in 50 ms?
//
//   npx -y deno@2.9.6 run -A scripts/bench/calendar_push.ts [options]
//
//   --db-url <url>        the stack's database (default: the dev stack's)
//   --api-url <url>       the same stack's API (default: the dev stack's)
//   --service-key <jwt>   its service-role key (default: SUPABASE_SERVICE_ROLE_KEY, else the
//                         local stack's own)
//   --functions-env <f>   the functions' env file, for the sandbox's OAuth client (default: the
//                         dev stack's)
//   --jobs <n>            appointments to push (default 500)
//   --orgs <n>            clinics they are spread over, each with its own Google account (10)
//   --delay-ms <n>        the sandbox's delay on events.insert (default 50)
//   --workers <list>      concurrent worker invocations to measure, comma-separated (1,4)
//   --clean               remove the generated clinics and exit
//   --allow-remote        needed for a database that is not on this machine
//
// Each clinic is connected to a sandbox account of its own (consent page + code exchange, the
// refresh token stored as the OAuth callback stores it), so tokens are refreshed per clinic as
// in production. Per round, `--jobs` appointments are booked with their push jobs held back,
// then released at once; the worker function is POSTed by `--workers` concurrent callers until
// every appointment is synced (the wake and pg_cron may join in, as they would). Printed: jobs
// per second, and when each appointment was synced after the release (p50/p95).
import postgres from "postgres";
import { googleConfig } from "../../supabase/functions/_shared/google/config.ts";
import { authorizationUrl, exchangeCode } from "../../supabase/functions/_shared/google/oauth.ts";
import { allowConsent, sandboxControl } from "../../supabase/tests/api/_google_sandbox.ts";
import { runWorker } from "../../supabase/tests/api/_worker.ts";
import { stackConfig } from "../local-stack/config.ts";
import { functionsEnvFile } from "../local-stack/stack.ts";
import {
  countOption,
  devDatabaseUrl,
  option,
  percentile,
  refuseRemote,
  serviceKeyOption,
} from "./_cli.ts";

const SLUG = "bench-push";
const ZONE = "Europe/London";

const opts = {
  dbUrl: option("db-url", devDatabaseUrl),
  apiUrl: option("api-url", stackConfig("dev").apiUrl).replace(/\/+$/, ""),
  serviceKey: await serviceKeyOption(),
  functionsEnv: option("functions-env", functionsEnvFile(stackConfig("dev"))),
  jobs: countOption("jobs", 500),
  orgs: countOption("orgs", 10),
  delayMs: countOption("delay-ms", 50),
  workers: option("workers", "1,4").split(",").map(Number),
  clean: Deno.args.includes("--clean"),
};
refuseRemote(opts.dbUrl);

const sql = postgres(opts.dbUrl, { max: 4, onnotice: () => {} });
const ms = (v: number) => `${v.toFixed(0)} ms`;

async function clean() {
  await sql`delete from public.organisations where slug like ${SLUG + "-%"}`;
  console.log("removed the generated clinics (their sandbox accounts go with the stack)");
}

/** The sandbox's OAuth client, as the functions are configured. */
async function oauthConfig() {
  const env = new Map(
    (await Deno.readTextFile(opts.functionsEnv)).split("\n")
      .map((line) => line.match(/^([A-Z_]+)=(.*)$/))
      .filter((m) => m !== null)
      .map((m) => [m![1], m![2].replace(/^"(.*)"$/, "$1")]),
  );
  env.set("SUPABASE_URL", opts.apiUrl);
  // The functions reach the sandbox through the gateway too; the bench from outside.
  const config = googleConfig((name) => env.get(name));
  const local = (url: string) => url.replace(/^https?:\/\/[^/]+/, opts.apiUrl);
  return {
    ...config,
    oauthBaseUrl: local(config.oauthBaseUrl),
    tokenBaseUrl: local(config.tokenBaseUrl),
  };
}

/** `orgs` clinics, each connected to a fresh sandbox account, with a service and a patient. */
async function generate(run: string) {
  const config = await oauthConfig();
  const clinics: { id: string; practitionerId: string; serviceId: string; contactId: string }[] =
    [];
  for (let n = 1; n <= opts.orgs; n++) {
    const account = `bench-push-${run}-${n}@sandbox.test`;
    await sandboxControl(opts.apiUrl, "POST", "/accounts", { email: account, timeZone: ZONE });
    const redirect = new URL(
      await allowConsent(authorizationUrl("bench", account, config), account),
    );
    const tokens = await exchangeCode(redirect.searchParams.get("code")!, config);
    const clinic = await sql.begin(async (tx) => {
      const [org] = await tx<{ id: string }[]>`
        insert into public.organisations (name, slug, timezone, languages, country)
        values (${"Bench Push " + n}, ${`${SLUG}-${run}-${n}`}, ${ZONE}, array['en'], 'GB')
        returning id`;
      const [practitioner] = await tx<{ id: string }[]>`
        select id from public.practitioners where organisation_id = ${org.id}`;
      const [service] = await tx<{ id: string }[]>`
        insert into public.services (organisation_id, name, duration_minutes)
        values (${org.id}, 'Check-up', 30) returning id`;
      const [contact] = await tx<{ id: string }[]>`
        insert into public.contacts (organisation_id, name, phone)
        values (${org.id}, 'Patient', ${"+447700" + String(900000 + n)}) returning id`;
      // As the OAuth callback stores a connection (no appointments yet: nothing to enqueue).
      const [connection] = await tx<{ id: string }[]>`
        insert into public.calendar_connections (organisation_id, account_email, calendar_id, status)
        values (${org.id}, ${account}, ${account}, 'active') returning id`;
      await tx`select private.store_credential(${connection.id}, 'google_refresh_token',
        ${tokens.refresh_token!}, 'bench-push')`;
      return {
        id: org.id,
        practitionerId: practitioner.id,
        serviceId: service.id,
        contactId: contact.id,
      };
    });
    clinics.push(clinic);
  }
  return clinics;
}

/** Books `jobs` appointments over the clinics, their pushes held back; answers their ids. */
async function book(clinics: Awaited<ReturnType<typeof generate>>, round: number) {
  const ids: string[] = [];
  const perClinic = Math.ceil(opts.jobs / clinics.length);
  await sql.begin(async (tx) => {
    for (const [i, clinic] of clinics.entries()) {
      const n = Math.min(perClinic, opts.jobs - i * perClinic);
      if (n <= 0) break;
      // Hourly from tomorrow, each round a month later, so no two ever overlap.
      const booked = await tx<{ id: string }[]>`
        insert into public.appointments (organisation_id, practitioner_id, service_id, contact_id,
          starts_at, ends_at)
        select ${clinic.id}, ${clinic.practitionerId}, ${clinic.serviceId}, ${clinic.contactId},
          t, t + interval '30 minutes'
        from (select date_trunc('day', now()) + interval '1 day' + ${round} * interval '30 days'
                + k * interval '1 hour' as t
              from generate_series(0, ${n - 1}::int) k) s
        returning id`;
      ids.push(...booked.map((b) => b.id));
    }
    // Held back until the clock starts (the wake this transaction sends finds nothing due).
    await tx`update private.jobs set run_after = now() + interval '1 day'
      where kind = 'google.push_appointment' and status = 'pending'
        and dedupe_key = any(${ids}::text[])`;
  });
  return ids;
}

async function measure(ids: string[], workers: number) {
  const [{ released }] = await sql<{ released: Date }[]>`
    update private.jobs set run_after = now()
    where kind = 'google.push_appointment' and status = 'pending'
      and dedupe_key = any(${ids}::text[])
    returning now() as released`;
  const started = performance.now();
  let remaining = ids.length;
  const caller = async () => {
    while (remaining > 0) {
      await runWorker(opts.apiUrl, opts.serviceKey);
      const [{ left }] = await sql<{ left: number }[]>`
        select count(*)::int as left from public.appointments
        where id = any(${ids}::uuid[]) and calendar_sync is distinct from 'synced'`;
      remaining = left;
    }
  };
  await Promise.all(Array.from({ length: workers }, caller));
  const seconds = (performance.now() - started) / 1000;
  const rows = await sql<{ after: number }[]>`
    select extract(epoch from calendar_synced_at - ${released}::timestamptz) * 1000 as after
    from public.appointments where id = any(${ids}::uuid[]) order by 1`;
  const after = rows.map((r) => Number(r.after));
  const [{ failed }] = await sql<{ failed: number }[]>`
    select count(*)::int as failed from private.jobs
    where kind = 'google.push_appointment' and dedupe_key = any(${ids}::text[])
      and (attempts > 1 or status = 'dead')`;
  console.log(
    `${workers} worker caller(s): ${ids.length} pushes in ${seconds.toFixed(1)} s = ` +
      `${(ids.length / seconds).toFixed(1)} jobs/s; synced after release p50 ` +
      `${ms(percentile(after, 0.5))} p95 ${ms(percentile(after, 0.95))}; ` +
      `jobs retried or dead: ${failed}`,
  );
}

if (opts.clean) {
  await clean();
} else {
  const run = crypto.randomUUID().slice(0, 8);
  console.log(
    `${opts.orgs} clinics, ${opts.jobs} appointments per round, sandbox events.insert delayed ` +
      `${opts.delayMs} ms; worker callers: ${opts.workers.join(", ")}`,
  );
  const clinics = await generate(run);
  const { id: fault } = await sandboxControl<{ id: string }>(opts.apiUrl, "POST", "/faults", {
    endpoint: "events.insert",
    delayMs: opts.delayMs,
  });
  try {
    for (const [round, workers] of opts.workers.entries()) {
      await measure(await book(clinics, round), workers);
    }
  } finally {
    await sandboxControl(opts.apiUrl, "DELETE", `/faults/${fault}`);
    await clean();
  }
}
await sql.end();
