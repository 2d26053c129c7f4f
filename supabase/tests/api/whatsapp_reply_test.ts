// The reply pipeline (messaging.reply, _shared/assistant/reply.ts) on the real stack: Riverside's
// WhatsApp conversations with fresh patients, their messages stored as ingest stores them, the
// job run as the worker runs it (postponements honoured), the booking tools on the real booking
// operations. OpenAI is a scripted server in this file speaking the Chat Completions wire format
// (PROVIDERS §6), so each test says exactly what the model answers. The last test goes through
// the worker function itself, from the dashboard's test chat.
import assert from "node:assert/strict";
import postgres from "postgres";
import { replyToConversation } from "../../functions/_shared/assistant/reply.ts";
import { FALLBACK, HANDED_OVER, TEXT_ONLY } from "../../functions/_shared/assistant/fallback.ts";
import { JobPostponed } from "../../functions/_shared/jobs/types.ts";
import type { Sql } from "../../functions/_shared/io/db.ts";
import { anonClient, env, must, SERVICE_ROLE_KEY, SUPABASE_URL, waitFor } from "./_helpers.ts";
import { runWorker } from "./_worker.ts";

const sql = postgres(env("SUPABASE_DB_URL"), { max: 4, prepare: false, onnotice: () => {} });
const RIVERSIDE = {
  id: "10000000-0000-4000-8000-000000000002",
  channel: "70000000-0000-4000-8000-000000000002",
};

// ---------------------------------------------------------------------------
// A scripted OpenAI
// ---------------------------------------------------------------------------

type Request = {
  model: string;
  messages: { role: string; content: string | null; tool_call_id?: string }[];
  tools?: { type: string; function: { name: string } }[];
  tool_choice?: string;
};
type Answer =
  | { content: string }
  | { tools: { name: string; args: Record<string, unknown> }[] }
  | { status: number; error: Record<string, unknown> };

const openai = {
  requests: [] as { auth: string | null; body: Request }[],
  answer: (_: Request): Answer => ({ content: "Hello from the model" }),
};

