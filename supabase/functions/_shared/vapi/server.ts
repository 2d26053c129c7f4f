// What our `vapi` function does with each server message (PROVIDERS §1): authenticate Vapi,
// parse, and per type — `assistant-request` routes the called number and answers the clinic's
// transient assistant (or a destination, or a spoken error); `tool-calls` answers `results[]`
// (always 200); `status-update`, `end-of-call-report` and `hang` update the call's row
// (replays change nothing). Other types answer `{}`. Never logs a payload: Vapi's carry secrets.
import type { ReceptionistConfig } from "../domain/receptionist_config.ts";
import { buildTransientAssistant } from "../domain/assistant.ts";
import { localDateOf } from "../domain/opening_hours.ts";
import { toE164 } from "../domain/phone.ts";
import { liveCalendarRecheck } from "../google/recheck.ts";
import { recordCall } from "../io/calls.ts";
import type { Sql } from "../io/db.ts";
import { loadReceptionistConfig } from "../io/receptionist_config_store.ts";
import { serviceDb } from "../io/service_db.ts";
import { routeVoiceCall, type VoiceRoute } from "../io/routing.ts";
import {
  callerNumber,
  type EndOfCallReport,
  recordingUrlOf,
  toolCallsOf,
  transcriptOf,
  vapiEnvelope,
  type VapiMessage,
  vapiMessage,
} from "./messages.ts";
import { runToolCalls } from "./tools.ts";

export type VapiSettings = {
  /** VAPI_SERVER_SECRET: what Vapi presents as X-Vapi-Secret or Authorization: Bearer. */
  secret: string | undefined;
  /** Our `vapi` function's public URL, for the assistant's server. */
  serverUrl: string;
  serverCredentialId?: string;
};

export function vapiSettings(): VapiSettings {
  const base = Deno.env.get("PUBLIC_FUNCTIONS_URL") ||
    `${Deno.env.get("SUPABASE_URL") ?? ""}/functions/v1`;
  return {
    secret: Deno.env.get("VAPI_SERVER_SECRET") || undefined,
    serverUrl: `${base.replace(/\/+$/, "")}/vapi`,
    serverCredentialId: Deno.env.get("VAPI_SERVER_CREDENTIAL_ID") || undefined,
  };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** The presented secret equals ours; comparing digests keeps the time independent of both. */
export async function authenticated(headers: Headers, secret: string | undefined) {
  if (!secret) return false;
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.get("authorization") ?? "")?.[1];
  const presented = headers.get("x-vapi-secret") ?? bearer;
  if (!presented) return false;
  const [a, b] = await Promise.all([digest(presented.trim()), digest(secret)]);
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i];
  return difference === 0;
}

// Spoken to the caller by Vapi, who then hangs up (PROVIDERS §1.2).
const NOT_IN_SERVICE = "Sorry, this number is not taking calls just now. Please try again later. " +
  "Goodbye.";
const HANDLED = new Set([
  "assistant-request",
  "tool-calls",
  "status-update",
  "end-of-call-report",
  "hang",
]);

export async function handleVapi(req: Request, sql: Sql, settings: VapiSettings) {
  if (req.method !== "POST") return json({ message: "Use POST" }, 405);
  if (!(await authenticated(req.headers, settings.secret))) {
    await req.body?.cancel();
    return json({ message: "Unauthorised: present the server secret" }, 401);
  }
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    return json({ message: 'The body must be JSON: {"message": {"type": …}}' }, 400);
  }
  const envelope = vapiEnvelope.safeParse(body);
  if (!envelope.success) {
    return json({ message: 'The body must be {"message": {"type": …}}' }, 400);
  }
  if (!HANDLED.has(envelope.data.message.type)) return json({});
  const parsed = vapiMessage.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return json({ message: `message.${issue.path.slice(1).join(".")}: ${issue.message}` }, 400);
  }
  const message = parsed.data.message;
  const now = new Date();
  try {
    switch (message.type) {
      case "assistant-request":
        return await assistantRequest(sql, settings, message, now);
      case "tool-calls":
        return await toolCalls(sql, message, now);
      case "status-update":
        await statusUpdate(sql, message);
        return json({});
      case "end-of-call-report":
        await endOfCallReport(sql, message);
        return json({});
      case "hang":
        console.warn(
          `vapi: the assistant stalled on call ${(await callOf(sql, message))?.id ?? "unknown"}`,
        );
        return json({});
    }
  } catch (error) {
    console.error(
      `vapi: ${message.type} failed: ${error instanceof Error ? error.name : "unknown"}`,
    );
    // An assistant-request that fails lets Vapi use the number's fallbackDestination.
    return json({ message: "Not available just now" }, 503);
  }
}

async function assistantRequest(
  sql: Sql,
  settings: VapiSettings,
  message: Extract<VapiMessage, { type: "assistant-request" }>,
  now: Date,
) {
  const called = message.phoneNumber?.number;
  const vapiCallId = message.call?.id;
  if (!vapiCallId) return json({ message: "message.call.id is required" }, 400);
  const route = called ? await routeVoiceCall(sql, called) : null;
  if (!route?.routable) return json({ error: NOT_IN_SERVICE });
  const [call, config] = await Promise.all([
    recordRouted(sql, route, message, vapiCallId, "ringing"),
    loadReceptionistConfig(sql, route.organisationId, localDateOf(route.timezone, now)),
  ]);
  if (!config) return json({ error: NOT_IN_SERVICE });
  const answer = buildTransientAssistant(config, {
    now,
    callId: call.id,
    organisationId: route.organisationId,
    serverUrl: settings.serverUrl,
    serverCredentialId: settings.serverCredentialId,
  });
  if ("assistant" in answer) {
    await recordCall(sql, {
      organisationId: route.organisationId,
      vapiCallId,
      language: answer.assistant.transcriber.language,
    });
  } else if ("destination" in answer) {
    await recordCall(sql, {
      organisationId: route.organisationId,
      vapiCallId,
      outcome: "transferred",
    });
  }
  return json(answer);
}

