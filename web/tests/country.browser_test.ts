// The clinic's country, in headless Chromium against a running stack (see browser.ts):
// onboarding proposes the time zone's country and follows the zone until the owner picks one, the
// pick is saved, settings change it, and phone numbers typed the national way are then read in
// that country. On a desktop and a phone viewport.
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import {
  apiClientAs,
  appUrl,
  goTo,
  launchBrowser,
  newPhonePage,
  overflow,
  randomEmail,
  signUp,
} from "./browser.ts";

type User = { name: string; email: string; password: string };

/** The value a select shows and the name of the option behind it. */
async function selected(page: Page, label: string): Promise<{ value: string; name: string }> {
  const select = page.getByLabel(label, { exact: true });
  return {
    value: await select.inputValue(),
    name: await select.evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.text ?? ""),
  };
}

/** Waits until the Country select shows `code` (the zone's country is looked up). */
async function showsCountry(page: Page, code: string) {
  const deadline = Date.now() + 5000;
  while ((await selected(page, "Country")).value !== code) {
    if (Date.now() > deadline) {
      assert.fail(`Country shows ${(await selected(page, "Country")).value}, not ${code}`);
    }
    await page.waitForTimeout(50);
  }
}

// A browser in Riga: what onboarding proposes comes from the browser's own time zone first.
const RIGA = { timezoneId: "Europe/Riga" };
const VIEWPORTS: [string, (browser: Browser) => Promise<Page>][] = [
  [
    "desktop",
    async (browser) =>
      await (await browser.newContext({ ...RIGA, viewport: { width: 1280, height: 800 } }))
        .newPage(),
  ],
  ["phone", (browser) => newPhonePage(browser, RIGA)],
];

for (const [viewport, openPage] of VIEWPORTS) {
  Deno.test(`country (${viewport}): proposed from the time zone, chosen, changed, used for phone numbers`, async (t) => {
    const owner = { name: "Kadri Kask", email: randomEmail("country"), password: "pw-country-123" };
    const clinic = `Country ${crypto.randomUUID().slice(0, 8)}`;
    const browser = await launchBrowser();
    try {
      const page = await openPage(browser);
      await page.goto(appUrl());
      await signUp(page, owner);
      await page.getByRole("heading", { name: "Create your clinic" }).waitFor();
      const client = await apiClientAs(owner);

      await t.step("onboarding proposes the time zone's country while none is picked", async () => {
        assert.equal(await page.getByLabel("Time zone").inputValue(), "Europe/Riga");
        await showsCountry(page, "LV");
        assert.equal((await selected(page, "Country")).name, "Latvia");
        await page.getByLabel("Time zone").selectOption("Europe/Vilnius");
        await showsCountry(page, "LT");
        // Named in the browser's language and sorted by name.
        const names = await page.getByLabel("Country", { exact: true }).locator("option")
          .allInnerTexts();
        assert.ok(names.includes("Lithuania") && names.includes("United Kingdom"));
        assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, "en-US")));
        assert.equal(await overflow(page), 0, "no country name makes the page wider");
      });

      await t.step("a picked country stays when the zone changes, and is saved", async () => {
        await page.getByLabel("Country", { exact: true }).selectOption({ label: "Finland" });
        await page.getByLabel("Time zone").selectOption("Europe/Riga");
        await page.waitForTimeout(300); // a lookup for the zone would have answered by now
        assert.equal((await selected(page, "Country")).value, "FI");
        await page.getByLabel("Clinic name").fill(clinic);
        await page.getByRole("button", { name: "Create clinic" }).click();
        await page.getByRole("heading", { name: clinic }).waitFor();
        await page.getByText("Time zone Europe/Riga · Finland.").waitFor();
        const { data, error } = await client.from("organisations").select("timezone, country")
          .eq("name", clinic).single();
        assert.equal(error, null);
        assert.deepEqual(data, { timezone: "Europe/Riga", country: "FI" });
      });

      await t.step("the proposal alone is no unsaved change", async () => {
        await page.getByRole("link", { name: "Add another clinic" }).click();
        await page.getByRole("heading", { name: "Create your clinic" }).waitFor();
        await showsCountry(page, "LV");
        const unexpected = () => assert.fail("asked although nothing was typed");
        page.once("dialog", unexpected);
        await goTo(page, "Overview");
        await page.getByRole("heading", { name: clinic }).waitFor();
        page.off("dialog", unexpected);
      });

      await t.step(
        "settings show the country, ask before losing a change, and save it",
        async () => {
          await goTo(page, "Settings");
          await page.getByRole("heading", { name: "Clinic settings" }).waitFor();
          assert.deepEqual(await selected(page, "Country"), { value: "FI", name: "Finland" });
          // Unchanged: leaving asks nothing.
          const unexpected = () => assert.fail("asked although nothing changed");
          page.once("dialog", unexpected);
          await goTo(page, "Overview");
          await page.getByRole("heading", { name: clinic }).waitFor();
          page.off("dialog", unexpected);

          await goTo(page, "Settings");
          await page.getByLabel("Country", { exact: true }).selectOption({ label: "Estonia" });
          let asked = "";
          page.once("dialog", (dialog) => {
            asked = dialog.message();
            dialog.dismiss();
          });
          await goTo(page, "Overview");
          await page.waitForTimeout(200);
          assert.match(asked, /not saved/);
          assert.equal((await selected(page, "Country")).value, "EE");
          await page.getByRole("button", { name: "Save settings" }).click();
          await page.getByRole("status").getByText("Settings saved.").waitFor();
          const { data } = await client.from("organisations").select("country").eq("name", clinic)
            .single();
          assert.equal(data!.country, "EE");
          assert.equal(await overflow(page), 0);
        },
      );

      await t.step("a national number is then read in that country", async () => {
        await goTo(page, "Assistant");
        const phone = page.getByLabel("Escalation phone (optional)");
        await phone.waitFor();
        // The hint names the country the number is read in.
        await page.getByText(/a number in Estonia as you would dial it there/).waitFor();
        // An Estonian mobile as dialled in Estonia; read in Finland it would be +358 51234567.
        await phone.fill("5123 4567");
        await page.getByRole("button", { name: "Save assistant settings" }).click();
        await page.getByRole("status").getByText("Assistant settings saved.").waitFor();
        assert.equal(await phone.inputValue(), "+372 5123 4567");
        const organisation = await client.from("organisations").select("id").eq("name", clinic)
          .single();
        const { data } = await client.from("assistant_settings").select("escalation_phone")
          .eq("organisation_id", organisation.data!.id).single();
        assert.equal(data!.escalation_phone, "+37251234567");
      });
    } finally {
      await browser.close();
    }
  });
}