const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
  const body = await req.json() as Request;
  openai.requests.push({ auth: req.headers.get("authorization"), body });
  const answer = openai.answer(body);
  if ("status" in answer) {
    return Response.json({ error: answer.error }, { status: answer.status });
  }
  const message = "content" in answer
    ? { role: "assistant", content: answer.content, refusal: null }
    : {
      role: "assistant",
      content: null,
      refusal: null,
      tool_calls: answer.tools.map((t, i) => ({
        id: `call_${openai.requests.length}_${i}`,
        type: "function",
        function: { name: t.name, arguments: JSON.stringify(t.args) },
      })),
    };
  return Response.json({
    id: `chatcmpl-${openai.requests.length}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [{
      index: 0,
      message,
      finish_reason: "content" in answer ? "stop" : "tool_calls",
      logprobs: null,
    }],
    usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 },
  });
});
Deno.env.set("OPENAI_API_KEY", "sk-test-reply");
Deno.env.set("OPENAI_BASE_URL", `http://127.0.0.1:${server.addr.port}/v1`);
Deno.env.set("OPENAI_MODEL", "gpt-test");

function script(answer: typeof openai.answer) {
  openai.requests.length = 0;
  openai.answer = answer;
}

// ---------------------------------------------------------------------------
// Conversations as ingest leaves them, and the job as the worker runs it
// ---------------------------------------------------------------------------

const created: string[] = [];

const latvian = () => `+3712${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
/** A UK number from the range reserved for drama, which libphonenumber calls invalid. */
const drama = () => `+447700900${String(Math.floor(Math.random() * 1e3)).padStart(3, "0")}`;

async function newConversation(
  phone = latvian(),
): Promise<{ id: string; contactId: string; phone: string }> {
  const [contact] = await sql`
    insert into public.contacts (organisation_id, phone, name)
    values (${RIVERSIDE.id}, ${phone}, 'Ilze Test') returning id`;
  const [conversation] = await sql`
    insert into public.conversations (organisation_id, channel, whatsapp_channel_id, contact_id)
    values (${RIVERSIDE.id}, 'whatsapp', ${RIVERSIDE.channel}, ${contact.id}) returning id`;
  created.push(contact.id);
  return { id: conversation.id, contactId: contact.id, phone };
}

async function patientWrites(conversationId: string, body: string, kind = "text") {
  await sql`
    insert into public.messages (organisation_id, conversation_id, direction, author, kind, body)
    values (${RIVERSIDE.id}, ${conversationId}, 'inbound', 'patient', ${kind}, ${body})`;
  await sql`
    update public.conversations
    set last_inbound_at = now(), last_message_at = now(), unread_count = unread_count + 1
    where id = ${conversationId}`;
}

/** The worker run once; a 5xx (the dev stack reloading functions) is only a wasted turn. */
const work = () => runWorker(SUPABASE_URL, SERVICE_ROLE_KEY).catch(() => null);

/** Runs messaging.reply for the conversation until done, waiting out postponements. */
async function reply(conversationId: string): Promise<{ postponed: number }> {
  let postponed = 0;
  for (;;) {
    try {
      await replyToConversation({
        id: 0,
        organisation_id: RIVERSIDE.id,
        kind: "messaging.reply",
        payload: { conversation_id: conversationId },
        attempts: 1,
        max_attempts: 10,
        locked_by: "test",
      }, { sql: sql as unknown as Sql });
      return { postponed };
    } catch (error) {
      if (!(error instanceof JobPostponed)) throw error;
      postponed++;
      await new Promise((r) => setTimeout(r, Math.max(0, error.until.getTime() - Date.now())));
    }
  }
}

type BotMessage = { body: string; details: Record<string, unknown> };

async function botMessages(conversationId: string): Promise<BotMessage[]> {
  return [
    ...(await sql`
    select body, details from public.messages
    where conversation_id = ${conversationId} and author = 'bot' order by created_at`),
  ] as BotMessage[];
}

async function conversationRow(id: string) {
  const [row] = await sql`
    select c.status, c.attention_reason, c.language, ct.whatsapp_opted_out_at
    from public.conversations c join public.contacts ct on ct.id = c.contact_id
    where c.id = ${id}`;
  return row;
}

async function faqAnswer(question: string): Promise<string> {
  const [row] = await sql`
    select answer from public.faq_entries
    where organisation_id = ${RIVERSIDE.id} and question = ${question}`;
  assert.ok(row, `Riverside's FAQ has "${question}"`);
  return row.answer;
}

// ---------------------------------------------------------------------------

Deno.test("a patient asks in Russian and gets the Russian FAQ answer, once, without the LLM", async () => {
  script(() => ({ content: "should not be asked" }));
  const answer = await faqAnswer("Сколько стоит сеанс?");
  const { id } = await newConversation();
  await patientWrites(id, "Здравствуйте! Сколько стоит сеанс?");
  await reply(id);
  assert.deepEqual((await botMessages(id)).map((m) => m.body), [answer]);
  assert.equal((await botMessages(id))[0].details.source, "faq");
  assert.equal((await conversationRow(id)).language, "ru");
  // A re-run (a crash after queueing) answers nothing twice.
  await reply(id);
  await reply(id);
  assert.equal((await botMessages(id)).length, 1);
  assert.equal(openai.requests.length, 0);
});

Deno.test("two messages in a burst get one reply that reads both", async () => {
  script(() => ({ content: "should not be asked" }));
  const answer = await faqAnswer("Сколько стоит сеанс?");
  const { id } = await newConversation();
  await patientWrites(id, "Добрый день");
  await patientWrites(id, "Сколько стоит сеанс?");
  const { postponed } = await reply(id);
  assert.ok(postponed >= 1, "the job waits for the burst to end");
  assert.deepEqual((await botMessages(id)).map((m) => m.body), [answer]);
});

Deno.test("STOP: one confirmation, then nothing; START: subscribed again and answered", async () => {
  script(() => ({ content: "should not be asked" }));
  const { id } = await newConversation();
  await patientWrites(id, "СТОП!");
  await reply(id);
  let bot = await botMessages(id);
  assert.equal(bot.length, 1);
  assert.match(bot[0].body, /отписались/);
  assert.ok((await conversationRow(id)).whatsapp_opted_out_at, "opted out");
  await reply(id);
  await patientWrites(id, "Сколько стоит сеанс?");
  await reply(id);
  await patientWrites(id, "stop");
  await reply(id);
  assert.equal((await botMessages(id)).length, 1, "nothing automated after STOP");

  await patientWrites(id, "СТАРТ");
  await reply(id);
  bot = await botMessages(id);
  assert.equal(bot.length, 2);
  assert.match(bot[1].body, /снова подписаны/);
  assert.equal((await conversationRow(id)).whatsapp_opted_out_at, null);
  await patientWrites(id, "Сколько стоит сеанс?");
  await reply(id);
  assert.equal((await botMessages(id)).at(-1)?.body, await faqAnswer("Сколько стоит сеанс?"));
});

Deno.test("staff takeover: the bot stays silent until the conversation is handed back", async () => {
  script(() => ({ content: "should not be asked" }));
  const { id } = await newConversation();
  await sql`update public.conversations set status = 'staff', bot_paused_until = 'infinity'
    where id = ${id}`;
  await patientWrites(id, "Is there parking?");
  await reply(id);
  assert.equal((await botMessages(id)).length, 0);
  // Paused without staff owning it is silent too.
  await sql`update public.conversations set status = 'bot' where id = ${id}`;
  await reply(id);
  assert.equal((await botMessages(id)).length, 0);
  await sql`update public.conversations set status = 'bot', bot_paused_until = null
    where id = ${id}`;
  await patientWrites(id, "Is there parking?");
  await reply(id);
  assert.deepEqual(
    (await botMessages(id)).map((m) => m.body),
    [await faqAnswer("Is there parking?")],
  );
});

Deno.test("two runs of the job at once queue one reply", async () => {
  script(() => ({ content: "should not be asked" }));
  const { id } = await newConversation();
  await patientWrites(id, "Is there parking?");
  await new Promise((r) => setTimeout(r, 2100));
  await Promise.all([reply(id), reply(id), reply(id)]);
  assert.equal((await botMessages(id)).length, 1);
});

Deno.test("nothing automatic, staff told why: bot off, the hourly cap, the 24-hour window; media gets a text-only note", async () => {
  script(() => ({ content: "should not be asked" }));
  const settings = (values: Record<string, unknown>) =>
    sql`update public.assistant_settings set ${
      sql(values)
    } where organisation_id = ${RIVERSIDE.id}`;
  try {
    await settings({ bot_enabled: false });
    const off = await newConversation();
    await patientWrites(off.id, "Is there parking?");
    await reply(off.id);
    assert.equal((await botMessages(off.id)).length, 0);
    assert.match((await conversationRow(off.id)).attention_reason, /switched off/);
    assert.equal((await conversationRow(off.id)).status, "waiting_for_staff");
    await settings({ bot_enabled: true, max_messages_per_hour: 1 });
    const capped = await newConversation();
    await patientWrites(capped.id, "Is there parking?");
    await reply(capped.id);
    assert.equal((await botMessages(capped.id)).length, 0);
    assert.match(
      (await conversationRow(capped.id)).attention_reason,
      /limit of 1 messages an hour/,
    );
  } finally {
    await settings({ bot_enabled: true, max_messages_per_hour: 200 });
  }
  const late = await newConversation();
  await patientWrites(late.id, "Is there parking?");
  await sql`update public.conversations set last_inbound_at = now() - interval '25 hours'
    where id = ${late.id}`;
  await reply(late.id);
  assert.equal((await botMessages(late.id)).length, 0);
  assert.match((await conversationRow(late.id)).attention_reason, /24-hour window/);

  const media = await newConversation();
  await patientWrites(media.id, "", "image");
  await reply(media.id);
  assert.deepEqual((await botMessages(media.id)).map((m) => m.body), [TEXT_ONLY.en]);
  await patientWrites(media.id, "", "sticker");
  await reply(media.id);
  assert.equal((await botMessages(media.id)).length, 1, "the note is not repeated");
  await patientWrites(media.id, "", "reaction");
  await reply(media.id);
  assert.equal((await botMessages(media.id)).length, 1, "reactions are not answered");
});

Deno.test("a patient books through the LLM's tools: source whatsapp, linked to the conversation", async () => {
  const { id, phone } = await newConversation(drama());
  script((request) => {
    const lastTool = request.messages.findLast((m) => m.role === "tool");
    if (!lastTool) {
      return { tools: [{ name: "check_availability", args: { service: "Initial assessment" } }] };
    }
    const slot = /slot_id (\S+)\)/.exec(lastTool.content ?? "")?.[1];
    if (slot && !/^Booked/.test(lastTool.content ?? "")) {
      return { tools: [{ name: "book_appointment", args: { slot_id: slot, name: "Ilze Test" } }] };
    }
    return { content: `Done: ${lastTool.content}` };
  });
  await patientWrites(id, "Hello, I would like to book an initial assessment this week please");
  await reply(id);
  const [bot] = await botMessages(id);
  assert.match(bot.body, /^Done: Booked: /);
  assert.equal(bot.details.source, "llm");
  assert.equal(bot.details.tool_rounds, 2);
  const [appointment] = await sql`
    select a.id, a.source, ca.action
    from public.appointments a
    join public.contacts c on c.id = a.contact_id
    left join public.conversation_appointments ca on ca.appointment_id = a.id
      and ca.conversation_id = ${id}
    where c.phone = ${phone} and a.status = 'booked'`;
  assert.ok(appointment, "the appointment exists");
  assert.equal(appointment.source, "whatsapp");
  assert.equal(appointment.action, "booked");
  // What the model was given: our key, the model, the clinic's prompt, the tools, the message.
  const first = openai.requests[0];
  assert.equal(first.auth, "Bearer sk-test-reply");
  assert.equal(first.body.model, "gpt-test");
  assert.match(first.body.messages[0].content ?? "", /Riverside Physio/);
  assert.match(first.body.messages[0].content ?? "", new RegExp(`writes from \\${phone}`));
  assert.deepEqual(
    first.body.tools?.map((t) => t.function.name).sort(),
    [
      "book_appointment",
      "cancel_appointment",
      "check_availability",
      "find_my_appointments",
      "lookup_faq",
      "reschedule_appointment",
      "take_message",
      "transfer_to_human",
    ],
  );
  assert.equal(first.body.messages.at(-1)?.role, "user");
  await sql`select public.cancel_appointment(${appointment.id}, 'test over')`.catch(() => {});
});

