// No messaging secret in any answer, log line or audit row: the platform Meta app's secret and
// verify token, the OpenAI key (all three from the functions' env), and the Vault credentials the
// messaging paths decrypt (Meta access tokens, a clinic's own app secret and verify token, Twilio
// auth tokens). The test first takes every path that handles them — Meta's GET handshakes (the
// verify token travels in the URL), signed, forged and cross-app deliveries, a Twilio inbound, an
// answer through OpenAI refused for quota, a send refused by Graph for an expired token — and
// then searches the answers, every log file of the stack (the functions' output included) and
// the whole audit log.
import assert from "node:assert/strict";
import postgres from "postgres";
import { env, randomDigits as digits, SUPABASE_URL, waitFor } from "./_helpers.ts";
import { delivery, metaJson, platformApp, postDelivery } from "./_meta_delivery.ts";
import { twilioSignature } from "../../functions/_shared/twilio/signature.ts";

const LOG_DIR = env("LOG_DIR");
const FUNCTIONS = `${SUPABASE_URL}/functions/v1`;
const sql = postgres(env("SUPABASE_DB_URL"), { max: 2, prepare: false, onnotice: () => {} });

// supabase/seed.sql
const NORTHSIDE_APP = "a0000000-0000-4000-8000-000000000001";
const NORTHSIDE_APP_SECRET = "demo-secret-meta-app-northside-55d0";
const NORTHSIDE_VERIFY = "demo-verify-northside-2b7e";
const NORTHSIDE_NUMBER_ID = "106540352242922";
const RIVERSIDE_NUMBER_ID = "113907584401237";
const RIVERSIDE_SID = "AC7ce37dc3cbaed18c8f4d14f559ef2ead";
const RIVERSIDE_TOKEN = "demo-secret-twilio-riverside-3d8b";
const RIVERSIDE_SMS = "+37167000123";

async function functionsEnv(): Promise<Record<string, string>> {
  const text = await Deno.readTextFile(`${LOG_DIR}/../functions.env`);
  return Object.fromEntries(
    text.split("\n").flatMap((line) => {
      const m = line.match(/^([A-Z_]+)=(.+)$/);
      return m ? [[m[1], m[2]]] : [];
    }),
  );
}

