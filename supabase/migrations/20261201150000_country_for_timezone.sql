-- The clinic's country in the dashboard: onboarding proposes the chosen time zone's
-- country, and every country the dashboard offers is one the database accepts.
--
-- * country_for_timezone answers the dashboard from private.timezone_countries, so the browser
--   carries no copy of tzdata.
-- * Old zone names that browsers still offer (ICU keeps them: Africa/Asmera, Pacific/Truk…) got
--   the country of the zone they now link to; they name their own country again.
-- * The dashboard offers libphonenumber-js's regions, which include three codes iso3166.tab
--   lacks; a clinic there could not save its country.

-- ---------------------------------------------------------------------------
-- Countries of old zone names
-- ---------------------------------------------------------------------------

-- Clinics that got the wrong country from such a zone are corrected too (nobody could choose a
-- country until now).
with corrected (timezone, was, country) as (
  values
    ('Africa/Asmera', 'KE', 'ER'),
    ('Africa/Timbuktu', 'CI', 'ML'),
    ('America/Coral_Harbour', 'PA', 'CA'),
    ('America/Virgin', 'PR', 'VI'),
    ('Antarctica/South_Pole', 'NZ', 'AQ'),
    ('Atlantic/Jan_Mayen', 'DE', 'SJ'),
    ('Iceland', 'CI', 'IS'),
    ('Pacific/Johnston', 'US', 'UM'),
    ('Pacific/Ponape', 'SB', 'FM'),
    ('Pacific/Truk', 'PG', 'FM'),
    ('Pacific/Yap', 'PG', 'FM')
),
zones as (
  update private.timezone_countries t
  set country = c.country
  from corrected c
  where t.timezone = c.timezone
)
update public.organisations o
set country = c.country
from corrected c
where o.timezone = c.timezone and o.country = c.was;

-- ---------------------------------------------------------------------------
-- Regions with their own phone numbering that iso3166.tab lacks
-- ---------------------------------------------------------------------------

insert into private.countries (code, name) values
  ('AC', 'Ascension Island'),
  ('TA', 'Tristan da Cunha'),
  ('XK', 'Kosovo');

comment on table private.countries is
  'ISO 3166-1 alpha-2 codes and English names (tzdata iso3166.tab), plus AC, TA and XK, which have phone numbering of their own (the dashboard offers libphonenumber-js''s regions).';

-- ---------------------------------------------------------------------------
-- country_for_timezone
-- ---------------------------------------------------------------------------

-- Invoker: authenticated reads private.timezone_countries already (the organisation trigger).
create function public.country_for_timezone(timezone text)
returns text
language sql
stable
set search_path = ''
as $$
  select t.country from private.timezone_countries t where t.timezone = country_for_timezone.timezone
$$;

comment on function public.country_for_timezone(text) is
  'The ISO 3166-1 alpha-2 country of an IANA time zone, or null (UTC, Etc/*, unknown): onboarding proposes it.';

revoke all on function public.country_for_timezone(text) from public, anon;
grant execute on function public.country_for_timezone(text) to authenticated, service_role;
