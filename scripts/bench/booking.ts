// Benchmark (not a test): is booking fast where it counts?
//
//   npx -y deno@2.9.6 run -A scripts/bench/booking.ts [options]
//
//   --db-url <url>        database to load and measure (default: the dev stack's)
//   --api-url <url>       the same stack's API (default: the dev stack's)
//   --service-key <jwt>   its service-role key (default: SUPABASE_SERVICE_ROLE_KEY, else the
//                         local stack's own)
//   --iterations <n>      availability requests to time (default 300)
//   --rounds <n>          races of 100 concurrent bookings, each for another slot (default 5)
//   --orgs <n>            organisations for the agenda comparison (default 1000)
//   --appointments <n>    appointments per organisation there (default 1000)
//   --agenda-runs <n>     timed agenda queries per role (default 2000)
//   --fresh               regenerate the data even if a matching data set is there
//   --clean               remove the generated data and exit
//   --allow-remote        needed for a database that is not on this machine
//
// 1. Availability: one organisation with 5 practitioners and 3,000 appointments (half past,
//    half in the next 60 days); the booking operations' checkAvailability for 14 days, as the
//    assistants call it (service role, through the API: the availability_inputs round trip and
//    findSlots), and each part alone.
// 2. A race: 100 concurrent book() calls for one slot of that organisation; outcomes and latency.
// 3. The agenda for a week (what the Appointments page reads: appointments with practitioner,
//    service and contact names) under RLS as a member vs as service_role with the explicit
//    filter, at 1,000 organisations × 1,000 appointments, the SQL PostgREST runs, as in
//    rls_membership.ts.
//
// Generated rows are tagged (slugs `bench-booking-…`, addresses `…@bench-booking.frontdesk.invalid`)
// so a rerun reuses them and --clean removes exactly them.
import { createClient } from "@supabase/supabase-js";
import postgres from "postgres";
import type { Database } from "../../supabase/functions/_shared/database.types.ts";
import { findSlots } from "../../supabase/functions/_shared/domain/slots.ts";
import { addDays, localDateOf } from "../../supabase/functions/_shared/domain/opening_hours.ts";
import {
  book,
  busyRanges,
  checkAvailability,
} from "../../supabase/functions/_shared/io/booking.ts";
import { stackConfig } from "../local-stack/config.ts";
import {
  countOption,
  devDatabaseUrl,
  option,
  percentile,
  refuseRemote,
  serviceKeyOption,
  summary,
} from "./_cli.ts";

const EMAIL_DOMAIN = "bench-booking.frontdesk.invalid";
const SLUG = "bench-booking";
const ZONE = "Europe/London";
const RACE = 100;

const opts = {
  dbUrl: option("db-url", devDatabaseUrl),
  apiUrl: option("api-url", stackConfig("dev").apiUrl),
  serviceKey: await serviceKeyOption(),
  iterations: countOption("iterations", 300),
  rounds: countOption("rounds", 5),
  orgs: countOption("orgs", 1000),
  appointments: countOption("appointments", 1000),
  agendaRuns: countOption("agenda-runs", 2000),
  fresh: Deno.args.includes("--fresh"),
  clean: Deno.args.includes("--clean"),
};
refuseRemote(opts.dbUrl);

const sql = postgres(opts.dbUrl, { max: 4, onnotice: () => {} });
const db = createClient<Database>(opts.apiUrl, opts.serviceKey, {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
});

const elapsed = (started: number) => `${((performance.now() - started) / 1000).toFixed(1)} s`;

async function clean() {
  const started = performance.now();
  await sql`delete from public.organisations where slug like ${SLUG + "-%"}`;
  await sql`delete from auth.users where email like ${"%@" + EMAIL_DOMAIN}`;
  console.log(`removed the generated data (${elapsed(started)})`);
}

// -------------------------------------------------------------------------------------------
// Data
// -------------------------------------------------------------------------------------------

