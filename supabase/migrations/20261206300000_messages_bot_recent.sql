-- The assistant's hourly cap (assistant_settings.max_messages_per_hour) counts an organisation's
-- bot messages of the last hour before every automatic reply (_shared/assistant/reply.ts): a
-- partial index on just those rows keeps that count a short range scan however long the
-- organisation's history grows.
create index messages_bot_recent_idx on public.messages (organisation_id, created_at)
  where author = 'bot';
