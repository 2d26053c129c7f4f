// The dashboard's shell on a desktop and a phone: every page is reachable from the navigation and
// opens, the phone's menu opens, closes (a link, Escape) and hands focus back, no page is wider than
// the screen, Channels' sections are each a page of their own and short, and a save is confirmed by
// a toast. Headless Chromium against a running stack (see browser.ts).
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import {
  appUrl,
  createUser,
  goTo,
  launchBrowser,
  overflow,
  randomEmail,
  signIn,
} from "./browser.ts";

/** Every page of the navigation, the address it opens and its heading. */
const PAGES = [
  { link: "Overview", path: "/", heading: "" }, // the clinic's name, filled in below
  { link: "Inbox", path: "/inbox", heading: "Inbox" },
  { link: "Assistant", path: "/assistant", heading: "Assistant" },
  { link: "Intents", path: "/assistant/intents", heading: "Intents" },
  { link: "FAQ", path: "/assistant/faq", heading: "FAQ and canned replies" },
  { link: "Hours", path: "/assistant/hours", heading: "Opening hours" },
  { link: "Services", path: "/assistant/services", heading: "Services" },
  { link: "Prompt preview", path: "/assistant/preview", heading: "Prompt preview" },
  { link: "Channels", path: "/channels", heading: "Channels" },
  { link: "Team", path: "/team", heading: "Team" },
  { link: "Settings", path: "/settings", heading: "Clinic settings" },
  { link: "Audit log", path: "/audit", heading: "Audit log" },
  { link: "Profile", path: "/profile", heading: "Your profile" },
];

const CHANNEL_SECTIONS = [
  { tab: "WhatsApp", path: "/channels/whatsapp", heading: "WhatsApp" },
  { tab: "Phone numbers", path: "/channels/phone-numbers", heading: "Phone numbers" },
  { tab: "Twilio accounts", path: "/channels/twilio", heading: "Twilio accounts" },
  { tab: "Calendar", path: "/channels/calendar", heading: "Google Calendar" },
];

/** The most a Channels section may be tall: all four on one page were about 5,000 px. */
const SECTION_MAX_HEIGHT = 2000;

const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
};

for (const [viewport, size] of Object.entries(VIEWPORTS)) {
  Deno.test(`shell (${viewport}): every page reachable, no page too wide, Channels in sections, toasts`, async (t) => {
    const clinic = `Shell ${crypto.randomUUID().slice(0, 8)}`;
    const owner = { name: "Sasha Shell", email: randomEmail("shell"), password: "pw-shell-1234" };
    const client = await createUser(owner);
    const created = await client.rpc("create_organisation", {
      name: clinic,
      timezone: "Europe/London",
    });
    assert.equal(created.error, null);

    const browser = await launchBrowser();
    try {
      const page = await openPage(browser, size);
      await page.goto(appUrl());
      await signIn(page, owner);
      await page.getByRole("heading", { name: clinic }).waitFor();
      const menuButton = page.getByRole("banner").getByRole("button", { name: "Menu" });
      const sections = page.getByRole("navigation", { name: "Sections" });

      if (viewport === "desktop") {
        await t.step("the sidebar is always there, beside the page, using the width", async () => {
          assert.equal(await menuButton.isVisible(), false);
          const nav = (await sections.boundingBox())!;
          const main = (await page.locator("main").boundingBox())!;
          assert.ok(nav.x + nav.width <= main.x, "the navigation is beside the page");
          assert.ok(main.width >= 900, `the page is ${main.width} px wide`);
        });
      } else {
        await t.step(
          "the menu opens with focus in it; Escape closes it, back to Menu",
          async () => {
            assert.equal(await sections.isVisible(), false, "the menu starts folded");
            await menuButton.click();
            assert.equal(await menuButton.getAttribute("aria-expanded"), "true");
            await sections.waitFor();
            assert.equal(
              await page.evaluate(() => document.activeElement?.textContent),
              "Overview",
            );
            await page.keyboard.press("Escape");
            await sections.waitFor({ state: "hidden" });
            assert.equal(await menuButton.getAttribute("aria-expanded"), "false");
            assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Menu");
          },
        );
      }

      await t.step("every page of the navigation opens, none wider than the screen", async () => {
        for (const { link, path, heading } of PAGES) {
          await goTo(page, link);
          await page.getByRole("heading", { name: heading || clinic, exact: true }).first()
            .waitFor();
          assert.equal(new URL(page.url()).hash, `#${path}`);
          // The link of the page shown is marked as current.
          const current = page.getByRole("banner").locator('a[aria-current="page"]');
          assert.equal(await current.getAttribute("href"), `#${path}`);
          if (viewport === "phone") {
            // Following a link folds the menu away again.
            await sections.waitFor({ state: "hidden" });
          }
          assert.equal(await overflow(page), 0, `${path} is wider than the screen`);
        }
      });

      await t.step("Channels' sections each have their own address and are short", async () => {
        await goTo(page, "Channels");
        const tabs = page.getByRole("navigation", { name: "Channels" });
        for (const { tab, path, heading } of CHANNEL_SECTIONS) {
          await tabs.getByRole("link", { name: tab }).click();
          await page.getByRole("heading", { name: heading, exact: true }).waitFor();
          assert.equal(new URL(page.url()).hash, `#${path}`);
          assert.equal(
            await tabs.getByRole("link", { name: tab }).getAttribute("aria-current"),
            "page",
          );
          // One section at a time.
          assert.equal(await page.getByRole("heading", { level: 2 }).count(), 1);
          // The shell still marks Channels.
          const current = page.getByRole("banner").locator('a[aria-current="page"]');
          assert.equal(await current.getAttribute("href"), "#/channels");
          const height = await page.evaluate(() => document.documentElement.scrollHeight);
          assert.ok(height < SECTION_MAX_HEIGHT, `${path} is ${height} px tall`);
          assert.equal(await overflow(page), 0, `${path} is wider than the screen`);
        }
      });

      await t.step("a save is confirmed by a toast, which can be dismissed", async () => {
        await goTo(page, "Settings");
        await page.getByRole("button", { name: "Save settings" }).click();
        const toast = page.getByRole("status").filter({ hasText: "Settings saved." });
        await toast.waitFor();
        // Outside the page's content: it stays in view wherever the page is scrolled to.
        assert.equal(await page.locator("main").getByText("Settings saved.").count(), 0);
        const box = (await toast.getByText("Settings saved.").boundingBox())!;
        assert.ok(box.y + box.height <= size.height, "the toast is on screen");
        await toast.getByRole("button", { name: "Dismiss" }).click();
        await toast.waitFor({ state: "hidden" });
      });
    } finally {
      await browser.close();
    }
  });
}

async function openPage(browser: Browser, viewport: { width: number; height: number }) {
  return await (await browser.newContext({ viewport })).newPage();
}
