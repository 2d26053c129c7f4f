// Channels and write-only credentials in the dashboard: an admin adds a Meta WhatsApp
// number and sets its access token, which afterwards shows only as its last 4 characters; a member
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
      // Meta's handshake needs the callback URL and this number's verify token.
      await whatsapp.getByText(`${new URL(appUrl()).origin}/functions/v1/whatsapp-webhook`)
        .waitFor();
      await channel.getByRole("button", { name: "Copy verify token" }).waitFor();
      assert.match(await channel.innerText(), /Verify token\s+[0-9a-f]{48}/);
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
      // The verify token is for owners and admins only; the callback URL is no secret.
      assert.equal(await main.getByRole("button", { name: "Copy verify token" }).count(), 0);
      await main.getByText("/functions/v1/whatsapp-webhook").waitFor();
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
