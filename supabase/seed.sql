-- Demo data for the local stack only (never run against production).
-- Issue #3 adds the demo clinics and their logins.
select 1;
