-- Background jobs (20261204100000_jobs.sql): nobody but the service role reaches them; enqueueing
-- dedupes while pending and wakes the worker once per transaction; a claim holds until its lock
-- expires and only its holder may finish, retry or postpone; retries end dead; postponing spends
-- no attempt; the cron jobs are scheduled. One transaction, so now() stands still: an expired
-- lock is a claim made with a negative lock_for. Claims name this file's kinds only (test.*),
-- so due jobs of the real kinds on the stack are never touched.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
\ir _tenancy_fixture.psql
select plan(55);

-- ---------------------------------------------------------------------------
-- 1. Not reachable by the API roles
-- ---------------------------------------------------------------------------

select ok(
  not has_table_privilege(r, 'private.jobs', p),
  format('%s may not %s private.jobs', r, p))
from unnest(array['anon', 'authenticated']) r, unnest(array['select', 'insert', 'update', 'delete']) p;

select is(
  array(
    select p.proname::text
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'private'
      and p.proname in ('enqueue_job', 'claim_jobs', 'finish_job', 'retry_job', 'postpone_job',
                        'resume_jobs', 'release_job', 'wake_worker', 'retry_failed_job')
      and (has_function_privilege('anon', p.oid, 'execute')
        or has_function_privilege('authenticated', p.oid, 'execute'))
  ),
  array[]::text[], 'anon and authenticated may call no job function');

select ok(
  has_function_privilege('service_role', 'private.enqueue_job(text, jsonb, uuid, text, timestamptz, integer)', 'execute')
  and has_function_privilege('service_role', 'private.claim_jobs(integer, interval, text[])', 'execute')
  and has_table_privilege('service_role', 'private.jobs', 'select'),
  'the service role runs the queue');

select tests.act_as('owner@a.test');
select throws_ok($$select count(*) from private.jobs$$, '42501', null, 'a signed-in owner cannot read jobs');
select throws_ok($$select private.enqueue_job('test.a')$$, '42501', null, 'a signed-in owner cannot enqueue directly');
select tests.stop_acting();

-- ---------------------------------------------------------------------------
-- 2. Enqueue: one pending job per (kind, dedupe_key); wakes the worker once per transaction
-- ---------------------------------------------------------------------------

create temporary table ids (name text primary key, id bigint);

insert into ids values ('a', private.enqueue_job('test.a', '{"v": 1}', '0a000000-0000-4000-8000-00000000000a', 'k', now() + interval '1 hour'));
insert into ids values ('a again', private.enqueue_job('test.a', '{"v": 2}', '0a000000-0000-4000-8000-00000000000a', 'k', now() + interval '10 minutes'));
insert into ids values ('a later', private.enqueue_job('test.a', '{"v": 3}', '0a000000-0000-4000-8000-00000000000a', 'k', now() + interval '2 hours'));

select is((select count(distinct id) from ids), 1::bigint, 'the same (kind, dedupe_key) while pending is one job');
select results_eq(
  $$select payload, run_after from private.jobs where id = (select id from ids where name = 'a')$$,
  $$values ('{"v": 3}'::jsonb, now() + interval '10 minutes')$$,
  'the latest payload, the earliest time');
select isnt(
  private.enqueue_job('test.a', '{}', null, 'other key', now() + interval '1 hour'),
  (select id from ids where name = 'a'), 'another dedupe key is another job');
select isnt(
  private.enqueue_job('test.b', '{}', null, 'k', now() + interval '1 hour'),
  (select id from ids where name = 'a'), 'another kind with the same key is another job');
select is(
  (select count(*) from net.http_request_queue q where age(q.xmin) = 0),
  0::bigint, 'work due later wakes nobody');

-- No wake in the last second (20261206200000_worker_wake_throttle.sql), whatever ran before.
update private.worker_wake set woken_at = '-infinity';
select private.enqueue_job('test.now', '{}', null, null);
select private.enqueue_job('test.now', '{}', null, null);
select results_eq(
  $$select url, headers ->> 'Authorization' from net.http_request_queue q where age(q.xmin) = 0$$,
  $$select (select decrypted_secret from vault.decrypted_secrets where name = 'project_url') || '/functions/v1/worker',
           'Bearer ' || (select decrypted_secret from vault.decrypted_secrets where name = 'service_role_key')$$,
  'due work wakes the worker through pg_net, with the URL and key from Vault, once per transaction');

-- Wakes are throttled to one a second across transactions (the per-transaction flag reset here
-- stands for a new transaction; now() stands still in this one).
select set_config('frontdesk.worker_woken', 'off', true);
select private.enqueue_job('test.later_wake', '{}', null, null);
select is(
  (select count(*) from net.http_request_queue q where age(q.xmin) = 0),
  1::bigint, 'another transaction within the second does not wake the worker again');
