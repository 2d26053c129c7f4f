-- Reordering intents: one call numbers all of them or none, for owners and admins only.
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
\ir _tenancy_fixture.psql

select plan(16);

insert into public.intents (id, organisation_id, name, example_phrases, responses, position) values
  ('1a000000-0000-4000-8000-000000000001', '0a000000-0000-4000-8000-00000000000a', 'Book', '{book}', '{"en": "Sure"}', 1),
  ('1a000000-0000-4000-8000-000000000002', '0a000000-0000-4000-8000-00000000000a', 'Cancel', '{cancel}', '{"en": "Sure"}', 2),
  ('1a000000-0000-4000-8000-000000000003', '0a000000-0000-4000-8000-00000000000a', 'Prices', '{prices}', '{"en": "Sure"}', 3),
  ('1b000000-0000-4000-8000-000000000001', '0b000000-0000-4000-8000-00000000000b', 'Book', '{book}', '{"en": "Sure"}', 1);

create function tests.intent_order()
returns text
language sql
as $$
  select string_agg(i.name || '=' || i.position, ' ' order by i.position, i.name)
  from public.intents i where i.organisation_id = '0a000000-0000-4000-8000-00000000000a'
$$;
grant execute on function tests.intent_order() to authenticated;

-- Who may: owners and admins of the clinic; everyone else is refused in words.
select tests.act_as('owner@a.test');
select lives_ok(
  $$select public.reorder_intents('0a000000-0000-4000-8000-00000000000a', array[
    '1a000000-0000-4000-8000-000000000003', '1a000000-0000-4000-8000-000000000001',
    '1a000000-0000-4000-8000-000000000002']::uuid[])$$,
  'an owner reorders the clinic''s intents');
select is(tests.intent_order(), 'Prices=1 Book=2 Cancel=3', 'the intents are numbered in the order given');
select tests.act_as('admin@a.test');
select lives_ok(
  $$select public.reorder_intents('0a000000-0000-4000-8000-00000000000a', array[
    '1a000000-0000-4000-8000-000000000001', '1a000000-0000-4000-8000-000000000003',
    '1a000000-0000-4000-8000-000000000002']::uuid[])$$,
  'an admin reorders them too');
select is(tests.intent_order(), 'Book=1 Prices=2 Cancel=3', 'the admin''s order is saved');
select tests.stop_acting();
select is(
  (select count(*)::int from public.audit_log
   where organisation_id = '0a000000-0000-4000-8000-00000000000a'
     and action = 'intent.updated' and details -> 'changes' ? 'position'),
  5, 'each intent whose place changed is audited once (3, then 2)');

select tests.act_as('member@a.test');
select throws_ok(
  $$select public.reorder_intents('0a000000-0000-4000-8000-00000000000a', array[
    '1a000000-0000-4000-8000-000000000003', '1a000000-0000-4000-8000-000000000002',
    '1a000000-0000-4000-8000-000000000001']::uuid[])$$,
  '42501', 'Only owners and admins can reorder intents', 'a member may not reorder');
select tests.act_as('owner@b.test');
select throws_ok(
  $$select public.reorder_intents('0a000000-0000-4000-8000-00000000000a', array[
    '1a000000-0000-4000-8000-000000000003', '1a000000-0000-4000-8000-000000000002',
    '1a000000-0000-4000-8000-000000000001']::uuid[])$$,
  '42501', 'You are not a member of this organisation', 'another clinic''s owner may not reorder');
select tests.act_as('outsider@x.test');
select throws_ok(
  $$select public.reorder_intents('0a000000-0000-4000-8000-00000000000a', '{}')$$,
  '42501', 'You are not a member of this organisation', 'a signed-in outsider may not reorder');
select is(
  tests.attempt('anon', $$select public.reorder_intents('0a000000-0000-4000-8000-00000000000a', '{}')$$),
  'denied', 'anon may not call it');
select tests.stop_acting();
select is(tests.intent_order(), 'Book=1 Prices=2 Cancel=3', 'refused calls changed nothing');

-- What: exactly the clinic's intents, each once; anything else changes nothing at all.
select tests.act_as('owner@a.test');
select throws_ok(
  $$select public.reorder_intents('0a000000-0000-4000-8000-00000000000a', array[
    '1a000000-0000-4000-8000-000000000003', '1a000000-0000-4000-8000-000000000001']::uuid[])$$,
  '22023', 'The new order must list each of the clinic''s intents exactly once',
  'a list missing an intent (one added meanwhile) is refused');
select throws_ok(
  $$select public.reorder_intents('0a000000-0000-4000-8000-00000000000a', array[
    '1a000000-0000-4000-8000-000000000003', '1a000000-0000-4000-8000-000000000003',
    '1a000000-0000-4000-8000-000000000001', '1a000000-0000-4000-8000-000000000002']::uuid[])$$,
  '22023', 'The new order must list each of the clinic''s intents exactly once',
  'an intent listed twice is refused');
select throws_ok(
  $$select public.reorder_intents('0a000000-0000-4000-8000-00000000000a', array[
    '1a000000-0000-4000-8000-000000000003', '1a000000-0000-4000-8000-000000000002',
    '1b000000-0000-4000-8000-000000000001']::uuid[])$$,
  '22023', 'The new order must list each of the clinic''s intents exactly once',
  'another clinic''s intent in the list is refused');
select throws_ok(
  $$select public.reorder_intents('0a000000-0000-4000-8000-00000000000a', null)$$,
  '22023', 'The new order must list each of the clinic''s intents exactly once',
  'no list is refused');
select tests.stop_acting();
select is(tests.intent_order(), 'Book=1 Prices=2 Cancel=3', 'refused lists changed nothing');
select is(
  (select position from public.intents where id = '1b000000-0000-4000-8000-000000000001'),
  1, 'the other clinic''s intent kept its place');

select * from finish();
rollback;
