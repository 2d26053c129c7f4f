import assert from "node:assert/strict";
import { detectLanguage, type LanguageContext } from "./language.ts";

const enRu: LanguageContext = { offered: ["en", "ru"], defaultLanguage: "en" };
const lvRu: LanguageContext = { offered: ["lv", "ru"], defaultLanguage: "lv" };
const enOnly: LanguageContext = { offered: ["en"], defaultLanguage: "en" };
const ruOnly: LanguageContext = { offered: ["ru"], defaultLanguage: "ru" };
const ukRuEn: LanguageContext = { offered: ["uk", "ru", "en"], defaultLanguage: "uk" };
const enGb: LanguageContext = { offered: ["en-GB", "ru"], defaultLanguage: "en-GB" };

Deno.test("detectLanguage: script and letters, among the organisation's languages", () => {
  const table: [string, LanguageContext, string][] = [
    ["Hello, can I book?", enRu, "en"],
    ["Здравствуйте, можно записаться?", enRu, "ru"],
    ["Привет! Is there parking?", enRu, "en"], // more Latin letters
    ["Сколько стоит сеанс? ok", enRu, "ru"],
    ["Здравствуйте", enOnly, "en"], // not offered → default
    ["Hello", ruOnly, "ru"],
    ["Labdien, vai varu pierakstīties?", lvRu, "lv"],
    ["Hello", lvRu, "lv"], // Latin, no English offered: the Latin-script language
    ["Добрый день", lvRu, "ru"],
    ["Добрий день, скільки коштує прийом?", ukRuEn, "uk"],
    ["Добрый день, сколько стоит приём?", ukRuEn, "ru"],
    ["Hi there", ukRuEn, "en"],
    ["Hello", enGb, "en-GB"],
    ["Привет", enGb, "ru"],
  ];
  for (const [text, ctx, expected] of table) {
    assert.equal(detectLanguage(text, ctx), expected, text);
  }
});

Deno.test("detectLanguage: no letters keeps the remembered language; Latin keeps a Latin one", () => {
  const table: [string, LanguageContext, string][] = [
    ["👍", { ...enRu, remembered: "ru" }, "ru"],
    ["12:30", { ...enRu, remembered: "ru" }, "ru"],
    ["👍", enRu, "en"],
    ["👍", { ...enRu, remembered: "de" }, "en"], // remembered but not offered
    ["ok", { ...lvRu, remembered: "lv" }, "lv"],
    ["ok", { ...enRu, remembered: "ru" }, "en"], // Latin text is not Russian
    ["да", { ...enRu, remembered: "en" }, "ru"],
  ];
  for (const [text, ctx, expected] of table) {
    assert.equal(detectLanguage(text, ctx), expected, `${text} ${JSON.stringify(ctx)}`);
  }
});
