-- Profiles need a real name: teammates see it on the Team page, and an empty one showed as
-- "Unnamed". The name is trimmed, must not be blank and is at most 120 characters; a sign-up
-- whose metadata has no usable name gets the address's local part instead of failing.

-- Existing blank names get the same fallback a new account gets.
update public.profiles p
set display_name = left(split_part(u.email, '@', 1), 120)
from auth.users u
where u.id = p.id and btrim(p.display_name) = '' and coalesce(u.email, '') <> '';

update public.profiles set display_name = btrim(display_name)
where display_name <> btrim(display_name) and btrim(display_name) <> '';

-- The backstop for writers that skip the trigger below (it runs first and says why).
alter table public.profiles
  add constraint profiles_display_name_present check (btrim(display_name) <> '') not valid;
alter table public.profiles validate constraint profiles_display_name_present;

-- Checks a profile's name with a message a person can act on, before the constraints would.
create function private.check_profile_name()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.display_name := btrim(coalesce(new.display_name, ''));
  if new.display_name = '' then
    raise exception 'Your name cannot be empty'
      using errcode = '22023', hint = 'Enter the name your teammates know you by.';
  end if;
  if char_length(new.display_name) > 120 then
    raise exception 'Your name can be at most 120 characters (this one has %)',
      char_length(new.display_name)
      using errcode = '22023', hint = 'Shorten it, e.g. to first and last name.';
  end if;
  return new;
end
$$;

comment on function private.check_profile_name() is
  'Trims a profile''s display_name and refuses a blank or over-long one (22023, with a hint).';

create trigger profiles_check_name
  before insert or update of display_name on public.profiles
  for each row execute function private.check_profile_name();

-- Sign-up must never fail on the name (Supabase Auth would answer 500): a missing, blank or
-- non-text name falls back to the address's local part, an over-long one is cut to 120.
create or replace function private.create_profile_for_new_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  wanted text := btrim(coalesce(new.raw_user_meta_data ->> 'display_name', ''));
begin
  if wanted = '' then
    wanted := btrim(coalesce(split_part(new.email, '@', 1), ''));
  end if;
  insert into public.profiles (id, display_name)
  values (new.id, left(coalesce(nullif(wanted, ''), 'New user'), 120));
  return new;
end
$$;

comment on function private.create_profile_for_new_user() is
  'Creates the profile of a new auth.users row; its name from display_name metadata, else the address.';
