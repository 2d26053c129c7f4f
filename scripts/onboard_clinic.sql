-- Onboard a clinic (organisation) and its owner. Run with psql as the `postgres` role, against
-- the local stack or a hosted Supabase project:
--
--   psql "$DATABASE_URL" -v name='Harbour Dental' -v timezone=Europe/London -v languages=en,ru \
--        -v owner_email=owner@harbour.example -f scripts/onboard_clinic.sql
--
-- Variables: name, timezone (IANA), languages (comma list of supported codes, public.languages;
-- the first is the default language unless default_language is given), owner_email. Optional:
-- slug (default: from the name), default_language, country (ISO 3166-1 alpha-2, how national
-- phone numbers are read; default: the time zone's country; required for UTC), app_url (the
-- dashboard's address, to print a full invitation link), twilio_account_sid and voice_number
-- (together: the clinic's Twilio account and the number patients call; the number answers calls
-- at once and a background job connects it to the assistant — it needs the account's auth
-- token, which an owner or admin sets on the Channels page: never pass a secret on a command
-- line; the number connects as soon as the token is set).
--
-- One transaction, idempotent: the organisation is found by its slug, so running the script
-- again with the same variables changes nothing. An existing organisation's settings are never
-- overwritten (the clinic may have changed them); a slug already used by a clinic of another
-- name is refused. The owner becomes a member at once only when an Auth user with that
-- address has confirmed it (the confirmation mail proves they own it); otherwise, also for an
-- account that has not confirmed yet, they get a pending owner invitation, accepted
-- automatically when they confirm the address (or through the printed link). The invitation token is
-- printed only when the invitation is created (only its SHA-256 is stored); a re-run keeps it
-- and cannot show it again. An expired invitation is replaced by a fresh one.
-- Ends with verification queries: the organisation, its members, its open invitations, its
-- practitioners (a new clinic has one, named after it, who performs every service added) and
-- its booking rules.

\set ON_ERROR_STOP on
\set QUIET on
\set SHOW_CONTEXT never
\if :{?name} \else \set name '' \endif
\if :{?timezone} \else \set timezone '' \endif
\if :{?languages} \else \set languages '' \endif
\if :{?owner_email} \else \set owner_email '' \endif
\if :{?slug} \else \set slug '' \endif
\if :{?default_language} \else \set default_language '' \endif
\if :{?app_url} \else \set app_url '' \endif
\if :{?country} \else \set country '' \endif
\if :{?twilio_account_sid} \else \set twilio_account_sid '' \endif
\if :{?voice_number} \else \set voice_number '' \endif

begin;

create temporary table onboard_input on commit drop as
select
  btrim(:'name') as name,
  btrim(:'timezone') as timezone,
  array(
    select btrim(l) from unnest(string_to_array(:'languages', ',')) as l where btrim(l) <> ''
  ) as languages,
  lower(btrim(:'owner_email')) as owner_email,
  lower(btrim(:'slug')) as slug,
  nullif(btrim(:'default_language'), '') as default_language,
  upper(nullif(btrim(:'country'), '')) as country,
  rtrim(btrim(:'app_url'), '/') as app_url,
  btrim(:'twilio_account_sid') as twilio_account_sid,
  btrim(:'voice_number') as voice_number;

create temporary table onboard_outcome (
  position int generated always as identity,
  step text not null,
  outcome text not null
) on commit drop;

create temporary table onboard_target (organisation_id uuid not null) on commit drop;

do $onboard$
declare
  input record;
  chosen_slug text;
  org public.organisations;
  owner_id uuid;
  current_role_in_org public.organisation_role;
  invitation public.organisation_invitations;
  plain_token text;
  link text;
  account public.twilio_accounts;
  number public.phone_numbers;
begin
  select * into input from pg_temp.onboard_input;

  if (input.twilio_account_sid = '') <> (input.voice_number = '') then
    raise exception 'twilio_account_sid and voice_number go together'
      using errcode = '22023',
        hint = 'Pass both (-v twilio_account_sid=AC... -v voice_number=+44...) or neither.';
  end if;

  if input.name = '' or input.timezone = '' or cardinality(input.languages) = 0
    or input.owner_email = '' then
    raise exception 'name, timezone, languages and owner_email are required'
      using errcode = '22023',
        hint = 'psql "$DATABASE_URL" -v name=''Harbour Dental'' -v timezone=Europe/London '
          || '-v languages=en -v owner_email=owner@harbour.example -f scripts/onboard_clinic.sql';
  end if;
  if input.owner_email !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' then
    raise exception 'owner_email "%" is not an email address', input.owner_email
      using errcode = '22023';
  end if;

  if input.country is null and not exists (
    select from private.timezone_countries t where t.timezone = input.timezone
  ) and exists (select from pg_catalog.pg_timezone_names z where z.name = input.timezone) then
    raise exception 'The time zone % belongs to no country: give the clinic''s country', input.timezone
      using errcode = '22023', hint = 'Add -v country=GB (an ISO 3166-1 alpha-2 code).';
  end if;

  chosen_slug := coalesce(nullif(input.slug, ''), btrim(left(private.slugify(input.name), 63), '-'));
  if chosen_slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$' or char_length(chosen_slug) not between 2 and 63 then
    raise exception '"%" cannot be used as the organisation''s slug', chosen_slug
      using errcode = '22023',
        hint = 'Pass -v slug=... with 2 to 63 lower-case letters, digits and single hyphens.';
  end if;

  -- The organisation: created once, found by its slug afterwards.
  -- The organisation's trigger validates every value (time zone, supported languages,
  -- country) and derives the country from the time zone when none is given.
  insert into public.organisations (name, slug, timezone, languages, default_language, country)
  values (
    input.name, chosen_slug, input.timezone, input.languages,
    coalesce(input.default_language, input.languages[1]), input.country
  )
  on conflict (slug) do nothing
  returning * into org;

  if org.id is not null then
    insert into pg_temp.onboard_outcome (step, outcome)
    values ('organisation', format('created %s (%s)', org.name, org.slug));
  else
    select * into org from public.organisations o where o.slug = chosen_slug for update;
    if lower(org.name) <> lower(input.name) then
      raise exception 'The slug "%" already belongs to the organisation "%"', chosen_slug, org.name
        using errcode = '23505',
          hint = 'Onboarding another clinic: choose another slug with -v slug=... . '
            || 'Re-running for this clinic: pass its current name.';
    end if;
    insert into pg_temp.onboard_outcome (step, outcome)
    values ('organisation', format('already exists: %s (%s), left unchanged', org.name, org.slug));
    if org.timezone <> input.timezone
      or org.languages <> input.languages
      or org.default_language <> coalesce(input.default_language, input.languages[1])
      or org.country <> coalesce(input.country, org.country) then
      insert into pg_temp.onboard_outcome (step, outcome)
      values ('note', format(
        'its settings differ from the variables (timezone %s, languages %s, default %s, '
          || 'country %s); change them in the dashboard if needed',
        org.timezone, array_to_string(org.languages, ','), org.default_language, org.country
      ));
    end if;
  end if;
  insert into pg_temp.onboard_target values (org.id);

  -- The owner: a member at once when their address is a confirmed Auth user.
  select u.id into owner_id
  from auth.users u
  where lower(u.email) = input.owner_email
    and u.email_confirmed_at is not null
    and u.deleted_at is null
    and not u.is_anonymous
  order by u.is_sso_user, u.created_at
  limit 1;

  if owner_id is not null then
    select m.role into current_role_in_org
    from public.organisation_members m
    where m.organisation_id = org.id and m.user_id = owner_id
    for update;
    if current_role_in_org = 'owner' then
      insert into pg_temp.onboard_outcome (step, outcome)
      values ('owner', format('%s is already an owner', input.owner_email));
    elsif current_role_in_org is not null then
      update public.organisation_members m set role = 'owner'
      where m.organisation_id = org.id and m.user_id = owner_id;
      insert into pg_temp.onboard_outcome (step, outcome)
      values ('owner', format('%s was %s, is now owner', input.owner_email, current_role_in_org));
    else
      insert into public.organisation_members (organisation_id, user_id, role)
      values (org.id, owner_id, 'owner');
      insert into pg_temp.onboard_outcome (step, outcome)
      values ('owner', format('%s added as owner (existing user)', input.owner_email));
    end if;
    -- A membership makes any open invitation of that address to this clinic moot.
    update public.organisation_invitations i set revoked_at = now()
    where i.organisation_id = org.id and i.email = input.owner_email
      and i.accepted_at is null and i.revoked_at is null;
    if found then
      insert into pg_temp.onboard_outcome (step, outcome)
      values ('invitation', 'their open invitation was withdrawn (they are a member now)');
    end if;
  else
    -- No confirmed user yet: an owner invitation, accepted when they sign up and confirm.
    if exists (select from auth.users u where lower(u.email) = input.owner_email and u.deleted_at is null) then
      insert into pg_temp.onboard_outcome (step, outcome)
      values ('note', format('an account with %s exists but has not confirmed the address: '
        || 'it joins when the address is confirmed', input.owner_email));
    end if;
    select * into invitation
    from public.organisation_invitations i
    where i.organisation_id = org.id and i.email = input.owner_email
      and i.accepted_at is null and i.revoked_at is null
    for update;
    if invitation.id is not null and invitation.expires_at <= now() then
      update public.organisation_invitations i set revoked_at = now() where i.id = invitation.id;
      insert into pg_temp.onboard_outcome (step, outcome)
      values ('invitation', format('the invitation of %s had expired on %s: replaced',
        input.owner_email, to_char(invitation.expires_at, 'YYYY-MM-DD HH24:MI TZ')));
      invitation := null;
    end if;
    if invitation.id is not null then
      if invitation.role <> 'owner' then
        update public.organisation_invitations i set role = 'owner' where i.id = invitation.id;
      end if;
      insert into pg_temp.onboard_outcome (step, outcome)
      values ('owner', format(
        '%s already has a pending invitation%s, expires %s (its link was printed when it was '
          || 'created and cannot be shown again)',
        input.owner_email,
        case when invitation.role <> 'owner'
          then format(' (was %s, now owner)', invitation.role) else ' as owner' end,
        to_char(invitation.expires_at, 'YYYY-MM-DD HH24:MI TZ')
      ));
    else
      plain_token := encode(extensions.gen_random_bytes(24), 'hex');
      insert into public.organisation_invitations (organisation_id, email, role, token_hash)
      values (org.id, input.owner_email, 'owner', extensions.digest(plain_token, 'sha256'))
      returning * into invitation;
      link := input.app_url || '/#/invitations/' || plain_token;
      insert into pg_temp.onboard_outcome (step, outcome)
      values
        ('owner', format('%s invited as owner (no confirmed user with that address yet), '
          || 'expires %s; accepted automatically when they sign up', input.owner_email,
          to_char(invitation.expires_at, 'YYYY-MM-DD HH24:MI TZ'))),
        ('invitation link', format('%s   <- shown only now; send it to %s',
          link, input.owner_email));
    end if;
  end if;

  -- The voice number: answers calls now; its connect job (enqueued by the phone_numbers
  -- trigger) imports it into Vapi once the account's auth token is set.
  if input.voice_number <> '' then
    select * into account from public.twilio_accounts t where t.account_sid = input.twilio_account_sid;
    if account.id is null then
      insert into public.twilio_accounts (organisation_id, account_sid)
      values (org.id, input.twilio_account_sid)
      returning * into account;
      insert into pg_temp.onboard_outcome (step, outcome)
      values ('twilio account', format('added %s', account.account_sid));
    elsif account.organisation_id <> org.id then
      raise exception 'The Twilio account % belongs to another clinic', account.account_sid
        using errcode = '23505';
    end if;
    select * into number from public.phone_numbers p
    where p.organisation_id = org.id and p.e164 = private.normalise_e164(input.voice_number);
    if number.id is null then
      insert into public.phone_numbers (organisation_id, twilio_account_id, e164, voice_enabled)
      values (org.id, account.id, input.voice_number, true)
      returning * into number;
      insert into pg_temp.onboard_outcome (step, outcome)
      values ('voice number', format('%s added; connecting to the assistant', number.e164));
    elsif not (number.active and number.voice_enabled) then
      update public.phone_numbers p set active = true, voice_enabled = true
      where p.id = number.id
      returning * into number;
      insert into pg_temp.onboard_outcome (step, outcome)
      values ('voice number', format('%s answers calls now; connecting to the assistant', number.e164));
    else
      insert into pg_temp.onboard_outcome (step, outcome)
      values ('voice number', format('%s already answers calls (%s)', number.e164, number.voice_connection));
    end if;
    if not exists (
      select from public.credentials c where c.subject_id = account.id and c.kind = 'twilio_auth_token'
    ) then
      insert into pg_temp.onboard_outcome (step, outcome)
      values ('note', format('an owner or admin sets the auth token of %s on the Channels page; '
        || 'the number connects then', account.account_sid));
    end if;
  end if;
