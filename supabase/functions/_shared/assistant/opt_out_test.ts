import assert from "node:assert/strict";
import fc from "fast-check";
import { subscriptionCommand, subscriptionConfirmation } from "./opt_out.ts";

Deno.test("subscriptionCommand: the whole message, any case or punctuation", () => {
  const table: [string, "stop" | "start" | null][] = [
    ["STOP", "stop"],
    ["stop", "stop"],
    [" Stop. ", "stop"],
    ["STOP!!!", "stop"],
    ["🛑 stop", "stop"],
    ["STOPALL", "stop"],
    ["stop all", "stop"],
    ["Unsubscribe", "stop"],
    ["END", "stop"],
    ["quit", "stop"],
    ["opt out", "stop"],
    ["opt-out", "stop"],
    ["СТОП", "stop"],
    ["стоп!", "stop"],
    ["Отписаться", "stop"],
    ["ОТПИСКА.", "stop"],
    ["START", "start"],
    ["start", "start"],
    ["Yes", "start"],
    ["UNSTOP", "start"],
    ["СТАРТ", "start"],
    ["Подписаться", "start"],
    // Not the whole message, or not one of the words.
    ["please stop calling me", null],
    ["stop it", null],
    ["I want to stop my appointment", null],
    ["CANCEL", null],
    ["cancel my appointment", null],
    ["stopp", null],
    ["", null],
    ["!!!", null],
    ["when do you start?", null],
    ["стоп-кран", null],
  ];
  for (const [text, expected] of table) {
    assert.equal(subscriptionCommand(text), expected, JSON.stringify(text));
  }
});

Deno.test("subscriptionCommand: a stop word wrapped in any punctuation or spacing is still a stop", () => {
  const wrap = fc.stringMatching(/^[ \t\n.,!?…🙏🛑-]{0,4}$/);
  const word = fc.constantFrom("stop", "STOP", "Unsubscribe", "СТОП", "отписаться", "Quit");
  fc.assert(
    fc.property(wrap, word, wrap, (a, w, b) => subscriptionCommand(`${a}${w}${b}`) === "stop"),
  );
});

Deno.test("subscriptionConfirmation: in the patient's language, English otherwise", () => {
  assert.match(subscriptionConfirmation("stop", "ru"), /отписались.*СТАРТ/);
  assert.match(subscriptionConfirmation("stop", "en"), /unsubscribed.*START/);
  assert.match(subscriptionConfirmation("stop", "ru-RU"), /отписались/);
  assert.match(subscriptionConfirmation("stop", "fr"), /unsubscribed/);
  assert.match(subscriptionConfirmation("start", "ru"), /снова подписаны/);
  assert.match(subscriptionConfirmation("start", "en"), /subscribed again/);
});
