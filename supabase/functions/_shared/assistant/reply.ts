// The `messaging.reply` job {conversation_id}: the assistant answers what the patient wrote since
// the clinic's last message, in one reply, through the durable send path
// (private.queue_outbound_message → messaging.send). The steps, in order (C4):
//   burst (wait until the patient paused) → opt-out words → bot off / staff / paused → the hourly
//   cap and flood limit → the 24-hour window → a message it cannot read → FAQ / canned reply →
//   the LLM with the booking tools → on any LLM failure a polite fallback, flagged for staff.
// Handlers run again after crashes: whatever is already answered is not answered again (the
// reply is queued in one transaction that checks for it), and a subscription change is stored
// with its confirmation in one transaction.
import { z } from "zod";
import { bookingTools, lookupFaqTool } from "../domain/assistant.ts";
import { timeLabel } from "../domain/booking_text.ts";
import { windowOpen } from "../domain/messaging_window.ts";
import { localDateOf } from "../domain/opening_hours.ts";
import { buildPrompt } from "../domain/prompt.ts";
import type { ReceptionistConfig } from "../domain/receptionist_config.ts";
import { liveCalendarRecheck } from "../google/recheck.ts";
import type { Sql, Tx } from "../io/db.ts";
import { loadReceptionistConfig } from "../io/receptionist_config_store.ts";
import { serviceDb } from "../io/service_db.ts";
import { type Job, JobFailedPermanently, JobPostponed } from "../jobs/types.ts";
import {
  classifyOpenAiError,
  complete,
  type FunctionTool,
  openAiSettings,
} from "../openai/client.ts";
import {
  answerable,
  burstText,
  burstWaitUntil,
  readable,
  type ThreadMessage,
  unanswered,
} from "./burst.ts";
import { FALLBACK, HANDED_OVER, TEXT_ONLY, textFor } from "./fallback.ts";
import { matchFaq } from "./faq_match.ts";
import { detectLanguage } from "./language.ts";
import { FLOOD_WINDOW_MS, limitReason } from "./limits.ts";
import { subscriptionCommand, subscriptionConfirmation } from "./opt_out.ts";
import { type ChatMessage, toolLoop } from "./tool_loop.ts";
import {
  type Args,
  BOOKING_TOOLS,
  type BookingSession,
  runTools,
  T,
  text,
  type ToolHandler,
} from "./tools.ts";

/** Messages read per run: the burst and the history the LLM sees come from these. */
const THREAD_LIMIT = 40;
export const HISTORY_MESSAGES = 20;
export const HISTORY_CHARS = 6000;
/** The most all of one reply's LLM requests may take (each has OPENAI_TIMEOUT_MS, one retry). */
export const LLM_BUDGET_MS = 50_000;
/** A reply's tool exchange is kept for the next turn only up to this size. */
const MAX_STORED_TOOL_CHARS = 8000;

const payloadSchema = z.object({ conversation_id: z.uuid() });

type Conversation = {
  id: string;
  organisationId: string;
  channel: "whatsapp" | "sms" | "test";
  status: "bot" | "waiting_for_staff" | "staff" | "resolved";
  language: string | null;
  lastInboundAt: Date | null;
  botPausedUntil: Date | null;
  timezone: string;
  contactId: string;
  phone: string;
  name: string | null;
  optedOutAt: Date | null;
};

type Message = ThreadMessage & { id: string; details: Record<string, unknown> };

/** What the reply was; stored in the message's details (and read back to avoid repeats). */
type Notice = "fallback" | "handed_over" | "subscription" | "text_only";

