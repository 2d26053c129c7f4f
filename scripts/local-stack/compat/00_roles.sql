-- Local stand-in for what a hosted Supabase database has before any migration runs:
-- its roles, schemas, extensions and default privileges. Applied by the cluster's
-- superuser (supabase_admin, as on Supabase) to plain PostgreSQL only; install.ts
-- refuses to run it against a database that looks like a real Supabase one.
-- Idempotent: every start re-applies it.
-- psql variables: authenticator_password, auth_admin_password, postgres_password.

create schema if not exists local_supabase_compat;
comment on schema local_supabase_compat is
  'Marks a plain PostgreSQL database prepared by frontdesk''s local stack (never present on hosted Supabase).';
revoke all on schema local_supabase_compat from public;

do $$
declare
  api_role text;
begin
  -- API roles PostgREST switches to; nologin like on Supabase.
  foreach api_role in array array['anon', 'authenticated', 'service_role'] loop
    if not exists (select from pg_roles where rolname = api_role) then
      execute format('create role %I nologin noinherit', api_role);
    end if;
  end loop;
  if not exists (select from pg_roles where rolname = 'authenticator') then
    create role authenticator login noinherit;
  end if;
  if not exists (select from pg_roles where rolname = 'supabase_auth_admin') then
    create role supabase_auth_admin login noinherit createrole;
  end if;
  -- On Supabase "postgres" owns the project's objects but is not a superuser.
  if not exists (select from pg_roles where rolname = 'postgres') then
    create role postgres login;
  end if;
end
$$;

alter role service_role bypassrls;
alter role postgres nosuperuser createdb createrole replication bypassrls;
alter role authenticator with password :'authenticator_password';
alter role supabase_auth_admin with password :'auth_admin_password';
alter role postgres with password :'postgres_password';
grant anon, authenticated, service_role to authenticator;
grant anon, authenticated, service_role to postgres;

alter database postgres owner to postgres;
alter schema public owner to postgres;
grant all on schema public to postgres;
grant usage on schema public to anon, authenticated, service_role;

-- What PostgREST's roles see by default in public, as on Supabase.
alter default privileges for role postgres in schema public
  grant all on tables to anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on functions to anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on sequences to anon, authenticated, service_role;

create schema if not exists extensions;
grant usage on schema extensions to postgres, anon, authenticated, service_role;
create extension if not exists pgcrypto with schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;
-- pgTAP is pre-installed because only a superuser may create it here; Supabase ships it
-- as an available extension and tests "create extension if not exists" it.
create extension if not exists pgtap with schema extensions;
-- Needed by `supabase db lint`; hosted Supabase lets postgres create it, plain PG does not.
create extension if not exists plpgsql_check with schema extensions;
alter default privileges in schema extensions grant all on functions to postgres with grant option;
grant all on all functions in schema extensions to postgres with grant option;

create schema if not exists auth authorization supabase_admin;
grant usage on schema auth to postgres, anon, authenticated, service_role;
grant all on schema auth to supabase_auth_admin;

-- Supabase's search_path, so unqualified extension functions resolve the same way.
alter role postgres set search_path = "$user", public, extensions;
alter role authenticator set search_path = "$user", public, extensions;
alter role supabase_auth_admin set search_path = auth;
-- PostgREST's per-role settings on Supabase.
alter role authenticator set statement_timeout = '8s';
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
