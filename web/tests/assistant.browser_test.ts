// The receptionist's configuration in the dashboard: in a clinic that speaks English and
// Russian, an admin adds an intent with a response in each language and a Tuesday split shift;
// both survive a reload and reach the prompt preview in either language; an overlapping interval
// is refused in words; a member sees everything read-only. Headless Chromium against a running
// stack (see browser.ts).
import assert from "node:assert/strict";
import {
  appUrl,
  createClinicWithTeam,
  goTo,
  launchBrowser,
  newPhonePage,
  randomEmail,
  signIn,
} from "./browser.ts";

Deno.test("assistant: intents in two languages, split shifts, preview, read-only members", async (t) => {
  const clinic = `Assistant ${crypto.randomUUID().slice(0, 8)}`;
  const owner = { name: "Olga Owner", email: randomEmail("as-owner"), password: "pw-owner-1234" };
  const admin = { name: "Adam Admin", email: randomEmail("as-admin"), password: "pw-admin-1234" };
  const member = { name: "Maya Member", email: randomEmail("as-member"), password: "pw-mem-12345" };
  const intent = {
    name: "Parking",
    phrase: "Where can I park?",
    en: "There is free parking behind the clinic, entrance from Mill Lane.",
    ru: "За клиникой есть бесплатная парковка, въезд с Милл-лейн.",
  };

  await createClinicWithTeam({
    name: clinic,
    timezone: "Europe/Riga",
    languages: ["en", "ru"],
    default_language: "en",
  }, { owner, admin, member });

  const browser = await launchBrowser();
  try {
    const page = await newPhonePage(browser);
    await page.goto(appUrl());
    await signIn(page, admin);
    await page.getByRole("heading", { name: clinic }).waitFor();
    await goTo(page, "Assistant");

    await t.step("an admin adds an intent with an English and a Russian response", async () => {
      await goTo(page, "Intents");
      await page.getByText("No intents yet.").waitFor();
      const form = page.getByRole("region", { name: "Add an intent" });
      await form.getByLabel("Name").fill(intent.name);
      await form.getByLabel("New example phrase").fill(intent.phrase);
      await form.getByRole("button", { name: "Add phrase" }).click();
      await form.getByRole("listitem").filter({ hasText: intent.phrase }).waitFor();
      await form.getByLabel("Response in English (en)").fill(intent.en);
      await form.getByLabel("Response in Russian (ru)").fill(intent.ru);
      await form.getByLabel("Then").selectOption({ label: "Just answer" });
      await form.getByRole("button", { name: "Add intent" }).click();
      await form.getByRole("status").getByText(`Intent “${intent.name}” added.`).waitFor();
      // The form is cleared for the next intent.
      assert.equal(await form.getByLabel("Name").inputValue(), "");
    });

    await t.step("a Tuesday split shift is added", async () => {
      await goTo(page, "Hours");
      const tuesday = page.getByRole("group", { name: "Tuesday" });
      await tuesday.getByText("Closed").waitFor();
      for (const [opens, closes] of [["08:00", "12:00"], ["15:00", "19:00"]]) {
        await tuesday.getByLabel("Opens").fill(opens);
        await tuesday.getByLabel("Closes").fill(closes);
        await tuesday.getByRole("button", { name: "Add hours" }).click();
        await tuesday.getByText(`${opens}–${closes}`).waitFor();
      }
    });

    await t.step("an overlapping interval is refused in words and kept to correct", async () => {
      const tuesday = page.getByRole("group", { name: "Tuesday" });
      await tuesday.getByLabel("Opens").fill("11:00");
      await tuesday.getByLabel("Closes").fill("16:00");
      await tuesday.getByRole("button", { name: "Add hours" }).click();
      const alert = tuesday.getByRole("alert");
      await alert.waitFor();
      assert.match(await alert.innerText(), /These hours overlap 08:00–12:00 on Tuesday/);
      assert.equal(await tuesday.getByLabel("Opens").inputValue(), "11:00");
      assert.equal(await tuesday.getByRole("listitem").count(), 2);
    });

    await t.step(
      "a closure is picked on the calendar: the 14th to the 15th of next month",
      async () => {
        const closures = page.getByRole("region", { name: "Closures and holidays" });
        await closures.getByRole("button", { name: "Next month" }).click();
        await closures.getByRole("button", { name: /\b14\b[^:]*\d{4}: / }).click();
        await closures.getByRole("button", { name: /\b15\b[^:]*\d{4}: / }).click();
        const first = await closures.getByLabel("First day").inputValue();
        const last = await closures.getByLabel("Last day (optional)").inputValue();
        assert.match(first, /^\d{4}-\d{2}-14$/);
        assert.equal(last, first.replace(/14$/, "15"));
        await closures.getByLabel("Reason (optional)").fill("Staff training");
        await closures.getByRole("button", { name: "Add closure" }).click();
        await closures.getByRole("status").getByText("Closure added.").waitFor();
        await closures.getByRole("listitem").filter({ hasText: "Staff training" }).waitFor();
        await closures.getByRole("button", { name: /\b15\b[^:]*\d{4}: closed \(Staff training\)$/ })
          .waitFor();
      },
    );

    await t.step("after a reload the intent and the hours are still there", async () => {
      await page.reload();
      const tuesday = page.getByRole("group", { name: "Tuesday" });
      await tuesday.getByText("08:00–12:00").waitFor();
      await tuesday.getByText("15:00–19:00").waitFor();
      // The week in one line, from the same opening-hours code the assistant runs.
      await page.getByText(/Tuesday: 08:00–12:00 and 15:00–19:00/).waitFor();

      await goTo(page, "Intents");
      const item = page.getByRole("listitem").filter({ hasText: intent.name });
      await item.waitFor();
      const text = await item.innerText();
      for (const expected of [intent.phrase, intent.en, intent.ru]) {
        assert.ok(text.includes(expected), `${expected} in ${text}`);
      }
    });

    await t.step("the prompt preview shows them, in English and in Russian", async () => {
      await goTo(page, "Prompt preview");
      const instructions = page.getByLabel("Instructions");
      await instructions.waitFor();
      let prompt = await instructions.innerText();
      assert.ok(prompt.includes(intent.en), prompt);
      assert.ok(prompt.includes(intent.phrase), prompt);
      assert.match(prompt, /08:00–12:00/);
      assert.match(prompt, /15:00–19:00/);
      assert.match(prompt, /Staff training/);

      await page.getByLabel("Language").selectOption({ label: "Russian (ru)" });
      await page.getByText("Answers in").locator("xpath=following-sibling::dd[1]")
        .getByText("Russian (ru)").waitFor();
      prompt = await instructions.innerText();
      assert.ok(prompt.includes(intent.ru), prompt);
      assert.ok(!prompt.includes(intent.en), "the Russian prompt carries the Russian response");
    });

    await t.step("a member sees the configuration read-only", async () => {
      const memberPage = await newPhonePage(browser);
      await memberPage.goto(appUrl());
      await signIn(memberPage, member);
      await memberPage.getByRole("heading", { name: clinic }).waitFor();
      const main = memberPage.locator("main");
      for (
        const [path, shown] of [
          ["/assistant", "Greetings"],
          ["/assistant/intents", intent.ru],
          ["/assistant/faq", "No entries yet."],
          ["/assistant/hours", "15:00–19:00"],
          ["/assistant/services", "No services yet"],
        ] as const
      ) {
        await memberPage.goto(new URL(`#${path}`, appUrl()).href);
        await main.getByText("Only owners and admins can change this.").first().waitFor();
        await main.getByText(shown).first().waitFor(); // loaded
        // Searching and filtering are for everyone; nothing that edits is.
        const editable = main.locator("input:not([type=search]), textarea, form");
        assert.equal(await editable.count(), 0, path);
        for (const name of ["Edit", "Delete", "Remove", "Add intent", "Add hours", "Save"]) {
          assert.equal(await main.getByRole("button", { name, exact: true }).count(), 0, name);
        }
      }
      // Everyone can check what the assistant is told.
      await memberPage.goto(new URL("#/assistant/preview", appUrl()).href);
      assert.ok((await memberPage.getByLabel("Instructions").innerText()).includes(intent.en));
    });
  } finally {
    await browser.close();
  }
});
