// The prompt preview and the assistants get the same configuration: the dashboard's reads (as a
// signed-in member, through PostgREST and RLS) and the functions' loader (service connection)
// go through one mapper and must agree for every demo clinic, also once its voice is retired.
import assert from "node:assert/strict";
import { createClient } from "@supabase/supabase-js";
import postgres from "postgres";
import type { ReceptionistConfig } from "../../functions/_shared/domain/receptionist_config.ts";
import { loadReceptionistConfig } from "../../functions/_shared/io/receptionist_config_store.ts";
import { readConfigRows, toReceptionistConfig } from "../../../web/src/receptionist/rows.ts";

function env(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

// The seed's clinics and their owners (supabase/seed.sql).
const CLINICS = [
  { id: "10000000-0000-4000-8000-000000000001", login: "owner@northside.test" },
  { id: "10000000-0000-4000-8000-000000000002", login: "owner@riverside.test" },
];

const byId = (a: { id: string }, b: { id: string }) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** Row order is unspecified on both sides. */
function sorted(config: ReceptionistConfig) {
  return {
    ...config,
    intents: [...config.intents].sort(byId),
    faq: [...config.faq].sort(byId),
    workingHours: [...config.workingHours].sort((a, b) =>
      a.weekday - b.weekday || a.opens.localeCompare(b.opens)
    ),
    closures: [...config.closures].sort((a, b) => a.startsOn.localeCompare(b.startsOn)),
    services: [...config.services].sort(byId),
  };
}

async function previewConfig(clinic: (typeof CLINICS)[number], today: string) {
  const client = createClient(env("SUPABASE_URL"), env("SUPABASE_ANON_KEY"), {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  try {
    const signIn = await client.auth.signInWithPassword({
      email: clinic.login,
      password: "frontdesk-demo",
    });
    assert.ifError(signIn.error);
    const organisation = await client.from("organisations")
      .select("id, name, timezone, languages, default_language").eq("id", clinic.id).single();
    assert.ifError(organisation.error);
    const rows = await readConfigRows(client, clinic.id);
    assert.ifError(rows.error);
    return toReceptionistConfig(organisation.data, rows.data!, today);
  } finally {
    await client.auth.signOut();
  }
}

async function assistantConfig(sql: postgres.Sql, clinic: (typeof CLINICS)[number], today: string) {
  const config = await loadReceptionistConfig(sql, clinic.id, today);
  assert.ok(config, `${clinic.id} has a configuration`);
  return config;
}

Deno.test("the prompt preview and the assistants get the same configuration", async (t) => {
  const sql = postgres(env("SUPABASE_DB_URL"), { max: 1, prepare: false, onnotice: () => {} });
  // A date before every closure compares all of them; today, what the webhooks see.
  const days = ["2000-01-01", new Date().toISOString().slice(0, 10)];
  try {
    for (const clinic of CLINICS) {
      await t.step(clinic.login, async () => {
        for (const today of days) {
          const assistant = await assistantConfig(sql, clinic, today);
          assert.deepEqual(sorted(await previewConfig(clinic, today)), sorted(assistant));
          assert.ok(assistant.intents.length > 0 && assistant.assistant.voiceAgent, "seeded");
        }
      });
    }

    await t.step("a voice the catalog no longer offers is no voice for either", async () => {
      const clinic = CLINICS[0];
      const retired = `retired-${crypto.randomUUID().slice(0, 8)}`;
      const [{ voice_agent_id: voice }] = await sql<{ voice_agent_id: string }[]>`
        select voice_agent_id from public.assistant_settings where organisation_id = ${clinic.id}`;
      await sql`insert into public.voice_agents
          (id, display_name, provider, provider_voice_id, languages, sample_greeting, active)
        values (${retired}, 'Retired', 'azure', 'en-GB-Retired', '{en}', 'Hello', false)`;
      try {
        await sql`update public.assistant_settings set voice_agent_id = ${retired}
          where organisation_id = ${clinic.id}`;
        const assistant = await assistantConfig(sql, clinic, days[1]);
        assert.equal(assistant.assistant.voiceAgent, null);
        assert.deepEqual(sorted(await previewConfig(clinic, days[1])), sorted(assistant));
      } finally {
        await sql`update public.assistant_settings set voice_agent_id = ${voice}
          where organisation_id = ${clinic.id}`;
        await sql`delete from public.voice_agents where id = ${retired}`;
      }
    });
  } finally {
    await sql.end();
  }
});
