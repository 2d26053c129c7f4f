-- The inbox live (issue 14): Supabase Realtime sends changes of the tables in its
-- `supabase_realtime` publication to subscribers who may select the row under RLS. Members
-- read their organisation's conversations and messages (policies in
-- 20261206100200_conversations.sql), so the dashboard's list and thread update without a
-- reload. Locally the Realtime stand-in (scripts/local-stack/realtime/) reads the same
-- publication.
alter publication supabase_realtime add table public.conversations, public.messages;
