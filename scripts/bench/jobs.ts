// Benchmark (not a test): how many background jobs per second the queue itself moves — claim
// (`for update skip locked`), run a handler that does nothing, finish — with one worker and with
// several at once, each on its own connection as separate worker invocations would be.
//
//   npx -y deno@2.9.6 run -A scripts/bench/jobs.ts [options]
//
//   --db-url <url>     database (default: the dev stack's)
//   --jobs <n>         jobs per round (default 2000)
//   --workers <list>   concurrent workers per round, comma-separated (default 1,2,4,8)
//   --batch <n>        jobs claimed per claim_jobs call (default 10, the worker's)
//
// The jobs are enqueued in one statement through private.enqueue_job, with a kind of their own
// (bench_<tag>.noop): the stack's worker claims only kinds it has handlers for, so only this
// script runs them. They are deleted at the end.
import postgres from "postgres";
import { runDueJobs } from "../../supabase/functions/_shared/io/jobs.ts";
import { devDatabaseUrl, option } from "./_cli.ts";

const dbUrl = option("db-url", devDatabaseUrl);
const jobs = Number(option("jobs", "2000"));
const workerCounts = option("workers", "1,2,4,8").split(",").map(Number);
const batchSize = Number(option("batch", "10"));
const kind = `bench_${crypto.randomUUID().slice(0, 8)}.noop`;

const admin = postgres(dbUrl, { max: 1, prepare: false, onnotice: () => {} });

async function round(workers: number) {
  const t0 = performance.now();
  await admin`
    select count(private.enqueue_job(${kind}, jsonb_build_object('n', n)))
    from generate_series(1, ${jobs}) n`;
  const enqueueMs = performance.now() - t0;

  const ran = new Map<number, number>();
  const noop = {
    [kind]: (job: { id: number }) => {
      ran.set(job.id, (ran.get(job.id) ?? 0) + 1);
      return Promise.resolve();
    },
  };
  const pools = Array.from(
    { length: workers },
    () => postgres(dbUrl, { max: 2, prepare: false, onnotice: () => {} }),
  );
  const started = performance.now();
  const summaries = await Promise.all(
    pools.map((sql) => runDueJobs(sql, noop, { budgetMs: 600_000, batchSize })),
  );
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(pools.map((sql) => sql.end()));

  const done = summaries.reduce((sum, s) => sum + s.done, 0);
  const [{ left }] = await admin`
    select count(*)::int as left from private.jobs where kind = ${kind} and status <> 'done'`;
  const twice = [...ran.values()].filter((n) => n > 1).length;
  await admin`delete from private.jobs where kind = ${kind}`;
  console.log(
    `${String(workers).padStart(2)} worker(s): ${(done / seconds).toFixed(0).padStart(5)} jobs/s` +
      ` (${done} done in ${seconds.toFixed(2)} s; enqueued in ${enqueueMs.toFixed(0)} ms;` +
      ` not done ${left}, run twice ${twice})`,
  );
}

console.log(`Queue throughput, no-op handlers, ${jobs} jobs per round, batches of ${batchSize}`);
try {
  for (const workers of workerCounts) await round(workers);
} finally {
  await admin`delete from private.jobs where kind = ${kind}`;
  await admin.end();
}
