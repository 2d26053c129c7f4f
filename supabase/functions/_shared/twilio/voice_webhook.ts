// The twilio-voice function's work: Twilio posts here when Vapi could not take a call (the
// number's voice fallback URL), after the fallback's <Dial> and <Record>, and with the number's
// call status callbacks. A request is believed only when X-Twilio-Signature is Twilio's for the
// routed account's auth token over the public URL we gave Twilio (PUBLIC_FUNCTIONS_URL, never
// the runtime's req.url, which is the internal address). Twilio is never answered with a 5xx:
// a caller would hear "an application error has occurred".
//
// 400: not a form Twilio sends (message says what); 403: bad signature, nothing stored;
// 404/405: no such route or not a POST; 200: TwiML (unknown numbers hear "not in service").
import { createCallbackTask, recordCall } from "../io/calls.ts";
import { decryptCredential } from "../io/credentials.ts";
import type { Sql } from "../io/db.ts";
import { routeVoiceCall } from "../io/routing.ts";
import { formParams, validTwilioSignature } from "./signature.ts";
import { twimlResponse, VoiceResponse } from "./twiml.ts";
import {
  afterDialTwiml,
  type CallbackUrls,
  callStatusOf,
  dialConnected,
  type FallbackSettings,
  fallbackTwiml,
  notInServiceTwiml,
  readVoiceForm,
  routeOf,
  sorryTwiml,
  thanksTwiml,
  type VoiceForm,
  type VoiceRoute,
} from "./voice_plan.ts";

/** Twilio's forms are a few hundred bytes; anything far larger is not Twilio. */
const MAX_BODY = 64 * 1024;

export interface VoiceWebhookEnv {
  sql: Sql;
  /** Public base of the functions (PUBLIC_FUNCTIONS_URL), e.g. https://x.supabase.co/functions/v1. */
  publicFunctionsUrl: string;
  now?: () => Date;
}

/** Where this function is reached from Twilio, for the URLs we hand it and the signature. */
export const publicFunctionsUrl = () =>
  (Deno.env.get("PUBLIC_FUNCTIONS_URL") || `${Deno.env.get("SUPABASE_URL")}/functions/v1`)
    .replace(/\/+$/, "");

