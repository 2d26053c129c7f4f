// Loads one organisation's receptionist configuration in a single round trip (the voice and
// WhatsApp webhooks call this on their hot path). Only rows of that organisation can enter.
import type { Sql } from "./db.ts";
import type { ReceptionistConfig } from "../domain/receptionist_config.ts";

export async function loadReceptionistConfig(
  sql: Sql,
  organisationId: string,
  today: string,
): Promise<ReceptionistConfig | null> {
  const [row] = await sql<{ config: ReceptionistConfig }[]>`
    select jsonb_build_object(
      'organisation', jsonb_build_object(
        'id', o.id, 'name', o.name, 'timezone', o.timezone,
        'languages', to_jsonb(o.languages), 'defaultLanguage', o.default_language),
      'assistant', jsonb_build_object(
        'assistantName', a.assistant_name, 'greetings', a.greetings, 'tone', a.tone,
        'extraInstructions', a.extra_instructions,
        'voiceAgent', (select jsonb_build_object('id', v.id, 'displayName', v.display_name,
            'provider', v.provider, 'providerVoiceId', v.provider_voice_id,
            'languages', to_jsonb(v.languages))
          from public.voice_agents v where v.id = a.voice_agent_id),
        'botEnabled', a.bot_enabled, 'aiRepliesEnabled', a.ai_replies_enabled,
        'maxMessagesPerHour', a.max_messages_per_hour, 'escalationPhone', a.escalation_phone,
        'afterHours', a.after_hours),
      'intents', coalesce((select jsonb_agg(jsonb_build_object('id', i.id, 'name', i.name,
          'examplePhrases', to_jsonb(i.example_phrases), 'responses', i.responses,
          'action', i.action, 'active', i.active, 'position', i.position))
        from public.intents i where i.organisation_id = o.id), '[]'),
      'faq', coalesce((select jsonb_agg(jsonb_build_object('id', f.id, 'kind', f.kind,
          'question', f.question, 'answer', f.answer, 'category', f.category,
          'language', f.language, 'active', f.active))
        from public.faq_entries f where f.organisation_id = o.id), '[]'),
      'workingHours', coalesce((select jsonb_agg(jsonb_build_object('weekday', w.weekday,
          'opens', to_char(w.opens, 'HH24:MI'), 'closes', to_char(w.closes, 'HH24:MI')))
        from public.working_hours w where w.organisation_id = o.id), '[]'),
      -- Only closures that still matter: the prompt has no clock of its own.
      'closures', coalesce((select jsonb_agg(jsonb_build_object('startsOn', c.starts_on,
          'endsOn', c.ends_on, 'reason', c.reason))
        from public.closures c where c.organisation_id = o.id and c.ends_on >= ${today}::date), '[]'),
      'services', coalesce((select jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name,
          'durationMinutes', s.duration_minutes, 'bufferBeforeMinutes', s.buffer_before_minutes,
          'bufferAfterMinutes', s.buffer_after_minutes, 'active', s.active))
        from public.services s where s.organisation_id = o.id), '[]')
    ) as config
    from public.organisations o
    join public.assistant_settings a on a.organisation_id = o.id
    where o.id = ${organisationId}`;
  return row?.config ?? null;
}
