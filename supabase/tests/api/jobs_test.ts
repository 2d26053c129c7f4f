// Background work on the running stack: the worker function answers only the service role; a
// job enqueued in the database is run by the worker woken through pg_net (nobody calls it);
// runDueJobs turns handler outcomes into done, retried, postponed and dead; a worker that dies
// mid-job loses nothing; concurrent claimers never share a job; pg_net's SQL API lands responses
// in net._http_response.
//
// In-process runs use kinds of their own (test_<tag>.*): the stack's worker claims only the kinds
// it has handlers for, so it never takes these.
import assert from "node:assert/strict";
import postgres from "postgres";
import { SignJWT } from "jose";
import { runDueJobs, wakeWorker } from "../../functions/_shared/io/jobs.ts";
import {
  JobFailedPermanently,
  type JobHandler,
  JobPostponed,
} from "../../functions/_shared/jobs/types.ts";
import {
  ANON_KEY,
  anonClient,
  env,
  runTag,
  SERVICE_ROLE_KEY,
  SUPABASE_URL,
  waitFor,
} from "./_helpers.ts";

const DB_URL = env("SUPABASE_DB_URL");
const tag = `test_${runTag()}`;

async function withSql(fn: (sql: postgres.Sql) => Promise<void>): Promise<void> {
  const sql = postgres(DB_URL, { max: 4, prepare: false, onnotice: () => {} });
  try {
    await fn(sql);
  } finally {
    await sql`delete from private.jobs where kind like ${tag + ".%"}`;
    await sql.end();
  }
}

const enqueue = (sql: postgres.Sql, kind: string, maxAttempts = 10) =>
  sql<{ id: string }[]>`
    select private.enqueue_job(${`${tag}.${kind}`}, '{"n": 1}', null, null, now(), ${maxAttempts}) as id`
    .then(([row]) => row.id);

const jobRow = (sql: postgres.Sql, id: string) =>
  sql<
    {
      status: string;
      attempts: number;
      last_error: string | null;
      due_in_s: number;
      finished: boolean;
    }[]
  >`
    select status::text, attempts, last_error, finished_at is not null as finished,
      extract(epoch from run_after - now())::float8 as due_in_s
    from private.jobs where id = ${id}`.then(([row]) => row);

Deno.test("the worker function runs jobs for the service role only", async () => {
  const worker = `${SUPABASE_URL}/functions/v1/worker`;
  const post = (authorization?: string, method = "POST") =>
    fetch(worker, {
      method,
      headers: authorization ? { authorization, apikey: ANON_KEY } : { apikey: ANON_KEY },
      body: method === "POST" ? "{}" : undefined,
    }).then(async (res) => ({ status: res.status, body: await res.json() }));

  const { data, error } = await anonClient().auth.signInWithPassword({
    email: "owner@northside.test",
    password: "frontdesk-demo",
  });
  assert.ifError(error);
  const forged = await new SignJWT({ role: "service_role" })
    .setProtectedHeader({ alg: "HS256" })
    .setExpirationTime("5m")
    .sign(new TextEncoder().encode("not-the-project-secret-not-the-project-secret"));

  assert.equal((await post(`Bearer ${ANON_KEY}`)).status, 403, "anon");
  assert.equal((await post(`Bearer ${data.session!.access_token}`)).status, 403, "a clinic owner");
  assert.equal((await post()).status, 401, "no JWT");
  assert.equal(
    (await post(`Bearer ${forged}`)).status,
    401,
    "a service_role claim not signed by the project",
  );
  assert.equal((await post(`Bearer ${SERVICE_ROLE_KEY}`, "GET")).status, 405, "GET");
  const ran = await post(`Bearer ${SERVICE_ROLE_KEY}`);
  assert.equal(ran.status, 200);
  assert.deepEqual(Object.keys(ran.body).sort(), [
    "claimed",
    "dead",
    "done",
    "more",
    "postponed",
    "retried",
  ]);
});

Deno.test("private.jobs is not reachable through the Data API", async () => {
  const res = await fetch(`${SUPABASE_URL}/rest/v1/jobs?select=id`, {
    headers: {
      apikey: SERVICE_ROLE_KEY,
      authorization: `Bearer ${SERVICE_ROLE_KEY}`,
      "accept-profile": "private",
    },
  });
  const body = await res.json();
  assert.equal(res.status, 406, JSON.stringify(body));
  assert.equal(body.code, "PGRST106", "the private schema is not one PostgREST serves");
});

