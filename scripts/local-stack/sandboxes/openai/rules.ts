// What the sandbox's "model" answers when no response is scripted: simple deterministic rules,
// enough for the demo and for tests of the reply pipeline (production uses OpenAI). They read
// the tool names from the request's `tools`, the clinic's name and services from the system
// prompt (as _shared/domain/prompt.ts writes it), and answer in the language of the patient's
// last message (Cyrillic → Russian, else English):
// - a booking question → check_availability for the first service the text names (or the first);
// - availability results with slot ids → the times offered; "yes / the first / да / первое"
//   after that → book_appointment with the first slot_id and the patient's name when the
//   conversation gives one (else the name is asked for, and the next message is taken as it);
// - a booking result → a confirmation; "human / staff / оператор" → the hand-over tool;
// - anything else → a short polite answer naming the clinic.

export interface ChatMessage {
  role: "developer" | "system" | "user" | "assistant" | "tool";
  content?: string | null | { type: string; text?: string }[];
  tool_calls?: { id: string; type: "function"; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

export interface ChatTool {
  type: "function";
  function: { name: string; description?: string; parameters?: JsonSchema };
}

interface JsonSchema {
  properties?: Record<string, { enum?: unknown[] }>;
  required?: string[];
}

export type Decision =
  | { content: string }
  | { toolCalls: { name: string; arguments: Record<string, unknown> }[] };

type Lang = "en" | "ru";

const TEXTS = {
  offer: {
    en: (times: string[]) =>
      `I can offer: ${
        times.map((t, i) => `${i + 1}) ${t}`).join("; ")
      }. Shall I book the first one?`,
    ru: (times: string[]) =>
      `Могу предложить: ${
        times.map((t, i) => `${i + 1}) ${t}`).join("; ")
      }. Записать вас на первое время?`,
  },
  none: {
    en: () => "Sorry, there are no free times then. Would another day suit you?",
    ru: () => "К сожалению, на это время мест нет. Подойдёт другой день?",
  },
  askName: {
    en: () => "Great! What name should I book it under?",
    ru: () => "Отлично! На какое имя вас записать?",
  },
  booked: {
    en: (what: string) => `You're booked: ${what}. See you then!`,
    ru: (what: string) => `Готово, вы записаны: ${what}. До встречи!`,
  },
  handedOver: {
    en: () => "I've passed your message to our staff; someone will reply here soon.",
    ru: () => "Я передал ваш вопрос сотрудникам клиники, вам скоро ответят здесь.",
  },
  done: {
    en: () => "Thank you, that's done.",
    ru: () => "Спасибо, готово.",
  },
  found: {
    en: (what: string) => `Here is what I found: ${what}`,
    ru: (what: string) => `Вот что я нашёл: ${what}`,
  },
  failed: {
    en: () => "Sorry, I couldn't do that. Could you tell me a little more?",
    ru: () => "К сожалению, не получилось. Расскажите, пожалуйста, подробнее?",
  },
  hello: {
    en: (clinic: string) => `Thank you for your message! This is ${clinic}. How can I help you?`,
    ru: (clinic: string) => `Спасибо за сообщение! Это ${clinic}. Чем могу помочь?`,
  },
};

const ASK_NAME = new Set([TEXTS.askName.en(), TEXTS.askName.ru()]);
/** Our offer of times, in either language. */
const OFFERED = /^(I can offer:|Могу предложить:)/;

/** The text of a message's content (string or text parts). */
export function textOf(content: ChatMessage["content"]): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => p.text ?? "").join("\n");
  return "";
}

const BOOK = /\b(book|booking|appointment|available|availability)\b|записат|запис|при[её]м/i;
const HUMAN =
  /\b(human|person|staff|operator|receptionist|someone)\b|оператор|администратор|человек|сотрудник/i;
// A word ends where no letter follows (\b knows only ASCII letters).
const YES =
  /^\s*(yes|yeah|yep|ok|okay|sure|the first|first|first one|да|давайте|хорошо|первое|первый)(?!\p{L})/iu;
