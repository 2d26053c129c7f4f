// Canned replies and FAQ answers before any LLM: a message that asks what an entry asks gets the
// entry's answer verbatim. Only a confident match counts — the entry's words and the message's
// words must mostly coincide (Dice coefficient over normalised word stems, function words left
// out) — so a message that asks more than the entry answers goes to the LLM. Entries in the
// patient's language are tried first, then the others.
import type { FaqEntry } from "../domain/receptionist_config.ts";
import { wordsOf } from "./text.ts";

/** The least Dice score that counts as the same question. */
export const FAQ_THRESHOLD = 0.75;

// Words that say nothing about what is asked (en, ru, uk, de, lv); question words stay.
const FUNCTION_WORDS = new Set([
  "a",
  "an",
  "the",
  "is",
  "are",
  "am",
  "be",
  "do",
  "does",
  "did",
  "i",
  "you",
  "we",
  "me",
  "my",
  "your",
  "our",
  "us",
  "it",
  "its",
  "to",
  "of",
  "for",
  "in",
  "on",
  "at",
  "and",
  "or",
  "can",
  "could",
  "would",
  "will",
  "there",
  "please",
  "hi",
  "hello",
  "hey",
  "ok",
  "so",
  "have",
  "has",
  "with",
  "any",
  "this",
  "that",
  "need",
  "я",
  "вы",
  "мы",
  "мне",
  "вас",
  "нас",
  "у",
  "в",
  "во",
  "на",
  "и",
  "а",
  "ли",
  "же",
  "не",
  "с",
  "к",
  "по",
  "за",
  "о",
  "об",
  "это",
  "ваш",
  "ваша",
  "ваше",
  "мой",
  "моя",
  "пожалуйста",
  "здравствуйте",
  "привет",
  "добрый",
  "день",
  "можно",
  "есть",
  "ви",
  "ми",
  "і",
  "та",
  "ich",
  "sie",
  "wir",
  "der",
  "die",
  "das",
  "ist",
  "und",
  "es",
  "un",
  "ir",
]);

/** A word's stem: plural s off Latin words, then at most five letters (inflections differ). */
export function stem(word: string): string {
  const plain = /^[a-z]+s$/.test(word) && word.length > 3 && !word.endsWith("ss")
    ? word.slice(0, -1)
    : word;
  return Array.from(plain).slice(0, 5).join("");
}

/** The stems a text asks about. */
export function termsOf(text: string): Set<string> {
  return new Set(wordsOf(text).filter((w) => !FUNCTION_WORDS.has(w)).map(stem));
}

/** 2|A∩B| / (|A|+|B|); 0 when either is empty. */
export function dice(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return (2 * shared) / (a.size + b.size);
}

export type FaqMatch = { entry: FaqEntry; score: number };

const sameLanguage = (a: string, b: string) =>
  a.split("-")[0].toLowerCase() === b.split("-")[0].toLowerCase();

/** The entry the message asks for, if one matches confidently (the patient's language first). */
export function matchFaq(
  text: string,
  entries: readonly FaqEntry[],
  language: string,
): FaqMatch | null {
  const asked = termsOf(text);
  if (asked.size === 0) return null;
  const active = entries.filter((e) => e.active && e.answer.trim() !== "");
  const groups = [
    active.filter((e) => sameLanguage(e.language, language)),
    active.filter((e) => !sameLanguage(e.language, language)),
  ];
  for (const group of groups) {
    let best: FaqMatch | null = null;
    for (const entry of group) {
      const score = dice(asked, termsOf(entry.question));
      // Ties: the lower id, so the same message always gets the same answer.
      if (
        score >= FAQ_THRESHOLD &&
        (!best || score > best.score || (score === best.score && entry.id < best.entry.id))
      ) {
        best = { entry, score };
      }
    }
    if (best) return best;
  }
  return null;
}
