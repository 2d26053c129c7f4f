// Benchmark (not a test): does the `vapi` function answer Vapi well inside its budgets?
//
//   npx -y deno@2.9.6 run -A scripts/bench/vapi.ts [options]
//
//   --db-url <url>         database (default: the dev stack's)
//   --api-url <url>        the same stack's API (default: the dev stack's)
//   --service-key <jwt>    its service-role key (default: SUPABASE_SERVICE_ROLE_KEY, else the
//                          local stack's own)
//   --functions-env <f>    the functions' env file, for VAPI_SERVER_SECRET (default: the dev
//                          stack's functions.env)
//   --iterations <n>       assistant requests and end-of-call reports to time (default 300)
//   --rounds <n>           rounds of 20 concurrent calls for the tool calls (default 10)
//   --concurrency <n>      calls at once (default 20)
//   --allow-remote         needed for a database that is not on this machine
//
// 1. assistant-request for Northside (the seed's clinic: intents, FAQ, hours), one after the
//    other: through the function (HTTP, the way Vapi calls it) and our own time alone (the same
//    handler in this process on a direct connection: route, record the call, load the
//    configuration, build the assistant). Vapi allows 7.5 s end to end; the goal is p95 ≤ 300 ms.
// 2. tool-calls at 20 concurrent calls to a clinic of its own (open around the clock, 3
//    practitioners, a 30-minute service): each call checks availability for a day of its own and
//    books the first time offered. Goal: check p95 ≤ 100 ms.
// 3. end-of-call-report ingest (transcript of 20 turns, summary, recording, cost), once per
//    call, then the same reports replayed.
// The generated clinic (slug `bench-vapi-…`) and every call row it made are removed at the end.
import postgres from "postgres";
import { addDays, localDateOf } from "../../supabase/functions/_shared/domain/opening_hours.ts";
import { handleVapi } from "../../supabase/functions/_shared/vapi/server.ts";
import { stackConfig } from "../local-stack/config.ts";
import { functionsEnvFile } from "../local-stack/stack.ts";
import {
  countOption,
  devDatabaseUrl,
  option,
  refuseRemote,
  serviceKeyOption,
  summary,
} from "./_cli.ts";

const SLUG = "bench-vapi";
const ZONE = "Europe/London";
const NORTHSIDE_NUMBER = "+442079460123";

const opts = {
  dbUrl: option("db-url", devDatabaseUrl),
  apiUrl: option("api-url", stackConfig("dev").apiUrl),
  serviceKey: await serviceKeyOption(),
  functionsEnv: option("functions-env", functionsEnvFile(stackConfig("dev"))),
  iterations: countOption("iterations", 300),
  rounds: countOption("rounds", 10),
  concurrency: countOption("concurrency", 20),
};
refuseRemote(opts.dbUrl);

const secret = (await Deno.readTextFile(opts.functionsEnv)).split("\n")
  .find((l) => l.startsWith("VAPI_SERVER_SECRET="))?.slice("VAPI_SERVER_SECRET=".length);
if (!secret) throw new Error(`no VAPI_SERVER_SECRET in ${opts.functionsEnv}`);
// The in-process handler's service-role client (tool calls) talks to the same stack.
Deno.env.set("SUPABASE_URL", opts.apiUrl);
Deno.env.set("SUPABASE_SERVICE_ROLE_KEY", opts.serviceKey);

const sql = postgres(opts.dbUrl, { max: 10, prepare: false, onnotice: () => {} });
const tag = crypto.randomUUID().slice(0, 8);
let serial = 0;
const newCall = () => `${SLUG}-${tag}-${++serial}`;
const caller = () => `+4479111${String(serial % 100000).padStart(5, "0")}`;
const settings = { secret, serverUrl: `${opts.apiUrl}/functions/v1/vapi` };

function message(type: string, callId: string, to: string, extra: Record<string, unknown> = {}) {
  const from = caller();
  return {
    message: {
      type,
      timestamp: Date.now(),
      call: {
        id: callId,
        type: "inboundPhoneCall",
        phoneCallProvider: "twilio",
        customer: { number: from },
      },
      phoneNumber: { id: "pn", number: to },
      customer: { number: from },
      ...extra,
    },
  };
}

/** POSTs one message through the stack (HTTP) or to the handler in this process; the ms taken. */
async function send(
  body: unknown,
  inProcess = false,
): Promise<{ ms: number; json: Record<string, unknown> }> {
  const request = () =>
    new Request(settings.serverUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "x-vapi-secret": secret! },
      body: JSON.stringify(body),
    });
  const started = performance.now();
  const response = inProcess ? await handleVapi(request(), sql, settings) : await fetch(request());
  const json = await response.json();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`${response.status}: ${JSON.stringify(json)}`);
  return { ms, json };
}