const NAME =
  /\b(?:my name is|i am|i'm|this is)\s+([A-Z][\p{L}'-]+(?:\s+[A-Z][\p{L}'-]+)?)|(?:меня зовут|это)\s+([А-ЯЁ][\p{L}'-]+(?:\s+[А-ЯЁ][\p{L}'-]+)?)/u;

/** The clinic's name as the prompt's role section gives it. */
export function clinicOf(system: string): string {
  return system.match(/the receptionist of (.+?)\. You answer/)?.[1] ?? "the clinic";
}

/** Service names from the prompt's "# Services you can book" list, in its order. */
export function servicesOf(system: string): string[] {
  const section = system.split(/^# Services you can book$/m)[1];
  if (!section) return [];
  const names = [];
  for (const line of section.split("\n").slice(1)) {
    const m = line.match(/^- (.+): \d+ minutes$/);
    if (!m) break;
    names.push(m[1]);
  }
  return names;
}

/** "Russian" when the text is written in Cyrillic (or, without letters, the prompt says so). */
export function languageOf(text: string, system: string): Lang {
  if (/[\u0400-\u04ff]/.test(text)) return "ru";
  if (/\p{L}/u.test(text)) return "en";
  return /^Answer in Russian\b/m.test(system) ? "ru" : "en";
}

/** Slots "(slot_id X)" in a tool result, with what precedes each (its time, as written). */
export function slotsIn(result: string): { id: string; text: string }[] {
  const list = result.replace(/^[^:]*:\s*/, "");
  return [...list.matchAll(/([^;]+?)\s*\(slot_id ([^)\s]+)\)/g)].map((m) => ({
    id: m[2],
    text: m[1].trim(),
  }));
}

/** Tool names by role: the first tool whose name matches. */
function toolNamed(tools: ChatTool[], pattern: RegExp): ChatTool | undefined {
  return tools.find((t) => pattern.test(t.function.name));
}

/** Arguments by the tool's own parameter names. */
function argumentsFor(tool: ChatTool, facts: Record<string, unknown>): Record<string, unknown> {
  const props = tool.function.parameters?.properties ?? {};
  const args: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(facts)) {
    if (value === undefined || !(name in props)) continue;
    const allowed = props[name].enum;
    args[name] = allowed && !allowed.includes(value) ? allowed[0] : value;
  }
  return args;
}

/** Each tool message with the name of the call it answers. */
function toolResults(messages: ChatMessage[]): { name: string; content: string; index: number }[] {
  const names = new Map<string, string>();
  const out = [];
  for (const [index, m] of messages.entries()) {
    for (const c of m.tool_calls ?? []) names.set(c.id, c.function.name);
    if (m.role === "tool") {
      out.push({ name: names.get(m.tool_call_id ?? "") ?? "", content: textOf(m.content), index });
    }
  }
  return out;
}

/** The patient's name: the latest one they gave, else the one the prompt says they are known by. */
function nameFrom(users: string[], system: string): string | null {
  for (const text of [...users].reverse()) {
    const m = text.match(NAME);
    if (m) return m[1] ?? m[2];
  }
  return system.match(/is known as (.+?)\.$/m)?.[1] ?? null;
}

/**
 * When the patient is confirming an offered time: they said yes to our offer, or answered our
 * question for their name (then that answer is the name). null otherwise.
 */
function confirming(messages: ChatMessage[], users: string[], system: string) {
  const lastUserAt = messages.findLastIndex((m) => m.role === "user");
  const before = messages.slice(0, lastUserAt).findLast((m) =>
    m.role === "assistant" && textOf(m.content) !== ""
  );
  const said = before ? textOf(before.content) : "";
  const lastUser = users.at(-1) ?? "";
  if (ASK_NAME.has(said)) {
    return { name: lastUser.replace(NAME, (_, a, b) => a ?? b).trim() || null };
  }
  if (OFFERED.test(said) && YES.test(lastUser)) return { name: nameFrom(users, system) };
  return null;
}

export function decide(
  messages: ChatMessage[],
  tools: ChatTool[],
  today: string,
): Decision {
  const system = messages.filter((m) => m.role === "system" || m.role === "developer")
    .map((m) => textOf(m.content)).join("\n");
  const users = messages.filter((m) => m.role === "user").map((m) => textOf(m.content));
  const lastUser = users.at(-1) ?? "";
  const lang = languageOf(lastUser, system);
  const last = messages.at(-1);
  const results = toolResults(messages);
  const availability = toolNamed(tools, /availab/i);
  const booking = toolNamed(tools, /^book/i);
  const handOver = toolNamed(tools, /transfer|hand_?over|human|staff/i);
  const confirm = confirming(messages, users, system);
  const book = (slotId: string): Decision =>
    confirm?.name && booking
      ? {
        toolCalls: [{
          name: booking.function.name,
          arguments: { slot_id: slotId, name: confirm.name },
        }],
      }
      : { content: TEXTS.askName[lang]() };

  if (last?.role === "tool") {
    // Answer the latest round of results: the tool messages at the end.
    const round = results.filter((r) => r.index >= messages.length - trailingTools(messages));
    const offered = round.flatMap((r) => slotsIn(r.content));
    // Times looked up again to book the one the patient accepted.
    if (offered.length && confirm) return book(offered[0].id);
    if (offered.length) {
      return { content: TEXTS.offer[lang](offered.slice(0, 3).map((s) => s.text)) };
    }
    const first = round[0];
    if (first && /^No free times/i.test(first.content)) return { content: TEXTS.none[lang]() };
    if (first && /^Booked:/i.test(first.content)) {
      const what = first.content.replace(/^Booked:\s*/i, "").replace(/\.\s*Tell the .*$/s, "");
      return { content: TEXTS.booked[lang](what) };
    }
    if (first && /\bname is missing\b/i.test(first.content)) {
      return { content: TEXTS.askName[lang]() };
    }
    if (first && handOver && first.name === handOver.function.name) {
      return { content: TEXTS.handedOver[lang]() };
    }
    if (first && /^\d+ upcoming appointments?/.test(first.content)) {
      return { content: TEXTS.found[lang](first.content) };
    }
    // Our tools start a success with what was done ("Cancelled: …"); anything else is a problem.
    return {
      content: first && /^(Cancelled|Rescheduled|Moved|Message taken|Done)\b/i.test(first.content)
        ? TEXTS.done[lang]()
        : TEXTS.failed[lang](),
    };
  }

  if (handOver && HUMAN.test(lastUser)) {
    return {
      toolCalls: [{
        name: handOver.function.name,
        arguments: argumentsFor(handOver, { reason: lastUser, summary: lastUser }),
      }],
    };
  }

  const services = servicesOf(system);
  const checkAvailability = (): Decision => {
    // The service the conversation named last (or the first one).
    const named = [...users].reverse().map((u) =>
      services.find((s) => u.toLowerCase().includes(s.toLowerCase()))
    ).find((s) => s);
    const service = named ?? services[0] ??
      availability!.function.parameters?.properties?.service?.enum?.[0];
    return {
      toolCalls: [{
        name: availability!.function.name,
        arguments: argumentsFor(availability!, { service, from: today }),
      }],
    };
  };

  if (confirm && booking) {
    if (!confirm.name) return { content: TEXTS.askName[lang]() };
    // The history keeps no tool results between turns: the slots seen this turn, or ask again.
    const slots = results.filter((r) => availability && r.name === availability.function.name)
      .map((r) => slotsIn(r.content)).filter((x) => x.length).at(-1);
    if (slots) return book(slots[0].id);
    if (availability) return checkAvailability();
  }

  if (availability && BOOK.test(lastUser)) return checkAvailability();

  return { content: TEXTS.hello[lang](clinicOf(system)) };
}

/** How many tool messages end the conversation. */
function trailingTools(messages: ChatMessage[]): number {
  let n = 0;
  while (messages[messages.length - 1 - n]?.role === "tool") n++;
  return n;
}
