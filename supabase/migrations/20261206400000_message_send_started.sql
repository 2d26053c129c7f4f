-- messaging.send records when it starts handing an outbound message to the provider, before the
-- request, so a worker that dies after the provider accepted the message (and before its id was
-- stored) is not followed by a second send: the retry finds the mark without a provider id and
-- marks the message failed ("may or may not have arrived") instead of sending it again.

alter table public.messages add column send_started_at timestamptz;

comment on column public.messages.send_started_at is
  'When messaging.send began handing this outbound message to the provider; with no provider_message_id, the outcome of that attempt is unknown. Cleared when the provider refused (nothing was sent).';