update private.worker_wake set woken_at = now() - interval '2 seconds';
select set_config('frontdesk.worker_woken', 'off', true);
select private.enqueue_job('test.later_wake', '{}', null, null);
select is(
  (select count(*) from net.http_request_queue q where age(q.xmin) = 0),
  2::bigint, 'a second after the last wake, due work wakes it again');
select is((select woken_at from private.worker_wake), now(), 'the wake is recorded');
select is(
  private.next_job_due(array['test.a', 'test.b']), now() + interval '10 minutes',
  'the next pending job of the kinds falls due when its run_after says (a worker waits for it)');

-- ---------------------------------------------------------------------------
-- 3. Claim: due jobs of the asked kinds, one holder at a time, again once the lock expires
-- ---------------------------------------------------------------------------

create temporary table claim as
select * from private.claim_jobs(10, '2 minutes', array['test.now']);
select is((select count(*) from claim), 2::bigint, 'both due jobs of the kind are claimed');
select ok(
  (select bool_and(status = 'running' and attempts = 1 and locked_until = now() + interval '2 minutes')
   from claim)
  and (select count(distinct locked_by) from claim) = 2,
  'running, one attempt spent, locked, each with its own token');
select is(
  (select count(*) from private.claim_jobs(10, '2 minutes', array['test.now'])), 0::bigint,
  'a job under a live lock is not claimed again');
select is(
  (select count(*) from private.claim_jobs(10, '2 minutes', array['test.a', 'test.b'])), 0::bigint,
  'jobs due later are not claimed');

-- A worker that dies: its claim expires (negative lock_for) and another worker takes the job.
select private.enqueue_job('test.crash', '{}', null, 'c');
create temporary table dead_worker as select * from private.claim_jobs(1, '-1 second', array['test.crash']);
create temporary table next_worker as select * from private.claim_jobs(1, '2 minutes', array['test.crash']);
select results_eq(
  $$select id, attempts from next_worker$$,
  $$select id, 2 from dead_worker$$,
  'a job whose lock expired is claimed again, one more attempt spent');
select isnt((select locked_by from next_worker), (select locked_by from dead_worker), 'under a new token');

select private.enqueue_job('test.crash', '{"v": 2}', null, 'c');
select is(
  (select count(*) from private.claim_jobs(10, '2 minutes', array['test.crash'])), 0::bigint,
  'work enqueued again while it runs waits for the running one (same dedupe key)');

-- ---------------------------------------------------------------------------
-- 4. Only the holder finishes
-- ---------------------------------------------------------------------------

select is(
  private.finish_job((select id from dead_worker), (select locked_by from dead_worker)), false,
  'the dead worker''s finish is refused');
select is(
  private.retry_job((select id from dead_worker), (select locked_by from dead_worker), 'late', now()), null,
  'so is its retry');
select is(
  private.postpone_job((select id from dead_worker), (select locked_by from dead_worker), now(), 'late'), false,
  'and its postponement');
select results_eq(
  $$select status::text, attempts, last_error from private.jobs where id = (select id from next_worker)$$,
  $$values ('running', 2, null::text)$$, 'the stale holder changed nothing');
select is(
  private.finish_job((select id from next_worker), (select locked_by from next_worker)), true,
  'the holder finishes');
select results_eq(
  $$select status::text, locked_by, locked_until, finished_at from private.jobs where id = (select id from next_worker)$$,
  $$values ('done', null::text, null::timestamptz, now())$$, 'done, lock released');
select is(
  private.finish_job((select id from next_worker), (select locked_by from next_worker)), false,
  'finishing twice does nothing');

-- ---------------------------------------------------------------------------
-- 5. Retry: pending again at the given time, dead once the attempts are spent
-- ---------------------------------------------------------------------------

select private.enqueue_job('test.flaky', '{}', '0b000000-0000-4000-8000-00000000000b', null, now(), 2);
create temporary table flaky as select * from private.claim_jobs(1, '2 minutes', array['test.flaky']);
select is(
  private.retry_job((select id from flaky), (select locked_by from flaky), 'Google answered 503', now()),
  'pending'::private.job_status, 'a first failure waits for its retry');
select results_eq(
  $$select status::text, run_after, last_error, locked_by from private.jobs where id = (select id from flaky)$$,
  $$values ('pending', now(), 'Google answered 503', null::text)$$, 'pending at the retry time with its error');
truncate flaky;
insert into flaky select * from private.claim_jobs(1, '2 minutes', array['test.flaky']);
select is(
  private.retry_job((select id from flaky), (select locked_by from flaky), 'Google answered 503 again', now()),
  'dead'::private.job_status, 'the last attempt''s failure is dead');