async function makeClinic(): Promise<{ id: string; number: string }> {
  const number = `+44207${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
  const hex = Array.from(crypto.getRandomValues(new Uint8Array(16)))
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  return await sql.begin(async (tx) => {
    const [org] = await tx<{ id: string }[]>`
      insert into public.organisations (name, slug, timezone, languages, country)
      values (${`Bench vapi ${tag}`}, ${`${SLUG}-${tag}`}, ${ZONE}, array['en'], 'GB')
      returning id`;
    await tx`insert into public.working_hours (organisation_id, weekday, opens, closes)
      select ${org.id}, d, '00:00', '24:00' from generate_series(1, 7) d`;
    await tx`insert into public.practitioners (organisation_id, display_name, position)
      select ${org.id}, 'Dr Bench ' || n, n from generate_series(2, 3) n`;
    await tx`insert into public.services (organisation_id, name, duration_minutes)
      values (${org.id}, 'Check-up', 30)`;
    const [account] = await tx<{ id: string }[]>`
      insert into public.twilio_accounts (organisation_id, account_sid)
      values (${org.id}, ${`AC${hex}`}) returning id`;
    await tx`insert into public.phone_numbers (organisation_id, twilio_account_id, e164)
      values (${org.id}, ${account.id}, ${number})`;
    return { id: org.id, number };
  }) as { id: string; number: string };
}

async function clean(clinicId: string | null) {
  await sql`delete from public.calls where vapi_call_id like ${`${SLUG}-${tag}-%`}`;
  if (clinicId) {
    // The number first: removing it enqueues a job that names the organisation.
    await sql`delete from public.phone_numbers where organisation_id = ${clinicId}`;
    await sql`delete from public.organisations where id = ${clinicId}`;
  }
}

/** Rounds of `concurrency` calls, each checking a day of its own and booking what it offers. */
async function toolRounds(
  clinic: { number: string },
  today: string,
  concurrency: number,
  rounds: number,
  inProcess: boolean,
) {
  const check: number[] = [];
  const booking: number[] = [];
  const outcomes = new Map<string, number>();
  for (let round = 0; round < rounds; round++) {
    await Promise.all(Array.from({ length: concurrency }, async (_, i) => {
      const callId = newCall();
      await send(message("assistant-request", callId, clinic.number));
      const day = addDays(today, 1 + i);
      const tool = (id: string, name: string, args: Record<string, unknown>) => {
        const toolCall = { id, type: "function", function: { name, arguments: args } };
        return message("tool-calls", callId, clinic.number, {
          toolCallList: [toolCall],
          toolWithToolCallList: [{ type: "function", toolCall }],
        });
      };
      const checked = await send(
        tool("c", "check_availability", { service: "Check-up", from: day, to: day }),
        inProcess,
      );
      check.push(checked.ms);
      const result = (checked.json.results as { result: string }[])[0].result;
      const slot = /slot_id ([A-Za-z0-9_-]+)/.exec(result)?.[1];
      if (!slot) throw new Error(`no slot offered: ${result}`);
      const booked = await send(
        tool("b", "book_appointment", { slot_id: slot, name: "Bench Caller" }),
        inProcess,
      );
      booking.push(booked.ms);
      const said = (booked.json.results as { result: string }[])[0].result.split(":")[0];
      outcomes.set(said, (outcomes.get(said) ?? 0) + 1);
    }));
  }
  return { check, booking, outcomes: JSON.stringify(Object.fromEntries(outcomes)) };
}

let clinicId: string | null = null;
try {
  // 1. assistant-request
  const http: number[] = [];
  const own: number[] = [];
  let size = 0;
  for (let i = 0; i < opts.iterations; i++) {
    const inProcess = i % 2 === 1;
    const { ms, json } = await send(
      message("assistant-request", newCall(), NORTHSIDE_NUMBER),
      inProcess,
    );
    if (!("assistant" in json)) throw new Error(`no assistant: ${JSON.stringify(json)}`);
    size = JSON.stringify(json).length;
    (inProcess ? own : http).push(ms);
  }
  console.log(`1. assistant-request for Northside (answer ${size.toLocaleString("en")} chars)`);
  console.log(`   through the function (HTTP)  ${summary(http)}`);
  console.log(`   our own time (in process)    ${summary(own)}`);

  // 2. tool-calls at N concurrent calls
  const clinic = await makeClinic();
  clinicId = clinic.id;
  const today = localDateOf(ZONE, new Date());
  for (
    const [label, concurrency, rounds, inProcess] of [
      ["one call at a time, through the function", 1, opts.concurrency, false],
      [
        `${opts.concurrency} concurrent calls × ${opts.rounds} rounds, through the function`,
        opts.concurrency,
        opts.rounds,
        false,
      ],
      [
        `${opts.concurrency} concurrent calls × ${opts.rounds} rounds, our own time (in process)`,
        opts.concurrency,
        opts.rounds,
        true,
      ],
    ] as const
  ) {
    const r = await toolRounds(clinic, today, concurrency, rounds, inProcess);
    console.log(`2. tool-calls, ${label}`);
    console.log(`   check_availability  ${summary(r.check)}`);
    console.log(`   book_appointment    ${summary(r.booking)}   outcomes ${r.outcomes}`);
  }

  // 3. end-of-call-report ingest
  const transcript = Array.from({ length: 20 }, (_, i) => ({
    role: i % 2 ? "user" : "bot",
    message: `Turn ${i} of a conversation about booking a check-up next week.`,
    time: i,
    secondsFromStart: i * 4.5,
  }));
  const report = (callId: string) =>
    message("end-of-call-report", callId, NORTHSIDE_NUMBER, {
      endedReason: "customer-ended-call",
      cost: 0.0831,
      startedAt: new Date(Date.now() - 120_000).toISOString(),
      endedAt: new Date().toISOString(),
      artifact: { messages: transcript, recordingUrl: "https://storage.vapi.ai/bench.wav" },
      analysis: { summary: "Booked a check-up." },
    });
  const calls = Array.from({ length: opts.iterations }, () => newCall());
  for (const callId of calls) await send(message("assistant-request", callId, NORTHSIDE_NUMBER));
  const first: number[] = [];
  const replay: number[] = [];
  const reports = calls.map(report);
  for (const body of reports) first.push((await send(body)).ms);
  for (const body of reports) replay.push((await send(body)).ms);
  console.log("3. end-of-call-report (20 turns, summary, recording, cost), through the function");
  console.log(`   first delivery  ${summary(first)}`);
  console.log(`   replayed        ${summary(replay)}`);
} finally {
  await clean(clinicId);
  await sql.end();
}
