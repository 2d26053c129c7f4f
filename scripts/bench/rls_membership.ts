// Benchmark (not a test): do the membership-filtered queries the dashboard makes stay fast under
// RLS with 1,000 organisations and 100,000 members?
//
//   npx -y deno@2.9.6 run -A scripts/bench/rls_membership.ts [options]
//
//   --db-url <url>      database to load and measure (default: the dev stack's)
//   --orgs <n>          organisations to generate (default 1000)
//   --members <n>       users, each a member of one organisation (default 100000)
//   --multi <n>         of those, how many also belong to a second organisation (default 1000)
//   --invitations <n>   invitations per organisation: half pending, the rest settled (default 10)
//   --iterations <n>    timed runs per query and role, each as another user (default 2000)
//   --fresh             regenerate the data even if a matching data set is there
//   --clean             remove the generated data and exit
//   --allow-remote      needed for a database that is not on this machine
//
// Generated rows are tagged (organisation slugs `bench-<n>`, addresses `…@bench.frontdesk.invalid`)
// so a rerun reuses them and --clean removes exactly them. Runs as `postgres`, then measures each
// query as PostgREST runs it: in a transaction, `set local role authenticated` plus the user's
// `request.jwt.claims`, against the same SQL as `service_role` (no RLS) with the explicit filter.
import postgres from "postgres";
import { devDatabaseUrl } from "./_cli.ts";

const EMAIL_DOMAIN = "bench.frontdesk.invalid";

