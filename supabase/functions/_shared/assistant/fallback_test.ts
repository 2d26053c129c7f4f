import assert from "node:assert/strict";
import { FALLBACK, HANDED_OVER, TEXT_ONLY, textFor } from "./fallback.ts";

Deno.test("textFor: the language, its base language, else English", () => {
  assert.equal(textFor(FALLBACK, "ru"), FALLBACK.ru);
  assert.equal(textFor(FALLBACK, "ru-RU"), FALLBACK.ru);
  assert.equal(textFor(FALLBACK, "en-GB"), FALLBACK.en);
  assert.equal(textFor(FALLBACK, "xx"), FALLBACK.en);
});

Deno.test("every fixed text exists in the same languages, none empty, none a raw error", () => {
  const languages = Object.keys(FALLBACK).sort();
  for (const texts of [FALLBACK, HANDED_OVER, TEXT_ONLY]) {
    assert.deepEqual(Object.keys(texts).sort(), languages);
    for (const text of Object.values(texts)) {
      assert.ok(text.length > 20 && text.length < 200, text);
      assert.doesNotMatch(text, /error|exception|\d{3}/i);
    }
  }
  assert.match(FALLBACK.en, /team will reply/);
  assert.match(FALLBACK.ru, /ответит наш сотрудник/);
});