/**
 * `orgs` organisations (the first is the availability one), each open 08:00–18:00 Monday to
 * Saturday with one 30-minute service (10 minutes after) and appointments for its
 * practitioners, half in the past (completed) and half ahead (booked), five a day each at
 * 09:00, 10:30, 12:00, 13:30 and 15:00. The availability organisation gets 5 practitioners and
 * 3,000 appointments (60 days either way); each of the others one practitioner and
 * `--appointments`.
 */
async function generate(orgs: number) {
  const started = performance.now();
  await sql.begin(async (tx) => {
    await tx`create temporary table bench_orgs on commit drop as
      select n, gen_random_uuid() as id, gen_random_uuid() as owner_id,
        gen_random_uuid() as service_id, case when n = 1 then 5 else 1 end as practitioners
      from generate_series(1, ${orgs}::int) n`;
    await tx`insert into public.organisations (id, name, slug, timezone, languages, country)
      select id, 'Bench Booking ' || n, ${SLUG} || '-' || n, ${ZONE}, array['en'], 'GB'
      from bench_orgs`;
    await tx`
      insert into auth.users (
        instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
        raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
        confirmation_token, recovery_token, email_change_token_new, email_change
      )
      select '00000000-0000-0000-0000-000000000000', owner_id, 'authenticated', 'authenticated',
        'owner-' || n || '@' || ${EMAIL_DOMAIN}, '', now(),
        '{"provider":"email","providers":["email"]}', '{}', now(), now(), '', '', '', ''
      from bench_orgs`;
    await tx`insert into public.organisation_members (organisation_id, user_id, role)
      select id, owner_id, 'owner' from bench_orgs`;
    await tx`insert into public.working_hours (organisation_id, weekday, opens, closes)
      select id, d, '08:00', '18:00' from bench_orgs cross join generate_series(1, 6) d`;
    // Each organisation came with one practitioner; the availability one gets four more.
    await tx`insert into public.practitioners (organisation_id, display_name, position)
      select id, 'Practitioner ' || k, k from bench_orgs cross join generate_series(2, 5) k
      where practitioners = 5`;
    await tx`insert into public.services (id, organisation_id, name, duration_minutes,
        buffer_after_minutes)
      select service_id, id, 'Check-up', 30, 10 from bench_orgs`;
    await tx`insert into public.contacts (organisation_id, name, phone)
      select id, 'Patient ' || k, '+447911' || lpad((n * 100 + k)::text, 6, '0')
      from bench_orgs cross join generate_series(0, 99) k`;
  });
  // One statement per organisation: the clash check in the appointments' trigger is planned
  // once per statement, and a plan made while the table was small would scan it for every row.
  const ids = await sql<{ id: string }[]>`
    select o.id from public.organisations o where o.slug like ${SLUG + "-%"}
    order by (substring(o.slug from '[0-9]+$'))::int`;
  for (const [i, { id }] of ids.entries()) {
    await insertAppointments(id);
    if (i === 0) await sql`analyze public.appointments`;
    if ((i + 1) % 100 === 0) {
      console.log(`  appointments of ${i + 1} organisations (${elapsed(started)})`);
    }
  }
  await sql`analyze public.organisations, public.organisation_members, public.practitioners,
    public.services, public.contacts, public.appointments`;
  console.log(`generated ${orgs} organisations and their appointments (${elapsed(started)})`);
}

/**
 * An organisation's appointments: appointment k goes to practitioner k % p, slot (k / p) % 5 of
 * a day, day k / p / 5 counted alternately forward from tomorrow and back from yesterday.
 */
