// `deno task dev`: the whole stack on supabase/config.toml's API port (54321) until Ctrl-C.
// `deno task reset`: the same, after rebuilding the database from migrations and seed.
import { dbUrl, stackConfig } from "./config.ts";
import { SetupError } from "./prereqs.ts";
import { functionsEnvFile, startStack } from "./stack.ts";

/** Logins created by supabase/seed.sql (password for all: frontdesk-demo). */
const demoLogins: string[] = [
  "owner@northside.test",
  "admin@northside.test",
  "staff@northside.test",
  "owner@riverside.test",
];

const fresh = Deno.args.includes("--reset");
const cfg = stackConfig("dev");
const started = performance.now();
console.log(fresh ? "Rebuilding the local stack from scratch…" : "Starting the local stack…");

let stack;
try {
  stack = await startStack(cfg, { fresh, watchWeb: true });
} catch (err) {
  console.error(err instanceof SetupError ? err.message : err);
  Deno.exit(1);
}

const { secrets } = stack;
const wsUrl = cfg.apiUrl.replace(/^http/, "ws");
console.log(`
frontdesk local stack is up (${((performance.now() - started) / 1000).toFixed(1)} s)

  Dashboard         ${cfg.apiUrl}/
  API URL           ${cfg.apiUrl}
  REST              ${cfg.apiUrl}/rest/v1
  Auth              ${cfg.apiUrl}/auth/v1   (local stand-in for Supabase Auth)
  Functions         ${cfg.apiUrl}/functions/v1/<name>
  Realtime          ${wsUrl}/realtime/v1/websocket   (local stand-in: postgres_changes)
  Mail outbox       ${cfg.apiUrl}/_local/outbox
  Google sandbox    ${cfg.apiUrl}/_local/google   (calendars, requests, faults; control API below it)
  WhatsApp (Meta)   ${cfg.apiUrl}/_local/meta   (write to a clinic as a patient and see the replies)
  SMS (Twilio)      ${cfg.apiUrl}/_local/twilio/messages   (SMS or WhatsApp as a patient)
  OpenAI sandbox    ${cfg.apiUrl}/_local/openai   (what the assistant was asked and answered)
  DB URL            ${dbUrl(cfg)}
  anon key          ${secrets.anonKey}
  service_role key  ${secrets.serviceRoleKey}
  Demo logins       ${
  demoLogins.length ? demoLogins.join(", ") + " (password frontdesk-demo)" : "none yet: sign up"
}
  Functions env     ${functionsEnvFile(cfg)}   (generated local values: sandbox URLs, keys)
  Logs              ${cfg.logDir}

Press Ctrl-C to stop.`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping…");
  await stack.stop();
  console.log("Stopped.");
  Deno.exit(0);
};
Deno.addSignalListener("SIGINT", shutdown);
Deno.addSignalListener("SIGTERM", shutdown);
