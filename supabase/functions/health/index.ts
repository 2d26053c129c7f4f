// Liveness and readiness of the platform from an edge function's point of view: the
// function runtime answers, and the Data API behind it is reachable with the service role.
import { jsonResponse, preflight } from "../_shared/http/cors.ts";
import { checkDataApi } from "../_shared/io/health.ts";

Deno.serve(async (req) => {
  const early = preflight(req);
  if (early) return early;
  if (req.method !== "GET") return jsonResponse({ error: "Use GET" }, 405);
  const dataApi = await checkDataApi(
    Deno.env.get("SUPABASE_URL") ?? "",
    Deno.env.get("SUPABASE_SERVICE_ROLE_KEY") ?? "",
  );
  const healthy = dataApi === "ok";
  return jsonResponse(
    { status: healthy ? "ok" : "degraded", checks: { dataApi } },
    healthy ? 200 : 503,
  );
});