async function insertAppointments(organisationId: string) {
  await sql`
    with p as (
      select array_agg(pr.id order by pr.position, pr.id) as ids, count(*)::int as n
      from public.practitioners pr where pr.organisation_id = ${organisationId}
    ), c as (
      select array_agg(id) as ids from public.contacts where organisation_id = ${organisationId}
    ), a as (
      select k, (k / p.n / 5) as day_index, (k / p.n) % 5 as slot
      from p cross join generate_series(0, case when p.n = 5 then 3000
        else ${opts.appointments}::int end - 1) k
    ), t as (
      select a.*, ((current_date + case when day_index % 2 = 0 then 1 + day_index / 2
          else -1 - day_index / 2 end)::timestamp
        + make_interval(mins => 540 + slot * 90)) at time zone ${ZONE} as starts_at
      from a
    )
    insert into public.appointments (organisation_id, practitioner_id, service_id, contact_id,
      starts_at, ends_at, status, source)
    select ${organisationId}, p.ids[1 + k % p.n],
      (select s.id from public.services s where s.organisation_id = ${organisationId}),
      c.ids[1 + k % array_length(c.ids, 1)], starts_at, starts_at + interval '30 minutes',
      case when starts_at < now() then 'completed' else 'booked' end::public.appointment_status,
      'dashboard'
    from t cross join p cross join c`;
}

async function present(): Promise<{ orgs: number; appointments: number }> {
  const [row] = await sql`
    select count(distinct o.id)::int as orgs, count(a.id)::int as appointments
    from public.organisations o left join public.appointments a on a.organisation_id = o.id
    where o.slug like ${SLUG + "-%"}`;
  return row as unknown as { orgs: number; appointments: number };
}

// -------------------------------------------------------------------------------------------
// 1. Availability for 14 days
// -------------------------------------------------------------------------------------------

async function availability(organisationId: string, serviceId: string) {
  const from = localDateOf(ZONE, new Date());
  const to = addDays(from, 13);
  const request = { organisationId, serviceId, from, to, limit: 200 };
  const whole: number[] = [];
  const rpc: number[] = [];
  const finder: number[] = [];
  let slots = 0;
  await checkAvailability(db, request); // warm the connection and plans
  for (let i = 0; i < opts.iterations; i++) {
    let started = performance.now();
    slots = (await checkAvailability(db, request)).slots.length;
    whole.push(performance.now() - started);

    started = performance.now();
    const { data, error } = await db.rpc("availability_inputs", {
      organisation_id: organisationId,
      service_id: serviceId,
      from_date: from,
      to_date: to,
    });
    rpc.push(performance.now() - started);
    if (error) throw new Error(`availability_inputs: ${error.message}`);

    // deno-lint-ignore no-explicit-any
    const raw = data as any;
    started = performance.now();
    findSlots({
      ...raw,
      now: Date.now(),
      from,
      to,
      busy: busyRanges(raw.busy),
    });
    finder.push(performance.now() - started);
  }
  const [busy] = await sql`select count(*)::int as n from public.appointments
    where organisation_id = ${organisationId} and status = 'booked'
      and starts_at < now() + interval '15 days'`;
  console.log(
    `\n1. Availability for 14 days (${from} … ${to}), 5 practitioners, 3,000 appointments`,
  );
  console.log(`   (${busy.n} booked in the range; ${slots} free slots, up to 200 returned)`);
  console.log(`   checkAvailability (API round trip + findSlots)  ${summary(whole)}`);
  console.log(`   availability_inputs RPC alone                   ${summary(rpc)}`);
  console.log(`   findSlots alone                                 ${summary(finder)}`);
}

// -------------------------------------------------------------------------------------------
// 2. 100 concurrent bookings of one slot
// -------------------------------------------------------------------------------------------