export async function replyToConversation(job: Job, { sql }: { sql: Sql }): Promise<void> {
  const parsed = payloadSchema.safeParse(job.payload);
  if (!parsed.success) throw new JobFailedPermanently("The payload has no conversation_id");
  const conversation = await readConversation(sql, parsed.data.conversation_id);
  if (!conversation) return; // deleted since
  const thread = await readThread(sql, conversation);
  const burst = unanswered(thread).filter(answerable);
  if (burst.length === 0) return; // answered already, or nothing that wants an answer
  const now = Date.now();
  const newest = burst[burst.length - 1];
  const until = burstWaitUntil(newest.createdAt, now);
  if (until !== null) {
    throw new JobPostponed(new Date(until), "Waiting for the patient to finish writing");
  }
  const reply = new Replier(sql, conversation, thread, newest);
  const config = await loadReceptionistConfig(
    sql,
    conversation.organisationId,
    localDateOf(conversation.timezone, new Date(now)),
  );
  if (!config) return;
  const said = burstText(burst);
  const language = detectLanguage(said, {
    offered: config.organisation.languages,
    defaultLanguage: config.organisation.defaultLanguage,
    remembered: conversation.language,
  });
  if (language !== conversation.language) {
    await sql`update public.conversations set language = ${language} where id = ${conversation.id}`;
  }

  // Opt-out words, whatever else is going on: the last such word of the burst decides.
  const command = burst.map((m) => subscriptionCommand(m.body ?? "")).filter((c) => c !== null)
    .at(-1);
  const optedOut = conversation.optedOutAt !== null;
  if (command === "stop" && !optedOut) {
    return await reply.subscription("stop", language);
  }
  if (command === "start" && optedOut) {
    return await reply.subscription("start", language);
  }
  if (optedOut || command === "stop") return;

  // Staff own it, or paused: their conversation, nothing to flag.
  if (conversation.status === "staff") return;
  if (conversation.botPausedUntil && conversation.botPausedUntil.getTime() > now) return;
  const { assistant } = config;
  if (!assistant.botEnabled) {
    return await reply.flag("The assistant is switched off; please reply yourself.");
  }

  const limited = limitReason({
    ...(await counts(sql, conversation, now)),
    maxMessagesPerHour: assistant.maxMessagesPerHour,
  });
  if (limited) return await reply.flag(limited);
  if (!windowOpen(conversation.channel, conversation.lastInboundAt, new Date(now))) {
    return await reply.flag(
      "Outside WhatsApp's 24-hour window: the assistant may not write to the patient until they " +
        "write again; reply with a template.",
    );
  }
  if (!burst.some(readable)) {
    return await reply.notice("text_only", textFor(TEXT_ONLY, language));
  }

  const match = matchFaq(said, config.faq, language);
  if (match) {
    return await reply.send(match.entry.answer, {
      source: match.entry.kind,
      faq_entry_id: match.entry.id,
    });
  }
  if (!assistant.aiRepliesEnabled) {
    await reply.flag("AI replies are off and no FAQ answer matched; please reply yourself.");
    return await reply.notice("handed_over", textFor(HANDED_OVER, language));
  }
  await llmReply(sql, reply, config, conversation, thread, language, new Date(now));
}

async function llmReply(
  sql: Sql,
  reply: Replier,
  config: ReceptionistConfig,
  conversation: Conversation,
  thread: readonly Message[],
  language: string,
  now: Date,
): Promise<void> {
  const settings = openAiSettings();
  const fail = async (reason: string) => {
    await reply.flag(reason);
    await reply.notice("fallback", textFor(FALLBACK, language));
  };
  if (!settings) return await fail("The assistant could not answer: OpenAI is not configured.");
  const prompt = buildPrompt(config, language, { channel: "whatsapp" });
  const system = `${prompt.instructions}\n\n${nowSection(config, conversation, now)}`;
  const messages: ChatMessage[] = [{ role: "system", content: system }, ...history(thread)];
  const definitions = chatTools(config);
  // Every round together, well inside the job's two-minute claim.
  const deadline = AbortSignal.timeout(LLM_BUDGET_MS);
  const session: ChatSession = {
    db: serviceDb(),
    sql,
    config,
    now,
    recheck: liveCalendarRecheck(sql),
    person: "patient",
    source: "whatsapp",
    patientPhone: conversation.phone,
    reply,
    handedOver: false,
    async changed(appointmentId, action) {
      if (!appointmentId || !action) return;
      await sql`
        insert into public.conversation_appointments
          (organisation_id, conversation_id, appointment_id, action)
        values (${conversation.organisationId}, ${conversation.id}, ${appointmentId},
          ${action}::public.call_outcome)
        on conflict do nothing`;
    },
  };
  let outcome;
  try {
    outcome = await toolLoop(
      messages,
      (messages, { tools }) =>
        complete(settings, messages, definitions, { toolsOn: tools, signal: deadline }),
      async (calls) => {
        const results = await runTools(session, calls, CHAT_HANDLERS);
        return { results, stop: session.handedOver };
      },
    );
  } catch (error) {
    const { kind, reason } = classifyOpenAiError(error);
    console.error(`messaging.reply: the LLM failed (${kind})`);
    return await fail(reason);
  }
  if (outcome.kind === "stopped") {
    return await reply.notice("handed_over", textFor(HANDED_OVER, language));
  }
  const tools = outcome.exchanged.length > 0 &&
      JSON.stringify(outcome.exchanged).length <= MAX_STORED_TOOL_CHARS
    ? { tools: outcome.exchanged }
    : {};
  await reply.send(outcome.text, { source: "llm", tool_rounds: outcome.rounds, ...tools });
}