Deno.test("OpenAI insufficient_quota: a polite fallback in the patient's language, flagged for staff, not repeated", async () => {
  script(() => ({
    status: 429,
    error: {
      message: "You exceeded your current quota, please check your plan and billing details.",
      type: "insufficient_quota",
      param: null,
      code: "insufficient_quota",
    },
  }));
  const { id } = await newConversation();
  await patientWrites(id, "Hello, can my daughter come with me to the appointment?");
  await reply(id);
  assert.deepEqual((await botMessages(id)).map((m) => m.body), [FALLBACK.en]);
  const row = await conversationRow(id);
  assert.equal(row.status, "waiting_for_staff");
  assert.match(row.attention_reason, /quota/);
  assert.doesNotMatch(row.attention_reason, /exceeded your current quota/);
  assert.equal(openai.requests.length, 2, "one retry at most");
  await patientWrites(id, "Hello?");
  await reply(id);
  assert.equal((await botMessages(id)).length, 1, "the fallback is not repeated");
});

Deno.test("a model that keeps calling tools gets four rounds, then must answer in words", async () => {
  script((request) =>
    request.tool_choice === "none"
      ? { content: "Here is what I found." }
      : { tools: [{ name: "lookup_faq", args: { question: "parking" } }] }
  );
  const { id } = await newConversation();
  await patientWrites(id, "Tell me everything about your clinic and its history");
  await reply(id);
  assert.equal(openai.requests.length, 5);
  assert.deepEqual(openai.requests.map((r) => r.body.tool_choice), [
    "auto",
    "auto",
    "auto",
    "auto",
    "none",
  ]);
  assert.deepEqual((await botMessages(id)).map((m) => m.body), ["Here is what I found."]);

  // One that ignores "none" and calls tools anyway gets the fallback.
  script(() => ({ tools: [{ name: "lookup_faq", args: { question: "x" } }] }));
  const other = await newConversation();
  await patientWrites(other.id, "Tell me everything about your clinic and its history");
  await reply(other.id);
  assert.deepEqual((await botMessages(other.id)).map((m) => m.body), [FALLBACK.en]);
  assert.match((await conversationRow(other.id)).attention_reason, /could not be used/);
});