Deno.test("a job enqueued in the database is run by the worker woken through pg_net", async () => {
  await withSql(async (sql) => {
    // An old finished job for the prune job to delete; nobody calls the worker below.
    const [{ id: old }] = await sql<{ id: string }[]>`
      insert into private.jobs (kind, status, finished_at)
      values (${`${tag}.old`}, 'done', now() - interval '30 days') returning id`;
    const [{ id: prune }] = await sql<{ id: string }[]>`
      select private.enqueue_job('jobs.prune', dedupe_key => 'jobs.prune') as id`;
    const started = Date.now();
    await waitFor("the prune job done", async () => {
      const [row] = await sql`select status from private.jobs where id = ${prune}`;
      return !row || row.status === "done" ? true : null;
    });
    // The cron run is up to a minute away; the wake-up after commit took a moment.
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    assert.equal((await sql`select 1 from private.jobs where id = ${old}`).length, 0, "pruned");
  });
});

Deno.test("runDueJobs: done, retried with backoff, postponed, dead", async () => {
  await withSql(async (sql) => {
    const calls: string[] = [];
    const handler = (outcome: () => void): JobHandler => (job) => {
      calls.push(job.kind);
      return Promise.resolve().then(outcome);
    };
    const handlers: Record<string, JobHandler> = {
      [`${tag}.ok`]: handler(() => {}),
      [`${tag}.flaky`]: handler(() => {
        throw new Error(
          "Google answered 503 to GET /calendar/v3/freeBusy with Authorization: Bearer ya29.a0AfH6SMBx-secret-access-token",
        );
      }),
      [`${tag}.reauth`]: handler(() => {
        throw new JobPostponed(
          new Date(Date.now() + 3_600_000),
          "Google access needs reconnecting",
        );
      }),
      [`${tag}.gone`]: handler(() => {
        throw new JobFailedPermanently("The appointment no longer exists");
      }),
      [`${tag}.last`]: handler(() => {
        throw new Error("still failing");
      }),
    };
    const ids = {
      ok: await enqueue(sql, "ok"),
      flaky: await enqueue(sql, "flaky"),
      reauth: await enqueue(sql, "reauth"),
      gone: await enqueue(sql, "gone"),
      last: await enqueue(sql, "last", 1),
    };

    const summary = await runDueJobs(sql, handlers, { budgetMs: 5_000 });
    assert.deepEqual(summary, {
      claimed: 5,
      done: 1,
      retried: 1,
      postponed: 1,
      dead: 2,
      more: false,
    });
    assert.equal(calls.length, 5, "each job ran once: none was due again within the run");

    const ok = await jobRow(sql, ids.ok);
    assert.equal(ok.status, "done");
    assert.ok(ok.finished);

    const flaky = await jobRow(sql, ids.flaky);
    assert.equal(flaky.status, "pending");
    assert.equal(flaky.attempts, 1);
    assert.ok(flaky.due_in_s > 20 && flaky.due_in_s <= 30, `first retry in ${flaky.due_in_s} s`);
    assert.match(flaky.last_error!, /Google answered 503 to GET \/calendar\/v3\/freeBusy/);
    assert.doesNotMatch(flaky.last_error!, /ya29|secret-access-token/, "no token in last_error");

    const reauth = await jobRow(sql, ids.reauth);
    assert.equal(reauth.status, "pending");
    assert.equal(reauth.attempts, 0, "postponing spends no attempt");
    assert.ok(reauth.due_in_s > 3500, "waits until the given time");
    assert.match(reauth.last_error!, /needs reconnecting/);

    const gone = await jobRow(sql, ids.gone);
    assert.equal(gone.status, "dead");
    assert.equal(gone.attempts, 1, "dead at once, attempts left");
    assert.match(gone.last_error!, /no longer exists/);

    const last = await jobRow(sql, ids.last);
    assert.equal(last.status, "dead", "a failure on the last attempt");
    assert.match(last.last_error!, /still failing/);
  });
});