function parseArgs(argv: string[]) {
  const opts = {
    dbUrl: devDatabaseUrl,
    orgs: 1000,
    members: 100_000,
    multi: 1000,
    invitations: 10,
    iterations: 2000,
    fresh: false,
    clean: false,
    allowRemote: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const count = () => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a whole number`);
      return n;
    };
    if (flag === "--db-url") opts.dbUrl = value();
    else if (flag === "--orgs") opts.orgs = count();
    else if (flag === "--members") opts.members = count();
    else if (flag === "--multi") opts.multi = count();
    else if (flag === "--invitations") opts.invitations = count();
    else if (flag === "--iterations") opts.iterations = count();
    else if (flag === "--fresh") opts.fresh = true;
    else if (flag === "--clean") opts.clean = true;
    else if (flag === "--allow-remote") opts.allowRemote = true;
    else throw new Error(`unknown option ${flag} (see the top of ${import.meta.url})`);
  }
  if (opts.orgs < 1 || opts.members < opts.orgs) {
    throw new Error("--members must be at least --orgs (every organisation gets an owner)");
  }
  if (opts.multi > opts.members || opts.orgs < 2 && opts.multi > 0) {
    throw new Error("--multi needs at least two organisations and at most --members users");
  }
  return opts;
}

const opts = parseArgs(Deno.args);
const host = new URL(opts.dbUrl).hostname;
if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host) && !opts.allowRemote) {
  console.error(`${host} is not this machine: pass --allow-remote to load test data into it.`);
  Deno.exit(2);
}

const sql = postgres(opts.dbUrl, { max: 1, onnotice: () => {} });

// -------------------------------------------------------------------------------------------
// Data
// -------------------------------------------------------------------------------------------

async function clean() {
  const started = performance.now();
  // Organisations first: an organisation refuses to lose its last owner while it exists.
  await sql`delete from public.organisations where slug like 'bench-%'`;
  await sql`delete from auth.users where email like ${"%@" + EMAIL_DOMAIN}`;
  console.log(`removed the generated data (${ms(performance.now() - started)})`);
}

async function present() {
  const [row] = await sql`
    select
      (select count(*) from public.organisations where slug like 'bench-%')::int as orgs,
      (select count(*) from auth.users where email like ${"bench-%@" + EMAIL_DOMAIN})::int as users,
      (select count(*) from public.organisation_members m
        join public.organisations o on o.id = m.organisation_id
        where o.slug like 'bench-%')::int as memberships,
      (select count(*) from public.organisation_invitations i
        join public.organisations o on o.id = i.organisation_id
        where o.slug like 'bench-%')::int as invitations`;
  return row as { orgs: number; users: number; memberships: number; invitations: number };
}

async function generate() {
  const { orgs, members, multi, invitations } = opts;
  const started = performance.now();
  await sql.begin(async (tx) => {
    await tx`create temporary table bench_orgs on commit drop as
      select n, gen_random_uuid() as id from generate_series(1, ${orgs}::int) n`;
    await tx`create temporary table bench_users on commit drop as
      select g, gen_random_uuid() as id from generate_series(1, ${members}::int) g`;
    await tx`
      insert into public.organisations (id, name, slug, timezone, languages, default_language)
      select id, 'Bench Clinic ' || n, 'bench-' || n,
        (array['Europe/London', 'Europe/Riga', 'America/New_York', 'Asia/Tokyo'])[1 + n % 4],
        case when n % 3 = 0 then array['en', 'ru'] else array['en'] end, 'en'
      from bench_orgs`;
    // As GoTrue stores a confirmed user; the triggers add the profile (and look for invitations).
    await tx`
      insert into auth.users (
        instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
        raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
        confirmation_token, recovery_token, email_change_token_new, email_change
      )
      select '00000000-0000-0000-0000-000000000000', id, 'authenticated', 'authenticated',
        'bench-' || g || '@' || ${EMAIL_DOMAIN}, '', now(),
        '{"provider":"email","providers":["email"]}',
        jsonb_build_object('display_name', 'Bench Person ' || g), now(), now(), '', '', '', ''
      from bench_users`;
    // User g joins organisation (g - 1) % orgs + 1; the first to join is its owner, the next
    // two are admins. The first `multi` users also belong to the organisation half-way round.
    await tx`
      insert into public.organisation_members (organisation_id, user_id, role)
      select o.id, u.id,
        case (u.g - 1) / ${orgs}::int when 0 then 'owner' when 1 then 'admin' when 2 then 'admin'
          else 'member' end::public.organisation_role
      from bench_users u join bench_orgs o on o.n = (u.g - 1) % ${orgs}::int + 1`;
    await tx`
      insert into public.organisation_members (organisation_id, user_id, role)
      select o.id, u.id, 'member'
      from bench_users u
      join bench_orgs o on o.n = (u.g - 1 + ${Math.floor(orgs / 2)}::int) % ${orgs}::int + 1
      where u.g <= ${multi}::int`;
    // Invitations: the first half pending, then accepted, revoked and expired ones.
    await tx`
      insert into public.organisation_invitations (
        organisation_id, email, role, token_hash, invited_by, expires_at, created_at,
        accepted_at, revoked_at
      )
      select o.id, 'invitee-' || o.n || '-' || k || '@' || ${EMAIL_DOMAIN},
        case when k % 4 = 0 then 'admin' else 'member' end::public.organisation_role,
        extensions.digest(gen_random_uuid()::text, 'sha256'), owner.id,
        case when k % 4 = 3 and k > ${invitations}::int / 2 then now() - interval '1 day'
          else now() + interval '7 days' - k * interval '1 hour' end,
        now() - k * interval '1 hour',
        case when k > ${invitations}::int / 2 and k % 4 = 1 then now() end,
        case when k > ${invitations}::int / 2 and k % 4 = 2 then now() end
      from bench_orgs o
      join bench_users owner on owner.g = o.n
      cross join generate_series(1, ${invitations}::int) k`;
  });
  await sql`analyze public.organisations, public.organisation_members,
    public.organisation_invitations, public.profiles, auth.users`;
  console.log(`generated the data set (${ms(performance.now() - started)})`);
}

// -------------------------------------------------------------------------------------------
// Queries: what the dashboard sends through PostgREST, as the SQL PostgREST runs for it
// -------------------------------------------------------------------------------------------

interface Subject {
  userId: string;
  email: string;
  orgId: string;
}

interface Query {
  name: string;
  /** The request the dashboard makes. */
  request: string;
  /** Parameters from the subject: the dashboard always filters explicitly, like here. */
  params: (s: Subject) => unknown[];
  sql: string;
  /** Subjects for this query: any member, or owners (who see invitations). */
  owners?: boolean;
  /** Same query as service_role, if it needs another filter than the RLS version. */
  serviceSql?: string;
  serviceParams?: (s: Subject) => unknown[];
}

/** Member ids per organisation, as the array literal the client's id=in.(…) list becomes. */
const teams = new Map<string, string>();

// PostgREST wraps the selection as json; the same wrapping here keeps the comparison honest.
const asJson = (inner: string) =>
  `select coalesce(json_agg(_postgrest_t), '[]') as body, count(*) as rows from (${inner}) _postgrest_t`;

const queries: Query[] = [
  {
    name: "my organisations",
    request:
      "GET organisation_members?select=role,organisation:organisations(id,name,slug,timezone,languages,default_language)&user_id=eq.<me>",
    params: (s) => [s.userId],
    sql: asJson(`
      select m.role, row_to_json(o_1.*) as organisation
      from public.organisation_members m
      left join lateral (
        select o.id, o.name, o.slug, o.timezone, o.languages, o.default_language
        from public.organisations o where o.id = m.organisation_id
      ) o_1 on true
      where m.user_id = $1`),
  },
  {
    name: "my organisations (RLS only)",
    request: "GET organisations?select=id,name,slug (no filter: RLS decides)",
    params: () => [],
    sql: asJson(`select o.id, o.name, o.slug from public.organisations o`),
    serviceSql: asJson(`
      select o.id, o.name, o.slug from public.organisations o
      where o.id in (select m.organisation_id from public.organisation_members m where m.user_id = $1)`),
    serviceParams: (s) => [s.userId],
  },
  {
    name: "team: members",
    request: "GET organisation_members?select=user_id,role&organisation_id=eq.<org>",
    params: (s) => [s.orgId],
    sql: asJson(`
      select m.user_id, m.role from public.organisation_members m where m.organisation_id = $1`),
  },
  {
    name: "team: their profiles",
    request: "GET profiles?select=id,display_name&id=in.(<the ids the previous request returned>)",
    params: (s) => [teams.get(s.orgId)],
    sql: asJson(`
      select p.id, p.display_name from public.profiles p where p.id = any ($1::uuid[])`),
  },
  {
    name: "team: members + profiles, embedded",
    request:
      "GET organisation_members?select=user_id,role,profiles(display_name)&organisation_id=eq.<org>",
    params: (s) => [s.orgId],
    // PostgREST's shape for a to-one embedding: a lateral subquery per member.
    sql: asJson(`
      select m.user_id, m.role, row_to_json(p_1.*) as profiles
      from public.organisation_members m
      left join lateral (
        select p.display_name from public.profiles p where p.id = m.user_id
      ) p_1 on true
      where m.organisation_id = $1`),
  },
  {
    name: "team: members joined with profiles",
    request: "one statement: organisation_members ⋈ profiles for <org> (as a view would run it)",
    params: (s) => [s.orgId],
    sql: asJson(`
      select m.user_id, m.role, p.display_name
      from public.organisation_members m
      join public.profiles p on p.id = m.user_id
      where m.organisation_id = $1`),
  },
  {
    name: "team: pending invitations (owner)",
    request:
      "GET organisation_invitations?select=id,email,role,expires_at&organisation_id=eq.<org>&accepted_at=is.null&revoked_at=is.null&expires_at=gt.<now>&order=created_at.desc",
    owners: true,
    params: (s) => [s.orgId],
    sql: asJson(`
      select i.id, i.email, i.role, i.expires_at from public.organisation_invitations i
      where i.organisation_id = $1 and i.accepted_at is null and i.revoked_at is null
        and i.expires_at > now()
      order by i.created_at desc`),
  },
  {
    name: "one organisation by id",
    request:
      "GET organisations?select=id,name,slug,timezone,languages,default_language&id=eq.<org>",
    params: (s) => [s.orgId],
    sql: asJson(`
      select o.id, o.name, o.slug, o.timezone, o.languages, o.default_language
      from public.organisations o where o.id = $1`),
  },
];

// -------------------------------------------------------------------------------------------
// Measuring
// -------------------------------------------------------------------------------------------

type Role = "authenticated" | "service_role";

function claims(role: Role, s: Subject): string {
  const now = Math.floor(Date.now() / 1000);
  return JSON.stringify(
    role === "authenticated"
      ? { sub: s.userId, role, aud: "authenticated", email: s.email, iat: now, exp: now + 3600 }
      : { role, iat: now, exp: now + 3600 },
  );
}

/** One request as PostgREST makes it; returns the statement's own time and its row count. */
async function once(q: Query, role: Role, s: Subject): Promise<{ ms: number; rows: number }> {
  const text = role === "service_role" && q.serviceSql ? q.serviceSql : q.sql;
  const params = role === "service_role" && q.serviceParams ? q.serviceParams(s) : q.params(s);
  return await sql.begin(async (tx) => {
    await tx.unsafe(`set local role ${role}`);
    await tx`select set_config('request.jwt.claims', ${claims(role, s)}, true)`;
    const started = performance.now();
    const [row] = await tx.unsafe(text, params as postgres.ParameterOrJSON<never>[], {
      prepare: true,
    });
    const elapsed = performance.now() - started;
    return { ms: elapsed, rows: Number(row.rows) };
  }) as { ms: number; rows: number };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))];
}

const ms = (v: number) => v < 1000 ? `${v.toFixed(0)} ms` : `${(v / 1000).toFixed(1)} s`;
const fixed = (v: number, digits = 3) => v.toFixed(digits);

async function subjects(ownersOnly: boolean): Promise<Subject[]> {
  const rows = await sql`
    select m.user_id, u.email, m.organisation_id
    from public.organisation_members m
    join public.organisations o on o.id = m.organisation_id
    join auth.users u on u.id = m.user_id
    where o.slug like 'bench-%' and (${!ownersOnly} or m.role = 'owner')`;
  return rows.map((r) => ({
    userId: r.user_id as string,
    email: r.email as string,
    orgId: r.organisation_id as string,
  }));
}

function pick<T>(from: T[], n: number): T[] {
  const copy = [...from];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return Array.from({ length: n }, (_, i) => copy[i % copy.length]);
}

// -------------------------------------------------------------------------------------------
// Main
// -------------------------------------------------------------------------------------------

try {
  const [{ version }] = await sql`select current_setting('server_version') as version`;
  if (opts.clean) {
    await clean();
    Deno.exit(0);
  }
  const expected = {
    orgs: opts.orgs,
    users: opts.members,
    memberships: opts.members + opts.multi,
    invitations: opts.orgs * opts.invitations,
  };
  const have = await present();
  if (opts.fresh || JSON.stringify(have) !== JSON.stringify(expected)) {
    if (have.orgs || have.users) await clean();
    await generate();
  } else {
    console.log("reusing the generated data set (--fresh regenerates it)");
  }
  for (
    const t of await sql`
    select m.organisation_id, '{' || string_agg(m.user_id::text, ',') || '}' as ids
    from public.organisation_members m group by m.organisation_id`
  ) {
    teams.set(t.organisation_id, t.ids);
  }

  const totals = (await sql`
    select (select count(*) from public.organisations)::int as organisations,
      (select count(*) from public.organisation_members)::int as memberships,
      (select count(*) from public.profiles)::int as profiles,
      (select count(*) from auth.users)::int as users,
      (select count(*) from public.organisation_invitations)::int as invitations`)[0];
  console.log(`PostgreSQL ${version}; database holds ${JSON.stringify(totals)}`);

  const all = await subjects(false);
  const owners = await subjects(true);
  const distinctUsers = new Set(all.map((s) => s.userId)).size;
  console.log(
    `${opts.iterations} timed runs per query and role (after ${Math.min(200, opts.iterations)} ` +
      `warm-up runs), each as a different random member (${distinctUsers} users to pick from; ` +
      `owners for invitations); time = the statement alone, as seen by the client\n`,
  );

  const results: string[][] = [];
  for (const q of queries) {
    const pool = pick(q.owners ? owners : all, opts.iterations);
    const warm = pick(q.owners ? owners : all, Math.min(200, opts.iterations));
    for (const s of warm) {
      await once(q, "authenticated", s);
      await once(q, "service_role", s);
    }
    const times: Record<Role, number[]> = { authenticated: [], service_role: [] };
    let rlsRows = 0;
    let mismatches = 0;
    for (const [i, s] of pool.entries()) {
      // Alternate which role goes first so neither profits from the other's cache.
      const order: Role[] = i % 2 ? ["authenticated", "service_role"] : [
        "service_role",
        "authenticated",
      ];
      const got: Partial<Record<Role, number>> = {};
      for (const role of order) {
        const r = await once(q, role, s);
        times[role].push(r.ms);
        got[role] = r.rows;
      }
      rlsRows += got.authenticated!;
      if (got.authenticated !== got.service_role) mismatches++;
    }
    const rls = times.authenticated.sort((a, b) => a - b);
    const svc = times.service_role.sort((a, b) => a - b);
    results.push([
      q.name,
      fixed(percentile(rls, 0.5)),
      fixed(percentile(rls, 0.95)),
      fixed(percentile(svc, 0.5)),
      fixed(percentile(svc, 0.95)),
      fixed(percentile(rls, 0.5) / percentile(svc, 0.5), 2),
      fixed(percentile(rls, 0.95) / percentile(svc, 0.95), 2),
      fixed(rlsRows / pool.length, 1),
      String(mismatches),
    ]);
  }

  const header = [
    "query",
    "RLS p50",
    "RLS p95",
    "svc p50",
    "svc p95",
    "ratio p50",
    "ratio p95",
    "rows",
    "≠rows",
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...results.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log("times in ms; ratio = RLS (authenticated) / service_role with the explicit filter");
  console.log("rows = average rows per request under RLS; ≠rows = runs where the two differed\n");
  console.log(line(header));
  for (const r of results) console.log(line(r));
  console.log("\nrequests:");
  for (const q of queries) console.log(`  ${q.name}: ${q.request}`);

  // The plan of the member list under RLS, for one member of a typical organisation.
  const [s] = pick(all, 1);
  for (
    const name of [
      "team: members + profiles, embedded",
      "team: members joined with profiles",
      "team: their profiles",
    ]
  ) {
    const q = queries.find((x) => x.name === name)!;
    const plan = await sql.begin(async (tx) => {
      await tx.unsafe("set local role authenticated");
      await tx`select set_config('request.jwt.claims', ${claims("authenticated", s)}, true)`;
      return await tx.unsafe(
        `explain (analyze, buffers, costs off) ${q.sql}`,
        q.params(s) as postgres.ParameterOrJSON<never>[],
      );
    });
    console.log(`\nEXPLAIN ANALYZE, as authenticated (RLS): ${name}`);
    for (const row of plan) console.log(`  ${row["QUERY PLAN"]}`);
  }
} finally {
  await sql.end();
}
