-- Offboard a clinic: delete its organisation and, through the foreign keys' `on delete
-- cascade`, every row the tenant owns (members, invitations, channels, credentials with their
-- Vault secrets, settings, audit log, ...). Run with psql as the `postgres` role, against the
-- local stack or a hosted Supabase project:
--
--   psql "$DATABASE_URL" -v slug=harbour-dental -f scripts/offboard_clinic.sql
--       shows what belongs to the clinic and refuses to delete it;
--   psql "$DATABASE_URL" -v slug=harbour-dental -v confirm=harbour-dental -f scripts/offboard_clinic.sql
--       deletes it (confirm must repeat the slug exactly).
--
-- One transaction: without the confirmation, or on any error, nothing is deleted. Auth users are
-- not deleted (an account may belong to other clinics); those left in no organisation are listed,
-- to be removed in the Supabase dashboard (Authentication → Users) if they should go too.

\set ON_ERROR_STOP on
\set QUIET on
\set SHOW_CONTEXT never
\if :{?slug} \else \set slug '' \endif
\if :{?confirm} \else \set confirm '' \endif

begin;

-- psql does not expand variables inside the dollar-quoted blocks below: they read this table.
create temporary table offboard_input on commit drop as
select lower(btrim(:'slug')) as slug, :'confirm'::text as confirm;

create temporary table offboard_target on commit drop as
select o.id, o.name, o.slug
from public.organisations o
where o.slug = (select i.slug from pg_temp.offboard_input i)
for update;

do $check$
begin
  if (select i.slug from pg_temp.offboard_input i) = '' then
    raise exception 'slug is required' using errcode = '22023',
      hint = 'psql "$DATABASE_URL" -v slug=<slug> -v confirm=<slug> -f scripts/offboard_clinic.sql';
  end if;
  if not exists (select from pg_temp.offboard_target) then
    raise exception 'No organisation has the slug "%"; nothing was deleted',
      (select i.slug from pg_temp.offboard_input i)
      using errcode = 'P0002';
  end if;
end
$check$;

-- Every table that references organisations, with the rows this tenant has in it now (a view: the
-- verification after the delete counts again with the same query).
create temporary view offboard_tenant_rows as
select
  format('%I.%I', n.nspname, c.relname) as table_name,
  (xpath('/row/n/text()', query_to_xml(format(
    'select count(*) as n from %I.%I where %I = %L',
    n.nspname, c.relname, a.attname, (select t.id from pg_temp.offboard_target t)
  ), false, true, '')))[1]::text::bigint as rows
from pg_catalog.pg_constraint k
join pg_catalog.pg_class c on c.oid = k.conrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
join pg_catalog.pg_attribute a on a.attrelid = k.conrelid and a.attnum = k.conkey[1]
where k.contype = 'f'
  and k.confrelid = 'public.organisations'::regclass
  and cardinality(k.conkey) = 1;

-- What is deleted, counted before the delete.
create temporary table offboard_rows on commit drop as
select r.table_name, r.rows from pg_temp.offboard_tenant_rows r
union all
select 'public.organisations', 1;

\echo
\echo 'Offboarding: the organisation below and everything it owns'
\echo
\echo 'Organisation'
select t.id, t.name, t.slug, o.timezone, array_to_string(o.languages, ',') as languages,
  o.created_at
from pg_temp.offboard_target t
join public.organisations o on o.id = t.id;

\echo 'Members'
select u.email, m.role, p.display_name
from public.organisation_members m
join pg_temp.offboard_target t on t.id = m.organisation_id
join auth.users u on u.id = m.user_id
left join public.profiles p on p.id = m.user_id
order by m.role, u.email;

\echo 'Open invitations'
select i.email, i.role, i.expires_at
from public.organisation_invitations i
join pg_temp.offboard_target t on t.id = i.organisation_id
where i.accepted_at is null and i.revoked_at is null
order by i.created_at;

\echo 'Rows per table'
select r.table_name, r.rows from pg_temp.offboard_rows r where r.rows > 0 order by r.table_name;

do $confirm$
begin
  if (select i.confirm from pg_temp.offboard_input i)
    is distinct from (select t.slug from pg_temp.offboard_target t) then
    raise exception 'Not deleted: confirm with -v confirm=% to delete "%" and everything above',
      (select t.slug from pg_temp.offboard_target t), (select t.name from pg_temp.offboard_target t)
      using errcode = '42501';
  end if;
end
$confirm$;

-- Members that will be in no organisation at all afterwards (their Auth accounts stay).
create temporary table offboard_orphans on commit drop as
select u.email
from public.organisation_members m
join pg_temp.offboard_target t on t.id = m.organisation_id
join auth.users u on u.id = m.user_id
where not exists (
  select from public.organisation_members other
  where other.user_id = m.user_id and other.organisation_id <> t.id
);

delete from public.organisations o using pg_temp.offboard_target t where o.id = t.id;

-- Verification inside the transaction: nothing of the tenant is left in any table.
do $verify$
declare
  leftover record;
begin
  for leftover in select r.table_name, r.rows from pg_temp.offboard_tenant_rows r
  loop
    if leftover.rows > 0 then
      raise exception '% still has % rows of the organisation; nothing was deleted',
        leftover.table_name, leftover.rows;
    end if;
  end loop;
end
$verify$;

select
  format('Deleted %s (%s): %s rows in %s tables', t.name, t.slug,
    (select sum(r.rows) from pg_temp.offboard_rows r),
    (select count(*) from pg_temp.offboard_rows r where r.rows > 0)) as offboard_report,
  coalesce((select string_agg(o.email, ', ' order by o.email) from pg_temp.offboard_orphans o),
    'none') as offboard_orphans,
  t.id as offboard_id
from pg_temp.offboard_target t
\gset

-- The view reads a temporary table that goes at commit.
drop view pg_temp.offboard_tenant_rows;
commit;

\echo
\echo :offboard_report
\echo 'Users now in no organisation (their accounts remain):' :offboard_orphans
select exists (select from public.organisations o where o.id = :'offboard_id') as still_present;
