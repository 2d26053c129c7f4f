-- Background jobs that need an operator's eye, per organisation: failed (waiting for their next
-- try after an error, or running again after one), dead (no more tries), and overdue (due for
-- more than 10 minutes yet not run: is the worker or its cron job down?). Read-only; errors are
-- stored without secrets. Retry with scripts/jobs_retry.sql.
--
--   psql "$DATABASE_URL" -f scripts/jobs_failed.sql
--   psql "$DATABASE_URL" -v slug=northside-dental -f scripts/jobs_failed.sql
\set ON_ERROR_STOP on
\set QUIET on
\if :{?slug}
\else
  \set slug ''
\endif

create temporary view jobs_needing_attention as
select
  j.*,
  coalesce(o.slug, '—') as organisation,
  case
    when j.status = 'dead' then 'dead'
    when j.last_error is not null then 'failed'
    else 'overdue'
  end as state
from private.jobs j
left join public.organisations o on o.id = j.organisation_id
where (:'slug' = '' or o.slug = :'slug')
  and (j.status = 'dead'
    or (j.status in ('pending', 'running') and j.last_error is not null)
    or (j.status = 'pending' and j.run_after < now() - interval '10 minutes'));

\echo 'Per organisation'
select
  organisation,
  count(*) filter (where state = 'failed') as failed,
  count(*) filter (where state = 'dead') as dead,
  count(*) filter (where state = 'overdue') as overdue,
  to_char(min(run_after) filter (where status = 'pending'), 'YYYY-MM-DD HH24:MI:SS TZ') as "next run",
  (array_agg(last_error order by updated_at desc) filter (where last_error is not null))[1]
    as "latest error"
from jobs_needing_attention
group by organisation
order by dead desc, failed desc, organisation;

\echo 'Jobs (newest change first)'
select
  id as job,
  organisation,
  kind,
  state,
  attempts || '/' || max_attempts as attempts,
  case when status = 'dead' then '—'
    else to_char(coalesce(locked_until, run_after), 'YYYY-MM-DD HH24:MI:SS TZ') end as "next run",
  to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS TZ') as changed,
  left(last_error, 200) as "last error"
from jobs_needing_attention
order by updated_at desc, id desc
limit 500;

drop view jobs_needing_attention;
