// Benchmark (not a test): how fast does the twilio-voice function answer Twilio's voice fallback
// request (Vapi unreachable) with TwiML? Twilio waits 15 s, but the caller hears silence until
// the answer arrives.
//
//   npx -y deno@2.9.6 run -A scripts/bench/twilio_voice.ts [options]
//
//   --api-url <url>      the stack's API (default: the dev stack's)
//   --db-url <url>       the same stack's database (default: the dev stack's)
//   --requests <n>       fallback requests per round (default 300)
//   --concurrency <n>    callers at once in the second round (default 10)
//   --allow-remote       needed for a stack that is not on this machine
//
// Requests go to the seed's Northside number, signed with its demo auth token exactly as Twilio
// signs them, each with a new CallSid (so each writes its call row, as a real call does). Printed:
// the function over HTTP one at a time and with --concurrency at once, and the handler's own time
// in this process (routing, token decryption, settings, call row, TwiML) without HTTP or the
// functions host. The call rows made are deleted afterwards.
import postgres from "postgres";
import { twilioSignature } from "../../supabase/functions/_shared/twilio/signature.ts";
import { handleVoiceWebhook } from "../../supabase/functions/_shared/twilio/voice_webhook.ts";
import { stackConfig } from "../local-stack/config.ts";
import { DEMO_ACCOUNTS } from "../local-stack/sandboxes/twilio/store.ts";
import { countOption, devDatabaseUrl, option, refuseRemote, summary } from "./_cli.ts";

const opts = {
  apiUrl: option("api-url", stackConfig("dev").apiUrl).replace(/\/+$/, ""),
  dbUrl: option("db-url", devDatabaseUrl),
  requests: countOption("requests", 300),
  concurrency: countOption("concurrency", 10),
};
refuseRemote(opts.apiUrl);
refuseRemote(opts.dbUrl);

const { account, numbers } = DEMO_ACCOUNTS[0];
const publicUrl = `${opts.apiUrl}/functions/v1`;
const sids: string[] = [];
const sql = postgres(opts.dbUrl, { max: 3, prepare: false, onnotice: () => {} });

function form(): Record<string, string> {
  const sid = `CA${crypto.randomUUID().replaceAll("-", "")}`;
  sids.push(sid);
  return {
    AccountSid: account.sid,
    ApiVersion: "2010-04-01",
    CallSid: sid,
    CallStatus: "ringing",
    Direction: "inbound",
    From: "+447700900999",
    To: numbers[0].phoneNumber,
    ErrorCode: "11205",
    ErrorUrl: "https://api.vapi.ai/twilio/inbound_call",
  };
}

async function signedRequest(target: string): Promise<Request> {
  const params = form();
  return new Request(target, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": await twilioSignature(
        account.authToken,
        `${publicUrl}/twilio-voice/fallback`,
        params,
      ),
    },
    body: new URLSearchParams(params),
  });
}

async function timed(send: () => Promise<Response>): Promise<number> {
  const t = performance.now();
  const res = await send();
  const body = await res.text();
  const ms = performance.now() - t;
  if (res.status !== 200 || !body.includes("<Record")) {
    throw new Error(`unexpected answer ${res.status}: ${body.slice(0, 200)}`);
  }
  return ms;
}

const overHttp = async () =>
  await timed(async () => await fetch(await signedRequest(`${publicUrl}/twilio-voice/fallback`)));

async function round(label: string, n: number, concurrency: number, one: () => Promise<number>) {
  const samples: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < n) samples.push(await one());
  }));
  console.log(`${label.padEnd(44)} ${summary(samples)}`);
}

try {
  for (let i = 0; i < 20; i++) await overHttp(); // warm the function and its caches
  console.log(`twilio-voice /fallback, ${opts.requests} requests per round (${opts.apiUrl})`);
  await round("function over HTTP, one at a time", opts.requests, 1, overHttp);
  await round(
    `function over HTTP, ${opts.concurrency} at once`,
    opts.requests,
    opts.concurrency,
    overHttp,
  );
  const env = { sql, publicFunctionsUrl: publicUrl };
  const inProcess = async () =>
    await timed(async () =>
      await handleVoiceWebhook(await signedRequest("http://internal/twilio-voice/fallback"), env)
    );
  for (let i = 0; i < 20; i++) await inProcess();
  await round("handler's own time (in process), one at a time", opts.requests, 1, inProcess);
} finally {
  await sql`delete from public.calls where twilio_call_sid = any(${sids})`;
  await sql.end();
}
