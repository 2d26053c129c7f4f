// Drives the built dashboard in headless Chromium against a running stack (see browser.ts).
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { appUrl, launchBrowser, newPhonePage, randomEmail, signOut, signUp } from "./browser.ts";

Deno.test("sign-in page: sign up, sign out, wrong password, forgotten password", async (t) => {
  const APP_URL = appUrl();
  const browser = await launchBrowser();
  try {
    const page = await newPhonePage(browser);
    const email = randomEmail("signup");
    const password = `pw-${crypto.randomUUID()}`;

    await t.step("the page loads and shows the sign-in form", async () => {
      await page.goto(APP_URL);
      await page.getByRole("heading", { name: "Sign in to Frontdesk" }).waitFor();
      await page.getByLabel("Email").waitFor();
      await page.getByLabel("Password").waitFor();
      await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    });

    await t.step("signing up lands in the signed-in shell, on onboarding", async () => {
      await signUp(page, { name: "Sam Signup", email, password });
      await page.getByRole("heading", { name: "Create your clinic" }).waitFor();
    });

    await t.step("signing out returns to the sign-in form", async () => {
      await signOut(page);
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

    const newPassword = `new-${crypto.randomUUID()}`;
    await t.step("a forgotten password is reset through the mailed link", async () => {
      await signOut(page);
      await page.getByLabel("Email").fill(email);
      await page.getByRole("button", { name: "Forgot password?" }).click();
      await page.getByRole("status").getByText("password-reset link is on its way").waitFor();

      const link = await mailedLink(APP_URL, email);
      await page.goto(link);
      await page.getByRole("heading", { name: "Set a new password" }).waitFor();
      await page.getByLabel("New password", { exact: true }).fill(newPassword);
      await page.getByRole("button", { name: "Save password" }).click();
      await page.getByRole("status").getByText("Your new password is set.").waitFor();
      await page.getByRole("button", { name: "Continue to the dashboard" }).click();
      await page.getByRole("heading", { name: "Create your clinic" }).waitFor();
    });

    await t.step("the new password signs in, the old one no longer does", async () => {
      await signOut(page);
      await fillCredentials(page, email, password);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.getByRole("alert").getByText(/invalid login credentials/i).waitFor();
      await page.getByLabel("Password").fill(newPassword);
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

/** The link in the newest mail the local stack's Auth "sent" to this address. */
async function mailedLink(appUrl: string, to: string): Promise<string> {
  const response = await fetch(new URL("/_local/outbox", appUrl));
  assert.equal(response.status, 200);
  const mails: { to: string; subject: string; link: string }[] = await response.json();
  const mail = mails.find((m) => m.to === to && /password/i.test(m.subject));
  assert.ok(mail, `no password-reset mail to ${to} in the outbox`);
  return mail.link;
}
