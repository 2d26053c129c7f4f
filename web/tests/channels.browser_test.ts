// Channels and write-only credentials in the dashboard: an admin adds a Meta WhatsApp
// number and sets its access token, which afterwards shows only as its last 4 characters, and
// moves the number to the clinic's own Meta app (its webhook URL, write-only verify token); a member
// sees the page read-only; the audit log records the change for owners and admins only. Driven in
// headless Chromium against a running stack (see browser.ts).
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  appUrl,
  createClinicWithTeam,
  goTo,
  launchBrowser,
  newPhonePage,
  openMenu,
  randomEmail,
  signIn,
} from "./browser.ts";

Deno.test("channels: write-only credentials, read-only members, audit log", async (t) => {
  const clinic = `Channels ${crypto.randomUUID().slice(0, 8)}`;
  const owner = { name: "Oona Owner", email: randomEmail("ch-owner"), password: "pw-owner-1234" };
  const admin = { name: "Arlo Admin", email: randomEmail("ch-admin"), password: "pw-admin-1234" };
  const member = { name: "Mika Member", email: randomEmail("ch-member"), password: "pw-mem-12345" };
  // Meta phone number ids are unique platform-wide: a fresh one per run.
  const phoneNumberId = String(Date.now()) + String(Math.floor(Math.random() * 1000));
  const displayNumber = "+44 20 7946 0123";
  const token = `EAAGtest${crypto.randomUUID().replaceAll("-", "")}`;
  const last4 = token.slice(-4);

  await createClinicWithTeam({
    name: clinic,
    timezone: "Europe/London",
  }, { owner, admin, member });

  const browser = await launchBrowser();
  try {
    const page = await newPhonePage(browser);
    await page.goto(appUrl());
    await signIn(page, admin);
    await page.getByRole("heading", { name: clinic }).waitFor();
    const whatsapp = page.getByRole("region", { name: "WhatsApp" });
    const channel = whatsapp.getByRole("listitem").filter({ hasText: displayNumber });

    await t.step("an admin adds a Meta WhatsApp number", async () => {
      await goTo(page, "Channels");
      await whatsapp.getByText("No WhatsApp number yet.").waitFor();
      assert.equal(await whatsapp.getByLabel("Provider").inputValue(), "meta");
      await whatsapp.getByLabel("Phone number ID").fill(phoneNumberId);
      await whatsapp.getByLabel("Display phone number (optional)").fill(displayNumber);
      await whatsapp.getByLabel("Label (optional)").fill("Reception");
      await whatsapp.getByRole("button", { name: "Add WhatsApp number" }).click();
      await whatsapp.getByRole("status").getByText("WhatsApp number added.").waitFor();
      await channel.waitFor();
      assert.match(await channel.innerText(), new RegExp(phoneNumberId));
      // A new number joins through Frontdesk's own Meta app: no webhook for the clinic to set.
      assert.match(await channel.innerText(), /Meta app: Frontdesk's Meta app/);
      assert.equal(await page.getByText("/functions/v1/whatsapp").count(), 0);
    });

    await t.step("an admin adds the clinic's own Meta app and moves the number to it", async () => {
      const apps = page.getByRole("region", { name: "Your own Meta apps" });
      await apps.getByLabel("Label").fill("Our app");
      await apps.getByLabel("App ID (optional)").fill("12x");
      await apps.getByRole("button", { name: "Add Meta app" }).click();
      await apps.getByRole("alert").getByText("digits only").waitFor();
      await apps.getByLabel("App ID (optional)").fill("1234567890");
      await apps.getByRole("button", { name: "Add Meta app" }).click();
      await apps.getByRole("status").getByText("Meta app added.").waitFor();
      const app = apps.getByRole("listitem").filter({ hasText: "Our app" });
      // Its own webhook address, and its secret and verify token write-only like every secret.
      const url = await app.getByText(`${new URL(appUrl()).origin}/functions/v1/whatsapp/apps/`)
        .innerText();
      assert.match(url, /\/whatsapp\/apps\/[0-9a-f-]{36}$/);
      const verify = `verify-${crypto.randomUUID()}`;
      await app.getByLabel("Verify token", { exact: true }).fill(verify);
      await app.getByRole("button", { name: "Save verify token" }).click();
      await app.getByRole("status").getByText("Verify token saved.").waitFor();
      assert.ok(!(await app.innerText()).includes(verify.slice(0, -4)));
      assert.match(await app.innerText(), new RegExp(`ends in ${verify.slice(-4)}`));

      await channel.getByLabel("Meta app").selectOption({ label: "Our app" });
      await channel.getByRole("status").getByText("Meta app changed.").waitFor();
      await page.reload();
      await channel.waitFor();
      assert.equal(await channel.getByLabel("Meta app").inputValue(), url.split("/").at(-1));
    });

    await t.step("a refused token says why and keeps what was typed", async () => {
      await channel.getByLabel("Access token", { exact: true }).fill("short");
      await channel.getByRole("button", { name: "Save access token" }).click();
      const alert = channel.getByRole("alert");
      await alert.waitFor();
      assert.match(await alert.innerText(), /8 to 4096 characters/);
      assert.equal(await channel.getByLabel("Access token", { exact: true }).inputValue(), "short");
    });

    await t.step("the access token is saved, then shown only by its last 4", async () => {
      await channel.getByLabel("Access token", { exact: true }).fill(token);
      await channel.getByRole("button", { name: "Save access token" }).click();
      await channel.getByRole("status").getByText("Access token saved.").waitFor();
      await assertShowsOnlyLast4(page, channel.innerText());
      // The typed value is gone from the field, and from every field on the page.
      assert.equal(await channel.getByLabel("New access token").inputValue(), "");
      assert.ok(!(await fieldValues(page)).some((value) => value.includes(last4)));

      await page.reload();
      await channel.waitFor();
      await assertShowsOnlyLast4(page, channel.innerText());
      await channel.getByRole("button", { name: "Rotate access token" }).waitFor();
    });

    const memberPage = await newPhonePage(browser);
    await t.step("a member sees the channel read-only", async () => {
      await memberPage.goto(appUrl());
      await signIn(memberPage, member);
      await memberPage.getByRole("heading", { name: clinic }).waitFor();
      await goTo(memberPage, "Channels");
      const memberChannel = memberPage.getByRole("region", { name: "WhatsApp" })
        .getByRole("listitem").filter({ hasText: displayNumber });
      await memberChannel.waitFor();
      await assertShowsOnlyLast4(memberPage, memberChannel.innerText());
      const main = memberPage.locator("main");
      await main.getByText("Only owners and admins can change channels.").waitFor();
      assert.equal(await main.locator("input, select, textarea, form").count(), 0);
      for (const name of ["Add WhatsApp number", "Add Twilio account", "Remove", "Deactivate"]) {
        assert.equal(await main.getByRole("button", { name }).count(), 0, name);
      }
      // The app's callback URL is no secret; its verify token is write-only.
      assert.match(await memberChannel.innerText(), /Meta app: Our app/);
      await main.getByText("/functions/v1/whatsapp/apps/").waitFor();
    });

    await t.step("the audit log records the token for the admin", async () => {
      await goTo(page, "Audit log");
      await page.getByRole("heading", { name: "Audit log" }).waitFor();
      await page.getByLabel("Show").selectOption({ label: "Credentials" });
      const entry = page.getByRole("listitem").filter({
        hasText: "Arlo Admin set the WhatsApp access token of",
      });
      await entry.waitFor();
      const text = await entry.innerText();
      assert.ok(text.includes(displayNumber), text);
      // Only credential entries under this filter; the channel's creation is under "All changes".
      const created = page.getByText("Arlo Admin added the WhatsApp number");
      assert.equal(await created.count(), 0);
      await page.getByLabel("Show").selectOption({ label: "All changes" });
      await created.first().waitFor();
      assert.ok(!(await page.content()).includes(token));
    });

    await t.step("the audit log is refused to the member", async () => {
      await openMenu(memberPage);
      const sections = memberPage.getByRole("navigation", { name: "Sections" });
      await sections.waitFor();
      const links = await sections.getByRole("link").allInnerTexts();
      assert.ok(!links.includes("Audit log"), links.join(", "));
      await memberPage.goto(new URL("#/audit", appUrl()).href);
      await memberPage.getByText("Only owners and admins can see the audit log.").waitFor();
      assert.equal(await memberPage.locator("main").getByRole("listitem").count(), 0);
    });
  } finally {
    await browser.close();
  }

  /** The status names the last 4 characters; the token appears nowhere in the page's HTML. */
  async function assertShowsOnlyLast4(page: Page, status: Promise<string>) {
    assert.match(await status, new RegExp(`set · ends in ${last4} · set (now|\\d+ \\w+ ago)`));
    const html = await page.content();
    assert.ok(!html.includes(token), "the token is in the page");
    assert.ok(!html.includes(token.slice(0, -4)), "the token's beginning is in the page");
  }
});

/** What every form field on the page holds (the DOM's values, which the HTML does not show). */
async function fieldValues(page: Page): Promise<string[]> {
  return await page.evaluate(() =>
    [...document.querySelectorAll("input, textarea")].map((field) =>
      (field as HTMLInputElement).value
    )
  );
}