// ---------------------------------------------------------------------------
// Chat tools: the shared booking tools, plus handing the conversation to staff
// ---------------------------------------------------------------------------

type ChatSession = BookingSession & {
  reply: Replier;
  handedOver: boolean;
};

const handOverTool = (name: string, description: string): FunctionTool => ({
  type: "function",
  function: {
    name,
    description,
    parameters: {
      type: "object",
      properties: { reason: { type: "string", description: "What the patient needs, briefly" } },
      required: ["reason"],
    },
  },
});

/** The definitions the model gets: the voice tools' wording for a patient who writes. */
function chatTools(config: ReceptionistConfig): FunctionTool[] {
  return [
    ...[...bookingTools(config, "patient"), lookupFaqTool].map(({ type, function: f }) => ({
      type,
      function: f,
    })),
    handOverTool(
      T.transferToHuman,
      "Hands this conversation to the clinic's staff, who reply here themselves.",
    ),
    handOverTool(T.takeMessage, "Leaves a message for the clinic's staff, who reply here."),
  ];
}

async function handOver(s: ChatSession, args: Args): Promise<string> {
  const reason = text(args, "reason", { max: 300 }) || "no reason given";
  await s.reply.flag(`The patient asked for a person: ${reason}`);
  s.handedOver = true;
  return "Handed over: the clinic's staff will reply in this conversation.";
}

const CHAT_HANDLERS: Readonly<Record<string, ToolHandler<ChatSession>>> = {
  ...BOOKING_TOOLS,
  [T.transferToHuman]: handOver,
  [T.takeMessage]: handOver,
};

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

async function readConversation(sql: Sql, id: string): Promise<Conversation | null> {
  const [row] = await sql<Conversation[]>`
    select c.id, c.organisation_id as "organisationId", c.channel, c.status, c.language,
      c.last_inbound_at as "lastInboundAt", c.bot_paused_until as "botPausedUntil",
      o.timezone, ct.id as "contactId", ct.phone, ct.name,
      -- The test chat stands in for WhatsApp.
      case c.channel when 'sms' then ct.sms_opted_out_at else ct.whatsapp_opted_out_at end
        as "optedOutAt"
    from public.conversations c
    join public.contacts ct on ct.id = c.contact_id
    join public.organisations o on o.id = c.organisation_id
    where c.id = ${id}`;
  return row ?? null;
}

/** The latest messages, oldest first. */
async function readThread(sql: Sql, conversation: Conversation): Promise<Message[]> {
  const rows = await sql<
    (Omit<Message, "createdAt"> & { createdAt: Date })[]
  >`
    select id, direction, author, kind, body, details, created_at as "createdAt"
    from public.messages
    -- The organisation first: messages are indexed (organisation_id, conversation_id, created_at).
    where organisation_id = ${conversation.organisationId} and conversation_id = ${conversation.id}
    order by created_at desc, id desc
    limit ${THREAD_LIMIT}`;
  return rows.reverse().map((r) => ({ ...r, createdAt: r.createdAt.getTime() }));
}

async function counts(sql: Sql, conversation: Conversation, now: number) {
  const [row] = await sql<{ bot: number; inbound: number }[]>`
    select
      (select count(*)::int from public.messages
        where organisation_id = ${conversation.organisationId} and author = 'bot'
          and created_at > ${new Date(now - 3600_000)}) as bot,
      (select count(*)::int from public.messages
        where organisation_id = ${conversation.organisationId}
          and conversation_id = ${conversation.id} and direction = 'inbound'
          and created_at > ${new Date(now - FLOOD_WINDOW_MS)}) as inbound`;
  return { botMessagesLastHour: row.bot, inboundRecently: row.inbound };
}

/**
 * The recent thread as chat messages: the newest HISTORY_MESSAGES within HISTORY_CHARS. A bot
 * answer brings the tool calls and results it was written from (details.tools), so slot and
 * appointment ids stay known on the next turn; a message and its tools are kept or dropped whole.
 */
