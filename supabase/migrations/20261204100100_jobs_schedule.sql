-- The worker edge function runs every minute whatever happens to the wake-ups after enqueueing
-- (a lost request, a worker that stopped): pg_cron calls it through pg_net with the project URL
-- and service-role key from Vault, as Supabase documents ("Scheduling Edge Functions"). Both
-- extensions are enabled the way Supabase documents; the local stack has them in place already
-- (scripts/local-stack/compat/50_cron_net.sql), so these statements pass there unchanged.
create extension if not exists pg_cron with schema pg_catalog;
create extension if not exists pg_net with schema extensions;

-- Scheduling under an existing name replaces that job: re-running this is harmless.
select cron.schedule(
  'frontdesk-worker',
  '* * * * *',
  $$
  select net.http_post(
    url := (select decrypted_secret from vault.decrypted_secrets where name = 'project_url')
      || '/functions/v1/worker',
    headers := jsonb_build_object(
      'Content-Type', 'application/json',
      'Authorization', 'Bearer ' || (select decrypted_secret from vault.decrypted_secrets where name = 'service_role_key')
    ),
    body := '{}'::jsonb,
    timeout_milliseconds := 30000
  ) as request_id;
  $$
);

-- Finished jobs are kept a while for operators, then deleted by the worker (job jobs.prune).
select cron.schedule(
  'frontdesk-jobs-prune',
  '17 3 * * *',
  $$select private.enqueue_job('jobs.prune', dedupe_key => 'jobs.prune')$$
);