end
$onboard$;

-- Reported after the commit, so a printed link always belongs to a stored invitation.
select o.organisation_id,
  (select string_agg(format('  %-16s %s', r.step, r.outcome), E'\n' order by r.position)
   from pg_temp.onboard_outcome r) as onboard_report
from pg_temp.onboard_target o
\gset

commit;

\echo
\echo 'Onboarding'
\echo :onboard_report
\echo

-- Verification: what the tenant has now (committed state).
\echo 'Organisation'
select o.id, o.name, o.slug, o.timezone, array_to_string(o.languages, ',') as languages,
  o.default_language, o.country, o.created_at
from public.organisations o
where o.id = :'organisation_id';

\echo 'Members'
select u.email, m.role, p.display_name, m.created_at as member_since
from public.organisation_members m
join auth.users u on u.id = m.user_id
left join public.profiles p on p.id = m.user_id
where m.organisation_id = :'organisation_id'
order by m.role, u.email;

\echo 'Pending invitations'
select i.email, i.role, i.expires_at, i.expires_at <= now() as expired, i.created_at
from public.organisation_invitations i
where i.organisation_id = :'organisation_id'
  and i.accepted_at is null and i.revoked_at is null
order by i.created_at;

\echo 'Practitioners'
select p.display_name, p.active,
  (select count(*) from public.practitioner_services ps where ps.practitioner_id = p.id) as services
from public.practitioners p
where p.organisation_id = :'organisation_id'
order by p.position, p.display_name;

\echo 'Voice numbers'
select p.e164, p.active, p.voice_enabled, p.voice_connection, p.voice_connection_error
from public.phone_numbers p
where p.organisation_id = :'organisation_id'
order by p.e164;

\echo 'Booking rules'
select r.slot_interval_minutes, r.min_notice_minutes, r.horizon_days, r.patient_change_cutoff_hours
from public.booking_rules r
where r.organisation_id = :'organisation_id';
