-- Local stand-in for Supabase Vault's SQL API (vault.create_secret, vault.update_secret,
-- vault.secrets, vault.decrypted_secrets) over pgcrypto. Hosted Supabase keeps the root
-- key outside SQL; here it is generated per checkout and stored where only the cluster's
-- superuser can read it. Idempotent. psql variable: vault_key.

create table if not exists local_supabase_compat.vault_key (
  id boolean primary key default true check (id),
  root_key text not null
);
revoke all on local_supabase_compat.vault_key from public;
-- Never replaced once set: re-keying would make every stored secret unreadable.
insert into local_supabase_compat.vault_key (root_key) values (:'vault_key')
on conflict (id) do nothing;

create schema if not exists vault authorization supabase_admin;

create table if not exists vault.secrets (
  id uuid primary key default gen_random_uuid(),
  name text,
  description text not null default '',
  secret text not null,
  key_id uuid,
  nonce bytea default extensions.gen_random_bytes(16),
  created_at timestamptz not null default current_timestamp,
  updated_at timestamptz not null default current_timestamp
);
comment on table vault.secrets is 'Table with encrypted `secret` column for storing sensitive information on disk.';
create unique index if not exists secrets_name_idx on vault.secrets (name) where name is not null;

create or replace function local_supabase_compat.vault_encrypt(plain text)
returns text
language sql
security definer
set search_path = ''
as $$
  select encode(
    extensions.pgp_sym_encrypt(plain, k.root_key, 'cipher-algo=aes256'), 'base64')
  from local_supabase_compat.vault_key k
$$;

create or replace function local_supabase_compat.vault_decrypt(cipher text)
returns text
language sql
security definer
set search_path = ''
as $$
  select extensions.pgp_sym_decrypt(decode(cipher, 'base64'), k.root_key)
  from local_supabase_compat.vault_key k
$$;
revoke all on function local_supabase_compat.vault_encrypt(text) from public;
revoke all on function local_supabase_compat.vault_decrypt(text) from public;
-- Functions inside a view run with the caller's execute rights: the view's readers need it.
grant usage on schema local_supabase_compat to postgres;
grant execute on function local_supabase_compat.vault_decrypt(text) to postgres;

create or replace view vault.decrypted_secrets as
select s.id, s.name, s.description, s.secret,
       local_supabase_compat.vault_decrypt(s.secret) as decrypted_secret,
       s.key_id, s.nonce, s.created_at, s.updated_at
from vault.secrets s;

create or replace function vault.create_secret(
  new_secret text,
  new_name text default null,
  new_description text default '',
  new_key_id uuid default null
)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  rec record;
begin
  insert into vault.secrets (secret, name, description, key_id)
  values (local_supabase_compat.vault_encrypt(new_secret), new_name, new_description, new_key_id)
  returning * into rec;
  return rec.id;
end
$$;

create or replace function vault.update_secret(
  secret_id uuid,
  new_secret text default null,
  new_name text default null,
  new_description text default null,
  new_key_id uuid default null
)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  update vault.secrets s
  set secret = coalesce(local_supabase_compat.vault_encrypt(new_secret), s.secret),
      name = coalesce(new_name, s.name),
      description = coalesce(new_description, s.description),
      key_id = coalesce(new_key_id, s.key_id),
      updated_at = now()
  where s.id = secret_id;
end
$$;

-- As on hosted Supabase: postgres (the migrations' owner) may use Vault and delegate it
-- through its own security-definer functions; the API roles get nothing.
revoke all on schema vault from public;
revoke all on all tables in schema vault from public, anon, authenticated, service_role;
revoke all on function vault.create_secret(text, text, text, uuid) from public;
revoke all on function vault.update_secret(uuid, text, text, text, uuid) from public;
grant usage on schema vault to postgres with grant option;
grant select, delete on vault.secrets, vault.decrypted_secrets to postgres with grant option;
grant execute on function vault.create_secret(text, text, text, uuid) to postgres with grant option;
grant execute on function vault.update_secret(uuid, text, text, text, uuid) to postgres with grant option;
