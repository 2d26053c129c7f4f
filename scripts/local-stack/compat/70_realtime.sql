-- Supabase Realtime's publication, as a hosted project has it: empty, owned by postgres, so
-- migrations choose the tables whose changes Realtime sends (`alter publication
-- supabase_realtime add table …`). The local Realtime stand-in (realtime/changes.ts) reads
-- the changes of exactly these tables. Idempotent.
do $$
begin
  if not exists (select from pg_publication where pubname = 'supabase_realtime') then
    create publication supabase_realtime;
  end if;
end
$$;
alter publication supabase_realtime owner to postgres;
