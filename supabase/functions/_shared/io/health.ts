// Readiness probe of the Data API, bounded so a hung database cannot hang the caller.
export type CheckResult = "ok" | "unreachable" | "misconfigured";

export async function checkDataApi(
  supabaseUrl: string,
  serviceRoleKey: string,
  timeoutMs = 2000,
): Promise<CheckResult> {
  if (!supabaseUrl || !serviceRoleKey) return "misconfigured";
  try {
    const res = await fetch(`${supabaseUrl}/rest/v1/`, {
      method: "HEAD",
      headers: { apikey: serviceRoleKey, authorization: `Bearer ${serviceRoleKey}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    return res.ok ? "ok" : "unreachable";
  } catch {
    return "unreachable";
  }
}
