-- Credentials to rotate, across every organisation: expired, expiring within 14 days, or
-- last set more than 90 days ago. Read-only; prints no secret.
--
--   psql "$DATABASE_URL" -f scripts/credential_rotation_report.sql
--   psql "$DATABASE_URL" -v slug=northside-dental -f scripts/credential_rotation_report.sql
\set ON_ERROR_STOP on
\if :{?slug}
\else
  \set slug ''
\endif

select
  o.slug as organisation,
  r.kind,
  coalesce(t.account_sid, w.display_phone_number, w.meta_phone_number_id, c.account_email,
           r.subject_id::text) as "belongs to",
  '…' || r.last4 as "ends in",
  to_char(r.last_set_at, 'YYYY-MM-DD') as "last set",
  coalesce(to_char(r.expires_at, 'YYYY-MM-DD'), '—') as expires,
  r.reason
from public.credential_rotation_report r
join public.organisations o on o.id = r.organisation_id
left join public.twilio_accounts t on t.id = r.subject_id
left join public.whatsapp_channels w on w.id = r.subject_id
left join public.calendar_connections c on c.id = r.subject_id
where :'slug' = '' or o.slug = :'slug'
order by (r.reason = 'expired') desc, r.expires_at nulls last, r.last_set_at, o.slug;