const text = (status: number, message: string) =>
  new Response(message, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

/** The dial and recording URLs for one call (the recording's carries the numbers Twilio leaves
 * out of recording callbacks). */
export function callbackUrls(base: string, to: string, from: string | null): CallbackUrls {
  const query = new URLSearchParams({ to, ...(from ? { from } : {}) });
  return {
    dial: `${base}/twilio-voice/dial`,
    recording: `${base}/twilio-voice/recording?${query}`,
  };
}

/** The form of a Twilio webhook, or what is wrong with it (a 400's message); also twilio-messaging. */
export async function readForm(req: Request): Promise<URLSearchParams | string> {
  const type = req.headers.get("content-type")?.split(";")[0].trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    await req.body?.cancel();
    return "expected an application/x-www-form-urlencoded body";
  }
  const body = new Uint8Array(await req.arrayBuffer());
  if (body.length > MAX_BODY) return "body too large";
  try {
    return new URLSearchParams(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch {
    return "body is not UTF-8";
  }
}

async function fallbackSettings(sql: Sql, organisationId: string): Promise<FallbackSettings> {
  const [row] = await sql<FallbackSettings[]>`
    select o.name as "clinicName", o.default_language as language,
           v.provider_voice_id as "voiceId", a.after_hours::text as "afterHours",
           a.escalation_phone as "escalationPhone"
    from public.organisations o
    join public.assistant_settings a on a.organisation_id = o.id
    left join public.voice_agents v on v.id = a.voice_agent_id
    where o.id = ${organisationId}`;
  if (!row) throw new Error("organisation has no assistant settings");
  return row;
}

export async function handleVoiceWebhook(req: Request, env: VoiceWebhookEnv): Promise<Response> {
  const url = new URL(req.url);
  const route = routeOf(url.pathname.replace(/\/+$/, "").split("/").pop() ?? "");
  if (!route) {
    await req.body?.cancel();
    return text(404, "no such route: use /fallback, /dial, /recording or /status");
  }
  if (req.method !== "POST") {
    await req.body?.cancel();
    return text(405, "POST only");
  }
  const fields = await readForm(req);
  if (typeof fields === "string") return text(400, fields);
  const form = readVoiceForm(fields, url.searchParams);
  if (typeof form === "string") return text(400, form);

  const base = env.publicFunctionsUrl;
  const urls = callbackUrls(base, form.to, form.from);
  const answersCaller = route !== "status";
  try {
    const found = await routeVoiceCall(env.sql, form.to);
    // Another account's number is as unknown to this account as no number at all.
    if (!found.routable || found.accountSid !== form.accountSid) {
      return answersCaller
        ? twimlResponse(notInServiceTwiml())
        : twimlResponse(new VoiceResponse());
    }
    // What the caller will hear is read alongside the token (one round trip less while they wait).
    const [authToken, settings] = await Promise.all([
      decryptCredential(env.sql, found.twilioAccountId, "twilio_auth_token"),
      fallbackSettings(env.sql, found.organisationId),
    ]);
    const signedUrl = `${base}/twilio-voice/${route}${url.search}`;
    const signature = req.headers.get("x-twilio-signature");
    if (
      !authToken ||
      !(await validTwilioSignature(authToken, signature, signedUrl, formParams(form.fields)))
    ) {
      return text(403, "invalid X-Twilio-Signature");
    }
    const call = { organisationId: found.organisationId, phoneNumberId: found.phoneNumberId };
    return await act(route, env, form, call, urls, settings);
  } catch (error) {
    console.error(`twilio-voice ${route}: ${error instanceof Error ? error.message : error}`);
    return twimlResponse(answersCaller ? sorryTwiml(urls) : new VoiceResponse());
  }
}

async function act(
  route: VoiceRoute,
  env: VoiceWebhookEnv,
  form: VoiceForm,
  call: { organisationId: string; phoneNumberId: string },
  urls: CallbackUrls,
  settings: FallbackSettings,
): Promise<Response> {
  const { sql } = env;
  const now = (env.now ?? (() => new Date()))();
  const ids = { ...call, twilioCallSid: form.callSid };
  switch (route) {
    case "fallback": {
      await recordCall(sql, {
        ...ids,
        from: form.from ?? undefined,
        to: form.to,
        status: "in_progress",
        answeredBy: "fallback",
        startedAt: now.toISOString(),
        language: settings.language,
      });
      return twimlResponse(fallbackTwiml(settings, urls));
    }
    case "dial": {
      const dialStatus = form.fields.get("DialCallStatus");
      if (dialConnected(dialStatus)) await recordCall(sql, { ...ids, outcome: "transferred" });
      return twimlResponse(afterDialTwiml(dialStatus, settings, urls));
    }
    case "recording": {
      // Both the <Record> action and the recording status callback land here: whichever comes
      // first makes the task (one per call and kind), the other changes nothing.
      const recordingUrl = form.fields.get("RecordingUrl");
      const status = form.fields.get("RecordingStatus");
      const isAction = status === null;
      if (
        recordingUrl && /^https?:\/\//.test(recordingUrl) && (isAction || status === "completed")
      ) {
        const seconds = Number(form.fields.get("RecordingDuration"));
        const { id: callId } = await recordCall(sql, {
          ...ids,
          recordingUrl,
          outcome: "message_taken",
        });
        await createCallbackTask(sql, {
          organisationId: call.organisationId,
          callId,
          kind: "voicemail",
          callbackE164: form.from,
          reason: Number.isFinite(seconds) && seconds > 0
            ? `Voicemail (${Math.round(seconds)} s)`
            : "Voicemail",
          recordingUrl,
        });
      }
      if (!isAction) return twimlResponse(new VoiceResponse());
      return twimlResponse(thanksTwiml(settings.language, settings.voiceId));
    }
    case "status": {
      const status = callStatusOf(form.fields.get("CallStatus"));
      if (status) {
        const ended = status === "ended";
        const duration = Number(form.fields.get("CallDuration"));
        const stamp = Date.parse(form.fields.get("Timestamp") ?? "");
        const at = Number.isNaN(stamp) ? now : new Date(stamp);
        await recordCall(sql, {
          ...ids,
          from: form.from ?? undefined,
          to: form.to,
          status,
          ...(ended
            ? {
              endedAt: at.toISOString(),
              endedReason: form.fields.get("CallStatus")!,
              ...(Number.isFinite(duration) && duration >= 0
                ? { startedAt: new Date(at.getTime() - duration * 1000).toISOString() }
                : {}),
            }
            : status === "in_progress"
            ? { startedAt: at.toISOString() }
            : {}),
        });
      }
      return twimlResponse(new VoiceResponse());
    }
  }
}
