-- Meta signs webhooks per app, not per number, so Meta apps are modelled explicitly:
-- - The platform's own app (META_APP_SECRET, META_VERIFY_TOKEN in the functions' environment)
--   is not a row: a WhatsApp channel with no meta_app_id receives through it.
-- - public.meta_apps: a clinic's own app. Its secret (credential meta_app_secret) and its
--   verify token (credential meta_verify_token) are in Vault with the app as subject; its
--   webhook URL is ${PUBLIC_FUNCTIONS_URL}/whatsapp/apps/<id>.
-- The per-channel webhook_verify_token and its RPC go; a channel's app secret moves to an app
-- of its own (with the old verify token as the app's), so deployed channels keep receiving.
-- Channels and SMS numbers also say why sending fails (send_problem, set by service code).

-- ---------------------------------------------------------------------------
-- meta_apps
-- ---------------------------------------------------------------------------

create table public.meta_apps (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  label text not null default '' check (char_length(label) <= 80),
  meta_app_id text check (meta_app_id ~ '^[0-9]{5,30}$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organisation_id, id)
);

comment on table public.meta_apps is
  'A clinic''s own Meta app (webhook URL …/whatsapp/apps/<id>); its secret and verify token are credentials in Vault. The platform''s app is configured by environment, not a row.';
comment on column public.meta_apps.meta_app_id is 'Meta''s App ID (digits), for people to recognise the app; optional.';

revoke all on public.meta_apps from anon, authenticated;
grant select on public.meta_apps to authenticated;
grant insert (organisation_id, label, meta_app_id), update (label, meta_app_id), delete
  on public.meta_apps to authenticated;
grant all on public.meta_apps to service_role;

create index meta_apps_organisation_id_idx on public.meta_apps (organisation_id);

alter table public.meta_apps enable row level security;

create policy "members read their Meta apps"
  on public.meta_apps for select
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user()));

