// The send path on the real stack and the Meta and Twilio sandboxes: a clinic made for this run
// (its own Meta number and Twilio account and SMS number, registered with the sandboxes),
// conversations written as the ingest writes them, and outbound messages queued as the assistant
// (private.queue_outbound_message) or staff (send_staff_reply with the member's own supabase-js
// client) queue them. The worker's messaging.send hands them to the provider; the sandboxes' status
// webhooks come back through the whatsapp and twilio-messaging functions. Failures (Graph 190,
// 131047 sync and async, 130429; Twilio 21610, 20003) end as the staff-visible effects they
// should have, and neither a retry nor a worker dying mid-send sends a message twice.
import assert from "node:assert/strict";
import postgres from "postgres";
import {
  env,
  randomDigits,
  randomHex,
  runTag,
  SERVICE_ROLE_KEY,
  SUPABASE_URL,
  type TestUser,
  TestUsers,
  waitFor,
} from "./_helpers.ts";
import { runWorker } from "./_worker.ts";
import { sandboxControlAt } from "../../../scripts/local-stack/sandboxes/control_client.ts";
import { sendMessage } from "../../functions/_shared/messaging/send.ts";
import type { Job } from "../../functions/_shared/jobs/types.ts";

const sql = postgres(env("SUPABASE_DB_URL"), { max: 3, prepare: false, onnotice: () => {} });
const users = new TestUsers();
const tag = runTag();

interface Clinic {
  owner: TestUser;
  orgId: string;
  metaChannelId: string;
  phoneNumberId: string;
  metaToken: string;
  twilioAccountId: string;
  accountSid: string;
  smsNumberId: string;
  smsE164: string;
}

let clinicPromise: Promise<Clinic> | undefined;

/** The run's clinic, made once: a Meta channel and an SMS number, both known to the sandboxes. */
function clinic(): Promise<Clinic> {
  return clinicPromise ??= (async () => {
    const owner = await users.signUp(`send-${tag}@example.com`, "Send Owner");
    const { data: org, error } = await owner.client.rpc("create_organisation", {
      name: `Send ${tag}`,
      slug: `send-${tag}`,
      timezone: "Europe/London",
      country: "GB",
    });
    if (error) throw new Error(`create_organisation: ${error.message}`);
    const phoneNumberId = `1${randomDigits(14)}`;
    const metaToken = `token-${randomHex(12)}`;
    const { data: channel, error: channelError } = await owner.client.from("whatsapp_channels")
      .insert({
        organisation_id: org.id,
        provider: "meta",
        label: "Send test",
        meta_phone_number_id: phoneNumberId,
      }).select("id").single();
    if (channelError) throw new Error(`channel: ${channelError.message}`);
    const set = async (subject: string, kind: string, secret: string) => {
      const { error } = await owner.client.rpc("set_credential", {
        subject_id: subject,
        kind,
        secret,
      });
      if (error) throw new Error(`set_credential ${kind}: ${error.message}`);
    };
    await set(channel.id, "meta_access_token", metaToken);
    await sandboxControlAt(SUPABASE_URL, "meta", "POST", "/numbers", {
      phone_number_id: phoneNumberId,
      access_token: metaToken,
    });

    const accountSid = `AC${randomHex(16)}`;
    const authToken = randomHex(16);
    const smsE164 = `+4477${randomDigits(8)}`;
    const { data: account, error: accountError } = await owner.client.from("twilio_accounts")
      .insert({ organisation_id: org.id, account_sid: accountSid, label: "Send test" })
      .select("id").single();
    if (accountError) throw new Error(`twilio account: ${accountError.message}`);
    await set(account.id, "twilio_auth_token", authToken);
    const { data: number, error: numberError } = await owner.client.from("phone_numbers").insert({
      organisation_id: org.id,
      twilio_account_id: account.id,
      e164: smsE164,
      voice_enabled: false,
      messaging_enabled: true,
    }).select("id").single();
    if (numberError) throw new Error(`phone number: ${numberError.message}`);
    await sandboxControlAt(SUPABASE_URL, "twilio", "POST", "/accounts", {
      sid: accountSid,
      authToken,
      numbers: [smsE164],
    });
    return {
      owner,
      orgId: org.id,
      metaChannelId: channel.id,
      phoneNumberId,
      metaToken,
      twilioAccountId: account.id,
      accountSid,
      smsNumberId: number.id,
      smsE164,
    };
  })();
}

