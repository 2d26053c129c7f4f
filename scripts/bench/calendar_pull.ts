// Pull from Google on a running stack with its Google sandbox: what the mirror costs availability,
// what the live re-check costs a booking, and how soon a staff event blocks its slot.
//
//   --db-url <url>        the stack's database (default: the dev stack's)
//   --api-url <url>       the same stack's API (default: the dev stack's)
//   --iterations <n>      availability calls per variant (default 200)
//   --bookings <n>        bookings per variant (default 40)
//   --runs <n>            staff events for the notification → blocked timing (default 20)
//
// 1. Availability (14 days, through the booking function with a member's JWT) for a clinic
//    whose calendar mirror holds 1,000 busy blocks (all in the 14 days asked, then spread over
//    the 60-day horizon), and for a clinic without Google; each also as our own work alone
//    (availability_inputs as the member in SQL, plus findSlots). The sandbox's request log is
//    read before and after: availability makes no Google call.
// 2. Booking through the booking function with the live re-check against the sandbox answering
//    events.list in 150 ms (an injected delay), and for a clinic without Google.
// 3. A staff event added through the sandbox's control API (which notifies the watch channel as
//    Google does) → the webhook → a pull job → the worker → the slot missing from availability.
//
// Every run makes fresh organisations (slugs bench-calendar-pull-*) and a fresh sandbox account,
// and removes its organisations at the end.
import postgres from "postgres";
import { SignJWT } from "jose";
import { addDays, localDateOf } from "../../supabase/functions/_shared/domain/opening_hours.ts";
import { findSlots, type SlotQuery } from "../../supabase/functions/_shared/domain/slots.ts";
import { type BusyEntries, busyRanges } from "../../supabase/functions/_shared/io/booking.ts";
import { connectCalendar, sandboxControl } from "../../supabase/tests/api/_google_sandbox.ts";
import { loadSecrets, stackConfig } from "../local-stack/config.ts";
import { countOption, devDatabaseUrl, option, summary } from "./_cli.ts";

const SLUG = "bench-calendar-pull";
const EMAIL_DOMAIN = "bench.frontdesk.invalid";
const ZONE = "Europe/London";
const BLOCKS = 1000;
const DAYS = 14;

const opts = {
  dbUrl: option("db-url", devDatabaseUrl),
  apiUrl: option("api-url", stackConfig("dev").apiUrl).replace(/\/+$/, ""),
  iterations: countOption("iterations", 200),
  bookings: countOption("bookings", 40),
  runs: countOption("runs", 20),
};
const secrets = await loadSecrets();
const sql = postgres(opts.dbUrl, { max: 4, onnotice: () => {} });
const tag = crypto.randomUUID().slice(0, 8);
const control = <T>(method: string, path: string, body?: unknown) =>
  sandboxControl<T>(opts.apiUrl, method, path, body);

// -------------------------------------------------------------------------------------------
// Data
// -------------------------------------------------------------------------------------------

interface Clinic {
  id: string;
  serviceId: string;
  practitionerId: string;
}

/** The owner every bench clinic shares, with a JWT as Auth would issue it. */
async function ownerToken(): Promise<{ id: string; jwt: string }> {
  const email = `calendar-pull-owner@${EMAIL_DOMAIN}`;
  const [user] = (await sql<{ id: string }[]>`select id from auth.users where email = ${email}`)
    .concat(
      await sql<{ id: string }[]>`
        insert into auth.users (instance_id, id, aud, role, email, encrypted_password,
          email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
          confirmation_token, recovery_token, email_change_token_new, email_change)
        select '00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated',
          'authenticated', ${email}, '', now(), '{"provider":"email","providers":["email"]}',
          '{}', now(), now(), '', '', '', ''
        where not exists (select from auth.users where email = ${email})
        returning id`,
    );
  const jwt = await new SignJWT({ role: "authenticated", email, aud: "authenticated" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(user.id)
    .setIssuedAt()
    .setExpirationTime("2h")
    .sign(new TextEncoder().encode(secrets.jwtSecret));
  return { id: user.id, jwt };
}

/** A clinic open 08:00–18:00 every day with a 30-minute service and its one practitioner. */
async function makeClinic(ownerId: string, name: string): Promise<Clinic> {
  return await sql.begin(async (tx) => {
    const [org] = await tx<{ id: string }[]>`
      insert into public.organisations (name, slug, timezone, languages, country)
      values (${`Bench calendar pull ${name}`}, ${`${SLUG}-${name}-${tag}`}, ${ZONE}, array['en'],
        'GB')
      returning id`;
    await tx`insert into public.organisation_members (organisation_id, user_id, role)
      values (${org.id}, ${ownerId}, 'owner')`;
    await tx`insert into public.working_hours (organisation_id, weekday, opens, closes)
      select ${org.id}, d, '08:00', '18:00' from generate_series(1, 7) d`;
    const [service] = await tx<{ id: string }[]>`
      insert into public.services (organisation_id, name, duration_minutes)
      values (${org.id}, 'Check-up', 30) returning id`;
    const [practitioner] = await tx<{ id: string }[]>`
      select id from public.practitioners where organisation_id = ${org.id}`;
    return { id: org.id, serviceId: service.id, practitionerId: practitioner.id };
  }) as Clinic;
}

let jwt = "";
async function booking<T>(body: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${opts.apiUrl}/functions/v1/booking`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${jwt}`,
      apikey: secrets.anonKey,
      "content-type": "application/json",
    },
    body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(`booking ${response.status}: ${JSON.stringify(answer)}`);
  return answer as T;
}

const today = localDateOf(ZONE, new Date());
const FROM = addDays(today, 2);

function availability(clinic: Clinic, from = FROM, to = addDays(FROM, DAYS - 1)) {
  return booking<{ slots: { start: string }[] }>({
    action: "availability",
    organisationId: clinic.id,
    serviceId: clinic.serviceId,
    from,
    to,
    limit: 200,
  });
}

async function timed(n: number, call: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await call(i);
    samples.push(performance.now() - started);
  }
  return samples;
}

