// A clinic's life in the dashboard: several clinics and the switcher, settings, profile, roles and
// deletion, driven in headless Chromium against a running stack (see browser.ts).
import assert from "node:assert/strict";
import { appUrl, goTo, launchBrowser, newPhonePage, randomEmail, signUp } from "./browser.ts";

Deno.test("organisations: switcher, settings, profile, deletion", async (t) => {
  const browser = await launchBrowser();
  try {
    const page = await newPhonePage(browser);
    const suffix = crypto.randomUUID().slice(0, 8);
    const first = `First ${suffix}`;
    const second = `Second ${suffix}`;
    const owner = { name: "Otto Owner", email: randomEmail("orgs"), password: "pw-orgs-12345" };

    await t.step(
      "onboarding proposes the browser's time zone and refuses no language",
      async () => {
        await page.goto(appUrl());
        await signUp(page, owner);
        await page.getByRole("heading", { name: "Create your clinic" }).waitFor();
        const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
        assert.equal(await page.getByLabel("Time zone").inputValue(), zone);
        await page.getByLabel("Clinic name").fill(first);
        await page.getByRole("checkbox", { name: "English (en)" }).uncheck();
        await page.getByRole("button", { name: "Create clinic" }).click();
        await page.getByRole("alert").getByText("Choose at least one language.").waitFor();
        // Nothing typed is lost.
        assert.equal(await page.getByLabel("Clinic name").inputValue(), first);
        await page.getByRole("checkbox", { name: "Latvian (lv)" }).check();
        await page.getByLabel("Time zone").selectOption("Europe/Riga");
        await page.getByRole("button", { name: "Create clinic" }).click();
        await page.getByRole("heading", { name: first }).waitFor();
        assert.match(await page.locator("main").innerText(), /Time zone Europe\/Riga/);
      },
    );

    await t.step("a second clinic brings the switcher, which is remembered", async () => {
      await page.getByRole("link", { name: "Add another clinic" }).click();
      await page.getByLabel("Clinic name").fill(second);
      // A clinic's zone gives its country (how phone numbers are read): headless Chromium's UTC
      // has none.
      await page.getByLabel("Time zone").selectOption("Europe/London");
      await page.getByRole("button", { name: "Create clinic" }).click();
      await page.getByRole("heading", { name: second }).waitFor();
      const switcher = page.getByLabel("Clinic", { exact: true });
      assert.deepEqual(await switcher.locator("option").allInnerTexts(), [first, second]);

      await switcher.selectOption({ label: first });
      await page.getByRole("heading", { name: first }).waitFor();
      await page.reload();
      await page.getByRole("heading", { name: first }).waitFor();
      await switcher.selectOption({ label: second });
      await page.getByRole("heading", { name: second }).waitFor();
    });

    await t.step(
      "settings are saved and show everywhere",
      async () => {
        await goTo(page, "Settings");
        await page.getByRole("heading", { name: "Clinic settings" }).waitFor();
        assert.equal(await page.getByLabel("Clinic name").inputValue(), second);
        await page.getByLabel("Clinic name").fill(`${second} renamed`);
        await page.getByRole("checkbox", { name: "German (de)" }).check();
        await page.getByLabel("Default language").selectOption("de");
        await page.getByRole("button", { name: "Save settings" }).click();
        await page.getByRole("status").getByText("Settings saved.").waitFor();
        await page.getByRole("banner").waitFor();
        assert.deepEqual(
          await page.getByLabel("Clinic", { exact: true }).locator("option").allInnerTexts(),
          [first, `${second} renamed`],
        );
      },
    );

    await t.step("the profile name is what teammates see", async () => {
      await goTo(page, "Profile");
      const name = page.getByLabel("Your name");
      await name.waitFor();
      assert.equal(await name.inputValue(), owner.name);
      await name.fill("Otto O.");
      await page.getByRole("button", { name: "Save profile" }).click();
      await page.getByRole("status").getByText("Profile saved.").waitFor();
      await goTo(page, "Team");
      await page.getByRole("listitem").filter({ hasText: "Otto O." }).getByText("(you)").waitFor();
    });

    await t.step("the only owner cannot step down: the refusal shows, the role stays", async () => {
      const me = page.getByRole("listitem").filter({ hasText: "(you)" });
      await me.getByLabel("Role").selectOption("admin");
      await me.getByRole("button", { name: "Change role" }).click();
      const alert = me.getByRole("alert");
      await alert.waitFor();
      assert.match(await alert.innerText(), /must keep at least one owner/);
      assert.equal(await me.getByLabel("Role").inputValue(), "owner");
    });

    await t.step("deleting a clinic needs its name typed, then leaves the other", async () => {
      await goTo(page, "Settings");
      const remove = page.getByRole("button", { name: "Delete organisation" });
      assert.equal(await remove.isDisabled(), true);
      await page.getByLabel(`Type “${second} renamed” to confirm`).fill(`${second} renamed`);
      await remove.click();
      await page.getByRole("heading", { name: first }).waitFor();
      // One clinic left: its name, no switcher.
      assert.equal(await page.getByLabel("Clinic", { exact: true }).count(), 0);
    });
  } finally {
    await browser.close();
  }
});
