// Tenancy in the dashboard (issue 3): onboarding, invitations, roles and what each role may do,
// driven in headless Chromium against a running stack (see browser.ts).
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { appUrl, launchBrowser, newPhonePage, randomEmail, signOut, signUp } from "./browser.ts";

Deno.test("team: create a clinic, invite, join with the right role, read-only members", async (t) => {
  const APP_URL = appUrl();
  const browser = await launchBrowser();
  try {
    const page = await newPhonePage(browser);
    const clinic = `Clinic ${crypto.randomUUID().slice(0, 8)}`;
    const owner = { name: "Olga Owner", email: randomEmail("owner"), password: "pw-owner-1234" };
    const admin = { name: "Adam Admin", email: randomEmail("admin"), password: "pw-admin-1234" };
    const member = { name: "Mia Member", email: randomEmail("member"), password: "pw-member-123" };

    await t.step("a new user creates their clinic", async () => {
      await page.goto(APP_URL);
      await signUp(page, owner);
      await page.getByRole("heading", { name: "Create your clinic" }).waitFor();
      await page.getByLabel("Clinic name").fill(clinic);
      await page.getByRole("checkbox", { name: "Russian (ru)" }).check();
      await page.getByLabel("Default language").selectOption("ru");
      await page.getByRole("button", { name: "Create clinic" }).click();
      await page.getByRole("heading", { name: clinic }).waitFor();
      assert.match(await page.locator("main").innerText(), /Your role: Owner/);
    });

    await t.step("the owner invites an admin and gets the link once", async () => {
      await openTeam(page);
      const me = memberRow(page, owner.name);
      await me.getByText("(you)").waitFor();
      assert.equal(await me.getByLabel("Role").inputValue(), "owner");

      const link = await invite(page, admin.email, "admin");
      assert.match(
        link,
        new RegExp(`^${escape(new URL(APP_URL).origin)}/#/invitations/[0-9a-f]+$`),
      );
      const pending = page.getByRole("region", { name: "Pending invitations" });
      await pending.getByText(admin.email).waitFor();
      await pending.getByRole("listitem").filter({ hasText: admin.email })
        .getByText("Admin", { exact: true })
        .waitFor();
    });

    await t.step("the last owner cannot leave: the database's refusal is shown", async () => {
      const me = memberRow(page, owner.name);
      await me.getByRole("button", { name: "Leave clinic" }).click();
      await me.getByRole("button", { name: "Yes, leave" }).click();
      const alert = me.getByRole("alert");
      await alert.waitFor();
      assert.match(await alert.innerText(), /must keep at least one owner/i);
      assert.match(await alert.innerText(), /Make another member an owner first/i);
    });

    await t.step("the invited address signs up and is in the clinic as admin", async () => {
      await signOut(page);
      await signUp(page, admin);
      // The database accepted the invitation at sign-up: no onboarding, straight into the clinic.
      await page.getByRole("heading", { name: clinic }).waitFor();
      assert.match(await page.locator("main").innerText(), /Your role: Admin/);

      await openTeam(page);
      const me = memberRow(page, admin.name);
      await me.getByText("(you)").waitFor();
      await me.getByText("Admin", { exact: true }).waitFor();
      await memberRow(page, owner.name).getByText("Owner", { exact: true }).waitFor();
      // Admins invite, but never owners, and cannot remove an owner.
      const roles = await page.getByLabel("Their role").locator("option").allInnerTexts();
      assert.deepEqual(roles, ["Admin", "Member"]);
      assert.equal(
        await memberRow(page, owner.name).getByRole("button", { name: "Remove" }).count(),
        0,
      );
      const pending = page.getByRole("region", { name: "Pending invitations" });
      await pending.getByText("No pending invitations.").waitFor();
    });

    await t.step("a refused invitation says why and keeps what was typed", async () => {
      await page.getByLabel("Their email").fill(owner.email);
      await page.getByRole("button", { name: "Invite", exact: true }).click();
      const alert = page.getByRole("region", { name: "Invite someone" }).getByRole("alert");
      await alert.waitFor();
      assert.match(await alert.innerText(), /is already a member/);
      assert.equal(await page.getByLabel("Their email").inputValue(), owner.email);
      await page.getByLabel("Their email").fill("");
    });

    // Someone who already has an account (and no clinic) opens an invitation link.
    const memberPage = await newPhonePage(browser);
    let memberLink = "";
    await t.step("an existing user accepts a member invitation through the link", async () => {
      await memberPage.goto(APP_URL);
      await signUp(memberPage, member);
      await memberPage.getByRole("heading", { name: "Create your clinic" }).waitFor();

      memberLink = await invite(page, member.email, "member");
      await memberPage.goto(memberLink);
      await memberPage.getByRole("heading", { name: clinic }).waitFor();
      assert.match(await memberPage.locator("main").innerText(), /Your role: Member/);
    });

    await t.step("a member sees the team read-only", async () => {
      await openTeam(memberPage);
      await memberRow(memberPage, owner.name).waitFor();
      await memberRow(memberPage, admin.name).waitFor();
      const me = memberRow(memberPage, member.name);
      await me.getByText("(you)").waitFor();
      await me.getByText("Member", { exact: true }).waitFor();
      const main = memberPage.locator("main");
      assert.equal(await main.getByRole("heading", { name: "Invite someone" }).count(), 0);
      assert.equal(await main.getByRole("heading", { name: "Pending invitations" }).count(), 0);
      assert.equal(await main.getByRole("combobox").count(), 0);
      assert.equal(await main.getByRole("button", { name: "Remove" }).count(), 0);
      // Leaving is the one thing a member can do here.
      await me.getByRole("button", { name: "Leave clinic" }).waitFor();

      await memberPage.getByRole("navigation").getByRole("link", { name: "Settings" }).click();
      await memberPage.getByText("Only owners and admins can change these.").waitFor();
      assert.equal(await main.getByRole("button", { name: "Save settings" }).count(), 0);
    });

    await t.step("reopening one's own link is harmless; another address's is refused", async () => {
      await memberPage.goto(memberLink);
      await memberPage.getByRole("heading", { name: clinic }).waitFor();
      assert.equal(await memberPage.getByRole("alert").count(), 0);

      const otherLink = await invite(page, randomEmail("someone-else"), "member");
      await memberPage.goto(otherLink);
      const alert = memberPage.getByRole("alert");
      await alert.waitFor();
      assert.match(await alert.innerText(), /sent to another email address/i);
      assert.match(await alert.innerText(), /Sign in with the address the invitation was sent to/);
      await memberPage.getByRole("link", { name: "Go to your dashboard" }).click();
      await memberPage.getByRole("heading", { name: clinic }).waitFor();
    });

    await t.step("an invitation link opened while signed out leads through sign-up", async () => {
      const newcomer = {
        name: "Nina New",
        email: randomEmail("newcomer"),
        password: "pw-new-12345",
      };
      const link = await invite(page, newcomer.email, "member");
      const newcomerPage = await newPhonePage(browser);
      await newcomerPage.goto(link);
      await newcomerPage.getByText("You have been invited to join a clinic.").waitFor();
      await signUp(newcomerPage, newcomer);
      await newcomerPage.getByRole("heading", { name: clinic }).waitFor();
      assert.match(await newcomerPage.locator("main").innerText(), /Your role: Member/);
      assert.equal(await newcomerPage.getByRole("alert").count(), 0);
    });

    await t.step("an invitation link opened while signed out leads through sign-in", async () => {
      const existing = {
        name: "Eve Existing",
        email: randomEmail("existing"),
        password: "pw-ex-12345",
      };
      const existingPage = await newPhonePage(browser);
      await existingPage.goto(APP_URL);
      await signUp(existingPage, existing);
      await existingPage.getByRole("heading", { name: "Create your clinic" }).waitFor();
      await signOut(existingPage);

      const link = await invite(page, existing.email, "admin");
      await existingPage.goto(link);
      await existingPage.getByText("You have been invited to join a clinic.").waitFor();
      await existingPage.getByLabel("Email").fill(existing.email);
      await existingPage.getByLabel("Password").fill(existing.password);
      await existingPage.getByRole("button", { name: "Sign in", exact: true }).click();
      await existingPage.getByRole("heading", { name: clinic }).waitFor();
      assert.match(await existingPage.locator("main").innerText(), /Your role: Admin/);
    });

    await t.step("an admin revokes an invitation and removes a member", async () => {
      await page.reload();
      const pending = page.getByRole("region", { name: "Pending invitations" });
      const invitation = pending.getByRole("listitem").filter({ hasText: "someone-else" });
      await invitation.getByRole("button", { name: "Revoke" }).click();
      await invitation.waitFor({ state: "detached" });

      const row = memberRow(page, member.name);
      await row.getByRole("button", { name: "Remove" }).click();
      await row.getByRole("button", { name: "Yes, remove" }).click();
      await row.waitFor({ state: "detached" });
    });
  } finally {
    await browser.close();
  }
});

async function openTeam(page: Page) {
  await page.getByRole("navigation").getByRole("link", { name: "Team" }).click();
  await page.getByRole("heading", { name: "Team", exact: true }).waitFor();
}

function memberRow(page: Page, name: string) {
  return page.getByRole("region", { name: "Team" }).getByRole("listitem").filter({ hasText: name });
}

/** Invites from the team page (which must be open) and returns the invitation link shown once. */
async function invite(page: Page, email: string, role: "admin" | "member"): Promise<string> {
  await page.getByLabel("Their email").fill(email);
  await page.getByLabel("Their role").selectOption(role);
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  await page.getByRole("status").getByText(`${email} is invited`).waitFor();
  assert.equal(await page.getByLabel("Their email").inputValue(), "");
  return await page.getByLabel("Invitation link").inputValue();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
