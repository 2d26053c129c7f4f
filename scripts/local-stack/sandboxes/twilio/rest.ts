// The REST API the app's connect job uses (api.twilio.com/2010-04-01, Basic auth with the account
// SID and auth token, form-encoded writes, JSON answers in Twilio's snake_case):
//   GET  /2010-04-01/Accounts/{AC}/IncomingPhoneNumbers.json[?PhoneNumber=+…]
//   GET  /2010-04-01/Accounts/{AC}/IncomingPhoneNumbers/{PN}.json
//   POST /2010-04-01/Accounts/{AC}/IncomingPhoneNumbers/{PN}.json   VoiceUrl, VoiceMethod,
//        VoiceFallbackUrl, VoiceFallbackMethod, StatusCallback, StatusCallbackMethod, FriendlyName
// and the recordings' media (GET /2010-04-01/Accounts/{AC}/Recordings/{RE}[.wav|.mp3]), public like
// Twilio's by default so the dashboard's <audio> plays it.
import type { SandboxContext } from "./context.ts";
import { delayFor } from "../faults.ts";
import type { Endpoint } from "./faults.ts";
import { errors, json, rfc2822 } from "./http.ts";
import type { Account, IncomingNumber } from "./store.ts";

const API = "/2010-04-01";

function numberResource(n: IncomingNumber) {
  return {
    sid: n.sid,
    account_sid: n.accountSid,
    friendly_name: n.friendlyName,
    phone_number: n.phoneNumber,
    voice_url: n.voiceUrl || null,
    voice_method: n.voiceMethod,
    voice_fallback_url: n.voiceFallbackUrl || null,
    voice_fallback_method: n.voiceFallbackMethod,
    status_callback: n.statusCallback || null,
    status_callback_method: n.statusCallbackMethod,
    capabilities: { voice: true, sms: true, mms: false, fax: false },
    status: "in-use",
    api_version: "2010-04-01",
    date_created: rfc2822(n.dateCreated),
    date_updated: rfc2822(n.dateUpdated),
    uri: `${API}/Accounts/${n.accountSid}/IncomingPhoneNumbers/${n.sid}.json`,
  };
}

/** The account whose SID and auth token the Basic credentials give, or null. */
export function authenticated(
  ctx: SandboxContext,
  req: Request,
  accountSid: string,
): Account | null {
  const header = req.headers.get("authorization") ?? "";
  const match = header.match(/^Basic\s+([A-Za-z0-9+/=]+)$/i);
  if (!match) return null;
  let user: string, password: string;
  try {
    [user, password] = atob(match[1]).split(/:(.*)/s);
  } catch {
    return null;
  }
  const account = ctx.store.accounts.get(user);
  return account && user === accountSid && account.authToken === password ? account : null;
}

const URL_FIELDS = {
  VoiceUrl: "voiceUrl",
  VoiceFallbackUrl: "voiceFallbackUrl",
  StatusCallback: "statusCallback",
} as const;
const METHOD_FIELDS = {
  VoiceMethod: "voiceMethod",
  VoiceFallbackMethod: "voiceFallbackMethod",
  StatusCallbackMethod: "statusCallbackMethod",
} as const;

async function update(n: IncomingNumber, req: Request, ctx: SandboxContext): Promise<Response> {
  const type = req.headers.get("content-type") ?? "";
  const form = type.startsWith("application/x-www-form-urlencoded")
    ? new URLSearchParams(await req.text())
    : new URLSearchParams();
  const changes: Partial<IncomingNumber> = {};
  for (const [param, field] of Object.entries(URL_FIELDS)) {
    const value = form.get(param);
    if (value === null) continue;
    // An empty value clears the URL, as on Twilio.
    if (value !== "" && !/^https?:\/\/[^\s]+$/.test(value)) return errors.invalidUrl(param, value);
    changes[field] = value;
  }
  for (const [param, field] of Object.entries(METHOD_FIELDS)) {
    const value = form.get(param);
    if (value === null) continue;
    const method = value.toUpperCase();
    if (method !== "GET" && method !== "POST") return errors.invalidMethod(param);
    changes[field] = method;
  }
  const name = form.get("FriendlyName");
  if (name !== null) changes.friendlyName = name.slice(0, 64);
  Object.assign(n, changes, { dateUpdated: ctx.store.now() });
  ctx.store.changed();
  return json(200, numberResource(n));
}

