-- Durable background work: every call to a provider from a background path is a row in
-- private.jobs, run by the `worker` edge function (woken right after enqueueing through pg_net,
-- and every minute by pg_cron: 20261204100100_jobs_schedule.sql). Claimed with
-- `for update skip locked` under a lock that expires, so a crashed worker loses nothing; retried
-- with backoff (the worker computes it: _shared/domain/backoff.ts), dead after max_attempts.
-- Nothing here is reachable through the Data API: `private` is not an exposed schema and only
-- service_role (and the owner, postgres) may touch the table and call the functions.

create type private.job_status as enum ('pending', 'running', 'done', 'dead');
comment on type private.job_status is
  'pending: waits for run_after; running: claimed until locked_until; done; dead: no more tries. '
  '"Failed" in words is pending or running with a last_error (waiting to be retried).';

create table private.jobs (
  id bigint generated always as identity primary key,
  organisation_id uuid references public.organisations (id) on delete cascade,
  kind text not null check (kind ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$'),
  payload jsonb not null default '{}'::jsonb,
  status private.job_status not null default 'pending',
  attempts integer not null default 0 check (attempts >= 0),
  max_attempts integer not null default 10 check (max_attempts between 1 and 100),
  run_after timestamptz not null default now(),
  locked_until timestamptz,
  locked_by text,
  last_error text,
  dedupe_key text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz,
  -- A running job always has a holder and a lock expiry; nothing else has either.
  check ((status = 'running') = (locked_by is not null and locked_until is not null))
);

comment on table private.jobs is
  'Background work: one row per thing to do (kind + payload), run by the worker edge function.';
comment on column private.jobs.organisation_id is 'The clinic the work is for; null for work of no single clinic.';
comment on column private.jobs.kind is 'Which handler runs it (_shared/jobs/handlers.ts), e.g. google.push_appointment.';
comment on column private.jobs.attempts is 'Claims so far; a postponed run does not count.';
comment on column private.jobs.run_after is 'A pending job is due from this time on.';
comment on column private.jobs.locked_until is 'A running job whose lock expired is claimed again (its worker died).';
comment on column private.jobs.locked_by is 'Random token of the current claim; only its holder may finish, retry or postpone.';
comment on column private.jobs.last_error is 'Why the last run failed or waits, for operators; never a secret.';
comment on column private.jobs.dedupe_key is 'At most one pending job per (kind, dedupe_key): enqueueing again updates it.';

revoke all on private.jobs from public, anon, authenticated;
grant select, insert, update, delete on private.jobs to service_role;
-- No policies: only the owner and service_role (which bypasses RLS) ever read it.
alter table private.jobs enable row level security;

create unique index jobs_pending_dedupe_key on private.jobs (kind, dedupe_key)
  where status = 'pending' and dedupe_key is not null;
-- claim_jobs: due pending jobs, and running ones whose lock expired.
create index jobs_pending_due_idx on private.jobs (run_after, id) where status = 'pending';
create index jobs_running_lock_idx on private.jobs (locked_until) where status = 'running';
create index jobs_running_dedupe_key_idx on private.jobs (kind, dedupe_key)
  where status = 'running' and dedupe_key is not null;
create index jobs_organisation_id_idx on private.jobs (organisation_id, status);
-- The jobs.prune job: finished rows by age.
create index jobs_finished_idx on private.jobs (finished_at) where status in ('done', 'dead');

create trigger jobs_touch_updated_at
  before update on private.jobs
  for each row execute function private.touch_updated_at();

-- Asks the worker to run due jobs now, through pg_net (sent after commit, so the worker sees
-- the rows of this transaction), at most once per transaction. URL and key come from Vault
-- (`project_url`, `service_role_key`, stored once per project: README, Production); without them
-- it does nothing and the minutely cron run picks the work up.
create function private.wake_worker()
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  project_url text;
  service_role_key text;
begin
  if current_setting('frontdesk.worker_woken', true) = 'on' then
    return;
  end if;
  select s.decrypted_secret into project_url from vault.decrypted_secrets s where s.name = 'project_url';
  select s.decrypted_secret into service_role_key from vault.decrypted_secrets s where s.name = 'service_role_key';
  if project_url is null or service_role_key is null then
    return;
  end if;
  perform net.http_post(
    url := rtrim(project_url, '/') || '/functions/v1/worker',
    body := '{}'::jsonb,
    headers := jsonb_build_object(
      'Content-Type', 'application/json',
      'Authorization', 'Bearer ' || service_role_key
    ),
    -- The worker answers after its run (up to ~20 s); the request is not cut short before.
    timeout_milliseconds := 30000
  );
  perform set_config('frontdesk.worker_woken', 'on', true);
end
$$;

comment on function private.wake_worker() is
  'Wakes the worker edge function through pg_net once per transaction (URL and key from Vault); a no-op without them.';
revoke all on function private.wake_worker() from public;
grant execute on function private.wake_worker() to service_role;

-- Adds a job, or updates the pending one with the same (kind, dedupe_key): its payload is
-- replaced and it runs at the earlier of the two times. Security definer because triggers fired
-- by members' writes (an appointment booked) enqueue work.
create function private.enqueue_job(
  kind text,
  payload jsonb default '{}'::jsonb,
  organisation_id uuid default null,
  dedupe_key text default null,
  run_after timestamptz default now(),
  max_attempts integer default 10
)
returns bigint
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  job_id bigint;
begin
  insert into private.jobs as j (kind, payload, organisation_id, dedupe_key, run_after, max_attempts)
  values (
    enqueue_job.kind, coalesce(enqueue_job.payload, '{}'::jsonb), enqueue_job.organisation_id,
    enqueue_job.dedupe_key, coalesce(enqueue_job.run_after, now()), coalesce(enqueue_job.max_attempts, 10)
  )
  on conflict (kind, dedupe_key) where status = 'pending' and dedupe_key is not null
  do update set payload = excluded.payload, run_after = least(j.run_after, excluded.run_after)
  returning j.id into job_id;
  if coalesce(enqueue_job.run_after, now()) <= now() then
    perform private.wake_worker();
  end if;
  return job_id;
end
$$;

comment on function private.enqueue_job(text, jsonb, uuid, text, timestamptz, integer) is
  'Adds background work (or updates the pending job with the same kind and dedupe key) and wakes the worker.';
revoke all on function private.enqueue_job(text, jsonb, uuid, text, timestamptz, integer) from public;
grant execute on function private.enqueue_job(text, jsonb, uuid, text, timestamptz, integer) to service_role;

-- Claims up to max_jobs due jobs for one worker: each gets a fresh lock token and spends an
-- attempt. A worker claims only the kinds it has handlers for (null: any), so a kind added by a
-- newer deployment waits for a worker that knows it instead of failing. A job whose (kind, dedupe_key) is running under a live lock waits, so two runs of the
-- same work never overlap. A running job whose lock expired after its last attempt is dead: it
-- crashed its worker every time.
create function private.claim_jobs(
  max_jobs integer default 10,
  lock_for interval default '2 minutes',
  kinds text[] default null
)
returns setof private.jobs
language plpgsql
set search_path = ''
as $$
begin
  update private.jobs j
  set status = 'dead', finished_at = now(), locked_by = null, locked_until = null,
      last_error = coalesce(j.last_error || ' / ', '') || 'its worker stopped during the last attempt'
  where j.status = 'running' and j.locked_until < now() and j.attempts >= j.max_attempts;

  return query
  with due as (
    select j.id
    from private.jobs j
    where ((j.status = 'pending' and j.run_after <= now())
        or (j.status = 'running' and j.locked_until < now()))
      and (kinds is null or j.kind = any (kinds))
      and (j.dedupe_key is null or not exists (
        select from private.jobs r
        where r.kind = j.kind and r.dedupe_key = j.dedupe_key and r.id <> j.id
          and r.status = 'running' and r.locked_until >= now()))
    order by j.run_after, j.id
    limit greatest(max_jobs, 0)
    for update skip locked
  )
  update private.jobs j
  set status = 'running', attempts = j.attempts + 1,
      locked_until = now() + lock_for, locked_by = gen_random_uuid()::text
  from due
  where j.id = due.id
  returning j.*;
end
$$;

comment on function private.claim_jobs(integer, interval, text[]) is
  'Claims due jobs (for update skip locked) for one worker run: running, one more attempt, a fresh lock token.';
revoke all on function private.claim_jobs(integer, interval, text[]) from public;
grant execute on function private.claim_jobs(integer, interval, text[]) to service_role;

-- Puts a claimed job back to pending at the given time. If the work was enqueued again while it
-- ran (a pending twin with the same dedupe key), the twin carries it on at the earlier time and
-- this row is closed as done: the newer payload wins and only one pending row may exist.
create function private.release_job(job_id bigint, run_at timestamptz, error text)
returns private.job_status
language plpgsql
set search_path = ''
as $$
declare
  job private.jobs;
  twin_id bigint;
begin
  select * into job from private.jobs j where j.id = job_id for update;
  begin
    if job.dedupe_key is null or not exists (
      select from private.jobs t
      where t.kind = job.kind and t.dedupe_key = job.dedupe_key and t.status = 'pending' and t.id <> job.id
    ) then
      update private.jobs j
      set status = 'pending', run_after = run_at, locked_by = null, locked_until = null, last_error = error
      where j.id = job_id;
      return 'pending'::private.job_status;
    end if;
  exception when unique_violation then
    null; -- enqueued again after the look above (its transaction committed meanwhile)
  end;
  update private.jobs t set run_after = least(t.run_after, run_at)
  where t.kind = job.kind and t.dedupe_key = job.dedupe_key and t.status = 'pending' and t.id <> job.id
  returning t.id into twin_id;
  update private.jobs j
  set status = 'done', finished_at = now(), locked_by = null, locked_until = null,
      last_error = error || format(' (carried on by job %s)', twin_id)
  where j.id = job_id;
  return 'done'::private.job_status;
end
$$;

comment on function private.release_job(bigint, timestamptz, text) is
  'Back to pending at a time (or handed to the pending twin with the same dedupe key). Internal to the job functions.';
revoke all on function private.release_job(bigint, timestamptz, text) from public;

-- Only the current holder of the claim may finish, retry or postpone: a worker whose lock
-- expired and whose job was claimed again changes nothing.
create function private.finish_job(id bigint, locked_by text)
returns boolean
language sql
set search_path = ''
as $$
  with finished as (
    update private.jobs j
    set status = 'done', finished_at = now(), locked_by = null, locked_until = null
    where j.id = finish_job.id and j.status = 'running' and j.locked_by = finish_job.locked_by
    returning 1
  )
  select exists (select from finished)
$$;

comment on function private.finish_job(bigint, text) is
  'Marks a claimed job done; false (and nothing changed) unless the caller still holds its claim.';
revoke all on function private.finish_job(bigint, text) from public;
grant execute on function private.finish_job(bigint, text) to service_role;

create function private.retry_job(id bigint, locked_by text, error text, retry_at timestamptz)
returns private.job_status
language plpgsql
set search_path = ''
as $$
declare
  job private.jobs;
begin
  select * into job from private.jobs j
  where j.id = retry_job.id and j.status = 'running' and j.locked_by = retry_job.locked_by
  for update;
  if not found then
    return null;
  end if;
  -- No retry_at: retrying cannot help (the worker's JobFailedPermanently, an unknown kind).
  if job.attempts >= job.max_attempts or retry_at is null then
    update private.jobs j
    set status = 'dead', finished_at = now(), locked_by = null, locked_until = null, last_error = error
    where j.id = job.id;
    return 'dead'::private.job_status;
  end if;
  return private.release_job(job.id, retry_at, error);
end
$$;

comment on function private.retry_job(bigint, text, text, timestamptz) is
  'A claimed job failed: pending again at retry_at, or dead once its attempts are spent or without a retry_at. Null unless the caller holds the claim.';
revoke all on function private.retry_job(bigint, text, text, timestamptz) from public;
grant execute on function private.retry_job(bigint, text, text, timestamptz) to service_role;

create function private.postpone_job(id bigint, locked_by text, until timestamptz, reason text)
returns boolean
language plpgsql
set search_path = ''
as $$
begin
  -- The claim spent an attempt; waiting (e.g. for an owner to reconnect) is not a failure.
  update private.jobs j set attempts = greatest(j.attempts - 1, 0)
  where j.id = postpone_job.id and j.status = 'running' and j.locked_by = postpone_job.locked_by;
  if not found then
    return false;
  end if;
  perform private.release_job(postpone_job.id, until, reason);
  return true;
end
$$;

comment on function private.postpone_job(bigint, text, timestamptz, text) is
  'A claimed job waits until a time without spending an attempt (reason kept in last_error). False unless the caller holds the claim.';
revoke all on function private.postpone_job(bigint, text, timestamptz, text) from public;
grant execute on function private.postpone_job(bigint, text, timestamptz, text) to service_role;

-- What was waiting for an organisation (e.g. its Google connection) may run now.
create function private.resume_jobs(organisation_id uuid, kind_prefix text)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  resumed integer;
begin
  update private.jobs j set run_after = now()
  where j.organisation_id = resume_jobs.organisation_id
    and j.status = 'pending' and j.run_after > now()
    and starts_with(j.kind, resume_jobs.kind_prefix);
  get diagnostics resumed = row_count;
  if resumed > 0 then
    perform private.wake_worker();
  end if;
  return resumed;
end
$$;

comment on function private.resume_jobs(uuid, text) is
  'Makes every pending job of an organisation whose kind starts with the prefix due now, and wakes the worker.';
revoke all on function private.resume_jobs(uuid, text) from public;
grant execute on function private.resume_jobs(uuid, text) to service_role;

-- For operators (scripts/jobs_retry.sql): a dead job gets a fresh set of attempts, a failed one
-- waiting for its next try runs now. A running job is left to its worker.
create function private.retry_failed_job(job_id bigint)
returns boolean
language plpgsql
set search_path = ''
as $$
declare
  job private.jobs;
begin
  select * into job from private.jobs j
  where j.id = job_id and (j.status = 'dead' or (j.status = 'pending' and j.last_error is not null))
  for update;
  if not found then
    return false;
  end if;
  update private.jobs j set attempts = 0, finished_at = null where j.id = job.id and j.status = 'dead';
  perform private.release_job(job.id, now(), job.last_error);
  perform private.wake_worker();
  return true;
end
$$;

comment on function private.retry_failed_job(bigint) is
  'Operators: a dead job runs again with fresh attempts, a failed pending one runs now. False for any other job.';
revoke all on function private.retry_failed_job(bigint) from public;
grant execute on function private.retry_failed_job(bigint) to service_role;
