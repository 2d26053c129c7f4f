-- pg_cron and pg_net as a hosted Supabase project has them once enabled. Migrations enable both
-- with `create extension if not exists` (20261204100100_jobs_schedule.sql), which Supabase lets
-- `postgres` do; here only this superuser may create them, so they exist before migrations run
-- and those statements find them in place. Idempotent.
--
-- pg_cron is Debian's real extension (postgresql-15-cron; preloaded by postgres.ts). As on
-- Supabase, postgres may schedule jobs and read their runs.
create extension if not exists pg_cron with schema pg_catalog;
grant usage on schema cron to postgres with grant option;
grant all on all tables in schema cron to postgres with grant option;
grant all on all sequences in schema cron to postgres with grant option;
grant all on all functions in schema cron to postgres with grant option;

-- pg_net has no Debian package: compat/pg_net/ holds its SQL API as an extension of the same
-- name (installed into PostgreSQL's extension folder by pg_net.ts), and the stack's sender
-- performs the queued requests as pg_net's background worker does.
create extension if not exists pg_net with schema extensions;
