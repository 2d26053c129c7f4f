// What a first-time clinic owner hit, in headless Chromium against a running stack (see
// browser.ts): the setup checklist, honest channel statuses, national phone numbers, setups that
// cannot work refused in words, closures that overlap or are over, unsaved changes asked about, and
// long text that wraps on a phone.
import assert from "node:assert/strict";
import {
  appUrl,
  createUser,
  goTo,
  launchBrowser,
  newPhonePage,
  overflow,
  randomEmail,
  signIn,
} from "./browser.ts";

const LONG = "x".repeat(300);

/** The same calendar date of next year as "YYYY-MM-DD": a day that is surely to come. */
function nextYear(monthDay: string): string {
  return `${new Date().getUTCFullYear() + 1}-${monthDay}`;
}

Deno.test("first-time owner: checklist, honest statuses, phone numbers, refusals in words", async (t) => {
  const owner = { name: "Fiona First", email: randomEmail("first"), password: "pw-first-1234" };
  const clinic = `First ${crypto.randomUUID().slice(0, 8)}`;
  const client = await createUser(owner);
  const created = await client.rpc("create_organisation", {
    name: clinic,
    timezone: "Europe/London",
  });
  if (created.error) throw new Error(created.error.message);
  const organisationId: string = created.data.id;

  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(appUrl());
    await signIn(page, owner);
    const setup = page.getByRole("region", { name: "Setup" });

    await t.step("the Overview lists what is left to set up, with links", async () => {
      await setup.getByText("5 of 5 left").waitFor();
      for (const todo of ["Add the clinic's opening hours", "Add the services patients can book"]) {
        await setup.getByRole("link", { name: todo }).waitFor();
      }
      await setup.getByRole("link", { name: /Connect a phone number/ }).waitFor();
      await setup.getByRole("link", { name: /Connect a WhatsApp number/ }).waitFor();
      await setup.getByRole("link", { name: /Connect the calendar/ }).waitFor();
      await setup.getByRole("link", { name: "Add the clinic's opening hours" }).click();
      await page.getByRole("heading", { name: "Opening hours" }).waitFor();
    });

    await t.step("closures that overlap or are over are refused in words", async () => {
      const closures = page.getByRole("region", { name: "Closures and holidays" });
      await closures.getByLabel("First day").fill(nextYear("12-24"));
      await closures.getByLabel("Last day (optional)").fill(nextYear("12-28"));
      await closures.getByLabel("Reason (optional)").fill("Christmas");
      await closures.getByRole("button", { name: "Add closure" }).click();
      await closures.getByRole("status").getByText("Closure added.").waitFor();
      await closures.getByLabel("First day").fill(nextYear("12-27"));
      await closures.getByLabel("Last day (optional)").fill(nextYear("12-31"));
      await closures.getByRole("button", { name: "Add closure" }).click();
      await closures.getByRole("alert").getByText(
        /This closure overlaps the closure 24 Dec \d{4} – 28 Dec \d{4} \(Christmas\)/,
      ).waitFor();
      await closures.getByLabel("First day").fill("2020-01-01");
      await closures.getByLabel("Last day (optional)").fill("2020-01-02");
      await closures.getByRole("button", { name: "Add closure" }).click();
      await closures.getByRole("alert").getByText(/is over: today is .* in Europe\/London/)
        .waitFor();
      // Given up on: the form is empty again, so leaving is not asked about.
      for (const field of ["First day", "Last day (optional)", "Reason (optional)"]) {
        await closures.getByLabel(field).fill("");
      }
    });

    await t.step("leaving a form with unsaved changes asks first", async () => {
      const monday = page.getByRole("group", { name: "Monday" });
      await monday.getByLabel("Opens").fill("09:00");
      let asked = "";
      page.once("dialog", (dialog) => {
        asked = dialog.message();
        dialog.dismiss();
      });
      await goTo(page, "Services");
      await page.waitForTimeout(200);
      assert.match(asked, /not saved/);
      // Stayed, with what was typed.
      assert.equal(await monday.getByLabel("Opens").inputValue(), "09:00");
      assert.match(page.url(), /#\/assistant\/hours$/);
      // Reloading asks too (the browser's own question).
      let unload = "";
      page.once("dialog", (dialog) => {
        unload = dialog.type();
        dialog.dismiss();
      });
      await page.reload({ timeout: 2000 }).catch(() => {});
      assert.equal(unload, "beforeunload");
      await monday.getByLabel("Closes").fill("17:00");
      await monday.getByRole("button", { name: "Add hours" }).click();
      await monday.getByText("09:00–17:00").waitFor();
      // Saved: nothing is asked any more.
      const unexpected = () => assert.fail("asked although everything was saved");
      page.once("dialog", unexpected);
      await goTo(page, "Overview");
      await setup.getByText("Opening hours: done").waitFor();
      await setup.getByText("4 of 5 left").waitFor();
      page.off("dialog", unexpected);
    });

    await t.step(
      "an intent with only a name, or a 3,000-character greeting, is refused",
      async () => {
        await goTo(page, "Assistant");
        const greeting = page.getByLabel("Greeting in English (en)");
        await greeting.fill("g".repeat(3000));
        assert.equal((await greeting.inputValue()).length, 500);
        await page.getByText("500 of at most 500 characters").waitFor();
        page.once("dialog", (dialog) => dialog.accept());
        await goTo(page, "Intents");
        const form = page.getByRole("region", { name: "Add an intent" });
        await form.getByLabel("Name").fill("Parking");
        await form.getByRole("button", { name: "Add intent" }).click();
        await form.getByRole("alert").getByText(/at least one example phrase/).waitFor();
        await form.getByLabel("New example phrase").fill("Where can I park?");
        await form.getByRole("button", { name: "Add intent" }).click();
        await form.getByRole("alert").getByText(/Write the response in English/).waitFor();
        await form.getByLabel("Then").selectOption("take_message");
        await form.getByRole("button", { name: "Add intent" }).click();
        await form.getByRole("status").getByText("Intent “Parking” added.").waitFor();
      },
    );

    await t.step("numbers typed the national way are stored in E.164", async () => {
      await goTo(page, "Assistant");
      await page.getByLabel("Escalation phone (optional)").fill("07946 000000");
      await page.getByRole("button", { name: "Save assistant settings" }).click();
      await page.getByRole("status").getByText("Assistant settings saved.").waitFor();
      assert.equal(
        await page.getByLabel("Escalation phone (optional)").inputValue(),
        "+44 7946 000000",
      );
      const { data } = await client.from("assistant_settings").select("escalation_phone")
        .eq("organisation_id", organisationId).single();
      assert.equal(data!.escalation_phone, "+447946000000");
      await page.getByLabel("Escalation phone (optional)").fill("07946 00000");
      await page.getByRole("button", { name: "Save assistant settings" }).click();
      await page.getByRole("alert").getByText(/is not a phone number in United Kingdom/)
        .waitFor();
      await page.getByLabel("Escalation phone (optional)").fill("+44 7946 000000");
    });

    await t.step(
      "a WhatsApp number without its token is shown incomplete, not active",
      async () => {
        await goTo(page, "Channels");
        const whatsapp = page.getByRole("region", { name: "WhatsApp" });
        await whatsapp.getByLabel("Phone number ID").fill(String(Date.now()));
        await whatsapp.getByLabel("Display phone number (optional)").fill("020 7946 0123");
        await whatsapp.getByRole("button", { name: "Add WhatsApp number" }).click();
        const row = whatsapp.getByRole("listitem").filter({ hasText: "+44 20 7946 0123" });
        await row.getByText("Incomplete — add the access token").waitFor();
        assert.doesNotMatch(await row.innerText(), /\bActive\b/);
        const { data } = await client.from("whatsapp_channels").select("display_phone_number")
          .eq("organisation_id", organisationId).single();
        assert.equal(data!.display_phone_number, "+442079460123");
      },
    );

    await t.step("a phone number that answers nothing cannot be added", async () => {
      const sections = page.getByRole("navigation", { name: "Channels" });
      await sections.getByRole("link", { name: "Twilio accounts" }).click();
      const twilio = page.getByRole("region", { name: "Twilio accounts" });
      await twilio.getByLabel("Account SID").fill(`AC${crypto.randomUUID().replaceAll("-", "")}`);
      await twilio.getByRole("button", { name: "Add Twilio account" }).click();
      await twilio.getByRole("status").getByText(/Twilio account added/).waitFor();
      await sections.getByRole("link", { name: "Phone numbers" }).click();
      const numbers = page.getByRole("region", { name: "Phone numbers" });
      const national = `020 7946 ${String(Math.floor(Math.random() * 10000)).padStart(4, "0")}`;
      await numbers.getByLabel("Number", { exact: true }).fill(national);
      await numbers.getByLabel("Calls").uncheck();
      await numbers.getByRole("button", { name: "Add phone number" }).click();
      await numbers.getByRole("alert").getByText(
        "Choose what the number answers: calls, SMS or both.",
      )
        .waitFor();
      await numbers.getByLabel("Calls").check();
      await numbers.getByRole("button", { name: "Add phone number" }).click();
      await numbers.getByRole("status").getByText("Phone number added.").waitFor();
      const row = numbers.getByRole("listitem").filter({ hasText: `+44 ${national.slice(1)}` });
      // The account's auth token is missing: the number cannot work yet, and says so.
      await row.getByText("Incomplete — add the Twilio account's auth token").waitFor();
    });
  } finally {
    await browser.close();
  }
});

