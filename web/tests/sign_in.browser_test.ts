// Drives the built dashboard in headless Chromium against a running stack (see browser.ts).
import assert from "node:assert/strict";
import { createClient } from "@supabase/supabase-js";
import type { Browser, Page } from "playwright-core";
import {
  appUrl,
  createUser,
  launchBrowser,
  mailedLink,
  newPhonePage,
  overflow,
  randomEmail,
  signedIn,
  signOut,
} from "./browser.ts";

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

    await t.step("signing up asks to check the mail; its link lands signed in", async () => {
      await signUpAndConfirm(page, { name: "Sam Signup", email, password });
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
      await signedIn(page, email);
    });

    const newPassword = `new-${crypto.randomUUID()}`;
    await t.step("a forgotten password is reset through the mailed link", async () => {
      await signOut(page);
      await page.getByLabel("Email").fill(email);
      await page.getByRole("button", { name: "Forgot password?" }).click();
      await page.getByRole("status").getByText("password-reset link is on its way").waitFor();

      const link = await mailedLink(email, /reset your password/i);
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
      await signedIn(page, email);
    });
  } finally {
    await browser.close();
  }
});

async function fillCredentials(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
}

/**
 * Signs up on the sign-in page: "Check your mail" names the address and offers to send the link
 * again (at once, Auth asks to wait); the mailed link lands signed in, on onboarding.
 */
async function signUpAndConfirm(
  page: Page,
  user: { name: string; email: string; password: string },
) {
  await page.getByRole("button", { name: "Create an account" }).click();
  await page.getByLabel("Your name").fill("   ");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Create account", exact: true }).click();
  await page.getByRole("alert").getByText("Enter your name").waitFor();
  await page.getByLabel("Your name").fill(user.name);
  await page.getByRole("button", { name: "Create account", exact: true }).click();
  await page.getByRole("heading", { name: "Check your mail" }).waitFor();
  assert.match(await page.locator("main").innerText(), new RegExp(`sent a link to ${user.email}`));
  await page.getByRole("button", { name: "Send the link again" }).click();
  await page.getByRole("alert").getByText(/only request this after/).waitFor();
  await noHorizontalScroll(page);

  await page.goto(await mailedLink(user.email, /confirm your signup/i));
  await signedIn(page, user.email);
  await page.getByRole("heading", { name: "Create your clinic" }).waitFor();
}

async function noHorizontalScroll(page: Page) {
  assert.equal(await overflow(page), 0, "the page scrolls sideways");
}

for (const viewport of ["desktop", "phone"] as const) {
  Deno.test(`sign-in page (${viewport}): confirm by mail; a used link says so and sends a new one`, async (t) => {
    const browser = await launchBrowser();
    try {
      const page = await openPage(browser, viewport);
      await t.step("sign up, check the mail, follow the link", async () => {
        await page.goto(appUrl());
        await signUpAndConfirm(page, {
          name: `Desk ${viewport}`,
          email: randomEmail(`confirm-${viewport}`),
          password: `pw-${crypto.randomUUID()}`,
        });
      });

      await t.step("a used password-reset link shows why and offers a new link", async () => {
        const user = {
          name: "Rita Reset",
          email: randomEmail("used-link"),
          password: "pw-reset-123",
        };
        await createUser(user);
        const link = await usedResetLink(user.email);
        await page.context().clearCookies();
        await page.evaluate(() => localStorage.clear());
        await page.goto(link);
        const alert = page.getByRole("alert");
        await alert.getByText("That password-reset link has expired or was already used.")
          .waitFor();
        await noHorizontalScroll(page);
        await page.getByLabel("Email").fill(user.email);
        await page.getByRole("button", { name: "Send a new link" }).click();
        await page.getByRole("status").getByText("password-reset link is on its way").waitFor();
        await mailedLink(user.email, /reset your password/i);
      });
    } finally {
      await browser.close();
    }
  });
}

async function openPage(browser: Browser, viewport: "desktop" | "phone"): Promise<Page> {
  if (viewport === "phone") return await newPhonePage(browser);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  return await context.newPage();
}

/** A reset link for the address, already used once (as by a second click in the mail). */
async function usedResetLink(email: string): Promise<string> {
  const serviceKey = Deno.env.get("SUPABASE_SERVICE_ROLE_KEY");
  if (!serviceKey) throw new Error("SUPABASE_SERVICE_ROLE_KEY is not set");
  const admin = createClient(new URL(appUrl()).origin, serviceKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
  const { data, error } = await admin.auth.admin.generateLink({
    type: "recovery",
    email,
    options: { redirectTo: `${new URL(appUrl()).origin}/?link=recovery` },
  });
  if (error) throw new Error(`generate_link failed: ${error.message}`);
  const first = await fetch(data.properties.action_link, { redirect: "manual" });
  await first.body?.cancel();
  return data.properties.action_link;
}