export function history(
  thread: readonly (ThreadMessage & { details?: Record<string, unknown> })[],
): ChatMessage[] {
  const picked: ChatMessage[][] = [];
  let count = 0;
  let chars = 0;
  for (const m of [...thread].reverse()) {
    const body = (m.body ?? "").trim() || `[${m.kind}]`;
    const tools = m.author === "bot" && Array.isArray(m.details?.tools)
      ? m.details.tools as ChatMessage[]
      : [];
    const unit: ChatMessage[] = [
      ...tools,
      m.direction === "inbound"
        ? { role: "user", content: body }
        : { role: "assistant", content: m.author === "staff" ? `(clinic staff) ${body}` : body },
    ];
    const cost = unit.reduce((n, x) => n + (x.content?.length ?? 0), 0);
    if (count === HISTORY_MESSAGES || chars + cost > HISTORY_CHARS) break;
    count++;
    chars += cost;
    picked.push(unit);
  }
  return picked.reverse().flat();
}

function nowSection(config: ReceptionistConfig, conversation: Conversation, now: Date): string {
  const zone = config.organisation.timezone;
  const who = conversation.channel === "test"
    ? "This is the clinic's test chat: the patient is a member of staff trying the assistant."
    : `The patient writes from ${conversation.phone}` +
      (conversation.name ? ` and is known as ${conversation.name.slice(0, 80)}.` : ".");
  return [
    "# Now",
    `It is ${timeLabel(zone, now.getTime())} ${localDateOf(zone, now).slice(0, 4)} (${zone}).`,
    who,
  ].join("\n");
}

// ---------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------

class Replier {
  constructor(
    private readonly sql: Sql,
    private readonly conversation: Conversation,
    private readonly thread: readonly Message[],
    /** The newest patient message this run answers. */
    private readonly newest: Message,
  ) {}

  /**
   * Queues the bot's reply unless something already answered, or staff took over meanwhile
   * (`always`: regardless of staff); `first` runs in the same transaction before it.
   */
  async send(
    body: string,
    details: Record<string, unknown>,
    options: { always?: boolean; first?: (tx: Tx) => Promise<unknown> } = {},
  ): Promise<void> {
    await this.sql.begin(async (tx) => {
      // Lock first, then look: a statement sees what was committed when it started, so the check
      // must start after a concurrent run that held the lock has committed its reply.
      await tx`select 1 from public.conversations where id = ${this.conversation.id} for update`;
      const [state] = await tx<{ status: string; paused: boolean; answered: boolean }[]>`
        select c.status, coalesce(c.bot_paused_until > now(), false) as paused,
          exists (select 1 from public.messages m
            where m.organisation_id = c.organisation_id and m.conversation_id = c.id
              and m.direction = 'outbound'
              and m.created_at >= ${new Date(this.newest.createdAt)}) as answered
        from public.conversations c where c.id = ${this.conversation.id}`;
      if (!state || state.answered) return;
      if (!options.always && (state.status === "staff" || state.paused)) return;
      await options.first?.(tx);
      await tx`select private.queue_outbound_message(${this.conversation.id}, 'bot', ${body},
        ${tx.json(details as Parameters<Tx["json"]>[0])})`;
    });
  }

  /** A fixed text, not repeated when the clinic's last bot message was the same notice. */
  notice(notice: Notice, body: string): Promise<void> {
    const lastBot = this.thread.findLast((m) => m.author === "bot");
    if (lastBot?.details.notice === notice && notice !== "subscription") return Promise.resolve();
    return this.send(body, { notice });
  }

  /** Opt out or back in, with its one confirmation (sent even while staff own the thread). */
  subscription(command: "stop" | "start", language: string): Promise<void> {
    const at = command === "stop" ? new Date() : null;
    const contact = this.conversation.contactId;
    return this.send(subscriptionConfirmation(command, language), { notice: "subscription" }, {
      always: true,
      first: (tx) =>
        this.conversation.channel === "sms"
          ? tx`update public.contacts set sms_opted_out_at = ${at} where id = ${contact}`
          : tx`update public.contacts set whatsapp_opted_out_at = ${at} where id = ${contact}`,
    });
  }

  /** Tells staff why the conversation needs them (status waiting_for_staff unless staff own it). */
  async flag(reason: string): Promise<void> {
    await this.sql`
      update public.conversations
      set attention_reason = ${reason.slice(0, 500)},
        status = case when status = 'staff' then status else 'waiting_for_staff' end
      where id = ${this.conversation.id}`;
  }
}
