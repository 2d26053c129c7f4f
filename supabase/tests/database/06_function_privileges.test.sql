-- Which database functions the API roles may call. A new function is callable by nobody
-- until granted; this list changes only on purpose.
begin;
create extension if not exists pgtap with schema extensions;
select plan(3);

select is(
  array(
    select n.nspname || '.' || p.proname
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname in ('public', 'private') and has_function_privilege('anon', p.oid, 'execute')
    order by 1
  ),
  array[]::text[],
  'anon may call no function of ours'
);

select is(
  array(
    select p.proname::text
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'private' and has_function_privilege('authenticated', p.oid, 'execute')
    order by 1
  ),
  array[
    'appointment_for_change', 'check_language_map', 'check_language_map_lengths', 'check_length',
    'describe_clash', 'describe_commitment', 'describe_days', 'lock_organisation_rows', 'normalise_e164',
    'organisation_ids_for_current_user', 'raise_taken', 'require_bookable', 'require_future',
    'require_member', 'role_in_organisation', 'teammate_ids_for_current_user', 'week_minutes'
  ],
  'signed-in users may call only the private helpers that policies and triggers need'
);

select is(
  array(
    select p.proname::text
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and p.prokind = 'f'
      and has_function_privilege('authenticated', p.oid, 'execute')
    order by 1
  ),
  array[
    'accept_invitation', 'availability_inputs', 'begin_calendar_connection', 'book_appointment',
    'cancel_appointment',
    'clear_credential', 'country_for_timezone', 'create_organisation', 'delete_organisation',
    'disconnect_calendar', 'find_or_create_contact', 'hand_back_conversation',
    'invite_member', 'mark_conversation_read', 'organisation_member_emails', 'remove_member',
    'reorder_intents', 'reschedule_appointment', 'reset_test_chat', 'resolve_conversation',
    'retry_voice_connection', 'revoke_invitation', 'send_staff_reply', 'send_test_chat_message',
    'set_appointment_status', 'set_credential', 'take_over_conversation',
    'update_member_role'
  ],
  'signed-in users may call exactly the RPCs meant for the dashboard'
);

select * from finish();
rollback;
