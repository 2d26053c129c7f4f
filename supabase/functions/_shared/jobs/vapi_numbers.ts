// Connecting a clinic's Twilio number to its voice assistant, and undoing it (PROVIDERS §1.9 (a)):
//
// vapi.connect_number {phone_number_id} — enqueued when a number starts answering calls, on Retry
// and when the escalation phone changes. Imports the number into Vapi (provider twilio, the
// clinic's Twilio credentials — decrypted for this call only — no assistant, so every call asks
// our `vapi` function; our server credential as a header; the escalation phone as the fallback
// destination) or updates the number Vapi already has for that E.164 — once Twilio confirmed the
// account has the number —; then sets the Twilio number's voice fallback URL and status callback to our `twilio-voice` function. The number is
// `connected`, or `failed` with a sentence for the clinic (a provider that did not answer is also
// retried by the worker; a refusal waits for Retry).
//
// vapi.disconnect_number {phone_number_id, e164, twilio_account_id, account_sid,
// vapi_phone_number_id, twilio_number_sid} — enqueued when a number stops answering calls or is
// removed (the payload is all it needs once the row is gone): removes the number from Vapi and
// clears the Twilio URLs we set. A number that answers calls again by then is left to connect.
//
// Both run again after a crash or retry and converge on the row's current wishes.
import { decryptCredential } from "../io/credentials.ts";
import type { Sql } from "../io/db.ts";
import { ProviderApiError } from "../http/provider.ts";
import {
  createPhoneNumber,
  deletePhoneNumber,
  findPhoneNumber,
  getPhoneNumber,
  updatePhoneNumber,
  VapiNotConfigured,
  type VapiPhoneNumberFields,
  type VapiSettings,
  vapiSettings,
} from "../vapi/client.ts";
import { findIncomingNumber, updateIncomingNumber } from "../twilio/rest.ts";
import { JobFailedPermanently, type JobHandler } from "./types.ts";

/** Where Vapi and Twilio reach our functions: PUBLIC_FUNCTIONS_URL, else SUPABASE_URL's. */
export function publicFunctionsUrl(
  env: (name: string) => string | undefined = Deno.env.get,
): string {
  const configured = env("PUBLIC_FUNCTIONS_URL")?.trim();
  if (configured) return configured.replace(/\/+$/, "");
  const api = env("SUPABASE_URL")?.trim();
  if (!api) throw new VapiNotConfigured("PUBLIC_FUNCTIONS_URL");
  return `${api.replace(/\/+$/, "")}/functions/v1`;
}

interface NumberRow {
  id: string;
  organisation_id: string;
  e164: string;
  label: string;
  twilio_account_id: string;
  account_sid: string;
  vapi_phone_number_id: string | null;
  answers_calls: boolean;
  escalation_phone: string | null;
  clinic: string;
}

/** A failure in words for the clinic; `retry` when trying again later may help. */
class ConnectFailure extends Error {
  constructor(message: string, readonly retry: boolean) {
    super(message);
    this.name = "ConnectFailure";
  }
}

/** What a provider's failure means for the clinic, without any secret (none is in its text). */
function explain(error: unknown, e164: string, accountSid: string): ConnectFailure {
  if (error instanceof ConnectFailure) return error;
  if (error instanceof VapiNotConfigured) return new ConnectFailure(error.message, false);
  if (!(error instanceof ProviderApiError)) {
    return new ConnectFailure("Connecting failed unexpectedly; it is tried again", true);
  }
  const { provider, kind, detail } = error;
  if (kind === "retry") {
    return new ConnectFailure(`${provider} did not answer (${detail}); it is tried again`, true);
  }
  if (provider === "Twilio" && kind === "auth") {
    return new ConnectFailure(
      `Twilio refused the auth token of account ${accountSid}; set it again under Channels, then Retry`,
      false,
    );
  }
  if (provider === "Vapi" && kind === "auth") {
    return new ConnectFailure(
      "Vapi refused this server's API key (VAPI_API_KEY); the operator must fix it",
      false,
    );
  }
  return new ConnectFailure(`${provider} refused ${e164}: ${detail}`, false);
}

async function loadNumber(sql: Sql, id: string): Promise<NumberRow | undefined> {
  const [row] = await sql<NumberRow[]>`
    select p.id, p.organisation_id, p.e164, p.label, p.twilio_account_id, t.account_sid,
      p.vapi_phone_number_id, (p.active and p.voice_enabled) as answers_calls,
      s.escalation_phone, o.name as clinic
    from public.phone_numbers p
    join public.twilio_accounts t on t.id = p.twilio_account_id
    join public.organisations o on o.id = p.organisation_id
    left join public.assistant_settings s on s.organisation_id = p.organisation_id
    where p.id = ${id}::uuid`;
  return row;
}

/** The number Vapi has for this E.164: by the id we stored, else by listing. */
async function existingVapiNumber(settings: VapiSettings, storedId: string | null, e164: string) {
  if (storedId) {
    try {
      const found = await getPhoneNumber(settings, storedId);
      if (found.number === undefined || found.number === e164) return found;
    } catch (error) {
      if (!(error instanceof ProviderApiError && error.kind === "not_found")) throw error;
    }
  }
  return await findPhoneNumber(settings, e164);
}

function payloadId(payload: unknown, field: string): string | null {
  const value = (payload as Record<string, unknown> | null)?.[field];
  return typeof value === "string" && value ? value : null;
}