async function race(organisationId: string, serviceId: string) {
  console.log(`\n2. ${RACE} concurrent book() calls for one slot (service role through the API)`);
  const latencies: number[] = [];
  let round = 0;
  // Free times of one practitioner well ahead, one per round; a rerun finds others.
  const [practitioner] = await sql`select id from public.practitioners
    where organisation_id = ${organisationId} order by position, id limit 1`;
  const from = addDays(localDateOf(ZONE, new Date()), 20);
  const { slots } = await checkAvailability(db, {
    organisationId,
    serviceId,
    practitionerId: practitioner.id,
    from,
    to: addDays(from, 6),
    limit: 200,
  });
  for (const slot of slots.filter((_, i) => i % 7 === 0).slice(0, opts.rounds)) {
    round++;
    const outcomes = { booked: 0, taken: 0, failed: 0 };
    const reasons = new Set<string>();
    const attempts = Array.from({ length: RACE }, async (_, i) => {
      const started = performance.now();
      try {
        const result = await book(db, {
          organisationId,
          slotId: slot.slotId,
          phone: `+4479111${50000 + round * 1000 + i}`,
          name: `Racer ${round}-${i}`,
          source: "voice",
        });
        outcomes[result.status]++;
      } catch (error) {
        outcomes.failed++;
        reasons.add(error instanceof Error ? error.message : String(error));
      }
      latencies.push(performance.now() - started);
    });
    await Promise.all(attempts);
    const [rows] = await sql`select count(*)::int as n from public.appointments
      where organisation_id = ${organisationId} and status = 'booked'
        and starts_at = ${slot.start}::timestamptz`;
    console.log(
      `   round ${round} (${slot.label}): ` +
        `booked ${outcomes.booked}, taken ${outcomes.taken}, failed ${outcomes.failed}; ` +
        `booked rows at that time ${rows.n}`,
    );
    for (const reason of reasons) console.log(`     failed: ${reason}`);
  }
  console.log(`   latency of every call                           ${summary(latencies)}`);
  // For comparison: one booking at a time (other free slots of the same week).
  const alone: number[] = [];
  for (const [i, slot] of slots.filter((_, i) => i % 7 === 3).slice(0, 20).entries()) {
    const started = performance.now();
    await book(db, {
      organisationId,
      slotId: slot.slotId,
      phone: `+4479111${60000 + i}`,
      name: `Alone ${i}`,
      source: "voice",
    });
    alone.push(performance.now() - started);
  }
  console.log(`   one booking at a time, for comparison           ${summary(alone)}`);
}

// -------------------------------------------------------------------------------------------
// 3. The week's agenda under RLS vs service role
// -------------------------------------------------------------------------------------------

// The Appointments page's read, as PostgREST runs it: names embedded (to-one, lateral), json.
const AGENDA = `
  select coalesce(json_agg(_postgrest_t), '[]') as body, count(*) as rows from (
    select a.id, a.starts_at, a.ends_at, a.status, a.source, a.practitioner_id, a.service_id,
      a.contact_id, a.cancellation_reason,
      row_to_json(p_1.*) as practitioner, row_to_json(s_1.*) as service,
      row_to_json(c_1.*) as contact
    from public.appointments a
    left join lateral (select p.display_name from public.practitioners p
      where p.id = a.practitioner_id) p_1 on true
    left join lateral (select s.name from public.services s where s.id = a.service_id) s_1 on true
    left join lateral (select c.id, c.name, c.phone from public.contacts c
      where c.id = a.contact_id) c_1 on true
    where a.organisation_id = $1 and a.starts_at >= $2 and a.starts_at < $3
    order by a.starts_at
  ) _postgrest_t`;

type Role = "authenticated" | "service_role";

async function agendaOnce(role: Role, userId: string, orgId: string, from: Date, to: Date) {
  return await sql.begin(async (tx) => {
    await tx.unsafe(`set local role ${role}`);
    const claims = role === "authenticated"
      ? { sub: userId, role, aud: "authenticated" }
      : { role };
    await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
    const started = performance.now();
    const [row] = await tx.unsafe(AGENDA, [orgId, from.toISOString(), to.toISOString()], {
      prepare: true,
    });
    return { ms: performance.now() - started, rows: Number(row.rows) };
  }) as { ms: number; rows: number };
}

