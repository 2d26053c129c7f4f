// Runs background jobs (private.jobs, 20261204100000_jobs.sql) and wakes the worker function.
// Every outcome goes back through the job functions with the claim's token, so a worker that
// lost its claim (its lock expired and another worker took the job) changes nothing.
import { retryDelayMs } from "../domain/backoff.ts";
import { type Job, JobFailedPermanently, type JobHandler, JobPostponed } from "../jobs/types.ts";
import type { Sql } from "./db.ts";
import { jobErrorText } from "../jobs/error_text.ts";

export interface RunSummary {
  claimed: number;
  done: number;
  retried: number;
  postponed: number;
  dead: number;
  /** The budget ran out while jobs were still being claimed: more may be due. */
  more: boolean;
}

export interface RunOptions {
  /** Claim no more jobs after this long (the worker answers within ~20 s). */
  budgetMs?: number;
  /** Jobs claimed, and run side by side, at a time. */
  batchSize?: number;
  /** How long a claim holds before another worker may take the job (a handler's longest run). */
  lockFor?: string;
  /** Keep polling for due jobs this long after starting even when none is due: wakes are
   * throttled to one a second (private.wake_worker), so work enqueued just after a wake is
   * claimed by the worker of that wake. */
  lingerMs?: number;
  /** How often a lingering run polls. */
  pollMs?: number;
  /** When the next pending job falls due within this long and within the budget (a reply
   * postponed for a burst), wait for it; 0: return when nothing is due. */
  awaitDueMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Claims due jobs of the handlers' kinds and runs them, a batch at a time, until none are due or
 * the budget is spent (at least one batch is claimed).
 */
export async function runDueJobs(
  sql: Sql,
  handlers: Record<string, JobHandler>,
  {
    budgetMs = 20_000,
    batchSize = 10,
    lockFor = "2 minutes",
    lingerMs = 0,
    pollMs = 150,
    awaitDueMs = 0,
  }: RunOptions = {},
): Promise<RunSummary> {
  const summary: RunSummary = {
    claimed: 0,
    done: 0,
    retried: 0,
    postponed: 0,
    dead: 0,
    more: false,
  };
  const started = Date.now();
  const deadline = started + budgetMs;
  const kinds = Object.keys(handlers);
  while (!summary.more) {
    // A bigint arrives as a string; job ids stay far below 2^53.
    const jobs = await sql<Job[]>`
      select id::float8 as id, organisation_id, kind, payload, attempts, max_attempts, locked_by
      from private.claim_jobs(${batchSize}, ${lockFor}::interval, ${kinds}::text[])`;
    if (jobs.length === 0) {
      const now = Date.now();
      if (now < started + lingerMs) {
        await sleep(Math.min(pollMs, deadline - now));
        continue;
      }
      if (awaitDueMs <= 0) break;
      const [{ due }] = await sql<{ due: Date | null }[]>`
        select private.next_job_due(${kinds}::text[]) as due`;
      const wait = due ? due.getTime() - Date.now() : Infinity;
      if (wait > awaitDueMs || Date.now() + wait >= deadline) break;
      // At least a poll's worth: the database's clock may run a little behind ours.
      await sleep(Math.max(wait, pollMs / 3));
      continue;
    }
    summary.claimed += jobs.length;
    const outcomes = await Promise.all(jobs.map((job) => runJob(sql, handlers, job)));
    for (const outcome of outcomes) if (outcome) summary[outcome]++;
    summary.more = Date.now() >= deadline;
  }
  return summary;
}

type Outcome = "done" | "retried" | "postponed" | "dead" | null;

async function runJob(
  sql: Sql,
  handlers: Record<string, JobHandler>,
  job: Job,
): Promise<Outcome> {
  try {
    await handlers[job.kind](job, { sql });
  } catch (err) {
    if (err instanceof JobPostponed) {
      const [{ postponed }] = await sql`
        select private.postpone_job(${job.id}, ${job.locked_by}, ${err.until},
          ${jobErrorText(err)}) as postponed`;
      return postponed ? "postponed" : null;
    }
    const retryAt = err instanceof JobFailedPermanently
      ? null
      : new Date(Date.now() + retryDelayMs(job.attempts));
    const [{ status }] = await sql`
      select private.retry_job(${job.id}, ${job.locked_by}, ${jobErrorText(err)},
        ${retryAt}) as status`;
    return status === "dead" ? "dead" : status === null ? null : "retried";
  }
  const [{ finished }] = await sql`
    select private.finish_job(${job.id}, ${job.locked_by}) as finished`;
  return finished ? "done" : null;
}

/**
 * Asks the worker to run due jobs now, in the background of the current request
 * (EdgeRuntime.waitUntil where the runtime has it): never awaited by the caller's answer, and a
 * failed wake-up costs only time, because the minutely cron run picks the jobs up. Work enqueued
 * in SQL wakes the worker itself (private.enqueue_job, through pg_net); the worker calls this to
 * carry on with a backlog its budget did not cover.
 */
export function wakeWorker(): void {
  const url = Deno.env.get("SUPABASE_URL");
  const key = Deno.env.get("SUPABASE_SERVICE_ROLE_KEY");
  if (!url || !key) return;
  const wake = fetch(`${url}/functions/v1/worker`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: "{}",
    signal: AbortSignal.timeout(30_000),
  })
    .then((res) => res.body?.cancel())
    .catch(() => {});
  const runtime = (globalThis as { EdgeRuntime?: { waitUntil(p: Promise<unknown>): void } })
    .EdgeRuntime;
  runtime?.waitUntil(wake);
}