/** A WAV of silence as long as the recording (8 kHz, 8-bit mono). */
function silence(seconds: number): Uint8Array<ArrayBuffer> {
  const samples = 8000 * Math.max(1, Math.min(seconds, 120));
  const wav = new Uint8Array(44 + samples);
  const view = new DataView(wav.buffer);
  const ascii = (at: number, s: string) =>
    [...s].forEach((c, i) => (wav[at + i] = c.charCodeAt(0)));
  ascii(0, "RIFF");
  view.setUint32(4, 36 + samples, true);
  ascii(8, "WAVEfmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, 8000, true);
  view.setUint32(28, 8000, true);
  view.setUint16(32, 1, true);
  view.setUint16(34, 8, true);
  ascii(36, "data");
  view.setUint32(40, samples, true);
  wav.fill(128, 44); // 8-bit silence is the midpoint
  return wav;
}

/** `path` is below /_local/twilio and starts with /2010-04-01/. */
export async function restApi(ctx: SandboxContext, req: Request, path: string): Promise<Response> {
  const m = path.match(
    /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/(IncomingPhoneNumbers(?:\/(PN[0-9a-f]{32}))?\.json|Recordings\/(RE[0-9a-f]{32})(?:\.wav|\.mp3)?)$/,
  );
  if (!m) return errors.notFound(path);
  const [, accountSid, , numberSid, recordingSid] = m;

  if (recordingSid) {
    const recording = ctx.store.recordings.get(recordingSid);
    if (req.method !== "GET" || !recording || recording.accountSid !== accountSid) {
      return errors.notFound(path);
    }
    return new Response(silence(recording.seconds), {
      headers: { "content-type": "audio/x-wav", "access-control-allow-origin": "*" },
    });
  }

  const endpoint: Endpoint = numberSid === undefined
    ? "incomingPhoneNumbers.list"
    : req.method === "POST"
    ? "incomingPhoneNumbers.update"
    : "incomingPhoneNumbers.get";
  const answer = (res: Response, fault: string | null = null) => {
    ctx.log.add({ method: req.method, endpoint, status: res.status, account: accountSid, fault });
    return res;
  };
  if (!authenticated(ctx, req, accountSid)) return answer(errors.authenticate());
  const fault = ctx.faults.take(endpoint, accountSid);
  if (await delayFor(fault)) return answer(errors.injected(fault!.status!), fault!.id);

  const mine = [...ctx.store.numbers.values()].filter((n) => n.accountSid === accountSid);
  if (endpoint === "incomingPhoneNumbers.list") {
    if (req.method !== "GET") return answer(errors.notFound(path));
    const url = new URL(req.url);
    const phone = url.searchParams.get("PhoneNumber");
    const list = mine.filter((n) =>
      phone === null || n.phoneNumber === phone.replace(/[\s()-]/g, "")
    );
    const uri = `${API}/Accounts/${accountSid}/IncomingPhoneNumbers.json`;
    return answer(json(200, {
      incoming_phone_numbers: list.map(numberResource),
      start: 0,
      end: Math.max(0, list.length - 1),
      page: 0,
      page_size: 50,
      first_page_uri: `${uri}?PageSize=50&Page=0`,
      next_page_uri: null,
      previous_page_uri: null,
      uri,
    }));
  }
  const number = mine.find((n) => n.sid === numberSid);
  if (!number) return answer(errors.notFound(path));
  if (endpoint === "incomingPhoneNumbers.get") {
    return answer(req.method === "GET" ? json(200, numberResource(number)) : errors.notFound(path));
  }
  return answer(await update(number, req, ctx));
}
