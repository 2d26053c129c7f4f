-- The local project's URL and service-role key in Vault, as an operator stores them on a hosted
-- project (README, Production): the cron job and the wake after enqueueing reach this stack's
-- worker function. Re-applied at every start (the URL moves with FRONTDESK_PORT_BASE).
-- psql variables: project_url, service_role_key.
\ir ../../worker_vault_secrets.sql
