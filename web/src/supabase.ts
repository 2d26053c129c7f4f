import type { Database } from "@frontdesk/database";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";

/**
 * What the app reads at boot from config.json beside index.html: the project's API URL and anon
 * key are per deployment, so they are not built in, and the app can be hosted apart from the API.
 */
type RuntimeConfig = { supabaseUrl: string; anonKey: string };

let client: SupabaseClient<Database> | undefined;
let apiUrl: string | undefined;

/** Creates the app's one Supabase client, for the API URL config.json names. */
export async function connectSupabase(): Promise<SupabaseClient<Database>> {
  const config = await fetchRuntimeConfig();
  apiUrl = config.supabaseUrl.replace(/\/+$/, "");
  client = createClient<Database>(apiUrl, config.anonKey);
  return client;
}

export function supabase(): SupabaseClient<Database> {
  if (!client) throw new Error("connectSupabase() must finish before the app uses Supabase");
  return client;
}

/**
 * Where an edge function answers, e.g. the webhook URLs a clinic pastes into Twilio's and Meta's
 * consoles: under the project's API URL, wherever the app itself is hosted.
 */
export function functionUrl(name: string): string {
  if (!apiUrl) throw new Error("connectSupabase() must finish before the app builds API URLs");
  return `${apiUrl}/functions/v1/${name}`;
}

async function fetchRuntimeConfig(): Promise<RuntimeConfig> {
  const response = await fetch("/config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`/config.json answered HTTP ${response.status}`);
  const config = await response.json();
  for (const key of ["supabaseUrl", "anonKey"] as const) {
    if (typeof config?.[key] !== "string" || config[key] === "") {
      throw new Error(`/config.json has no ${key}`);
    }
  }
  return config;
}
