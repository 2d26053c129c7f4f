// Connecting a clinic's Google Calendar (verify_jwt = false: Google's redirect carries no JWT, so
// /start and /disconnect have the Data API verify the caller's JWT by calling RPCs with it).
//
// POST /start {organisation_id}       owners/admins → {url}: Google's consent page
// GET  /callback?code&state&scope     Google's redirect → 303 to the dashboard,
//                                     #/channels/calendar?calendar=<outcome>[&missing=<scopes>]
// POST /disconnect {organisation_id}  owners/admins → {disconnected, revoked}
// Bad input and refusals answer 4xx {message}. No token ever appears in an answer or a log line.
import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "../_shared/database.types.ts";
import {
  completeConnection,
  disconnect,
  organisationBody,
  startConnection,
} from "../_shared/google/connect.ts";
import { GoogleNotConfigured } from "../_shared/google/config.ts";
import { callerClient } from "../_shared/http/caller.ts";
import { jsonResponse, preflight } from "../_shared/http/cors.ts";
import { database } from "../_shared/io/db.ts";

function dashboard(outcome: string, missing: string[] = []): Response {
  const query = new URLSearchParams({ calendar: outcome });
  if (missing.length > 0) query.set("missing", missing.join(" "));
  const app = (Deno.env.get("APP_URL") ?? Deno.env.get("SUPABASE_URL") ?? "")
    .replace(/\/+$/, "");
  return new Response(null, {
    status: 303,
    // The callback's address holds the authorization code: sent nowhere as a referrer.
    headers: {
      location: `${app}/#/channels/calendar?${query}`,
      "referrer-policy": "no-referrer",
      "cache-control": "no-store",
    },
  });
}

async function withUser(
  req: Request,
  act: (
    db: SupabaseClient<Database>,
    authorization: string,
    organisationId: string,
  ) => Promise<object>,
): Promise<Response> {
  const authorization = req.headers.get("authorization") ?? "";
  if (!/^Bearer\s+\S+/i.test(authorization)) {
    return jsonResponse({ message: "Sign in to change Google Calendar" }, 401);
  }
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    return jsonResponse({
      message: 'The body must be JSON: {"organisation_id": "…"}',
    }, 400);
  }
  const parsed = organisationBody.safeParse(body);
  if (!parsed.success) {
    return jsonResponse({ message: parsed.error.issues[0].message }, 400);
  }
  const answer = await act(callerClient(authorization), authorization, parsed.data.organisation_id);
  return "status" in answer && "message" in answer
    ? jsonResponse({ message: answer.message }, answer.status as number)
    : jsonResponse(answer);
}

Deno.serve(async (req) => {
  const early = preflight(req);
  if (early) return early;
  const route = new URL(req.url).pathname.replace(/\/+$/, "").split("/").pop();
  try {
    if (route === "callback") {
      if (req.method !== "GET") {
        return jsonResponse({ message: "Use GET" }, 405);
      }
      const { outcome, missing } = await completeConnection(
        database(),
        new URL(req.url).searchParams,
      );
      return dashboard(outcome, missing);
    }
    if (route === "start" || route === "disconnect") {
      if (req.method !== "POST") {
        return jsonResponse({ message: "Use POST" }, 405);
      }
      return await withUser(
        req,
        (db, authorization, organisationId) =>
          route === "start"
            ? startConnection(db, authorization, organisationId)
            : disconnect(db, database(), authorization, organisationId),
      );
    }
    return jsonResponse({
      message: "Unknown path: use /start, /callback or /disconnect",
    }, 404);
  } catch (error) {
    // Messages here are ours or Google's, never a token; the name says what kind of failure.
    const configuration = error instanceof GoogleNotConfigured;
    console.error(
      `google-oauth: ${(error as Error).name}: ${(error as Error).message}`,
    );
    if (route === "callback") return dashboard("failed");
    return jsonResponse(
      {
        message: configuration
          ? (error as Error).message
          : "Google Calendar could not be changed just now. Please try again.",
      },
      503,
    );
  }
});
