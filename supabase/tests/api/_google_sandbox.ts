// The local Google sandbox as tests and benchmarks drive it: its control API, and its consent
// page answered without a browser (GET the page, POST its form with an account and Allow).
import type { SupabaseClient } from "@supabase/supabase-js";
import { sandboxControlAt } from "../../../scripts/local-stack/sandboxes/control_client.ts";

/** A control API call (`/_local/google/control<path>`); throws on anything but 2xx. */
export const sandboxControl = <T>(
  apiUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> => sandboxControlAt<T>(apiUrl, "google", method, path, body);

const unescapeHtml = (s: string) =>
  s.replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">").replaceAll("&amp;", "&");

/**
 * Allows the consent page at `url` as `account` with every scope ticked; answers where Google
 * redirects (the callback address with `code` and `state`).
 */
export async function allowConsent(url: string, account: string): Promise<string> {
  const page = await (await fetch(url)).text();
  const form = new URLSearchParams();
  for (
    const [, name, value] of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)
  ) {
    form.append(name, unescapeHtml(value));
  }
  for (const [, scope] of page.matchAll(/name="scope_granted" value="([^"]+)"/g)) {
    form.append("scope_granted", unescapeHtml(scope));
  }
  form.set("account", account);
  form.set("action", "allow");
  const allowed = await fetch(url, { method: "POST", body: form, redirect: "manual" });
  await allowed.body?.cancel();
  const location = allowed.headers.get("location");
  if (!location) throw new Error(`the consent page did not redirect (${allowed.status})`);
  return location;
}

/**
 * Connects (or reconnects) a clinic's Google Calendar as an owner or admin does: the
 * google-oauth function's /start, the consent page allowed as `account`, Google's redirect to
 * the callback followed. Throws unless the callback says connected.
 */
export async function connectCalendar(
  apiUrl: string,
  accessToken: string,
  organisationId: string,
  account: string,
): Promise<void> {
  const started = await fetch(`${apiUrl}/functions/v1/google-oauth/start`, {
    method: "POST",
    headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
    body: JSON.stringify({ organisation_id: organisationId }),
  });
  const { url, message } = await started.json();
  if (!started.ok) throw new Error(`google-oauth/start: ${started.status} ${message}`);
  const back = await fetch(await allowConsent(url, account), { redirect: "manual" });
  await back.body?.cancel();
  const outcome = back.headers.get("location") ?? "";
  if (!/calendar=connected/.test(outcome)) throw new Error(`the callback answered ${outcome}`);
}

/**
 * A fresh clinic for a Google test: the organisation `slug` (in `timeZone`, GB) created by
 * `owner` as the dashboard does, and the sandbox account `<slug>@sandbox.test` in the same zone
 * with `calendars` besides its primary one. Not yet connected.
 */
export async function clinicWithAccount(
  apiUrl: string,
  owner: { client: SupabaseClient },
  slug: string,
  timeZone: string,
  calendars: { id: string; summary: string }[] = [],
): Promise<{ id: string; account: string }> {
  const account = `${slug}@sandbox.test`;
  await sandboxControl(apiUrl, "POST", "/accounts", { email: account, timeZone, calendars });
  const { data, error } = await owner.client.rpc("create_organisation", {
    name: slug,
    slug,
    timezone: timeZone,
    country: "GB",
  });
  if (error) throw new Error(`create_organisation ${slug} failed: ${error.message}`);
  return { id: data.id, account };
}
