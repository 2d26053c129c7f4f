// Runs due background jobs (private.jobs): woken right after work is enqueued and every minute by
// pg_cron through pg_net (20261204100100_jobs_schedule.sql). Only the service role may call it.
import { decodeJwt } from "jose";
import { jsonResponse } from "../_shared/http/cors.ts";
import { database } from "../_shared/io/db.ts";
import { runDueJobs, wakeWorker } from "../_shared/io/jobs.ts";
import { jobErrorText } from "../_shared/jobs/error_text.ts";
import { handlers } from "../_shared/jobs/handlers.ts";

function callerRole(req: Request): string | null {
  // verify_jwt has checked the signature.
  const token = req.headers.get("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1];
  try {
    return token ? String(decodeJwt(token).role ?? "") : null;
  } catch {
    return null;
  }
}

Deno.serve(async (req) => {
  const role = callerRole(req);
  if (role === null) return jsonResponse({ message: "Send the service role key" }, 401);
  if (role !== "service_role") {
    return jsonResponse({ message: "Only the service role may run background jobs" }, 403);
  }
  if (req.method !== "POST") return jsonResponse({ message: "Use POST" }, 405);
  await req.body?.cancel();
  try {
    // Lingers two seconds (wakes are throttled to one a second) and waits for jobs falling due
    // within five (a reply postponed for a burst), so neither waits for cron.
    const summary = await runDueJobs(database(), handlers, {
      budgetMs: 20_000,
      lingerMs: 2_000,
      awaitDueMs: 5_000,
    });
    // A backlog longer than one run goes on in a fresh invocation, not a minute later by cron.
    if (summary.more) wakeWorker();
    return jsonResponse(summary);
  } catch (err) {
    // The database is unreachable: the next wake-up or cron run tries again.
    console.error(`worker: ${jobErrorText(err)}`);
    return jsonResponse({ message: "The job queue is unreachable; try again shortly" }, 503);
  }
});
