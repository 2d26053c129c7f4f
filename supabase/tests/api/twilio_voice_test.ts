// The twilio-voice function on a running stack, with requests signed exactly as Twilio signs
// them (the sandbox's signer): the fallback's TwiML per clinic settings, voicemail → one callback
// task however often Twilio repeats it, status callbacks on the call, and what is refused (forged
// signatures store nothing, unknown numbers hear a polite message, malformed forms get a 400,
// nothing ever a 5xx). Then the whole path through the sandboxes: Vapi down → Twilio's fallback
// → a voicemail → a task.
import assert from "node:assert/strict";
import fc from "fast-check";
import postgres from "postgres";
import { twilioSignature } from "../../functions/_shared/twilio/signature.ts";
import { env, SUPABASE_URL } from "./_helpers.ts";

const sql = postgres(env("SUPABASE_DB_URL"), { max: 4, prepare: false, onnotice: () => {} });
// The stack's PUBLIC_FUNCTIONS_URL: what Twilio is given, and what it signs.
const PUBLIC = `${SUPABASE_URL}/functions/v1`;

const hex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0"))
    .join("");
const callSid = () => `CA${hex(16)}`;
const CALLER = "+447700900456";

interface Clinic {
  organisationId: string;
  accountSid: string;
  authToken: string;
  number: string;
}

const organisations: string[] = [];

/** A clinic with a Twilio account (its token stored as the app stores it) and a voice number. */
async function clinic(
  settings: { afterHours?: string; escalationPhone?: string | null; language?: string } = {},
): Promise<Clinic> {
  const organisationId = crypto.randomUUID();
  const accountSid = `AC${hex(16)}`;
  const authToken = hex(16);
  const number = `+4420${
    String(crypto.getRandomValues(new Uint32Array(1))[0]).padStart(10, "0").slice(0, 8)
  }`;
  const language = settings.language ?? "en";
  await sql`insert into public.organisations (id, name, slug, timezone, languages, default_language)
    values (${organisationId}, 'Fallback & Co', ${"twilio-voice-" + organisationId.slice(0, 8)},
      'Europe/London', ${[language]}, ${language})`;
  organisations.push(organisationId);
  const [account] = await sql<{ id: string }[]>`
    insert into public.twilio_accounts (organisation_id, account_sid)
    values (${organisationId}, ${accountSid}) returning id`;
  await sql`select private.store_credential(${account.id}, 'twilio_auth_token', ${authToken}, 'test')`;
  await sql`insert into public.phone_numbers (organisation_id, twilio_account_id, e164, voice_enabled)
    values (${organisationId}, ${account.id}, ${number}, true)`;
  await sql`update public.assistant_settings set
      after_hours = ${settings.afterHours ?? "take_message"}::public.after_hours_behaviour,
      escalation_phone = ${
    settings.escalationPhone === undefined ? "+442079460999" : settings.escalationPhone
  }
    where organisation_id = ${organisationId}`;
  return { organisationId, accountSid, authToken, number };
}

/** Posts `params` to a route, signed with `token` over the public URL (or `signedUrl`). */
async function post(
  route: string,
  params: Record<string, string>,
  token: string | null,
  signedUrl = `${PUBLIC}/twilio-voice/${route}`,
): Promise<{ status: number; body: string; type: string | null }> {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (token) headers["x-twilio-signature"] = await twilioSignature(token, signedUrl, params);
  const res = await fetch(`${SUPABASE_URL}/functions/v1/twilio-voice/${route}`, {
    method: "POST",
    headers,
    body: new URLSearchParams(params),
  });
  return { status: res.status, body: await res.text(), type: res.headers.get("content-type") };
}

const inbound = (c: Clinic, sid: string, extra: Record<string, string> = {}) => ({
  AccountSid: c.accountSid,
  ApiVersion: "2010-04-01",
  CallSid: sid,
  CallStatus: "ringing",
  Direction: "inbound",
  From: CALLER,
  To: c.number,
  Caller: CALLER,
  Called: c.number,
  ...extra,
});

const callOf = async (sid: string) =>
  (await sql`select organisation_id, status::text, answered_by, from_e164, to_e164, outcome::text,
      recording_url, ended_reason, duration_seconds, language
    from public.calls where twilio_call_sid = ${sid}`)[0];

const tasksOf = (sid: string) =>
  sql`select t.kind, t.callback_e164, t.recording_url, t.reason, t.status::text
    from public.callback_tasks t join public.calls c on c.id = t.call_id
    where c.twilio_call_sid = ${sid}`;

/** The `RecordingUrl` the recording callback URL in a TwiML document names. */
const recordingRoute = (twiml: string) => {
  const action = twiml.match(/<Record [^>]*action="([^"]+)"/)![1].replaceAll("&amp;", "&");
  assert.ok(action.startsWith(`${PUBLIC}/twilio-voice/recording?`), action);
  return action.slice(`${PUBLIC}/twilio-voice/`.length);
};