Deno.test("a worker killed mid-job: the job is claimed again when its lock expires and finishes once", async () => {
  await withSql(async (sql) => {
    const id = await enqueue(sql, "crash");
    // A worker claims it and dies without a word: its lock holds for a second.
    const [dying] = await sql<{ locked_by: string }[]>`
      select locked_by from private.claim_jobs(1, '1 second', ${[`${tag}.crash`]}::text[])`;
    assert.ok(dying, "claimed");
    let runs = 0;
    const handlers = {
      [`${tag}.crash`]: () => {
        runs++;
        return Promise.resolve();
      },
    };

    assert.equal((await runDueJobs(sql, handlers, { budgetMs: 1_000 })).claimed, 0, "held");
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    assert.deepEqual(await runDueJobs(sql, handlers, { budgetMs: 1_000 }), {
      claimed: 1,
      done: 1,
      retried: 0,
      postponed: 0,
      dead: 0,
      more: false,
    });
    assert.equal(runs, 1);
    const [{ finished }] =
      await sql`select private.finish_job(${id}, ${dying.locked_by}) as finished`;
    assert.equal(finished, false, "the dead worker, back, cannot finish it again");
    const row = await jobRow(sql, id);
    assert.equal(row.status, "done");
    assert.equal(row.attempts, 2);
  });
});

Deno.test("claimers skip each other's locked jobs and never share one", async () => {
  await withSql(async (sql) => {
    const kinds = [`${tag}.shared`];
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push(await enqueue(sql, "shared"));

    // One claimer has locked the first job (mid-claim); another claims at once, without waiting.
    const holder = postgres(DB_URL, { max: 1, prepare: false, onnotice: () => {} });
    try {
      await holder.begin(async (tx) => {
        await tx`select id from private.jobs where id = ${ids[0]} for update`;
        const started = Date.now();
        const claimed = await sql<{ id: string }[]>`
          select id from private.claim_jobs(5, '2 minutes', ${kinds}::text[])`;
        assert.ok(Date.now() - started < 2_000, "did not wait for the lock");
        assert.equal(claimed.length, 5);
        assert.ok(!claimed.some((row) => row.id === ids[0]), "the locked job was skipped");
        await sql`update private.jobs set status = 'pending', attempts = 0, locked_by = null,
          locked_until = null where id in ${sql(claimed.map((row) => row.id))}`;
      });
    } finally {
      await holder.end();
    }

    // Four workers at once over all 40.
    const workers = Array.from({ length: 4 }, () => postgres(DB_URL, { max: 1, prepare: false }));
    try {
      const taken = await Promise.all(workers.map(async (worker) => {
        const mine: string[] = [];
        while (true) {
          const batch = await worker<{ id: string }[]>`
            select id from private.claim_jobs(3, '2 minutes', ${kinds}::text[])`;
          if (batch.length === 0) return mine;
          mine.push(...batch.map((row) => row.id));
        }
      }));
      const all = taken.flat();
      assert.equal(all.length, 40, "every job claimed once");
      assert.equal(new Set(all).size, 40, "no job claimed twice");
    } finally {
      await Promise.all(workers.map((worker) => worker.end()));
    }
  });
});

Deno.test("pg_net: requests queued in SQL are sent, their responses land in net._http_response", async () => {
  await withSql(async (sql) => {
    const [{ post, get, refused }] = await sql`
      select
        net.http_post(
          url := ${`${SUPABASE_URL}/functions/v1/worker`}::text,
          headers := jsonb_build_object('Authorization', ${`Bearer ${SERVICE_ROLE_KEY}`}::text),
          timeout_milliseconds := 30000
        ) as post,
        net.http_get(
          url := ${`${SUPABASE_URL}/functions/v1/health`}::text,
          params := '{"probe": "a b&c"}',
          headers := jsonb_build_object('Authorization', ${`Bearer ${ANON_KEY}`}::text)
        ) as get,
        net.http_delete(url := 'http://127.0.0.1:9/nothing-listens-here') as refused`;
    const response = (id: string) =>
      waitFor(`response ${id}`, async () => {
        const [row] = await sql`
          select status_code, content_type, headers, content, timed_out, error_msg
          from net._http_response where id = ${id}`;
        return row ?? null;
      });

    const posted = await response(post);
    assert.equal(posted.status_code, 200, posted.content);
    assert.equal(posted.content_type, "application/json");
    assert.equal(posted.timed_out, false);
    assert.equal(posted.error_msg, null);
    assert.ok("claimed" in JSON.parse(posted.content), "the worker's answer");
    assert.equal(typeof posted.headers, "object");

    const got = await response(get);
    assert.ok([200, 503].includes(got.status_code), got.content);
    assert.ok("checks" in JSON.parse(got.content), "the health function's answer");

    const [{ url }] = await sql`
      select net._encode_url_with_params_array('http://x/p?q=1',
        array[net._urlencode_string('a b') || '=' || net._urlencode_string('é&/~')]) as url`;
    assert.equal(
      url,
      "http://x/p?q=1&a%20b=%C3%A9%26%2F~",
      "params are percent-encoded as curl does",
    );

    const failed = await response(refused);
    assert.equal(failed.status_code, null);
    assert.equal(failed.timed_out, false);
    assert.ok(failed.error_msg, "the connection error is recorded");
  });
});