Deno.test("hand over to staff: waiting_for_staff with the reason, and a short note to the patient", async () => {
  script(() => ({
    tools: [{ name: "transfer_to_human", args: { reason: "wants to talk about an invoice" } }],
  }));
  const { id } = await newConversation();
  await patientWrites(id, "Я хочу поговорить с человеком о счёте");
  await reply(id);
  assert.deepEqual((await botMessages(id)).map((m) => m.body), [HANDED_OVER.ru]);
  const row = await conversationRow(id);
  assert.equal(row.status, "waiting_for_staff");
  assert.match(row.attention_reason, /invoice/);
  assert.equal(openai.requests.length, 1);
});

Deno.test("the test chat goes through the worker: a Russian question gets the Russian FAQ answer", async () => {
  const owner = anonClient();
  must(
    await owner.auth.signInWithPassword({
      email: "owner@riverside.test",
      password: "frontdesk-demo",
    }),
    "sign-in",
  );
  must(await owner.rpc("reset_test_chat", { organisation_id: RIVERSIDE.id }), "reset_test_chat");
  const conversationId = must<string>(
    await owner.rpc("send_test_chat_message", {
      organisation_id: RIVERSIDE.id,
      body: "Нужно ли направление?",
    }),
    "send_test_chat_message",
  );
  const answer = await faqAnswer("Нужно ли направление?");
  const bot = await waitFor("the assistant answers the test chat", async () => {
    await work();
    const messages = await botMessages(conversationId);
    return messages.length > 0 ? messages : null;
  }, 15_000);
  assert.deepEqual(bot.map((m) => m.body), [answer]);
  await owner.rpc("reset_test_chat", { organisation_id: RIVERSIDE.id });
  await owner.auth.signOut();
});