export const connectNumber: JobHandler = async (job, { sql }) => {
  const id = payloadId(job.payload, "phone_number_id");
  if (!id) throw new JobFailedPermanently("the job names no phone number");
  const number = await loadNumber(sql, id);
  // Gone or no longer answering calls: the disconnect job has the rest.
  if (!number?.answers_calls) return;

  // Writes only while the number still answers calls: a number turned off meanwhile is left to
  // its disconnect job.
  const save = async (fields: {
    state: "connected" | "failed";
    error: string | null;
    vapiId?: string;
    twilioSid?: string;
  }) => {
    await sql`
      update public.phone_numbers p set
        voice_connection = ${fields.state}::public.voice_connection_state,
        voice_connection_error = ${fields.error},
        vapi_phone_number_id = coalesce(${fields.vapiId ?? null}, p.vapi_phone_number_id),
        twilio_number_sid = coalesce(${fields.twilioSid ?? null}, p.twilio_number_sid)
      where p.id = ${id}::uuid and p.active and p.voice_enabled`;
  };

  try {
    const settings = vapiSettings();
    const functions = publicFunctionsUrl();
    const serverSecret = Deno.env.get("VAPI_SERVER_SECRET")?.trim();
    if (!serverSecret) throw new VapiNotConfigured("VAPI_SERVER_SECRET");
    const authToken = await decryptCredential(sql, number.twilio_account_id, "twilio_auth_token", {
      cache: false,
    });
    if (!authToken) {
      throw new ConnectFailure(
        `The Twilio account ${number.account_sid} has no auth token; add it under Channels, then Retry`,
        false,
      );
    }

    // Twilio first: a wrong token or a number the account lacks leaves nothing in Vapi.
    const incoming = await findIncomingNumber(number.account_sid, authToken, number.e164);
    if (!incoming) {
      throw new ConnectFailure(
        `The Twilio account ${number.account_sid} has no number ${number.e164}; check the account, then Retry`,
        false,
      );
    }

    const fields: VapiPhoneNumberFields = {
      name: (number.label || number.clinic).slice(0, 40),
      twilioAuthToken: authToken,
      smsEnabled: false,
      server: { url: `${functions}/vapi`, headers: { "X-Vapi-Secret": serverSecret } },
      ...(number.escalation_phone
        ? { fallbackDestination: { type: "number" as const, number: number.escalation_phone } }
        : {}),
    };
    const existing = await existingVapiNumber(settings, number.vapi_phone_number_id, number.e164);
    const vapi = existing
      ? await updatePhoneNumber(settings, existing.id, fields)
      : await createPhoneNumber(settings, {
        ...fields,
        provider: "twilio",
        number: number.e164,
        twilioAccountSid: number.account_sid,
        twilioAuthToken: authToken,
      });
    // Stored before Twilio is changed, so a disconnect finds it whatever happens next. A number
    // turned off while we imported it would keep a Vapi number nobody removes: removed here.
    const stored = await sql`update public.phone_numbers set vapi_phone_number_id = ${vapi.id}
      where id = ${id}::uuid and active and voice_enabled`;
    if (stored.count === 0) {
      await deletePhoneNumber(settings, vapi.id);
      return;
    }

    await updateIncomingNumber(number.account_sid, authToken, incoming.sid, {
      VoiceFallbackUrl: `${functions}/twilio-voice/fallback`,
      VoiceFallbackMethod: "POST",
      StatusCallback: `${functions}/twilio-voice/status`,
      StatusCallbackMethod: "POST",
    });
    await save({ state: "connected", error: null, vapiId: vapi.id, twilioSid: incoming.sid });
  } catch (error) {
    const failure = explain(error, number.e164, number.account_sid);
    await save({ state: "failed", error: failure.message.slice(0, 500) });
    if (failure.retry) throw failure;
    throw new JobFailedPermanently(failure.message);
  }
};

export const disconnectNumber: JobHandler = async (job, { sql }) => {
  const id = payloadId(job.payload, "phone_number_id");
  const e164 = payloadId(job.payload, "e164");
  if (!id || !e164) throw new JobFailedPermanently("the job names no phone number");
  const [wanted] = await sql`
    select from public.phone_numbers p where p.e164 = ${e164} and p.active and p.voice_enabled`;
  // Answering calls again (here or in another clinic): its connect job updates Vapi instead.
  if (wanted) return;

  try {
    const settings = vapiSettings();
    const vapi = await existingVapiNumber(
      settings,
      payloadId(job.payload, "vapi_phone_number_id"),
      e164,
    );
    if (vapi) {
      await deletePhoneNumber(settings, vapi.id).catch((error) => {
        if (!(error instanceof ProviderApiError && error.kind === "not_found")) throw error;
      });
    }

    const accountId = payloadId(job.payload, "twilio_account_id");
    const accountSid = payloadId(job.payload, "account_sid");
    // The account (and its token) may be gone with the number: Twilio's side then stays as is.
    const authToken = accountId && accountSid
      ? await decryptCredential(sql, accountId, "twilio_auth_token", { cache: false })
      : null;
    if (authToken && accountSid) {
      const sid = payloadId(job.payload, "twilio_number_sid") ??
        (await findIncomingNumber(accountSid, authToken, e164))?.sid;
      if (sid) {
        await updateIncomingNumber(accountSid, authToken, sid, {
          VoiceFallbackUrl: "",
          StatusCallback: "",
        })
          .catch((error) => {
            if (!(error instanceof ProviderApiError && error.kind === "not_found")) throw error;
          });
      }
    }
  } catch (error) {
    const failure = explain(error, e164, payloadId(job.payload, "account_sid") ?? "");
    if (failure.retry) throw failure;
    throw new JobFailedPermanently(failure.message);
  }

  await sql`
    update public.phone_numbers p set vapi_phone_number_id = null, twilio_number_sid = null,
      voice_connection = 'disconnected', voice_connection_error = null
    where p.id = ${id}::uuid and not (p.active and p.voice_enabled)`;
};
