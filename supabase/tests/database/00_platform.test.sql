-- What the migrations rely on from the platform (hosted Supabase, or the local stack's
-- compatibility layer): JWT claims reach auth.*(), Vault encrypts, API roles cannot read it.
begin;
create extension if not exists pgtap with schema extensions;
select plan(17);

-- auth.uid() and friends read the claims PostgREST sets for the request.
select is(auth.uid(), null, 'auth.uid() is null without a request');
set local request.jwt.claims to
  '{"sub":"8f0cb1c6-0f38-4c3e-9f39-3d9a1b1c2d3e","role":"authenticated","email":"ana@example.test","app_metadata":{"provider":"email"}}';
select is(auth.uid(), '8f0cb1c6-0f38-4c3e-9f39-3d9a1b1c2d3e'::uuid, 'auth.uid() is the sub claim');
select is(auth.role(), 'authenticated', 'auth.role() is the role claim');
select is(auth.email(), 'ana@example.test', 'auth.email() is the email claim');
select is(auth.jwt() -> 'app_metadata' ->> 'provider', 'email', 'auth.jwt() is the whole claims object');

-- Vault: a secret goes in encrypted and comes back only through decrypted_secrets.
create temporary table secret_ids as
  select vault.create_secret('sk_test_4242', 'platform_test_secret', 'pgTAP round trip') as id;
select isnt(
  (select secret from vault.secrets where id = (select id from secret_ids)),
  'sk_test_4242',
  'vault.secrets stores ciphertext, not the secret'
);
select is(
  (select decrypted_secret from vault.decrypted_secrets where id = (select id from secret_ids)),
  'sk_test_4242',
  'vault.decrypted_secrets returns the secret'
);
select vault.update_secret((select id from secret_ids), 'sk_test_rotated');
select is(
  (select decrypted_secret from vault.decrypted_secrets where id = (select id from secret_ids)),
  'sk_test_rotated',
  'vault.update_secret rotates the secret'
);
select is(
  (select name from vault.decrypted_secrets where id = (select id from secret_ids)),
  'platform_test_secret',
  'vault.update_secret without a name keeps the name'
);
grant select on secret_ids to anon, authenticated, service_role;

-- No API role can read or write Vault.
set local role anon;
select throws_ok('select * from vault.decrypted_secrets', '42501', null, 'anon cannot read decrypted secrets');
select throws_ok('select * from vault.secrets', '42501', null, 'anon cannot read vault.secrets');
reset role;
set local role authenticated;
select throws_ok('select * from vault.decrypted_secrets', '42501', null, 'authenticated cannot read decrypted secrets');
select throws_ok($$select vault.create_secret('x')$$, '42501', null, 'authenticated cannot create secrets');
reset role;
set local role service_role;
select throws_ok('select * from vault.decrypted_secrets', '42501', null, 'service_role cannot read decrypted secrets');
select throws_ok('select * from vault.secrets', '42501', null, 'service_role cannot read vault.secrets');
select throws_ok(
  $$select vault.update_secret((select id from secret_ids), 'stolen')$$,
  '42501', null, 'service_role cannot overwrite secrets'
);
reset role;
select is(
  (select decrypted_secret from vault.decrypted_secrets where id = (select id from secret_ids)),
  'sk_test_rotated',
  'refused writes changed nothing'
);

select * from finish();
rollback;
