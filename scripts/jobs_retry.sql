-- Retries background jobs: the dead and failed jobs of one organisation, or one job by its id
-- (as scripts/jobs_failed.sql lists them). A dead job gets a fresh set of attempts; a failed one
-- waiting for its next try runs now; running and done jobs are left alone. The worker is woken.
--
--   psql "$DATABASE_URL" -v slug=northside-dental -f scripts/jobs_retry.sql
--   psql "$DATABASE_URL" -v job=1234 -f scripts/jobs_retry.sql
\set ON_ERROR_STOP on
\set QUIET on
\set SHOW_CONTEXT never
\if :{?slug}
\else
  \set slug ''
\endif
\if :{?job}
\else
  \set job ''
\endif

begin;

create temporary table retry_input on commit drop as
select lower(btrim(:'slug')) as slug, btrim(:'job') as job;

do $retry$
declare
  input record;
begin
  select * into input from pg_temp.retry_input;
  if (input.slug = '') = (input.job = '') then
    raise exception 'Give either slug or job'
      using errcode = '22023',
        hint = 'psql "$DATABASE_URL" -v slug=northside-dental -f scripts/jobs_retry.sql, or -v job=1234';
  end if;
  if input.job <> '' and input.job !~ '^[0-9]{1,18}$' then
    raise exception 'job "%" is not a job id', input.job using errcode = '22023';
  end if;
  if input.slug <> '' and not exists (select from public.organisations o where o.slug = input.slug) then
    raise exception 'No organisation has the slug "%"', input.slug using errcode = '22023';
  end if;
  if input.job <> '' and not exists (select from private.jobs j where j.id = input.job::bigint) then
    raise exception 'No job has the id %', input.job using errcode = '22023';
  end if;
end
$retry$;

select j.id as job, coalesce(o.slug, '—') as organisation, j.kind, j.status as was,
  private.retry_failed_job(j.id) as retried
from private.jobs j
left join public.organisations o on o.id = j.organisation_id
cross join pg_temp.retry_input i
where (i.job <> '' and j.id = nullif(i.job, '')::bigint)
   or (i.slug <> '' and o.slug = i.slug
     and (j.status = 'dead' or (j.status = 'pending' and j.last_error is not null)))
order by j.id;

commit;
