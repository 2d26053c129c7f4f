-- An overlapping interval is refused naming the weekday ("on Tuesday"), not its ISO number: the
-- message reaches clinic staff word for word in the dashboard.

create or replace function private.validate_working_hours()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  clash record;
begin
  select w.weekday, w.opens, w.closes into clash
  from public.working_hours w
  cross join lateral unnest(private.week_minutes(w.weekday, w.opens, w.closes)) theirs
  cross join lateral unnest(private.week_minutes(new.weekday, new.opens, new.closes)) ours
  where w.organisation_id = new.organisation_id and w.id <> new.id and theirs && ours
  limit 1;
  if found then
    raise exception 'These hours overlap %–% on %', to_char(clash.opens, 'HH24:MI'),
      to_char(clash.closes, 'HH24:MI'),
      (array['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'])
        [clash.weekday]
      using errcode = '23P01', hint = 'Change or remove the other interval first.';
  end if;
  return new;
end
$$;