type CallRef = { id: string; organisationId: string; vapiCallId: string; timezone: string };

/** Our call row for a message (and its clinic's zone): by Vapi's call id, else created from the
 * called number. */
async function callOf(sql: Sql, message: VapiMessage): Promise<CallRef | null> {
  const vapiCallId = message.call?.id;
  if (!vapiCallId) return null;
  const [row] = await sql<{ id: string; organisation_id: string; timezone: string }[]>`
    select c.id, c.organisation_id, o.timezone
    from public.calls c join public.organisations o on o.id = c.organisation_id
    where c.vapi_call_id = ${vapiCallId}`;
  if (row) {
    return { id: row.id, organisationId: row.organisation_id, vapiCallId, timezone: row.timezone };
  }
  const called = message.phoneNumber?.number;
  const route = called ? await routeVoiceCall(sql, called) : null;
  if (!route?.routable) return null;
  const { id } = await recordRouted(sql, route, message, vapiCallId);
  return { id, organisationId: route.organisationId, vapiCallId, timezone: route.timezone };
}

/** The call as its first message shows it: our number it reached, who called, Twilio's sid. */
function recordRouted(
  sql: Sql,
  route: VoiceRoute,
  message: VapiMessage,
  vapiCallId: string,
  status?: "ringing",
) {
  return recordCall(sql, {
    organisationId: route.organisationId,
    phoneNumberId: route.phoneNumberId,
    vapiCallId,
    twilioCallSid: message.call?.phoneCallProviderId,
    from: toE164(callerNumber(message) ?? "") ?? undefined,
    to: toE164(message.phoneNumber?.number ?? "") ?? undefined,
    status,
    answeredBy: "assistant",
  });
}

// A call's tool calls come seconds apart: the configuration they need (services, FAQ, escalation
// phone) is read once per clinic and local day, and again after half a minute.
const CONFIG_TTL_MS = 30_000;
const configs = new Map<string, { config: ReceptionistConfig | null; until: number }>();

async function configOf(sql: Sql, call: CallRef, now: Date) {
  const key = `${call.organisationId}|${localDateOf(call.timezone, now)}`;
  const cached = configs.get(key);
  if (cached && cached.until > now.getTime()) return cached.config;
  const config = await loadReceptionistConfig(sql, call.organisationId, key.split("|")[1]);
  if (configs.size > 1000) configs.clear();
  configs.set(key, { config, until: now.getTime() + CONFIG_TTL_MS });
  return config;
}

async function toolCalls(
  sql: Sql,
  message: Extract<VapiMessage, { type: "tool-calls" }>,
  now: Date,
) {
  const calls = toolCallsOf(message);
  const unanswerable = (result: string) =>
    json({ results: calls.map((c) => ({ toolCallId: c.id, name: c.name, result })) });
  const call = await callOf(sql, message);
  if (!call) return unanswerable("This call is not one of the clinic's: apologise and end it.");
  const config = await configOf(sql, call, now);
  if (!config) return unanswerable("The clinic is not available: apologise and end the call.");
  const results = await runToolCalls({
    db: serviceDb(),
    sql,
    config,
    callId: call.id,
    vapiCallId: call.vapiCallId,
    callerNumber: toE164(callerNumber(message) ?? ""),
    now,
    recheck: liveCalendarRecheck(sql),
  }, calls);
  return json({ results });
}

const STATUSES = {
  "ringing": "ringing",
  "in-progress": "in_progress",
  "forwarding": "forwarding",
  "ended": "ended",
} as const;

async function statusUpdate(sql: Sql, message: Extract<VapiMessage, { type: "status-update" }>) {
  const status = Object.hasOwn(STATUSES, message.status)
    ? STATUSES[message.status as keyof typeof STATUSES]
    : undefined;
  if (!status) return;
  const call = await callOf(sql, message);
  if (!call) return;
  await recordCall(sql, {
    organisationId: call.organisationId,
    vapiCallId: call.vapiCallId,
    status,
    endedReason: status === "ended" ? message.endedReason : undefined,
  });
}

async function endOfCallReport(sql: Sql, report: EndOfCallReport) {
  const call = await callOf(sql, report);
  if (!call) return;
  const transcript = transcriptOf(report);
  await recordCall(sql, {
    organisationId: call.organisationId,
    vapiCallId: call.vapiCallId,
    twilioCallSid: report.call?.phoneCallProviderId,
    status: "ended",
    startedAt: report.startedAt,
    endedAt: report.endedAt,
    endedReason: report.endedReason,
    transcript,
    summary: report.analysis?.summary,
    recordingUrl: recordingUrlOf(report),
    cost: report.cost,
  });
  // A call that did nothing else was answered, or abandoned if the caller never spoke.
  const outcome = transcript.some((line) => line.role === "user") ? "answered" : "abandoned";
  await sql`
    update public.calls set outcome = ${outcome}
    where id = ${call.id} and outcome is null`;
}
