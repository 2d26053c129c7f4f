-- The tenancy RPCs: who may call each one (every API role × organisation relation), the
-- last-owner rule, and the invitation lifecycle (expiry, email match, reuse, sign-up).
begin;
create extension if not exists pgtap with schema extensions;
\ir _helpers.psql
\ir _tenancy_fixture.psql

do $$
begin
  insert into public.organisation_invitations (id, organisation_id, email, role, token_hash) values
    ('1a000000-0000-4000-8000-00000000001a', '0a000000-0000-4000-8000-00000000000a',
     'pending@a.test', 'member', extensions.digest('token-a', 'sha256')),
    ('1c000000-0000-4000-8000-00000000001c', '0a000000-0000-4000-8000-00000000000a',
     'future-owner@a.test', 'owner', extensions.digest('token-owner', 'sha256'));
end
$$;

insert into tests.expectations values
  ('create_organisation', 'call', $$select public.create_organisation('New Clinic', 'Europe/Paris')$$,
   'denied', 'rows:1', 'rows:1', 'rows:1', 'rows:1', 'rows:1', 'denied'),
  ('invite_member', 'of a member', $$select * from public.invite_member('0a000000-0000-4000-8000-00000000000a', 'new@a.test', 'member')$$,
   'denied', 'denied', 'denied', 'rows:1', 'rows:1', 'denied', 'denied'),
  ('invite_member', 'of an owner', $$select * from public.invite_member('0a000000-0000-4000-8000-00000000000a', 'new@a.test', 'owner')$$,
   'denied', 'denied', 'denied', 'denied', 'rows:1', 'denied', 'denied'),
  ('revoke_invitation', 'of a member', $$select public.revoke_invitation('1a000000-0000-4000-8000-00000000001a')$$,
   'denied', 'denied', 'denied', 'rows:1', 'rows:1', 'denied', 'denied'),
  ('revoke_invitation', 'of an owner', $$select public.revoke_invitation('1c000000-0000-4000-8000-00000000001c')$$,
   'denied', 'denied', 'denied', 'denied', 'rows:1', 'denied', 'denied'),
  ('update_member_role', 'call', $$select public.update_member_role('0a000000-0000-4000-8000-00000000000a', tests.user_id('member@a.test'), 'admin')$$,
   'denied', 'denied', 'denied', 'denied', 'rows:1', 'denied', 'denied'),
  ('remove_member', 'of the member', $$select public.remove_member('0a000000-0000-4000-8000-00000000000a', tests.user_id('member@a.test'))$$,
   'denied', 'denied', 'rows:1', 'rows:1', 'rows:1', 'denied', 'denied'),
  ('remove_member', 'of the admin', $$select public.remove_member('0a000000-0000-4000-8000-00000000000a', tests.user_id('admin@a.test'))$$,
   'denied', 'denied', 'denied', 'rows:1', 'rows:1', 'denied', 'denied'),
  ('remove_member', 'of the only owner', $$select public.remove_member('0a000000-0000-4000-8000-00000000000a', tests.user_id('owner@a.test'))$$,
   'denied', 'denied', 'denied', 'denied', 'error:23514', 'denied', 'denied'),
  ('delete_organisation', 'call', $$select public.delete_organisation('0a000000-0000-4000-8000-00000000000a')$$,
   'denied', 'denied', 'denied', 'denied', 'rows:1', 'denied', 'denied'),
  ('accept_invitation', 'of someone else', $$select public.accept_invitation('token-a')$$,
   'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied');

select plan(tests.access_matrix_size() + 39);

select * from tests.access_matrix();

-- Refusals explain themselves.
select tests.act_as('admin@a.test');
select throws_ok(
  $$select * from public.invite_member('0a000000-0000-4000-8000-00000000000a', 'x@a.test', 'owner')$$,
  '42501', 'Only owners can invite owners', 'an admin is told only owners invite owners');
select throws_ok(
  $$select public.remove_member('0a000000-0000-4000-8000-00000000000a', tests.user_id('owner@a.test'))$$,
  '42501', 'Admins cannot remove an owner', 'an admin is told they cannot remove an owner');
