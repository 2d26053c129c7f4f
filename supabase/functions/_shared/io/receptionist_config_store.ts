// Loads one organisation's receptionist configuration in a single round trip (the voice and
// WhatsApp webhooks call this on their hot path): its rows, as the dashboard reads them, through
// the one mapper both use. Only rows of that organisation can enter.
import {
  type ConfigRows,
  type OrganisationRow,
  toReceptionistConfig,
} from "../domain/config_rows.ts";
import type { ReceptionistConfig } from "../domain/receptionist_config.ts";
import type { Sql } from "./db.ts";

export async function loadReceptionistConfig(
  sql: Sql,
  organisationId: string,
  today: string,
): Promise<ReceptionistConfig | null> {
  const [row] = await sql<{ organisation: OrganisationRow; rows: ConfigRows }[]>`
    select to_jsonb(o) as organisation, jsonb_build_object(
      'settings', to_jsonb(a),
      'voices', coalesce((select jsonb_agg(to_jsonb(v)) from public.voice_agents v
        where v.id = a.voice_agent_id), '[]'),
      'intents', coalesce((select jsonb_agg(to_jsonb(i)) from public.intents i
        where i.organisation_id = o.id), '[]'),
      'faq', coalesce((select jsonb_agg(to_jsonb(f)) from public.faq_entries f
        where f.organisation_id = o.id), '[]'),
      'workingHours', coalesce((select jsonb_agg(to_jsonb(w)) from public.working_hours w
        where w.organisation_id = o.id), '[]'),
      -- A closure with a practitioner is their time off, not the clinic's.
      'closures', coalesce((select jsonb_agg(to_jsonb(c)) from public.closures c
        where c.organisation_id = o.id and c.practitioner_id is null), '[]'),
      'services', coalesce((select jsonb_agg(to_jsonb(s)) from public.services s
        where s.organisation_id = o.id), '[]')
    ) as rows
    from public.organisations o
    join public.assistant_settings a on a.organisation_id = o.id
    where o.id = ${organisationId}`;
  return row ? toReceptionistConfig(row.organisation, row.rows, today) : null;
}