interface Thread {
  conversationId: string;
  contactId: string;
  phone: string;
}

/** A patient's conversation as the ingest leaves it; `lastInboundAgo` ms since they wrote. */
async function thread(channel: "whatsapp" | "sms", lastInboundAgo = 60_000): Promise<Thread> {
  const c = await clinic();
  const phone = `+4479${randomDigits(8)}`;
  const [contact] = await sql<{ id: string }[]>`
    insert into public.contacts (organisation_id, phone, name)
    values (${c.orgId}, ${phone}, 'Send patient') returning id`;
  const [conversation] = await sql<{ id: string }[]>`
    insert into public.conversations (organisation_id, channel, whatsapp_channel_id,
      phone_number_id, contact_id, last_inbound_at, last_message_at)
    values (${c.orgId}, ${channel}::public.conversation_channel,
      ${channel === "whatsapp" ? c.metaChannelId : null},
      ${channel === "sms" ? c.smsNumberId : null}, ${contact.id},
      now() - ${lastInboundAgo} * interval '1 millisecond', now())
    returning id`;
  return { conversationId: conversation.id, contactId: contact.id, phone };
}

/** An assistant reply, queued as the reply pipeline queues it (the worker is woken). */
async function queueBot(conversationId: string, body: string): Promise<string> {
  const [{ id }] = await sql<{ id: string }[]>`
    select private.queue_outbound_message(${conversationId}::uuid, 'bot', ${body}) as id`;
  return id;
}

interface MessageRow {
  delivery: string;
  provider_message_id: string | null;
  error_code: string | null;
  error_message: string | null;
  send_started_at: Date | null;
}

const messageRow = async (id: string) =>
  (await sql<MessageRow[]>`
    select delivery, provider_message_id, error_code, error_message, send_started_at
    from public.messages where id = ${id}::uuid`)[0];

/** Runs the worker now; a failed run (functions reloading under a dev stack) is tried later. */
const nudgeWorker = () => runWorker(SUPABASE_URL, SERVICE_ROLE_KEY).catch(() => {});

/** The message once `done` says so (the woken worker runs the job; runs it too if slow). */
async function waitMessage(id: string, done: (m: MessageRow) => boolean, what: string) {
  let nudged = Date.now();
  return await waitFor(what, async () => {
    if (Date.now() - nudged > 2000) {
      nudged = Date.now();
      await nudgeWorker();
    }
    const m = await messageRow(id);
    return done(m) ? m : false;
  }, 20_000);
}

interface Sent {
  id: string;
  to: string;
  text: string;
  statuses: { status: string }[];
}

const metaOutbox = async (to: string) =>
  await sandboxControlAt<Sent[]>(
    SUPABASE_URL,
    "meta",
    "GET",
    `/outbox?to=${encodeURIComponent(to)}`,
  );

const fault = async (sandbox: "meta" | "twilio", body: Record<string, unknown>) =>
  await sandboxControlAt<{ id: string }>(SUPABASE_URL, sandbox, "POST", "/faults", body);

/** A test of this file: the sandboxes' webhooks and the worker outlive a test's own promises. */
const test = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn });

const conversationRow = async (id: string) =>
  (await sql<{ status: string; attention_reason: string | null }[]>`
    select status, attention_reason from public.conversations where id = ${id}::uuid`)[0];

test("a staff reply (send_staff_reply, the member's client) reaches the Meta sandbox; statuses make it read", async () => {
  const c = await clinic();
  const t = await thread("whatsapp");
  const body = `Your appointment is confirmed ✓ (${tag})`;
  const { data, error } = await c.owner.client.rpc("send_staff_reply", {
    conversation_id: t.conversationId,
    body,
  });
  assert.equal(error, null, error?.message);
  const sent = await waitMessage(data.id, (m) => m.provider_message_id !== null, "sent");
  assert.ok(["sent", "delivered", "read"].includes(sent.delivery), sent.delivery);
  const outbox = await metaOutbox(t.phone);
  assert.deepEqual(outbox.map((m) => [m.id, m.text]), [[sent.provider_message_id, body]]);
  // The sandbox's sent → delivered → read webhooks, through the whatsapp function's ingest.
  const read = await waitMessage(data.id, (m) => m.delivery === "read", "read");
  assert.equal(read.error_code, null);
});