select throws_ok(
  $$select * from public.invite_member('0a000000-0000-4000-8000-00000000000a', 'member@a.test', 'member')$$,
  '23505', 'member@a.test is already a member', 'inviting a member again is refused clearly');
select throws_ok(
  $$select * from public.invite_member('0a000000-0000-4000-8000-00000000000a', 'not-an-email', 'member')$$,
  '22023', '"not-an-email" is not an email address', 'a malformed address is refused clearly');
select tests.act_as('owner@a.test');
select throws_ok(
  $$select public.create_organisation('   ', 'UTC')$$,
  '22023', 'A clinic name needs 1 to 120 characters', 'a blank name is refused clearly');
select throws_ok(
  $$select public.create_organisation('Clinic', 'UTC', array['en'], null, 'Not A Slug')$$,
  '22023', 'The address "Not A Slug" may only use lower-case letters, digits and single dashes (2–63 characters)',
  'a malformed address is refused clearly');
select throws_ok(
  $$select public.create_organisation('Clinic', 'Mars/Olympus')$$,
  '22023', 'Unknown time zone "Mars/Olympus"', 'an unknown time zone is refused clearly');
select throws_ok(
  $$select public.create_organisation('Clinic', 'UTC', array['english'])$$,
  '22023', 'Unknown language code "english"', 'a malformed language is refused clearly');
select throws_ok(
  $$select public.create_organisation('Clinic', 'UTC', array['en'], 'ru')$$,
  '22023', 'The default language "ru" is not one of the organisation''s languages',
  'a default language outside the list is refused clearly');
select throws_ok(
  $$select public.create_organisation('Clinic', 'Europe/London', array['en', 'xx'])$$,
  '22023', 'Unknown language code "xx"',
  'a well-formed code that is not a supported language is refused');
select throws_ok(
  $$update public.organisations set languages = array['en', 'ru', 'xx'] where id = '0a000000-0000-4000-8000-00000000000a'$$,
  '22023', 'Unknown language code "xx"', 'so is adding one later');
select throws_ok(
  $$select public.create_organisation('Clinic', 'Europe/London', array['en', 'en'])$$,
  '22023', 'Each language can be chosen once', 'a language is chosen once');
select is(
  (select country from public.create_organisation('Clinic in Riga', 'Europe/Riga')),
  'LV', 'the country defaults to the time zone''s');
select is(
  (select country from public.create_organisation('Clinic in Kyiv', 'Europe/Kiev')),
  'UA', 'old zone names find their country too');
select is(
  (select country from public.create_organisation('Clinic on the border', 'Europe/Berlin', country => 'at')),
  'AT', 'a given country wins over the time zone''s, upper-cased');
select is(
  (select country from public.create_organisation('Clinic in UTC', 'UTC')),
  'GB', 'a zone of no country gives GB, to be changed in the settings');
select is(
  (select country from public.create_organisation('Clinic at sea', 'UTC', country => 'IE')),
  'IE', 'or the country given');
select throws_ok(
  $$select public.create_organisation('Clinic', 'Europe/London', country => 'XX')$$,
  '22023', 'Unknown country code "XX"', 'an unknown country is refused');
select throws_ok(
  $$update public.organisations set country = 'Latvia' where id = '0a000000-0000-4000-8000-00000000000a'$$,
  '22023', 'Unknown country code "LATVIA"', 'a country is an ISO code, not a name');
select lives_ok(
  $$update public.organisations set country = 'IE' where id = '0a000000-0000-4000-8000-00000000000a'$$,
  'an owner changes the country');

-- The last owner can neither leave, be demoted nor be removed; a second owner frees them.
select throws_ok(
  $$select public.update_member_role('0a000000-0000-4000-8000-00000000000a', tests.user_id('owner@a.test'), 'admin')$$,
  '23514', 'An organisation must keep at least one owner', 'the only owner cannot demote themselves');
select throws_ok(
  $$select public.remove_member('0a000000-0000-4000-8000-00000000000a', tests.user_id('owner@a.test'))$$,
  '23514', 'An organisation must keep at least one owner', 'the only owner cannot leave');
select lives_ok(
  $$select public.update_member_role('0a000000-0000-4000-8000-00000000000a', tests.user_id('admin@a.test'), 'owner')$$,
  'an owner promotes an admin to owner');