async function agenda() {
  const subjects = await sql<{ org: string; owner: string }[]>`
    select o.id as org, m.user_id as owner from public.organisations o
    join public.organisation_members m on m.organisation_id = o.id and m.role = 'owner'
    where o.slug like ${SLUG + "-%"} and o.slug <> ${SLUG + "-1"}`;
  const monday = new Date();
  monday.setUTCHours(0, 0, 0, 0);
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  const sunday = new Date(monday.getTime() + 7 * 86_400_000);
  const times: Record<Role, number[]> = { authenticated: [], service_role: [] };
  let rows = 0;
  let differ = 0;
  for (let i = 0; i < opts.agendaRuns; i++) {
    const s = subjects[Math.floor(Math.random() * subjects.length)];
    // Alternate which role goes first so neither always gets a warmer cache.
    const order: Role[] = i % 2
      ? ["authenticated", "service_role"]
      : ["service_role", "authenticated"];
    const results: Partial<Record<Role, { ms: number; rows: number }>> = {};
    for (const role of order) {
      results[role] = await agendaOnce(role, s.owner, s.org, monday, sunday);
    }
    times.authenticated.push(results.authenticated!.ms);
    times.service_role.push(results.service_role!.ms);
    rows += results.authenticated!.rows;
    if (results.authenticated!.rows !== results.service_role!.rows) differ++;
  }
  const p = (role: Role, q: number) => percentile([...times[role]].sort((a, b) => a - b), q);
  const [total] = await sql`select count(*)::int as n from public.appointments a
    join public.organisations o on o.id = a.organisation_id where o.slug like ${SLUG + "-%"}`;
  console.log(
    `\n3. The week's agenda (${monday.toISOString().slice(0, 10)} …), ${subjects.length} ` +
      `organisations, ${total.n} appointments; ${opts.agendaRuns} runs per role, random organisation`,
  );
  console.log(`   under RLS (authenticated owner)                 ${summary(times.authenticated)}`);
  console.log(`   service_role, explicit filter                   ${summary(times.service_role)}`);
  console.log(
    `   ratio RLS / service role: p50 ${
      (p("authenticated", 0.5) / p("service_role", 0.5)).toFixed(2)
    }, ` +
      `p95 ${(p("authenticated", 0.95) / p("service_role", 0.95)).toFixed(2)}; ` +
      `${(rows / opts.agendaRuns).toFixed(0)} rows on average; row counts differed ${differ} times`,
  );
  const plan = await sql.begin(async (tx) => {
    const s = subjects[0];
    await tx.unsafe(`set local role authenticated`);
    await tx`select set_config('request.jwt.claims', ${
      JSON.stringify({ sub: s.owner, role: "authenticated" })
    }, true)`;
    return await tx.unsafe(`explain (analyze, costs off, timing off) ${AGENDA}`, [
      s.org,
      monday.toISOString(),
      sunday.toISOString(),
    ]);
  });
  console.log("   EXPLAIN ANALYZE under RLS:");
  for (const line of plan) console.log(`     ${line["QUERY PLAN"]}`);
}

// -------------------------------------------------------------------------------------------

try {
  if (opts.clean) {
    await clean();
  } else {
    const have = await present();
    const want = 3000 + (opts.orgs - 1) * opts.appointments;
    if (opts.fresh || have.orgs !== opts.orgs || have.appointments < want) {
      if (have.orgs) await clean();
      await generate(opts.orgs);
    } else {
      console.log(`reusing ${have.orgs} organisations with ${have.appointments} appointments`);
    }
    const [first] = await sql<{ org: string; service: string }[]>`
      select o.id as org, s.id as service from public.organisations o
      join public.services s on s.organisation_id = o.id where o.slug = ${SLUG + "-1"}`;
    await availability(first.org, first.service);
    await race(first.org, first.service);
    await agenda();
  }
} finally {
  await sql.end();
}
