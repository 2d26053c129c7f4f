-- Reordering intents in one transaction. The dashboard used to write each moved row on its own,
-- so a failure halfway (a lost connection, a refusal) left intents sharing a place or out of the
-- order anyone chose.

-- Numbers the organisation's intents 1, 2, 3… in the order given, which must name each of its
-- intents exactly once (a list read before someone added or removed one is refused, not half
-- applied). Security invoker: the intents' row-level security applies as to any update; the
-- role check only words the refusal. Rows whose place does not change are not written (nor
-- audited).
create function public.reorder_intents(organisation_id uuid, intent_ids uuid[])
returns void
language plpgsql
security invoker
set search_path = ''
as $$
declare
  target_org uuid := organisation_id;
  caller_role public.organisation_role := private.role_in_organisation(target_org);
  current_ids uuid[];
begin
  if caller_role is null then
    raise exception 'You are not a member of this organisation' using errcode = '42501';
  end if;
  if caller_role not in ('owner', 'admin') then
    raise exception 'Only owners and admins can reorder intents' using errcode = '42501';
  end if;
  -- Locked in one order, so two reorders of the same clinic wait for each other, never deadlock.
  select coalesce(array_agg(locked.id order by locked.id), '{}') into current_ids
  from (
    select i.id from public.intents i where i.organisation_id = target_org order by i.id for update
  ) locked;
  if (select coalesce(array_agg(given order by given), '{}') from unnest(intent_ids) given)
     is distinct from current_ids then
    raise exception 'The new order must list each of the clinic''s intents exactly once'
      using errcode = '22023',
        hint = 'Intents were added or removed meanwhile: check the order and try again.';
  end if;
  update public.intents i
  set position = wanted.place
  from unnest(intent_ids) with ordinality as wanted(id, place)
  where i.id = wanted.id and i.organisation_id = target_org and i.position <> wanted.place;
end
$$;

comment on function public.reorder_intents(uuid, uuid[]) is
  'Numbers an organisation''s intents 1, 2, 3… in the given order (each of its intents exactly once), in one transaction. Owners and admins.';

revoke all on function public.reorder_intents(uuid, uuid[]) from public, anon;
grant execute on function public.reorder_intents(uuid, uuid[]) to authenticated;