select results_eq(
  $$select status::text, attempts, finished_at, last_error from private.jobs where id = (select id from flaky)$$,
  $$values ('dead', 2, now(), 'Google answered 503 again')$$, 'dead after max_attempts, with the last error');

select private.enqueue_job('test.doomed', '{}', null, null);
create temporary table doomed as select * from private.claim_jobs(1, '2 minutes', array['test.doomed']);
select is(
  private.retry_job((select id from doomed), (select locked_by from doomed), 'no such appointment', null),
  'dead'::private.job_status, 'without a retry time a failure is dead at once');

-- A job enqueued again while it ran carries the work on: the failed run closes, the twin runs.
select private.enqueue_job('test.twin', '{"v": 1}', null, 't');
create temporary table twin_run as select * from private.claim_jobs(1, '2 minutes', array['test.twin']);
select private.enqueue_job('test.twin', '{"v": 2}', null, 't', now() + interval '1 hour');
select is(
  private.retry_job((select id from twin_run), (select locked_by from twin_run), 'timeout', now() + interval '1 minute'),
  'done'::private.job_status, 'a failed run with a pending twin hands over to it');
select results_eq(
  $$select payload, run_after from private.jobs where kind = 'test.twin' and status = 'pending'$$,
  $$values ('{"v": 2}'::jsonb, now() + interval '1 minute')$$,
  'the twin keeps the newer payload and runs at the retry time');

-- A worker that keeps dying on a job: once its attempts are spent the next claim buries it.
select private.enqueue_job('test.killer', '{}', null, null, now(), 1);
create temporary table killer as select * from private.claim_jobs(1, '-1 second', array['test.killer']);
select is(
  (select count(*) from private.claim_jobs(1, '2 minutes', array['test.killer'])), 0::bigint,
  'a job whose worker died on its last attempt is not claimed again');
select is(
  (select status::text from private.jobs where id = (select id from killer)), 'dead', 'it is dead');

-- ---------------------------------------------------------------------------
-- 6. Postpone spends no attempt; resume makes it due now
-- ---------------------------------------------------------------------------

select private.enqueue_job('test.google', '{}', '0a000000-0000-4000-8000-00000000000a', 'g');
select private.enqueue_job('test.other', '{}', '0a000000-0000-4000-8000-00000000000a', null, now() + interval '1 day');
create temporary table waiting as select * from private.claim_jobs(1, '2 minutes', array['test.google']);
select is(
  private.postpone_job((select id from waiting), (select locked_by from waiting), now() + interval '6 hours',
    'Google access needs reconnecting'),
  true, 'the holder postpones');
select results_eq(
  $$select status::text, attempts, run_after, last_error from private.jobs where id = (select id from waiting)$$,
  $$values ('pending', 0, now() + interval '6 hours', 'Google access needs reconnecting')$$,
  'pending until then, no attempt spent');
select is(private.resume_jobs('0b000000-0000-4000-8000-00000000000b', 'test.'), 0,
  'resuming another organisation touches nothing');
select is(private.resume_jobs('0a000000-0000-4000-8000-00000000000a', 'test.goo'), 1,
  'resuming by kind prefix');
select results_eq(
  $$select kind, run_after = now() from private.jobs where kind in ('test.google', 'test.other') order by kind$$,
  $$values ('test.google', true), ('test.other', false)$$, 'only the matching job is due now');

-- ---------------------------------------------------------------------------
-- 7. Operators retry dead and failed jobs
-- ---------------------------------------------------------------------------

select is(private.retry_failed_job((select id from flaky)), true, 'a dead job is retried');
select results_eq(
  $$select status::text, attempts, run_after, finished_at from private.jobs where id = (select id from flaky)$$,
  $$values ('pending', 0, now(), null::timestamptz)$$, 'with fresh attempts, now');
select is(private.retry_failed_job((select id from next_worker)), false, 'a done job is not');

-- ---------------------------------------------------------------------------
-- 8. pg_cron runs the worker every minute, and the daily prune
-- ---------------------------------------------------------------------------

select results_eq(
  $$select schedule, username, command ~ 'net\.http_post' and command ~ '/functions/v1/worker'
      and command ~ 'service_role_key' and command ~ 'project_url'
    from cron.job where jobname = 'frontdesk-worker'$$,
  $$values ('* * * * *'::text, 'postgres'::text, true)$$,
  'cron job frontdesk-worker calls the worker every minute through pg_net with Vault''s URL and key');
select results_eq(
  $$select schedule, command ~ 'jobs\.prune' from cron.job where jobname = 'frontdesk-jobs-prune'$$,
  $$values ('17 3 * * *'::text, true)$$, 'cron job frontdesk-jobs-prune enqueues the prune daily');

select * from finish();
rollback;
