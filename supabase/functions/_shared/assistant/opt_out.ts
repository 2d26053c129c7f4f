// Opt-out and re-subscribe words (C4): a message that is nothing but one of them — any case,
// any punctuation or emoji around it — changes the patient's subscription for that channel.
// CANCEL is deliberately not a stop word: at a clinic it means "cancel my appointment".
// START/YES only count while the patient is opted out (the orchestration decides that): a
// subscribed patient's "yes" answers the assistant.
import { wordsOf } from "./text.ts";
import { textFor, type Texts } from "./fallback.ts";

export type SubscriptionCommand = "stop" | "start";

const STOP = new Set([
  "stop",
  "stopall",
  "unsubscribe",
  "end",
  "quit",
  "optout",
  "стоп",
  "отписаться",
  "отписка",
  "отпишите",
  "отписать",
]);
const START = new Set(["start", "unstop", "yes", "subscribe", "старт", "подписаться", "да"]);

/** Whether the whole message is a stop or start word ("opt out" counts as one word). */
export function subscriptionCommand(text: string): SubscriptionCommand | null {
  const words = wordsOf(text);
  if (words.length === 0 || words.length > 2) return null;
  const word = words.join("");
  if (words.length === 2 && word !== "optout" && word !== "stopall") return null;
  if (STOP.has(word)) return "stop";
  if (START.has(word)) return "start";
  return null;
}

const STOPPED: Texts = {
  en:
    "You have been unsubscribed and will get no more automatic messages from us. Reply START to subscribe again.",
  ru:
    "Вы отписались и больше не будете получать от нас автоматические сообщения. Чтобы подписаться снова, отправьте СТАРТ.",
  uk:
    "Ви відписалися й більше не отримуватимете від нас автоматичних повідомлень. Щоб підписатися знову, надішліть START.",
  de:
    "Sie sind abgemeldet und erhalten keine automatischen Nachrichten mehr von uns. Antworten Sie START, um sich wieder anzumelden.",
  lv:
    "Jūs esat atteicies un vairs nesaņemsiet no mums automātiskas ziņas. Lai pieteiktos atkal, atbildiet START.",
};

const STARTED: Texts = {
  en: "You are subscribed again. How can we help?",
  ru: "Вы снова подписаны. Чем можем помочь?",
  uk: "Ви знову підписані. Чим можемо допомогти?",
  de: "Sie sind wieder angemeldet. Wie können wir helfen?",
  lv: "Jūs esat atkal pieteicies. Kā varam palīdzēt?",
};

/** The one confirmation a stop or start gets, in the patient's language (else English). */
export function subscriptionConfirmation(command: SubscriptionCommand, language: string): string {
  return textFor(command === "stop" ? STOPPED : STARTED, language);
}