select lives_ok(
  $$select public.remove_member('0a000000-0000-4000-8000-00000000000a', tests.user_id('owner@a.test'))$$,
  'with a second owner, the first may leave');
select tests.stop_acting();
select throws_ok(
  $$delete from public.organisation_members where user_id = tests.user_id('admin@a.test')$$,
  '23514', 'An organisation must keep at least one owner',
  'the rule holds for direct writes too (service code, operators)');
select tests.act_as('admin@a.test');
select lives_ok(
  $$select public.delete_organisation('0a000000-0000-4000-8000-00000000000a')$$,
  'the owner deletes the organisation');
select tests.stop_acting();
select is(
  (select count(*)::int from public.organisation_members where organisation_id = '0a000000-0000-4000-8000-00000000000a'),
  0, 'its memberships went with it');

-- Invitations: the invited address accepts once, before expiry. The invitee's account is
-- confirmed before they are invited, so the sign-up trigger has nothing to accept for them.
do $$
begin
  perform tests.create_user('invitee@b.test');
  insert into public.organisation_invitations (organisation_id, email, role, token_hash, expires_at)
  values
    ('0b000000-0000-4000-8000-00000000000b', 'invitee@b.test', 'admin',
     extensions.digest('valid-token', 'sha256'), now() + interval '1 second'),
    ('0b000000-0000-4000-8000-00000000000b', 'late@b.test', 'member',
     extensions.digest('expired-token', 'sha256'), now());
end
$$;
select tests.act_as('invitee@b.test');
select throws_ok($$select public.accept_invitation('no-such-token')$$, 'PT404',
  'This invitation is not valid (it may have been withdrawn)', 'an unknown token is refused');
select is(public.accept_invitation('valid-token'), '0b000000-0000-4000-8000-00000000000b'::uuid,
  'the invited address accepts and learns the organisation');
select tests.stop_acting();
select is(
  (select role::text from public.organisation_members
   where organisation_id = '0b000000-0000-4000-8000-00000000000b' and user_id = tests.user_id('invitee@b.test')),
  'admin', 'they joined with the invitation''s role');
select tests.act_as('invitee@b.test');
select is(public.accept_invitation('valid-token'), '0b000000-0000-4000-8000-00000000000b'::uuid,
  'accepting again (a double click) is harmless');
select tests.stop_acting();
do $$ begin perform tests.create_user('someone-else@b.test'); end $$;
select tests.act_as('someone-else@b.test');
select throws_ok($$select public.accept_invitation('valid-token')$$, '22023',
  'This invitation has already been used', 'an invitation works for one person only');
select tests.stop_acting();
do $$ begin perform tests.create_user('late@b.test'); end $$;
select tests.act_as('late@b.test');
select throws_ok($$select public.accept_invitation('expired-token')$$, '22023',
  'This invitation has expired', 'an invitation that reached its expiry time is refused');
select tests.stop_acting();
select is(
  (select count(*)::int from public.organisation_members where user_id = tests.user_id('late@b.test')),
  0, 'nor was the expired invitation accepted at sign-up');

-- Pending invitations are accepted when the invited address signs up.
select tests.act_as('owner@b.test');
create temporary table issued on commit drop as
  select * from public.invite_member('0b000000-0000-4000-8000-00000000000b', 'Newcomer@B.test', 'member');
select tests.stop_acting();
select is((select invited_email from issued), 'newcomer@b.test', 'addresses are stored lower-case');
select is(
  (select token_hash from public.organisation_invitations where id = (select invitation_id from issued)),
  extensions.digest((select token from issued), 'sha256'),
  'only the token''s SHA-256 is stored');
select ok(
  (select expires_at from issued) between now() + interval '7 days' - interval '1 minute' and now() + interval '7 days',
  'invitations expire after 7 days by default');
do $$ begin perform tests.create_user('newcomer@b.test'); end $$;
select is(
  (select role::text from public.organisation_members
   where organisation_id = '0b000000-0000-4000-8000-00000000000b' and user_id = tests.user_id('newcomer@b.test')),
  'member', 'signing up with an invited address joins the organisation');
select isnt(
  (select accepted_at from public.organisation_invitations where id = (select invitation_id from issued)),
  null, 'and marks the invitation accepted');

select * from finish();
rollback;
