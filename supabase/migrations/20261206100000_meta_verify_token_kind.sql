-- A clinic's own Meta app has a verify token for Meta's webhook handshake, kept in Vault like
-- every credential (20261206100100_meta_apps.sql). A value added to an enum cannot be used in
-- the transaction that adds it, so it has a migration of its own.

alter type public.credential_kind add value if not exists 'meta_verify_token';