/** The sandbox's request log position (its last sequence number). */
async function googleRequestSeq(): Promise<number> {
  return (await control<{ seq: number }[]>("GET", "/requests")).at(-1)?.seq ?? 0;
}

/**
 * Connects the clinic in the table only (no tokens: the jobs connecting enqueues fail without
 * touching the mirror) and, once those ran, mirrors BLOCKS 10-minute staff events spread over
 * `spreadDays` days from FROM, at all hours (as staff calendars hold evenings and weekends).
 */
async function mirror(clinic: Clinic, spreadDays: number) {
  const calendar = `bench-${tag}-${spreadDays}@sandbox.test`;
  await sql`
    insert into public.calendar_connections (organisation_id, account_email, calendar_id, status)
    values (${clinic.id}, ${calendar}, ${calendar}, 'active')`;
  for (const deadline = Date.now() + 30_000;;) {
    const [{ waiting }] = await sql<{ waiting: number }[]>`
      select count(*)::int as waiting from private.jobs
      where organisation_id = ${clinic.id} and status in ('pending', 'running')
        and attempts = 0`;
    if (waiting === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await sql`
    insert into public.calendar_busy_blocks (organisation_id, calendar_id, event_id, starts_at,
      ends_at)
    select ${clinic.id}, ${calendar}, 'staff' || k, s, s + interval '10 minutes'
    from generate_series(1, ${BLOCKS}::int) k,
      lateral (select (${FROM}::date + (k % ${spreadDays}))::timestamp at time zone ${ZONE}
        + make_interval(mins => (k * 137) % 1440) as s) t`;
  await sql`analyze public.calendar_busy_blocks`;
}

/** Availability through the function, its SQL as the member and findSlots; Google asked? */
async function availabilityFigures(clinic: Clinic) {
  const to = addDays(FROM, DAYS - 1);
  const claims = JSON.stringify({ sub: owner.id, role: "authenticated" });
  const inputs = () =>
    sql.begin(async (tx) => {
      await tx`select set_config('role', 'authenticated', true),
        set_config('request.jwt.claims', ${claims}, true)`;
      const [{ inputs }] = await tx<{ inputs: RawInputs }[]>`
        select public.availability_inputs(${clinic.id}, ${clinic.serviceId}, ${FROM}, ${to})
          as inputs`;
      return inputs;
    });
  for (let i = 0; i < 10; i++) await availability(clinic); // warm the function and plans
  const before = await googleRequestSeq();
  const whole = await timed(opts.iterations, () => availability(clinic));
  const after = await googleRequestSeq();
  const raw = await inputs();
  const query = await timed(opts.iterations, inputs);
  let free = 0;
  const finder = await timed(opts.iterations, () => {
    free = findSlots({
      ...raw,
      now: Date.now(),
      from: FROM,
      to,
      busy: busyRanges(raw.busy),
    }).length;
    return Promise.resolve();
  });
  const own = query.map((q, i) => q + finder[i]);
  const counted = busyRanges(raw.busy).length;
  console.log(`     booking function       ${summary(whole)}`);
  console.log(`     our own work (SQL+find) ${summary(own)}`);
  console.log(`       availability_inputs  ${summary(query)}`);
  console.log(`       findSlots            ${summary(finder)}`);
  console.log(
    `     ${counted} busy ranges in the days asked (Google's merged), ${free} free slots; ` +
      `Google requests during the ${opts.iterations} calls: ${after - before}`,
  );
}

type RawInputs = Omit<SlotQuery, "now" | "from" | "to" | "busy"> & { busy: BusyEntries };

// -------------------------------------------------------------------------------------------

const owner = await ownerToken();
jwt = owner.jwt;

try {
  // 1. Availability with 1,000 mirrored busy blocks
  console.log(`\n1. Availability, ${DAYS} days, through the booking function (member JWT);`);
  console.log(`   our own work: availability_inputs as that member in SQL + findSlots`);
  for (const spreadDays of [DAYS, 60]) {
    const clinic = await makeClinic(owner.id, `mirror-${spreadDays}`);
    await mirror(clinic, spreadDays);
    console.log(`   ${BLOCKS} busy blocks over ${spreadDays} days:`);
    await availabilityFigures(clinic);
  }
  console.log(`   the same clinic without Google:`);
  await availabilityFigures(await makeClinic(owner.id, "unconnected"));

  // 2. Booking with the live re-check (sandbox events.list delayed 150 ms)
  const google = await makeClinic(owner.id, "google");
  const account = `bench-pull-${tag}@sandbox.test`;
  await control("POST", "/accounts", { email: account, timeZone: ZONE });
  await connectCalendar(opts.apiUrl, jwt, google.id, account);
  const watched = async () => {
    const [row] = await sql`select channel_id, last_pulled_at from private.calendar_pulls
      where organisation_id = ${google.id}`;
    return row?.channel_id && row.last_pulled_at;
  };
  for (const deadline = Date.now() + 30_000; !(await watched());) {
    if (Date.now() > deadline) throw new Error("the connected calendar was not watched/pulled");
    await new Promise((r) => setTimeout(r, 100));
  }
  const plain = await makeClinic(owner.id, "plain");
  // Each booking takes the first free time of a day of its own (no "taken" detours).
  const bookFirstFree = (clinic: Clinic) => async (i: number) => {
    const day = addDays(FROM, i);
    const { slots } = await availability(clinic, day, day);
    const started = performance.now();
    await booking({
      action: "book",
      organisationId: clinic.id,
      serviceId: clinic.serviceId,
      start: slots[0].start,
      phone: "+447911123456",
      name: "Bench Patient",
      source: "dashboard",
    });
    return performance.now() - started;
  };
  const bookingTimes = async (clinic: Clinic) => {
    const book = bookFirstFree(clinic);
    await book(opts.bookings); // warm-up, also the first token read
    const samples: number[] = [];
    for (let i = 0; i < opts.bookings; i++) samples.push(await book(i));
    return samples;
  };
  const { id: fault } = await control<{ id: string }>("POST", "/faults", {
    endpoint: "events.list",
    delayMs: 150,
    account,
  });
  let withRecheck: number[];
  try {
    withRecheck = await bookingTimes(google);
  } finally {
    await control("DELETE", `/faults/${fault}`);
  }
  const withoutGoogle = await bookingTimes(plain);
  console.log(`\n2. Booking through the booking function`);
  console.log(`   live re-check, sandbox answering in 150 ms: ${summary(withRecheck)}`);
  console.log(`   clinic without Google:                      ${summary(withoutGoogle)}`);

  // 3. Staff event → push notification → pull → slot blocked
  const latencies: number[] = [];
  const day = addDays(FROM, opts.bookings + 2);
  for (let i = 0; i < opts.runs; i++) {
    const { slots } = await availability(google, day, day);
    const target = slots[0].start;
    const end = new Date(Date.parse(target) + 30 * 60_000).toISOString();
    const started = performance.now();
    await control("POST", `/calendars/${encodeURIComponent(account)}/events`, {
      summary: "Staff",
      start: { dateTime: target },
      end: { dateTime: end },
    });
    for (const deadline = Date.now() + 30_000;;) {
      const now = await availability(google, day, day);
      if (!now.slots.some((s) => s.start === target)) break;
      if (Date.now() > deadline) throw new Error(`${target} was not blocked within 30 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
    latencies.push(performance.now() - started);
  }
  console.log(`\n3. Staff event added in Google → its slot gone from availability`);
  console.log(`   (notification → webhook → pull job → worker → mirror): ${summary(latencies)}`);
} finally {
  await sql`delete from public.organisations where slug like ${SLUG + "-%"}`;
  await sql.end();
}
