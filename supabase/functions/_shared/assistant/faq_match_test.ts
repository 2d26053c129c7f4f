import assert from "node:assert/strict";
import type { FaqEntry } from "../domain/receptionist_config.ts";
import { dice, FAQ_THRESHOLD, matchFaq, stem, termsOf } from "./faq_match.ts";

const entry = (
  id: string,
  language: string,
  question: string,
  answer = `answer ${id}`,
  kind: FaqEntry["kind"] = "faq",
  active = true,
): FaqEntry => ({ id, kind, question, answer, category: "general", language, active });

const FAQ: FaqEntry[] = [
  entry("e1", "en", "How much does a session cost?"),
  entry("e2", "en", "Where are you?"),
  entry("e3", "en", "Is there parking?"),
  entry("e4", "en", "Do I need a referral?"),
  entry("e5", "en", "Thank you", "You're welcome! Get well soon.", "canned_reply"),
  entry("r1", "ru", "Сколько стоит сеанс?"),
  entry("r2", "ru", "Нужно ли направление?"),
  entry("r3", "ru", "Где вы находитесь?"),
  entry("x1", "en", "What are your opening hours?", "old", "faq", false),
];

Deno.test("stem and termsOf: case, ё, plurals, inflections and function words", () => {
  assert.equal(stem("sessions"), "sessi");
  assert.equal(stem("costs"), "cost");
  assert.equal(stem("class"), "class");
  assert.equal(stem("сеанса"), "сеанс");
  assert.equal(stem("направления"), stem("направление"));
  assert.deepEqual([...termsOf("How much does a session cost?!")], [
    "how",
    "much",
    "sessi",
    "cost",
  ]);
  assert.deepEqual([...termsOf("Ещё   раз, пожалуйста")], ["еще", "раз"]);
  assert.deepEqual([...termsOf("🙂 ...")], []);
});

Deno.test("dice: shared over total, 0 for empty", () => {
  assert.equal(dice(new Set(["a", "b"]), new Set(["a", "b"])), 1);
  assert.equal(dice(new Set(["a", "b"]), new Set(["a"])), 2 / 3);
  assert.equal(dice(new Set(), new Set(["a"])), 0);
});

Deno.test("matchFaq: confident matches only, the patient's language first", () => {
  const table: [string, string, string | null][] = [
    ["How much does a session cost?", "en", "e1"],
    ["how much does one session cost", "en", "e1"],
    ["HOW MUCH does a session cost??", "en", "e1"],
    ["Is there parking", "en", "e3"],
    ["Is there any parking?", "en", "e3"],
    ["Do I need a referral", "en", "e4"],
    ["Thank you!", "en", "e5"],
    ["thanks", "en", "e5"],
    ["Сколько стоит сеанс?", "ru", "r1"],
    ["сколько стоит один сеанс", "ru", "r1"],
    ["Здравствуйте! Сколько стоит сеанс?", "ru", "r1"],
    ["Нужно ли направление", "ru", "r2"],
    ["Где вы находитесь?", "ru", "r3"],
    // Asks more than an entry answers, or something else: the LLM's turn.
    ["I want to book a knee assessment on Friday and how much does it cost?", "en", null],
    ["Can I book a session tomorrow?", "en", null],
    ["Сколько стоит сеанс массажа спины у Анны в пятницу вечером?", "ru", null],
    ["Хочу записаться на приём", "ru", null],
    ["What are your opening hours?", "en", null], // inactive entry
    ["🙂", "en", null],
    ["", "en", null],
    // Another language's words still find that language's entry.
    ["How much does a session cost?", "ru", "e1"],
  ];
  for (const [text, language, expected] of table) {
    const found = matchFaq(text, FAQ, language);
    assert.equal(found?.entry.id ?? null, expected, `${text} → ${JSON.stringify(found)}`);
    if (found) assert.ok(found.score >= FAQ_THRESHOLD);
  }
});

Deno.test("matchFaq: the patient's language wins over an equal match in another; ties by id", () => {
  const both = [entry("b", "en", "Covid test"), entry("a", "ru", "Covid test")];
  assert.equal(matchFaq("covid test", both, "ru")?.entry.id, "a");
  assert.equal(matchFaq("covid test", both, "en")?.entry.id, "b");
  const twins = [entry("z", "en", "Parking?"), entry("y", "en", "parking")];
  assert.equal(matchFaq("parking", twins, "en")?.entry.id, "y");
  assert.equal(matchFaq("parking", [entry("e", "en", "parking", "  ")], "en"), null);
});