test("a bot reply marks the patient's last message read; a staff reply does not", async () => {
  const c = await clinic();
  const t = await thread("whatsapp");
  const wamid = `wamid.in-${tag}-${randomDigits(6)}`;
  await sql`
    insert into public.messages (organisation_id, conversation_id, direction, author, body,
      provider_message_id)
    values (${c.orgId}, ${t.conversationId}::uuid, 'inbound', 'patient', 'Hello?', ${wamid})`;
  const reads = async () =>
    (await sandboxControlAt<{ messageId: string }[]>(
      SUPABASE_URL,
      "meta",
      "GET",
      `/reads?phone_number_id=${c.phoneNumberId}`,
    ))
      .filter((r) => r.messageId === wamid).length;
  const id = await queueBot(t.conversationId, `Bot answer ${tag}`);
  await waitMessage(id, (m) => m.provider_message_id !== null, "sent");
  assert.equal(await reads(), 1);
  const { data, error } = await c.owner.client.rpc("send_staff_reply", {
    conversation_id: t.conversationId,
    body: `Staff answer ${tag}`,
  });
  assert.equal(error, null, error?.message);
  await waitMessage(data.id, (m) => m.provider_message_id !== null, "staff reply sent");
  assert.equal(await reads(), 1);
});

test("Graph 190: the message fails with a reason, the channel is flagged; the next success clears it", async () => {
  const c = await clinic();
  const t = await thread("whatsapp");
  await fault("meta", {
    endpoint: "messages",
    account: c.phoneNumberId,
    code: 190,
    status: 401,
    times: 1,
  });
  const id = await queueBot(t.conversationId, `Token test ${tag}`);
  const failed = await waitMessage(id, (m) => m.delivery === "failed", "failed");
  assert.equal(failed.error_code, "190");
  assert.match(failed.error_message!, /credentials|token/);
  assert.equal(failed.provider_message_id, null);
  const [flagged] = await sql`
    select send_problem, send_problem_at from public.whatsapp_channels
    where id = ${c.metaChannelId}::uuid`;
  assert.match(flagged.send_problem, /Meta refused this channel's access token/);
  assert.ok(flagged.send_problem_at);
  // What the owner's dashboard reads (RLS), without any token.
  const { data: seen } = await c.owner.client.from("whatsapp_channels")
    .select("send_problem").eq("id", c.metaChannelId).single();
  assert.equal(seen!.send_problem, flagged.send_problem);
  assert.ok(!JSON.stringify(failed).includes(c.metaToken));

  const ok = await queueBot(t.conversationId, `After the new token ${tag}`);
  await waitMessage(ok, (m) => m.provider_message_id !== null, "sent after the fault");
  const [cleared] = await sql`
    select send_problem, send_problem_at from public.whatsapp_channels
    where id = ${c.metaChannelId}::uuid`;
  assert.deepEqual([cleared.send_problem, cleared.send_problem_at], [null, null]);
});

test("131047 at send time: failed, the conversation waits for staff with the reason", async () => {
  const c = await clinic();
  const t = await thread("whatsapp");
  await fault("meta", { endpoint: "messages", account: c.phoneNumberId, code: 131047, times: 1 });
  const id = await queueBot(t.conversationId, `Window test ${tag}`);
  const failed = await waitMessage(id, (m) => m.delivery === "failed", "failed");
  assert.equal(failed.error_code, "131047");
  assert.match(failed.error_message!, /24 hours/);
  const conversation = await conversationRow(t.conversationId);
  assert.equal(conversation.status, "waiting_for_staff");
  assert.match(conversation.attention_reason!, /24 hours/);
});

test("131047 in a failed status webhook: the same effects, after the message was sent", async () => {
  const c = await clinic();
  const t = await thread("whatsapp");
  await fault("meta", {
    endpoint: "messages",
    account: c.phoneNumberId,
    code: 131047,
    async: true,
    times: 1,
  });
  const id = await queueBot(t.conversationId, `Async window test ${tag}`);
  const failed = await waitMessage(id, (m) => m.delivery === "failed", "failed by webhook");
  assert.ok(failed.provider_message_id, "accepted first, then failed");
  assert.equal(failed.error_code, "131047");
  const conversation = await waitFor("waiting for staff", async () => {
    const row = await conversationRow(t.conversationId);
    return row.status === "waiting_for_staff" ? row : false;
  });
  assert.match(conversation.attention_reason!, /24 hours/);
});

test("130429: the send is retried later (backoff) and reaches the patient once", async () => {
  const c = await clinic();
  const t = await thread("whatsapp");
  await fault("meta", { endpoint: "messages", account: c.phoneNumberId, code: 130429, times: 1 });
  const body = `Rate limit test ${tag}`;
  const id = await queueBot(t.conversationId, body);
  const job = await waitFor("the job backs off", async () => {
    const [row] = await sql<{ id: string; status: string; attempts: number; due_in: number }[]>`
      select id::text, status::text, attempts,
        extract(epoch from run_after - now())::float8 as due_in
      from private.jobs where dedupe_key = ${"send:" + id}`;
    return row?.status === "pending" && row.attempts === 1 ? row : false;
  });
  assert.ok(job.due_in > 10, `retried later, not at once (${job.due_in} s)`);
  const waiting = await messageRow(id);
  assert.deepEqual([waiting.delivery, waiting.send_started_at], ["pending", null]);
  assert.equal((await metaOutbox(t.phone)).length, 0);

  await sql`update private.jobs set run_after = now() where id = ${job.id}::bigint`;
  await nudgeWorker();
  const sent = await waitMessage(id, (m) => m.provider_message_id !== null, "sent on retry");
  assert.equal(sent.error_code, null);
  const outbox = await metaOutbox(t.phone);
  assert.deepEqual(outbox.map((m) => m.text), [body]);
});

test("outside the 24-hour window: nothing is sent, staff are told why", async () => {
  const c = await clinic();
  const t = await thread("whatsapp", 25 * 3600_000);
  // The reply box refuses at once…
  const { error } = await c.owner.client.rpc("send_staff_reply", {
    conversation_id: t.conversationId,
    body: "Are you still there?",
  });
  assert.match(error?.message ?? "", /24 hours/);
  // …and an assistant reply queued before the window closed is not sent either.
  const id = await queueBot(t.conversationId, `Late reply ${tag}`);
  const failed = await waitMessage(id, (m) => m.delivery === "failed", "failed");
  assert.equal(failed.error_code, "window_closed");
  assert.match(failed.error_message!, /24 hours/);
  const conversation = await conversationRow(t.conversationId);
  assert.equal(conversation.status, "waiting_for_staff");
  assert.match(conversation.attention_reason!, /24 hours/);
  assert.equal((await metaOutbox(t.phone)).length, 0);
});

interface TwilioMessage {
  sid: string;
  to: string;
  from: string;
  body: string;
  status: string;
}

const twilioMessages = async (to: string) =>
  await sandboxControlAt<TwilioMessage[]>(
    SUPABASE_URL,
    "twilio",
    "GET",
    `/messages?to=${encodeURIComponent(to)}`,
  );

test("Twilio SMS: sent with our status callback, queued, then delivered by the callback", async () => {
  const c = await clinic();
  const t = await thread("sms", 3 * 24 * 3600_000); // SMS has no window
  const body = `SMS reply ${tag}`;
  const id = await queueBot(t.conversationId, body);
  const sent = await waitMessage(id, (m) => m.provider_message_id !== null, "queued");
  assert.match(sent.provider_message_id!, /^SM[0-9a-f]{32}$/);
  const [message] = (await twilioMessages(t.phone)).filter((m) => m.body === body);
  assert.equal(message.sid, sent.provider_message_id);
  assert.equal(message.from, c.smsE164);
  await waitMessage(id, (m) => m.delivery === "delivered", "delivered by the status callback");
});

test("Twilio 21610: the message fails and the contact is opted out of SMS", async () => {
  const c = await clinic();
  const t = await thread("sms");
  await fault("twilio", {
    endpoint: "messages.create",
    account: c.accountSid,
    code: 21610,
    status: 400,
    times: 1,
  });
  const id = await queueBot(t.conversationId, `Opt-out test ${tag}`);
  const failed = await waitMessage(id, (m) => m.delivery === "failed", "failed");
  assert.equal(failed.error_code, "21610");
  assert.match(failed.error_message!, /unsubscribed/);
  const [contact] = await sql`
    select sms_opted_out_at, whatsapp_opted_out_at from public.contacts
    where id = ${t.contactId}::uuid`;
  assert.ok(contact.sms_opted_out_at);
  assert.equal(contact.whatsapp_opted_out_at, null);
  // Nothing more is handed to Twilio for them.
  const next = await queueBot(t.conversationId, `After opting out ${tag}`);
  const refused = await waitMessage(next, (m) => m.delivery === "failed", "refused");
  assert.equal(refused.error_code, "opted_out");
  assert.equal((await twilioMessages(t.phone)).length, 0);
});

test("Twilio 20003: the SMS number is flagged with a reason; no token anywhere", async () => {
  const c = await clinic();
  const t = await thread("sms");
  await fault("twilio", {
    endpoint: "messages.create",
    account: c.accountSid,
    code: 20003,
    status: 401,
    times: 1,
  });
  const id = await queueBot(t.conversationId, `Auth test ${tag}`);
  const failed = await waitMessage(id, (m) => m.delivery === "failed", "failed");
  assert.equal(failed.error_code, "20003");
  const [number] = await sql`
    select send_problem from public.phone_numbers where id = ${c.smsNumberId}::uuid`;
  assert.match(number.send_problem, /Twilio refused the account's auth token/);
  // A later success clears it, so the flag does not outlive the problem.
  const ok = await queueBot(t.conversationId, `After the auth fix ${tag}`);
  await waitMessage(ok, (m) => m.provider_message_id !== null, "sent");
  const [cleared] = await sql`
    select send_problem from public.phone_numbers where id = ${c.smsNumberId}::uuid`;
  assert.equal(cleared.send_problem, null);
});

/**
 * `sql` whose statement storing the provider's id fails: a worker dying after the provider
 * accepted the message and before it was recorded.
 */
function dyingAfterSend(base: postgres.Sql): postgres.Sql {
  const wrap = <S extends object>(target: S): S =>
    new Proxy(target, {
      apply(fn, self, args) {
        const text = Array.isArray(args[0]) ? (args[0] as string[]).join("?") : "";
        if (/set provider_message_id/.test(text)) throw new Error("worker died");
        return Reflect.apply(fn as (...a: unknown[]) => unknown, self, args);
      },
      get(obj, prop, receiver) {
        if (prop === "begin") {
          return (fn: (tx: postgres.TransactionSql) => unknown) => base.begin((tx) => fn(wrap(tx)));
        }
        return Reflect.get(obj, prop, receiver);
      },
    });
  return wrap(base);
}

test("a worker dying after Meta accepted, then the job's retry and a duplicate job: sent once", async () => {
  const c = await clinic();
  const t = await thread("whatsapp");
  Deno.env.set("META_GRAPH_BASE_URL", `${SUPABASE_URL}/_local/meta/v25.0`);
  const body = `Crash test ${tag}`;
  // Written without a job, so this test runs the first attempt itself.
  const [{ id }] = await sql<{ id: string }[]>`
    insert into public.messages (organisation_id, conversation_id, direction, author, body)
    values (${c.orgId}, ${t.conversationId}::uuid, 'outbound', 'bot', ${body}) returning id`;
  const job: Job = {
    id: 0,
    organisation_id: c.orgId,
    kind: "messaging.send",
    payload: { message_id: id },
    attempts: 1,
    max_attempts: 10,
    locked_by: "test",
  };
  await assert.rejects(sendMessage(job, { sql: dyingAfterSend(sql) }), /worker died/);
  assert.equal((await metaOutbox(t.phone)).length, 1, "Meta got it once");

  // The job comes back (its lock expired): it must not send again.
  await sql`select private.enqueue_job('messaging.send', ${sql.json({ message_id: id })},
    ${c.orgId}::uuid, ${"send:" + id})`;
  const failed = await waitMessage(id, (m) => m.delivery === "failed", "given up");
  assert.equal(failed.error_code, "interrupted");
  assert.match(failed.error_message!, /may or may not have reached/);
  // A sent message run again (a duplicate job or a retry after success) is left alone.
  const okId = await queueBot(t.conversationId, `Sent once ${tag}`);
  await waitMessage(okId, (m) => m.provider_message_id !== null, "sent");
  await sendMessage({ ...job, payload: { message_id: okId }, attempts: 2 }, { sql });
  const outbox = await metaOutbox(t.phone);
  assert.deepEqual(outbox.map((m) => m.text), [body, `Sent once ${tag}`]);
});

test("cleanup", async () => {
  // The sandboxes' last status webhooks may still be ingested (those of the crash test's
  // message wait for it in vain): removing the clinic can meet them in a deadlock; again then.
  for (let attempt = 1;; attempt++) {
    try {
      await users.deleteAll();
      break;
    } catch (error) {
      if (attempt === 5 || !/deadlock/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  await sql.end();
});
