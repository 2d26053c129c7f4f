// The operator scripts for background jobs (scripts/jobs_failed.sql, scripts/jobs_retry.sql)
// run through psql as the `postgres` role against SUPABASE_DB_URL, as an operator runs them.
// The jobs use kinds of their own (test_<tag>.*), which the stack's worker never claims.
import assert from "node:assert/strict";
import postgres from "postgres";
import { env, runScript, runTag } from "./_helpers.ts";

const DB_URL = env("SUPABASE_DB_URL");
const repoRoot = new URL("../../../", import.meta.url).pathname;
const FAILED = `${repoRoot}scripts/jobs_failed.sql`;
const RETRY = `${repoRoot}scripts/jobs_retry.sql`;
const tag = runTag();
const kind = (name: string) => `test_${tag}.${name}`;

interface Fixture {
  sql: postgres.Sql;
  slug: string;
  otherSlug: string;
  ids: Record<"dead" | "failed" | "running" | "done" | "healthy" | "other", string>;
}

/** Two organisations; the first with one job in each state, the second with a dead one. */
async function withFixture(fn: (f: Fixture) => Promise<void>): Promise<void> {
  const sql = postgres(DB_URL, { max: 1, prepare: false, onnotice: () => {} });
  const slug = `jobs-${tag}`;
  const otherSlug = `jobs-${tag}-other`;
  try {
    const [org, other] = await sql<{ id: string }[]>`
      insert into public.organisations (name, slug, timezone, languages) values
        (${`Jobs ${tag}`}, ${slug}, 'Europe/London', array['en']),
        (${`Jobs ${tag} other`}, ${otherSlug}, 'Europe/Riga', array['en'])
      returning id`;
    const job = async (
      name: string,
      organisation: string,
      status: string,
      lastError: string | null,
      extra = sql``,
    ) => {
      const [{ id }] = await sql<{ id: string }[]>`
        insert into private.jobs (organisation_id, kind, status, attempts, last_error, run_after,
          locked_until, locked_by, finished_at)
        values (${organisation}, ${kind(name)}, ${status}::private.job_status,
          ${status === "pending" ? 0 : 3}, ${lastError}, now() + interval '20 minutes',
          ${status === "running" ? sql`now() + interval '1 minute'` : null},
          ${status === "running" ? "a worker" : null},
          ${["done", "dead"].includes(status) ? sql`now()` : null}) ${extra}
        returning id`;
      return id;
    };
    const ids = {
      dead: await job("dead", org.id, "dead", "Google refused the event: 400 invalid"),
      failed: await job("failed", org.id, "pending", "Google answered 503"),
      running: await job("running", org.id, "running", "timeout after 10 s"),
      done: await job("done", org.id, "done", null),
      healthy: await job("healthy", org.id, "pending", null),
      other: await job("other", other.id, "dead", "the other clinic's error"),
    };
    // The newest error of the clinic is the failed one's.
    await sql`update private.jobs set updated_at = now() + interval '1 second' where id = ${ids.failed}`;
    await fn({ sql, slug, otherSlug, ids });
  } finally {
    await sql`delete from private.jobs where kind like ${`test_${tag}.%`}`;
    await sql`delete from public.organisations where slug in (${slug}, ${otherSlug})`;
    await sql.end();
  }
}

const state = (sql: postgres.Sql, id: string) =>
  sql<{ status: string; attempts: number; due: boolean }[]>`
    select status::text, attempts, run_after <= now() as due from private.jobs where id = ${id}`
    .then(([row]) => row);

Deno.test("jobs_failed.sql lists an organisation's failed and dead jobs with their last error", async () => {
  await withFixture(async ({ slug, ids }) => {
    const out = await runScript(FAILED, { slug });
    assert.equal(out.code, 0, out.stderr);
    const [summary, list] = out.stdout.split("Jobs (newest change first)");
    const clinicLine = summary.split("\n").find((line) => line.includes(slug))!;
    assert.match(
      clinicLine,
      new RegExp(`${slug}\\s*\\|\\s*2\\s*\\|\\s*1\\s*\\|\\s*0\\s*\\|`),
      clinicLine,
    );
    assert.match(clinicLine, /Google answered 503/, "the latest error");
    for (
      const [name, listed] of Object.entries({
        dead: true,
        failed: true,
        running: true,
        done: false,
        healthy: false,
      })
    ) {
      const id = ids[name as keyof typeof ids];
      assert.equal(
        new RegExp(`^\\s*${id}\\s*\\|`, "m").test(list),
        listed,
        `${name} job listed: ${listed}`,
      );
    }
    assert.match(list, /Google refused the event: 400 invalid/);
    assert.doesNotMatch(out.stdout, /the other clinic's error/, "only the asked organisation");
  });
});

Deno.test("jobs_failed.sql without a slug shows every organisation", async () => {
  await withFixture(async ({ slug, otherSlug }) => {
    const out = await runScript(FAILED);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, new RegExp(slug));
    assert.match(out.stdout, new RegExp(otherSlug));
  });
});

Deno.test("jobs_retry.sql retries an organisation's dead and failed jobs, or one job", async () => {
  await withFixture(async ({ sql, slug, ids }) => {
    const out = await runScript(RETRY, { slug });
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(await state(sql, ids.dead), { status: "pending", attempts: 0, due: true });
    assert.deepEqual(await state(sql, ids.failed), { status: "pending", attempts: 0, due: true });
    assert.equal((await state(sql, ids.running)).status, "running", "left to its worker");
    assert.equal((await state(sql, ids.done)).status, "done");
    assert.equal((await state(sql, ids.healthy)).due, false, "a healthy job keeps its time");
    assert.equal((await state(sql, ids.other)).status, "dead", "another clinic's job untouched");
    assert.match(out.stdout, new RegExp(`${ids.dead}\\s*\\|\\s*${slug}.*\\|\\s*dead\\s*\\|\\s*t`));

    const one = await runScript(RETRY, { job: ids.other });
    assert.equal(one.code, 0, one.stderr);
    assert.deepEqual(await state(sql, ids.other), { status: "pending", attempts: 0, due: true });
    const done = await runScript(RETRY, { job: ids.done });
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /\|\s*done\s*\|\s*f/, "a done job is not retried");
  });
});

Deno.test("jobs_retry.sql refuses unclear requests and changes nothing", async () => {
  await withFixture(async ({ sql, slug, ids }) => {
    for (
      const [vars, message] of [
        [{}, /Give either slug or job/],
        [{ slug, job: ids.dead }, /Give either slug or job/],
        [{ job: "1; drop table private.jobs" }, /is not a job id/],
        [{ job: "999999999999" }, /No job has the id 999999999999/],
        [{ slug: "no-such-clinic" }, /No organisation has the slug "no-such-clinic"/],
      ] as const
    ) {
      const out = await runScript(RETRY, vars);
      assert.notEqual(out.code, 0, JSON.stringify(vars));
      assert.match(out.stderr, message);
    }
    assert.equal((await state(sql, ids.dead)).status, "dead");
  });
});