/** Enqueues messaging.reply as ingest does and runs the worker until the bot has `count` messages. */
async function replyThroughWorker(conversationId: string, count: number) {
  await sql`select private.enqueue_job('messaging.reply',
    jsonb_build_object('conversation_id', ${conversationId}::uuid), ${RIVERSIDE.id}::uuid,
    'reply:' || ${conversationId})`;
  return await waitFor(`the assistant's reply number ${count}`, async () => {
    await work();
    const messages = await botMessages(conversationId);
    if (messages.length >= count) return messages;
    await new Promise((r) => setTimeout(r, 250));
    return null;
  }, 20_000);
}

Deno.test("through the worker and the OpenAI sandbox's own rules: offered times, then 'yes' books (ids kept across turns)", async () => {
  const { id, phone } = await newConversation(drama());
  await patientWrites(id, "Hi, I would like to book an initial assessment");
  const [offer] = await replyThroughWorker(id, 1);
  assert.match(offer.body, /book the first/i);
  assert.ok(Array.isArray(offer.details.tools), "the tool exchange is kept for the next turn");
  await patientWrites(id, "Yes please, my name is Ilze Test");
  const [, confirmation] = await replyThroughWorker(id, 2);
  const [appointment] = await sql`
    select a.source, ca.action from public.appointments a
    join public.contacts c on c.id = a.contact_id
    join public.conversation_appointments ca on ca.appointment_id = a.id
    where c.phone = ${phone} and ca.conversation_id = ${id} and a.status = 'booked'`;
  assert.ok(appointment, `booked and linked (the assistant said: ${confirmation.body})`);
  assert.deepEqual([appointment.source, appointment.action], ["whatsapp", "booked"]);
});

Deno.test("end to end through the Meta sandbox: a Russian question, delivered three times, gets one Russian answer on WhatsApp", async () => {
  const meta = `${SUPABASE_URL}/_local/meta`;
  const from = `3712${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
  const delivered = await fetch(`${meta}/control/inbound`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      phone_number_id: "113907584401237", // Riverside's Meta number (seed.sql)
      from,
      name: "Ира",
      text: "Сколько стоит сеанс?",
      duplicate: 3,
    }),
  });
  assert.equal(delivered.status, 200, await delivered.text());
  const answer = await faqAnswer("Сколько стоит сеанс?");
  type Sent = { to: string; text: string };
  const sent = await waitFor("the answer reaches the Meta sandbox", async () => {
    await work();
    const outbox = await (await fetch(`${meta}/control/outbox?to=${from}`)).json() as Sent[];
    return outbox.length > 0 ? outbox : null;
  }, 20_000);
  assert.deepEqual(sent.map((m) => m.text), [answer]);
  const [contact] = await sql`select id from public.contacts
    where organisation_id = ${RIVERSIDE.id} and phone = ${`+${from}`}`;
  created.push(contact.id);
  // Settled: a further worker turn sends nothing more.
  await new Promise((r) => setTimeout(r, 2500));
  await work();
  const outbox = await (await fetch(`${meta}/control/outbox?to=${from}`)).json() as Sent[];
  assert.equal(outbox.length, 1);
});

Deno.test("cleanup", async () => {
  await sql`delete from public.conversations where contact_id = any(${created}::uuid[])`;
  await sql`delete from public.appointments where contact_id = any(${created}::uuid[])`;
  await sql`delete from public.contacts where id = any(${created}::uuid[])`;
  await server.shutdown();
  await sql.end();
});