Deno.test("long text without spaces wraps on a phone, on every page with user text", async (t) => {
  const owner = { name: "Wanda Wrap", email: randomEmail("wrap"), password: "pw-wrap-12345" };
  const client = await createUser(owner);
  const created = await client.rpc("create_organisation", {
    name: `Wrap${"w".repeat(56)}`,
    timezone: "Europe/London",
  });
  if (created.error) throw new Error(created.error.message);
  const organisation_id: string = created.data.id;
  // Every kind of text a person types, as long as the database lets it be, without a space.
  const writes = [
    client.from("closures").insert({
      organisation_id,
      starts_on: nextYear("03-01"),
      ends_on: nextYear("03-02"),
      reason: LONG.slice(0, 200),
    }),
    client.from("intents").insert({
      organisation_id,
      name: "i".repeat(80),
      example_phrases: [LONG],
      responses: { en: LONG },
    }),
    client.from("faq_entries").insert({
      organisation_id,
      question: LONG,
      answer: LONG,
      category: "c".repeat(60),
      language: "en",
    }),
    client.from("services").insert({ organisation_id, name: "s".repeat(80), duration_minutes: 30 }),
    client.from("assistant_settings").update({
      assistant_name: "a".repeat(60),
      greetings: { en: LONG },
      extra_instructions: LONG,
    }).eq("organisation_id", organisation_id),
    client.from("twilio_accounts").insert({
      organisation_id,
      account_sid: `AC${crypto.randomUUID().replaceAll("-", "")}`,
      label: "t".repeat(80),
    }),
  ];
  for (const { error } of await Promise.all(writes)) if (error) throw new Error(error.message);

  const browser = await launchBrowser();
  try {
    const page = await newPhonePage(browser);
    await page.goto(appUrl());
    await signIn(page, owner);
    const pages: [string, string][] = [
      ["/", "Setup"],
      ["/assistant", "Assistant"],
      ["/assistant/intents", "Intents"],
      ["/assistant/faq", "FAQ and canned replies"],
      ["/assistant/hours", "Closures and holidays"],
      ["/assistant/services", "Services"],
      ["/assistant/preview", "Prompt preview"],
      ["/channels/twilio", "Twilio accounts"],
      ["/settings", "Clinic settings"],
    ];
    for (const [path, heading] of pages) {
      await t.step(`${path} stays within a 390 px screen`, async () => {
        await page.goto(`${appUrl()}#${path}`);
        await page.getByRole("heading", { name: heading, exact: true }).first().waitFor();
        await page.getByText("Loading…").first().waitFor({ state: "detached" });
        if (path === "/assistant/hours") {
          await page.getByText(LONG.slice(0, 200)).first().waitFor();
        }
        assert.equal(await overflow(page), 0, `${path} is wider than the screen`);
      });
    }
  } finally {
    await browser.close();
  }
});