Deno.test("runDueJobs stops when its budget is spent and says more may be due", async () => {
  await withSql(async (sql) => {
    for (let i = 0; i < 15; i++) await enqueue(sql, "backlog");
    const handlers = { [`${tag}.backlog`]: () => Promise.resolve() };
    const first = await runDueJobs(sql, handlers, { budgetMs: 0, batchSize: 10 });
    assert.deepEqual([first.done, first.more], [10, true], "one batch, then the budget is spent");
    const rest = await runDueJobs(sql, handlers, { budgetMs: 5_000, batchSize: 10 });
    assert.deepEqual([rest.done, rest.more], [5, false], "the rest, then nothing is due");
  });
});

Deno.test("runDueJobs lingers: a job enqueued just after it started is run by the same run", async () => {
  await withSql(async (sql) => {
    const ran: string[] = [];
    const handlers = { [`${tag}.late`]: () => Promise.resolve(void ran.push("late")) };
    const run = runDueJobs(sql, handlers, { budgetMs: 5_000, lingerMs: 1_000, pollMs: 100 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    await enqueue(sql, "late");
    const summary = await run;
    assert.deepEqual([summary.done, ran], [1, ["late"]]);
    // Without lingering the same run would have returned at once with nothing.
    const quick = await runDueJobs(sql, handlers, { budgetMs: 5_000 });
    assert.equal(quick.claimed, 0);
  });
});

Deno.test("runDueJobs with awaitDueMs waits for a job falling due soon (a postponed reply)", async () => {
  await withSql(async (sql) => {
    const handlers = { [`${tag}.soon`]: () => Promise.resolve() };
    await sql`select private.enqueue_job(${`${tag}.soon`}, '{}', null, null, now() + interval '1.5 seconds')`;
    const started = Date.now();
    const summary = await runDueJobs(sql, handlers, { budgetMs: 5_000, awaitDueMs: 3_000 });
    const took = Date.now() - started;
    assert.equal(summary.done, 1);
    assert.ok(took >= 1_200 && took < 4_000, `took ${took} ms`);
    // A job due after the horizon or the budget is left for later, at once.
    await sql`select private.enqueue_job(${`${tag}.soon`}, '{}', null, null, now() + interval '4 seconds')`;
    const beyond = Date.now();
    assert.equal(
      (await runDueJobs(sql, handlers, { budgetMs: 10_000, awaitDueMs: 3_000 })).claimed,
      0,
    );
    assert.equal(
      (await runDueJobs(sql, handlers, { budgetMs: 1_000, awaitDueMs: 5_000 })).claimed,
      0,
    );
    assert.ok(Date.now() - beyond < 1_000, "returned without waiting");
  });
});

Deno.test("wakes are throttled to one a second, and work enqueued while a wake was skipped is not stranded", async () => {
  await withSql(async (sql) => {
    // Two clinics' messaging.ingest jobs (nothing to ingest: each finishes at once), enqueued in
    // two transactions well within a second: the second wake is skipped, yet both run within
    // seconds (the first wake's worker lingers), not at the next cron minute.
    const orgs = [crypto.randomUUID(), crypto.randomUUID()];
    for (const id of orgs) {
      await sql`insert into public.organisations (id, name, slug, timezone, languages, default_language)
        values (${id}, 'Wake Clinic', ${"wake-" + id.slice(0, 8)}, 'Europe/London', ${[
        "en",
      ]}, 'en')`;
    }
    try {
      await sql`update private.worker_wake set woken_at = '-infinity'`;
      const enqueueIngest = async (org: string) => {
        const [{ id }] = await sql<{ id: string }[]>`
          select private.enqueue_job('messaging.ingest', '{}', ${org}, 'ingest:' || ${org}) as id`;
        const [{ woken_at }] = await sql<{ woken_at: Date }[]>`
          select woken_at from private.worker_wake`;
        return { id, woken_at };
      };
      const started = Date.now();
      const first = await enqueueIngest(orgs[0]);
      // Long enough for the first wake's worker to have run its job; within the throttle's second.
      await new Promise((resolve) => setTimeout(resolve, 800));
      const second = await enqueueIngest(orgs[1]);
      assert.equal(
        second.woken_at.getTime(),
        first.woken_at.getTime(),
        "the second transaction did not wake the worker again",
      );
      for (const job of [first, second]) {
        await waitFor("the job done", async () => {
          const [row] = await sql`select status::text from private.jobs where id = ${job.id}`;
          return row?.status === "done";
        }, 10_000);
      }
      assert.ok(Date.now() - started < 8_000, `took ${Date.now() - started} ms`);
    } finally {
      await sql`delete from private.jobs where organisation_id = any(${orgs})`;
      await sql`delete from public.organisations where id = any(${orgs})`;
    }
  });
});

Deno.test("wakeWorker posts to the worker with the service role in the background of the request", async () => {
  const requests: Request[] = [];
  const background: Promise<unknown>[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    requests.push(new Request(input, init));
    return Promise.resolve(new Response("{}"));
  };
  Object.defineProperty(globalThis, "EdgeRuntime", {
    value: { waitUntil: (p: Promise<unknown>) => background.push(p) },
    configurable: true,
  });
  try {
    assert.equal(wakeWorker(), undefined, "the caller has nothing to await");
    assert.equal(background.length, 1, "handed to EdgeRuntime.waitUntil");
    await Promise.all(background);
  } finally {
    globalThis.fetch = realFetch;
    delete (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime;
  }
  assert.equal(requests.length, 1);
  assert.equal(requests[0].method, "POST");
  assert.equal(requests[0].url, `${SUPABASE_URL}/functions/v1/worker`);
  assert.equal(requests[0].headers.get("authorization"), `Bearer ${SERVICE_ROLE_KEY}`);
});

Deno.test("a retry racing a new enqueue of the same work hands over to it, no error", async () => {
  await withSql(async (sql) => {
    const key = `race-${tag}`;
    await sql`select private.enqueue_job(${`${tag}.race`}, '{"v": 1}', null, ${key})`;
    const [claimed] = await sql<{ id: string; locked_by: string }[]>`
      select id, locked_by from private.claim_jobs(1, '2 minutes', ${[`${tag}.race`]}::text[])`;
    const other = postgres(DB_URL, { max: 1, prepare: false, onnotice: () => {} });
    try {
      let retried: Promise<{ status: string }[]> | undefined;
      await other.begin(async (tx) => {
        // Enqueued again, not yet committed: the retry cannot see it and waits on the index.
        await tx`select private.enqueue_job(${`${tag}.race`}, '{"v": 2}', null, ${key})`;
        retried = sql<{ status: string }[]>`
          select private.retry_job(${claimed.id}, ${claimed.locked_by}, 'timeout', now())::text
            as status`.execute(); // sent now, not when awaited
        await new Promise((resolve) => setTimeout(resolve, 300));
      });
      assert.equal((await retried!)[0].status, "done", "handed over to the new job");
    } finally {
      await other.end();
    }
    const rows = await sql<{ status: string; payload: { v: number } }[]>`
      select status::text, payload from private.jobs where kind = ${`${tag}.race`} order by id`;
    assert.deepEqual(rows.map((r) => [r.status, r.payload.v]), [["done", 1], ["pending", 2]]);
  });
});

Deno.test("pg_cron runs frontdesk-worker every minute and its request reaches the worker", async () => {
  await withSql(async (sql) => {
    // The first run comes at the stack's first full minute.
    const run = await waitFor("a frontdesk-worker run", async () => {
      const [row] = await sql<{ status: string; start_time: Date }[]>`
        select d.status, d.start_time from cron.job_run_details d join cron.job j using (jobid)
        where j.jobname = 'frontdesk-worker' order by d.start_time desc limit 1`;
      return row ?? null;
    }, 75_000);
    assert.equal(run.status, "succeeded");
    const answered = await waitFor("the worker's answer to it", async () => {
      const [row] = await sql`
        select content from net._http_response
        where created >= ${run.start_time} and content like '{"claimed":%' limit 1`;
      return row ?? null;
    });
    assert.ok("claimed" in JSON.parse(answered.content));
  });
});
