-- Waking the worker at most once a second. private.enqueue_job woke the worker through pg_net once
-- per transaction: at 200 webhook deliveries a second that was 200 worker invocations a second.
-- Now a wake first claims the single row of private.worker_wake (`woken_at` older than a second);
-- a transaction that loses skips the request. Nothing is stranded: a woken worker keeps polling
-- for due jobs for a couple of seconds after it starts (_shared/io/jobs.ts, runDueJobs
-- lingerMs), longer than the throttle's second, so work enqueued while a wake was skipped is
-- claimed by the worker of the wake that won.

create table private.worker_wake (
  singleton boolean primary key default true check (singleton),
  woken_at timestamptz not null default '-infinity'
);

comment on table private.worker_wake is
  'When the worker was last woken through pg_net (one row): wakes closer than a second apart are skipped.';

revoke all on private.worker_wake from public, anon, authenticated;
grant select, update on private.worker_wake to service_role;
-- No policies: only the owner and service_role (which bypasses RLS) ever read it.
alter table private.worker_wake enable row level security;

insert into private.worker_wake default values;

-- As before (URL and key from Vault, once per transaction), plus the throttle. The row update
-- waits only for a concurrent winner's commit, and then finds the row fresh and skips.
create or replace function private.wake_worker()
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
  perform set_config('frontdesk.worker_woken', 'on', true);
  update private.worker_wake w set woken_at = now()
  where w.singleton and w.woken_at < now() - interval '1 second';
  if not found then
    return; -- another wake within the second: its worker is still polling
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
end
$$;

comment on function private.wake_worker() is
  'Wakes the worker edge function through pg_net at most once per transaction and once a second (private.worker_wake); a no-op without the Vault URL and key.';

-- When the next job of these kinds falls due: a worker with budget left waits for it (a
-- reply postponed by a burst's two seconds) instead of leaving it to the next wake or cron.
create function private.next_job_due(kinds text[] default null)
returns timestamptz
language sql
stable
set search_path = ''
as $$
  select min(j.run_after) from private.jobs j
  where j.status = 'pending' and (kinds is null or j.kind = any (kinds))
$$;

comment on function private.next_job_due(text[]) is
  'The earliest run_after of pending jobs of the kinds (null: any); null when none is pending.';
revoke all on function private.next_job_due(text[]) from public;
grant execute on function private.next_job_due(text[]) to service_role;