Deno.test({
  name: "twilio-voice",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    try {
      await t.step(
        "fallback, voicemail clinic: Say in its language then Record; the call is the fallback's",
        async () => {
          const c = await clinic({ afterHours: "take_message" });
          const sid = callSid();
          const res = await post(
            "fallback",
            inbound(c, sid, {
              ErrorCode: "11205",
              ErrorUrl: "https://api.vapi.ai/twilio/inbound_call",
            }),
            c.authToken,
          );
          assert.equal(res.status, 200);
          assert.match(res.type ?? "", /^text\/xml/);
          assert.match(
            res.body,
            /<Say language="en-GB" voice="Google\.en-GB-Standard-A">Thank you for calling Fallback &amp; Co\. We can&apos;t take your call/,
          );
          assert.match(
            res.body,
            /<Record [^>]*recordingStatusCallback="[^"]*\/twilio-voice\/recording\?to=%2B44/,
          );
          assert.doesNotMatch(res.body, /<Dial/);
          const call = await callOf(sid);
          assert.equal(call.organisation_id, c.organisationId);
          assert.equal(call.answered_by, "fallback");
          assert.equal(call.status, "in_progress");
          assert.equal(call.from_e164, CALLER);
          assert.equal(call.to_e164, c.number);
        },
      );

      await t.step("fallback in Russian for a Russian clinic", async () => {
        const c = await clinic({ language: "ru" });
        const res = await post("fallback", inbound(c, callSid()), c.authToken);
        assert.match(res.body, /<Say language="ru-RU"[^>]*>Спасибо за звонок/);
      });

      await t.step(
        "transfer clinic: Dial the escalation phone; no answer → voicemail; answered → transferred",
        async () => {
          const c = await clinic({ afterHours: "transfer", escalationPhone: "+442079460777" });
          const sid = callSid();
          const res = await post("fallback", inbound(c, sid), c.authToken);
          assert.match(
            res.body,
            /<Say [^>]*>Thank you for calling Fallback &amp; Co\. Please hold[^<]*<\/Say><Dial action="[^"]*\/twilio-voice\/dial"[^>]*><Number>\+442079460777<\/Number><\/Dial>/,
          );
          const missed = await post(
            "dial",
            inbound(c, sid, {
              CallStatus: "in-progress",
              DialCallStatus: "no-answer",
              DialCallDuration: "0",
            }),
            c.authToken,
          );
          assert.equal(missed.status, 200);
          assert.match(missed.body, /<Record /);
          const sid2 = callSid();
          await post("fallback", inbound(c, sid2), c.authToken);
          const answered = await post(
            "dial",
            inbound(c, sid2, {
              CallStatus: "in-progress",
              DialCallStatus: "completed",
              DialCallDuration: "42",
            }),
            c.authToken,
          );
          assert.match(answered.body, /<Response><Hangup\/><\/Response>$/);
          assert.equal((await callOf(sid2)).outcome, "transferred");
          // Without an escalation phone a transfer clinic takes a voicemail.
          const noPhone = await clinic({ afterHours: "transfer", escalationPhone: null });
          assert.match(
            (await post("fallback", inbound(noPhone, callSid()), noPhone.authToken)).body,
            /<Record /,
          );
        },
      );

      await t.step(
        "recording: action and status callback, replayed → one voicemail task with the recording",
        async () => {
          const c = await clinic();
          const sid = callSid();
          const twiml = (await post("fallback", inbound(c, sid), c.authToken)).body;
          const route = recordingRoute(twiml);
          const recordingUrl =
            `https://api.twilio.com/2010-04-01/Accounts/${c.accountSid}/Recordings/RE${hex(16)}`;
          const action = await post(
            route,
            inbound(c, sid, {
              CallStatus: "in-progress",
              RecordingUrl: recordingUrl,
              RecordingDuration: "14",
              Digits: "hangup",
            }),
            c.authToken,
          );
          assert.equal(action.status, 200);
          assert.match(
            action.body,
            /<Say [^>]*>Thank you, we have your message[^<]*<\/Say><Hangup\/>/,
          );
          const callback = {
            AccountSid: c.accountSid,
            CallSid: sid,
            RecordingSid: `RE${hex(16)}`,
            RecordingUrl: recordingUrl,
            RecordingStatus: "completed",
            RecordingDuration: "14",
            RecordingChannels: "1",
            RecordingSource: "RecordVerb",
          };
          for (let i = 0; i < 3; i++) {
            const res = await post(route, callback, c.authToken);
            assert.equal(res.status, 200);
          }
          const tasks = await tasksOf(sid);
          assert.equal(tasks.length, 1);
          assert.deepEqual({ ...tasks[0] }, {
            kind: "voicemail",
            callback_e164: CALLER,
            recording_url: recordingUrl,
            reason: "Voicemail (14 s)",
            status: "open",
          });
          const call = await callOf(sid);
          assert.equal(call.recording_url, recordingUrl);
          assert.equal(call.outcome, "message_taken");
          // A recording that failed makes no task.
          const sid2 = callSid();
          await post("fallback", inbound(c, sid2), c.authToken);
          await post(route, { ...callback, CallSid: sid2, RecordingStatus: "failed" }, c.authToken);
          assert.equal((await tasksOf(sid2)).length, 0);
        },
      );

      await t.step(
        "status callbacks: the call ends with its duration and reason; a replay changes nothing",
        async () => {
          const c = await clinic();
          const sid = callSid();
          await post("fallback", inbound(c, sid), c.authToken);
          const done = inbound(c, sid, {
            CallStatus: "completed",
            CallDuration: "65",
            Timestamp: "Tue, 01 Dec 2026 10:00:05 +0000",
          });
          assert.equal((await post("status", done, c.authToken)).status, 200);
          let call = await callOf(sid);
          assert.equal(call.status, "ended");
          assert.equal(call.ended_reason, "completed");
          assert.equal(call.duration_seconds, 65);
          assert.equal(call.answered_by, "fallback");
          // A late "ringing" does not bring an ended call back.
          await post("status", inbound(c, sid, { CallStatus: "ringing" }), c.authToken);
          await post("status", done, c.authToken);
          call = await callOf(sid);
          assert.equal(call.status, "ended");
          assert.equal(call.duration_seconds, 65);
          // A caller who hung up before anyone answered.
          const busy = callSid();
          await post("status", inbound(c, busy, { CallStatus: "no-answer" }), c.authToken);
          assert.equal((await callOf(busy)).ended_reason, "no-answer");
        },
      );

      await t.step("forged or misdirected signatures: 403, nothing stored", async () => {
        const c = await clinic();
        const forged = [
          { token: "not-the-token", url: undefined },
          { token: null, url: undefined },
          // Signed for the runtime's internal address rather than the public URL.
          { token: c.authToken, url: `http://127.0.0.1:1/twilio-voice/fallback` },
          { token: c.authToken, url: `${PUBLIC}/twilio-voice/status` },
        ];
        for (const { token, url } of forged) {
          const sid = callSid();
          const res = await post("fallback", inbound(c, sid), token, url);
          assert.equal(res.status, 403, `${token} ${url}`);
          assert.equal(await callOf(sid), undefined);
        }
        // A signed form with one value changed afterwards.
        const sid = callSid();
        const params = inbound(c, sid);
        const signature = await twilioSignature(
          c.authToken,
          `${PUBLIC}/twilio-voice/recording?to=${encodeURIComponent(c.number)}`,
          params,
        );
        const res = await fetch(
          `${PUBLIC}/twilio-voice/recording?to=${encodeURIComponent(c.number)}`,
          {
            method: "POST",
            headers: {
              "content-type": "application/x-www-form-urlencoded",
              "x-twilio-signature": signature,
            },
            body: new URLSearchParams({
              ...params,
              RecordingUrl: "https://evil.example/r",
              RecordingStatus: "completed",
            }),
          },
        );
        assert.equal(res.status, 403);
        await res.body?.cancel();
        assert.equal((await tasksOf(sid)).length, 0);
      });

      await t.step(
        "unknown, disabled or another account's number: polite TwiML, nothing stored",
        async () => {
          const c = await clinic();
          const sid = callSid();
          const unknown = await post(
            "fallback",
            inbound(c, sid, { To: "+442079469999", Called: "+442079469999" }),
            c.authToken,
          );
          assert.equal(unknown.status, 200);
          assert.match(
            unknown.body,
            /<Say [^>]*>Sorry, this number is not in service[^<]*<\/Say><Hangup\/>/,
          );
          const other = await post(
            "fallback",
            inbound(c, sid, { AccountSid: `AC${hex(16)}` }),
            c.authToken,
          );
          assert.match(other.body, /not in service/);
          await sql`update public.phone_numbers set active = false where e164 = ${c.number}`;
          assert.match(
            (await post("fallback", inbound(c, sid), c.authToken)).body,
            /not in service/,
          );
          assert.equal(await callOf(sid), undefined);
        },
      );

      await t.step(
        "malformed: 400 with what is wrong; other routes and methods are 404/405",
        async () => {
          const c = await clinic();
          const json = await fetch(`${PUBLIC}/twilio-voice/fallback`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: "{}",
          });
          assert.equal(json.status, 400);
          assert.match(await json.text(), /x-www-form-urlencoded/);
          const noSid = await post(
            "fallback",
            { AccountSid: c.accountSid, To: c.number },
            c.authToken,
          );
          assert.equal(noSid.status, 400);
          assert.match(noSid.body, /CallSid/);
          const badTo = await post("status", {
            AccountSid: c.accountSid,
            CallSid: callSid(),
            To: "nobody",
          }, c.authToken);
          assert.equal(badTo.status, 400);
          assert.match(badTo.body, /To/);
          const nowhere = await fetch(`${PUBLIC}/twilio-voice/other`, { method: "POST" });
          assert.equal(nowhere.status, 404);
          await nowhere.body?.cancel();
          const get = await fetch(`${PUBLIC}/twilio-voice/fallback`);
          assert.equal(get.status, 405);
          await get.body?.cancel();
        },
      );

      await t.step("fuzzed forms, signed or not: never a 5xx", async () => {
        const c = await clinic();
        const field = fc.oneof(
          fc.constantFrom(
            "AccountSid",
            "CallSid",
            "To",
            "From",
            "CallStatus",
            "RecordingUrl",
            "RecordingStatus",
            "DialCallStatus",
            "CallDuration",
            "Timestamp",
          ),
          fc.string({ maxLength: 12 }),
        );
        const value = fc.oneof(
          fc.constantFrom(
            c.accountSid,
            callSid(),
            c.number,
            CALLER,
            "completed",
            "in-progress",
            "https://x.example/r",
            "-1",
            "NaN",
            "",
            "\u0000",
          ),
          fc.string({ maxLength: 40 }),
          fc.string({ unit: "binary", maxLength: 20 }),
        );
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom("fallback", "dial", "recording", "status", "recording?to=%2B44&from=x"),
            fc.dictionary(field, value, { maxKeys: 8 }),
            fc.boolean(),
            async (route, params, signed) => {
              const res = await post(
                route,
                { AccountSid: c.accountSid, CallSid: callSid(), To: c.number, ...params },
                signed ? c.authToken : null,
                `${PUBLIC}/twilio-voice/${route}`,
              );
              assert.ok(
                res.status < 500,
                `${res.status} ${route} ${JSON.stringify(params)}: ${res.body}`,
              );
            },
          ),
          { numRuns: 60 },
        );
      });

      await t.step(
        "through the sandboxes: Vapi down → Twilio's fallback → a voicemail → a task",
        async () => {
          // The seed's Northside number, connected: Vapi's voice URL, our fallback and status callback.
          const vapiFault = await fetch(`${SUPABASE_URL}/_local/vapi/control/faults`, {
            method: "POST",
            body: JSON.stringify({ endpoint: "inbound", down: true, times: 1 }),
          });
          assert.equal(vapiFault.status, 200, await vapiFault.text());
          const res = await fetch(`${SUPABASE_URL}/_local/twilio/control/calls`, {
            method: "POST",
            body: JSON.stringify({
              to: "+442079460123",
              from: CALLER,
              script: ["Hello, this is Sam Patel, please call me back about my crown."],
            }),
          });
          const call = await res.json();
          assert.equal(res.status, 200, JSON.stringify(call));
          assert.equal(call.answeredBy, "fallback", JSON.stringify(call.steps));
          assert.equal(call.status, "completed");
          const verbs = call.steps.map((s: { verb: string }) => s.verb);
          assert.ok(!verbs.includes("application-error"), JSON.stringify(call.steps));
          assert.match(
            call.steps.find((s: { verb: string }) => s.verb === "say").text,
            /Thank you for calling Northside Dental/,
          );
          assert.ok(verbs.includes("record"));
          const requests = call.steps.filter((s: { verb: string }) => s.verb === "request");
          assert.ok(
            requests.every((r: { status: number }) => r.status === 200),
            JSON.stringify(requests),
          );
          const tasks = await tasksOf(call.sid);
          assert.equal(tasks.length, 1);
          assert.equal(tasks[0].kind, "voicemail");
          assert.equal(tasks[0].callback_e164, CALLER);
          assert.match(
            tasks[0].recording_url,
            /\/_local\/twilio\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Recordings\/RE[0-9a-f]{32}$/,
          );
          const audio = await fetch(tasks[0].recording_url);
          assert.equal(audio.headers.get("content-type"), "audio/x-wav");
          await audio.body?.cancel();
          const stored = await callOf(call.sid);
          assert.equal(stored.answered_by, "fallback");
          assert.equal(stored.status, "ended");
          assert.equal(stored.outcome, "message_taken");
          // The seeded clinic keeps its demo tasks only: a voicemail left here goes with its call.
          await sql`delete from public.callback_tasks
            where call_id = (select id from public.calls where twilio_call_sid = ${call.sid})`;
          await sql`delete from public.calls where twilio_call_sid = ${call.sid}`;
        },
      );
    } finally {
      await sql`delete from public.organisations where id = any(${organisations})`;
      await sql.end();
    }
  },
});
