-- Stores what the database needs to call the `worker` edge function (the pg_cron job
-- `frontdesk-worker` and the wake after enqueueing, 20261204100000_jobs.sql): the project's URL
-- and its service-role key, as the Vault secrets `project_url` and `service_role_key`. Run once
-- per hosted project (again after rotating the key) with psql as `postgres`:
--
--   psql "$DATABASE_URL" -v project_url=https://<ref>.supabase.co \
--        -v service_role_key="$SUPABASE_SERVICE_ROLE_KEY" -f scripts/worker_vault_secrets.sql
--
-- The local stack applies it at every start with its own URL and key (compat/60_worker_secrets.sql).
-- Idempotent: an existing secret is updated in place. Prints only the names it stored.

\set ON_ERROR_STOP on
\set QUIET on
\if :{?project_url} \else \echo 'Set -v project_url=https://<ref>.supabase.co' \quit \endif
\if :{?service_role_key} \else \echo 'Set -v service_role_key=<the service_role key>' \quit \endif

-- One statement (no transaction block: the local stack applies this inside its own); the ids of
-- the secrets it creates are not worth printing.
\o /dev/null
with wanted (name, secret, description) as (
  values
    ('project_url', rtrim(:'project_url', '/'), 'API URL the database calls the worker function at'),
    ('service_role_key', :'service_role_key', 'service_role key the database calls the worker function with')
),
updated as (
  select s.name, vault.update_secret(s.id, w.secret) from vault.secrets s join wanted w using (name)
)
select vault.create_secret(w.secret, w.name, w.description)
from wanted w
where w.name not in (select u.name from updated u);
\o

select name as "stored in Vault", updated_at from vault.secrets
where name in ('project_url', 'service_role_key') order by name;
