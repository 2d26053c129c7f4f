// Drives the built dashboard in headless Chromium against a running stack. APP_URL is where the
// stack serves the app, with Supabase Auth at the same origin (e.g. http://127.0.0.1:54321).
import assert from "node:assert/strict";
import { type Browser, chromium, type Page } from "playwright-core";

const APP_URL = Deno.env.get("APP_URL");

Deno.test("sign-in page: sign up, sign out, wrong password", async (t) => {
  if (!APP_URL) {
    throw new Error("APP_URL is not set: start the local stack and point APP_URL at it");
  }

  const browser: Browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-quic",
      "--disable-sync",
    ],
  });
  try {
    // A phone-sized viewport: the dashboard has to work there.
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const email = `signup-${crypto.randomUUID()}@example.com`;
    const password = `pw-${crypto.randomUUID()}`;

    await t.step("the page loads and shows the sign-in form", async () => {
      await page.goto(APP_URL);
      await page.getByRole("heading", { name: "Sign in to Frontdesk" }).waitFor();
      await page.getByLabel("Email").waitFor();
      await page.getByLabel("Password").waitFor();
      await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    });

    await t.step("signing up lands in the signed-in shell showing the email", async () => {
      await page.getByRole("button", { name: "Create an account" }).click();
      await fillCredentials(page, email, password);
      await page.getByRole("button", { name: "Create account", exact: true }).click();
      await page.getByRole("banner").getByText(email).waitFor();
    });

    await t.step("signing out returns to the sign-in form", async () => {
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("heading", { name: "Sign in to Frontdesk" }).waitFor();
    });

    await t.step("a wrong password shows the error and keeps what was typed", async () => {
      await fillCredentials(page, email, "not-the-password");
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      const alert = page.getByRole("alert");
      await alert.waitFor();
      assert.match(await alert.innerText(), /invalid login credentials/i);
      assert.equal(await page.getByLabel("Email").inputValue(), email);
      assert.equal(await page.getByLabel("Password").inputValue(), "not-the-password");
    });

    await t.step("the right password signs in", async () => {
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.getByRole("banner").getByText(email).waitFor();
    });
  } finally {
    await browser.close();
  }
});

async function fillCredentials(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
}
