import type { Database } from "@frontdesk/database";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";

/** What the server tells the app at boot: the anon key is per deployment, so it is not built in. */
type RuntimeConfig = { anonKey: string };

let client: SupabaseClient<Database> | undefined;

/** Creates the app's one Supabase client. The API gateway serves the app, so its origin is the API. */
export async function connectSupabase(): Promise<SupabaseClient<Database>> {
  const config = await fetchRuntimeConfig();
  client = createClient<Database>(location.origin, config.anonKey);
  return client;
}

export function supabase(): SupabaseClient<Database> {
  if (!client) throw new Error("connectSupabase() must finish before the app uses Supabase");
  return client;
}

/**
 * Where an edge function answers, e.g. the webhook URLs a clinic pastes into Twilio's and Meta's
 * consoles. The app is served by the API gateway, so the project's URL is the app's origin.
 */
export function functionUrl(name: string): string {
  return `${location.origin}/functions/v1/${name}`;
}

async function fetchRuntimeConfig(): Promise<RuntimeConfig> {
  const response = await fetch("/config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`/config.json answered HTTP ${response.status}`);
  const config = await response.json();
  if (typeof config?.anonKey !== "string" || config.anonKey === "") {
    throw new Error("/config.json has no anonKey");
  }
  return config;
}