async function control(sandbox: "meta" | "openai", method: string, path: string, body?: unknown) {
  const res = await fetch(`${SUPABASE_URL}/_local/${sandbox}/control${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.ok(res.ok, `${sandbox} ${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

const textMessage = (body: string) => ({
  id: `wamid.${crypto.randomUUID().replaceAll("-", "")}`,
  timestamp: String(Math.floor(Date.now() / 1000)),
  type: "text",
  text: { body },
});

Deno.test("messaging: no app secret, verify token, API key or access token in any answer, log line or audit row", async () => {
  const settings = await functionsEnv();
  const platform = await platformApp(LOG_DIR);
  assert.ok(platform, "the stack gives the functions META_APP_SECRET and META_VERIFY_TOKEN");
  const secrets: Record<string, string> = {
    META_APP_SECRET: settings.META_APP_SECRET,
    META_VERIFY_TOKEN: settings.META_VERIFY_TOKEN,
    OPENAI_API_KEY: settings.OPENAI_API_KEY,
    "Northside's app secret": NORTHSIDE_APP_SECRET,
    "Northside's verify token": NORTHSIDE_VERIFY,
    "Riverside's Twilio auth token": RIVERSIDE_TOKEN,
    "Northside's Meta access token": "demo-secret-meta-northside-e4f2",
    "Riverside's Meta access token": "demo-secret-meta-riverside-91c4",
  };
  for (const [name, value] of Object.entries(secrets)) assert.ok(value, `${name} is known`);
  const answers: string[] = [];
  const keep = async (res: Response) => {
    answers.push(`${res.status} ${[...res.headers].join(" ")} ${await res.text()}`);
    return res.status;
  };

  try {
    // Handshakes: right and wrong tokens, both apps.
    const challenge = digits(9);
    const handshake = (path: string, token: string) =>
      fetch(
        `${FUNCTIONS}/${path}?hub.mode=subscribe&hub.verify_token=${
          encodeURIComponent(token)
        }&hub.challenge=${challenge}`,
      );
    assert.equal(await keep(await handshake("whatsapp", platform.verifyToken)), 200);
    assert.equal(await keep(await handshake("whatsapp", NORTHSIDE_VERIFY)), 403);
    assert.equal(
      await keep(await handshake(`whatsapp/apps/${NORTHSIDE_APP}`, NORTHSIDE_VERIFY)),
      200,
    );
    assert.equal(
      await keep(await handshake(`whatsapp/apps/${NORTHSIDE_APP}`, platform.verifyToken)),
      403,
    );

    // OpenAI refuses for quota, then Graph refuses the fallback for an expired token: both
    // failures are logged and stored for staff.
    await control("openai", "POST", "/faults", { error: "insufficient_quota", times: 3 });
    await control("meta", "POST", "/faults", {
      endpoint: "messages",
      code: 190,
      times: 3,
      account: RIVERSIDE_NUMBER_ID,
    });
    const patient = `37129${digits(6)}`;
    const body = metaJson(delivery(RIVERSIDE_NUMBER_ID, {
      messages: [textMessage("Can you tell me something nobody has written down?")],
      waId: patient,
      name: "Secret Test",
    }));
    answers.push(JSON.stringify(await postDelivery(FUNCTIONS, body, platform.secret)));
    answers.push(JSON.stringify(await postDelivery(FUNCTIONS, body, "not-the-secret")));
    answers.push(
      JSON.stringify(
        await postDelivery(FUNCTIONS, body, NORTHSIDE_APP_SECRET, `whatsapp/apps/${NORTHSIDE_APP}`),
      ),
    );
    const northside = metaJson(delivery(NORTHSIDE_NUMBER_ID, {
      messages: [textMessage("Hello from a patient")],
      waId: `447911${digits(6)}`,
    }));
    answers.push(
      JSON.stringify(
        await postDelivery(
          FUNCTIONS,
          northside,
          NORTHSIDE_APP_SECRET,
          `whatsapp/apps/${NORTHSIDE_APP}`,
        ),
      ),
    );

    // A Twilio SMS, signed with the account's auth token.
    const form = {
      AccountSid: RIVERSIDE_SID,
      MessageSid: `SM${digits(16)}${digits(16)}`,
      From: `+37129${digits(6)}`,
      To: RIVERSIDE_SMS,
      Body: "Hello by SMS",
      NumMedia: "0",
    };
    const url = `${FUNCTIONS}/twilio-messaging/inbound`;
    assert.equal(
      await keep(
        await fetch(url, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "x-twilio-signature": await twilioSignature(RIVERSIDE_TOKEN, url, form),
          },
          body: new URLSearchParams(form),
        }),
      ),
      200,
    );

    // The reply failed twice over and staff were told.
    await waitFor("the fallback refused by Graph", async () => {
      const [row] = await sql<{ error_code: string | null }[]>`
        select m.error_code from public.messages m
        join public.conversations c on c.id = m.conversation_id
        join public.contacts p on p.id = c.contact_id
        where p.phone = ${`+${patient}`} and m.direction = 'outbound' and m.delivery = 'failed'`;
      return row ?? false;
    }, 30_000);
  } finally {
    await control("openai", "DELETE", "/faults");
    await control("meta", "DELETE", "/faults");
  }

  const audit = await sql<
    { row: string }[]
  >`select to_jsonb(a)::text as row from public.audit_log a`;
  const logs: string[] = [];
  for await (const entry of Deno.readDir(LOG_DIR)) {
    if (entry.isFile) logs.push(await Deno.readTextFile(`${LOG_DIR}/${entry.name}`));
  }
  // The functions' log has this run's failures: the search below reads what they wrote.
  assert.match(logs.join("\n"), /the LLM failed \(quota\)/);
  for (const [name, value] of Object.entries(secrets)) {
    for (
      const [where, text] of [
        ["an answer", answers.join("\n")],
        ["the audit log", audit.map((a) => a.row).join("\n")],
        ["the log files", logs.join("\n")],
      ]
    ) {
      assert.ok(!text.includes(value), `${name} in ${where}`);
    }
  }
  await sql.end();
});
