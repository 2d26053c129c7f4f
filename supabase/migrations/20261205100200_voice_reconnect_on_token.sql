-- Vapi keeps the clinic's Twilio auth token with each imported number, so a rotated token
-- connects the account's voice numbers again (the new token reaches Vapi), and a first token
-- connects those not connected yet (a number that failed for want of a token connects once an
-- owner sets it; numbers written connected, as the seed's, stay as they are). One helper for this and
-- for a new escalation phone (the numbers' fallback destination in Vapi).

-- Makes the organisation's numbers that answer calls (of one Twilio account, when given; only
-- those not connected, when asked) pending and enqueues their connect job (one per number while
-- waiting).
create function private.reconnect_voice_numbers(
  organisation uuid,
  account uuid default null,
  unconnected_only boolean default false
)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  number_id uuid;
begin
  for number_id in
    update public.phone_numbers p set voice_connection = 'pending', voice_connection_error = null
    where p.organisation_id = organisation and p.active and p.voice_enabled
      and (account is null or p.twilio_account_id = account)
      and not (unconnected_only and p.voice_connection = 'connected')
    returning p.id
  loop
    perform private.enqueue_job('vapi.connect_number', jsonb_build_object('phone_number_id', number_id),
      organisation, number_id::text);
  end loop;
end
$$;

comment on function private.reconnect_voice_numbers(uuid, uuid, boolean) is
  'Connects the organisation''s voice numbers (of one Twilio account, when given) to Vapi again.';
revoke all on function private.reconnect_voice_numbers(uuid, uuid, boolean) from public;

create or replace function private.reconnect_voice_on_escalation_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.escalation_phone is distinct from old.escalation_phone then
    perform private.reconnect_voice_numbers(new.organisation_id);
  end if;
  return null;
end
$$;

create function private.reconnect_voice_on_twilio_token()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.kind = 'twilio_auth_token' then
    perform private.reconnect_voice_numbers(new.organisation_id, new.subject_id, tg_op = 'INSERT');
  end if;
  return null;
end
$$;

revoke all on function private.reconnect_voice_on_twilio_token() from public;

create trigger credentials_reconnect_voice
  after insert or update of rotated_at on public.credentials
  for each row execute function private.reconnect_voice_on_twilio_token();
