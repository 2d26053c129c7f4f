-- country_for_timezone: onboarding's proposed country. Signed-in users only; old zone names that
-- browsers still offer name their own country; every region the dashboard offers can be saved.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
\ir _tenancy_fixture.psql

select plan(13);

insert into tests.expectations values
  ('country_for_timezone', 'call', $$select public.country_for_timezone('Europe/Riga')$$,
   'denied', 'rows:1', 'rows:1', 'rows:1', 'rows:1', 'rows:1', 'rows:1');

select * from tests.access_matrix();

select tests.act_as('outsider@x.test');
select is(public.country_for_timezone('Europe/Riga'), 'LV', 'a zone gives its country');
select is(public.country_for_timezone('Europe/Kiev'), 'UA', 'an old zone name finds its country');
select results_eq(
  $$select public.country_for_timezone(z) from unnest(array[
      'Africa/Asmera', 'America/Coral_Harbour', 'Pacific/Ponape', 'Pacific/Truk', 'Iceland'
    ]) z$$,
  $$values ('ER'), ('CA'), ('FM'), ('FM'), ('IS')$$,
  'old names browsers offer name their own country, not that of the zone they link to');
select is(public.country_for_timezone('UTC'), null, 'UTC belongs to no country');
select is(public.country_for_timezone('Mars/Olympus_Mons'), null, 'an unknown zone gives nothing');
select tests.stop_acting();

select tests.act_as('owner@a.test');
select results_eq(
  $$select (public.create_organisation('Clinic in ' || c, 'UTC', country => c)).country
    from unnest(array['XK', 'AC', 'TA']) c$$,
  $$values ('XK'), ('AC'), ('TA')$$,
  'regions with phone numbering of their own but no iso3166.tab entry can be chosen');
select tests.stop_acting();

select * from finish();
rollback;