create policy "owners and admins add Meta apps"
  on public.meta_apps for insert
  to authenticated
  with check (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "owners and admins update Meta apps"
  on public.meta_apps for update
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create policy "owners and admins remove Meta apps"
  on public.meta_apps for delete
  to authenticated
  using (organisation_id in (select private.organisation_ids_for_current_user(array['owner', 'admin']::public.organisation_role[])));

create function private.validate_meta_app()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_channel_access(new.organisation_id);
  new.label := btrim(new.label);
  new.meta_app_id := nullif(btrim(new.meta_app_id), '');
  if new.meta_app_id is not null and new.meta_app_id !~ '^[0-9]{5,30}$' then
    raise exception 'A Meta App ID is digits only'
      using errcode = '22023', hint = 'Meta for Developers → your app → App settings → Basic → App ID.';
  end if;
  return new;
end
$$;

revoke all on function private.validate_meta_app() from public;

create trigger meta_apps_validate
  before insert or update on public.meta_apps
  for each row execute function private.validate_meta_app();

create trigger meta_apps_touch_updated_at
  before update on public.meta_apps
  for each row execute function private.touch_updated_at();

create trigger meta_apps_audit
  after insert or update or delete on public.meta_apps
  for each row execute function private.audit_channel_change('meta_app');

create trigger meta_apps_delete_credentials
  after delete on public.meta_apps
  for each row execute function private.delete_subject_credentials();

-- ---------------------------------------------------------------------------
-- whatsapp_channels: which app receives for the channel; why sending fails
-- ---------------------------------------------------------------------------

alter table public.whatsapp_channels
  add constraint whatsapp_channels_organisation_id_id_key unique (organisation_id, id),
  add column meta_app_id uuid,
  add column send_problem text check (char_length(send_problem) <= 500),
  add column send_problem_at timestamptz,
  -- An app of the channel's own clinic; removing an app in use is refused (below).
  add foreign key (meta_app_id, organisation_id) references public.meta_apps (id, organisation_id),
  add constraint whatsapp_channels_meta_app_for_meta check (meta_app_id is null or provider = 'meta');

comment on column public.whatsapp_channels.meta_app_id is
  'The clinic''s own Meta app that receives for this number; null: the platform''s app.';
comment on column public.whatsapp_channels.send_problem is
  'Why sending fails (e.g. the access token expired), in a sentence for the clinic; null when sending works. Service code sets and clears it.';
comment on column public.whatsapp_channels.send_problem_at is 'When send_problem was found.';

grant select (meta_app_id, send_problem, send_problem_at) on public.whatsapp_channels to authenticated;
grant insert (meta_app_id), update (meta_app_id) on public.whatsapp_channels to authenticated;

create index whatsapp_channels_meta_app_id_idx on public.whatsapp_channels (meta_app_id, organisation_id)
  where meta_app_id is not null;

-- Same checks as before (20261201110100), plus: the app is the clinic's own and the channel
-- a Meta one, in words.
create or replace function private.validate_whatsapp_channel()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_channel_access(new.organisation_id);
  if new.twilio_sender is not null then
    new.twilio_sender := private.normalise_e164(new.twilio_sender);
  end if;
  new.display_phone_number := nullif(btrim(new.display_phone_number), '');
  if new.display_phone_number is not null then
    new.display_phone_number := private.normalise_e164(new.display_phone_number);
  end if;
  new.meta_phone_number_id := nullif(btrim(new.meta_phone_number_id), '');
  new.meta_waba_id := nullif(btrim(new.meta_waba_id), '');
  if new.provider = 'meta' and (new.meta_phone_number_id is null or new.meta_phone_number_id !~ '^[0-9]{5,30}$') then
    raise exception 'A WhatsApp phone number ID is the long number Meta shows for the sender'
      using errcode = '22023', hint = 'WhatsApp Manager → API setup → Phone number ID (digits only).';
  end if;
  if new.meta_waba_id is not null and new.meta_waba_id !~ '^[0-9]{5,30}$' then
    raise exception 'A WhatsApp Business Account ID is digits only' using errcode = '22023';
  end if;
  if new.meta_app_id is not null then
    if new.provider <> 'meta' then
      raise exception 'Only a Meta Cloud API number receives through a Meta app'
        using errcode = '22023', hint = 'Leave the app empty for a Twilio WhatsApp sender.';
    end if;
    if not exists (select from public.meta_apps a
                   where a.id = new.meta_app_id and a.organisation_id = new.organisation_id) then
      raise exception 'That Meta app is not one of this clinic''s'
        using errcode = '22023', hint = 'Add the app on the Channels page first, or pick the platform''s app.';
    end if;
  end if;
  if new.provider = 'meta' and exists (
    select from public.whatsapp_channels w
    where w.provider = 'meta' and w.meta_phone_number_id = new.meta_phone_number_id and w.id <> new.id
  ) then
    raise exception 'This WhatsApp number is already connected to a clinic' using errcode = '23505';
  end if;
  if new.provider = 'twilio' and exists (
    select from public.whatsapp_channels w
    where w.provider = 'twilio' and w.twilio_account_id = new.twilio_account_id
      and w.twilio_sender = new.twilio_sender and w.id <> new.id
  ) then
    raise exception '% is already a WhatsApp sender of this Twilio account', new.twilio_sender
      using errcode = '23505';
  end if;
  return new;
end
$$;

-- Removing an app that numbers still receive through would silently cut them off. Not checked
-- when the whole clinic goes (its organisation row is gone by then).
create function private.refuse_meta_app_in_use()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  in_use integer;
begin
  if not exists (select from public.organisations o where o.id = old.organisation_id) then
    return old;
  end if;
  select count(*) into in_use from public.whatsapp_channels w where w.meta_app_id = old.id;
  if in_use > 0 then
    raise exception 'This Meta app still receives messages for % WhatsApp number(s)', in_use
      using errcode = '23503', hint = 'Move those numbers to another app (or the platform''s) first.';
  end if;
  return old;
end
$$;

revoke all on function private.refuse_meta_app_in_use() from public;

create trigger meta_apps_refuse_in_use
  before delete on public.meta_apps
  for each row execute function private.refuse_meta_app_in_use();

-- ---------------------------------------------------------------------------
-- phone_numbers: why sending SMS fails
-- ---------------------------------------------------------------------------

alter table public.phone_numbers
  add column send_problem text check (char_length(send_problem) <= 500),
  add column send_problem_at timestamptz;

comment on column public.phone_numbers.send_problem is
  'Why sending SMS fails (e.g. the Twilio auth token was rejected), in a sentence for the clinic; null when sending works. Service code sets and clears it.';
comment on column public.phone_numbers.send_problem_at is 'When send_problem was found.';

-- ---------------------------------------------------------------------------
-- Credentials: an app's secret and verify token; a channel keeps only its access token
-- ---------------------------------------------------------------------------

create or replace function private.credential_subject_organisation(
  subject_id uuid,
  kind public.credential_kind
)
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select case
    when kind = 'twilio_auth_token' then
      (select t.organisation_id from public.twilio_accounts t where t.id = subject_id)
    when kind = 'meta_access_token' then
      (select w.organisation_id from public.whatsapp_channels w
       where w.id = subject_id and w.provider = 'meta')
    when kind in ('meta_app_secret', 'meta_verify_token') then
      (select a.organisation_id from public.meta_apps a where a.id = subject_id)
    when kind in ('google_refresh_token', 'google_access_token') then
      (select c.organisation_id from public.calendar_connections c where c.id = subject_id)
  end
$$;

-- Deployed channels with an app secret of their own: the secret moves (same Vault secret) to
-- a new app of the clinic, the channel's verify token becomes the app's, and the channel
-- receives through it. Channels without one join the platform's app.
do $$
declare
  channel record;
  app_id uuid;
begin
  for channel in
    select w.id, w.organisation_id, w.label, w.webhook_verify_token, c.id as credential_id
    from public.whatsapp_channels w
    join public.credentials c on c.subject_id = w.id and c.kind = 'meta_app_secret'
  loop
    insert into public.meta_apps (organisation_id, label)
    values (channel.organisation_id, left(btrim(channel.label || ' app'), 80))
    returning id into app_id;
    update public.credentials c set subject_id = app_id where c.id = channel.credential_id;
    perform private.save_credential(channel.organisation_id, app_id, 'meta_verify_token',
      channel.webhook_verify_token, null, '{"service": "migration"}'::jsonb);
    update public.whatsapp_channels w set meta_app_id = app_id where w.id = channel.id;
  end loop;
end
$$;

-- An app secret left on anything but an app (none should be) is of no use any more.
delete from public.credentials c
where c.kind = 'meta_app_secret' and not exists (select from public.meta_apps a where a.id = c.subject_id);

drop function public.whatsapp_webhook_verify_token(uuid);
alter table public.whatsapp_channels drop column webhook_verify_token;
