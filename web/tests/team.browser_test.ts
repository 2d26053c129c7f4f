// Tenancy in the dashboard: onboarding, invitations, roles and what each role may do,
// driven in headless Chromium against a running stack (see browser.ts).
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  appUrl,
  goTo,
  launchBrowser,
  mailedLink,
  newPhonePage,
  randomEmail,
  signIn,
  signOut,
  signUp,
} from "./browser.ts";

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
      await page.getByLabel("Time zone").selectOption("Europe/London");
      await page.getByRole("checkbox", { name: "Russian (ru)" }).check();
      await page.getByLabel("Default language").selectOption("ru");
      await page.getByRole("button", { name: "Create clinic" }).click();
      await page.getByRole("heading", { name: clinic }).waitFor();
      assert.match(await page.locator("main").innerText(), /Your role: Owner/);
    });

    await t.step("the owner invites an admin: mailed, and the link shown once", async () => {
      await openTeam(page);
      const me = memberRow(page, owner.name);
      await me.getByText("(you)").waitFor();
      await me.getByText(owner.email).waitFor();
      assert.equal(await me.getByLabel("Role").inputValue(), "owner");

      const link = await invite(page, admin.email, "admin");
      assert.match(
        link,
        new RegExp(`^${escape(new URL(APP_URL).origin)}/#/invitations/[0-9a-f]+$`),
      );
      assert.equal(await mailedLink(admin.email, /Olga Owner invited you to/), link);
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
      // Teammates see each other's addresses.
      await memberRow(page, owner.name).getByText(owner.email).waitFor();
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

    const someoneElse = randomEmail("someone-else");
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

      await goTo(memberPage, "Settings");
      await memberPage.getByText("Only owners and admins can change these.").waitFor();
      assert.equal(await main.getByRole("button", { name: "Save settings" }).count(), 0);
    });

    await t.step("reopening one's own link is harmless; another address's is refused", async () => {
      await memberPage.goto(memberLink);
      await memberPage.getByRole("heading", { name: clinic }).waitFor();
      // The toasts' live region is always there: only an alert that says something counts.
      assert.equal(await memberPage.getByRole("alert").filter({ hasText: /./ }).count(), 0);

      const otherLink = await invite(page, someoneElse, "member");
      await memberPage.goto(otherLink);
      const alert = memberPage.getByRole("alert").filter({ hasText: /./ });
      await alert.waitFor();
      assert.match(await alert.innerText(), /sent to another email address/i);
      assert.match(await alert.innerText(), /Sign in with the address the invitation was sent to/);
      await memberPage.getByRole("link", { name: "Go to your dashboard" }).click();
      await memberPage.getByRole("heading", { name: clinic }).waitFor();

      // Inviting the address again replaces that invitation, and says so.
      await page.getByLabel("Their email").fill(someoneElse);
      await page.getByLabel("Their role").selectOption("admin");
      await page.getByRole("button", { name: "Invite", exact: true }).click();
      await page.getByRole("status").getByText(`Invitation mailed to ${someoneElse} (as admin).`)
        .waitFor();
      await page.getByRole("status").getByText("This replaces the earlier invitation as member.")
        .waitFor();
    });

    await t.step("a pending invitation is mailed again with a fresh link", async () => {
      const pending = page.getByRole("region", { name: "Pending invitations" });
      const before = await mailedLink(someoneElse, /invited you/);
      await pending.getByRole("listitem").filter({ hasText: someoneElse })
        .getByRole("button", { name: "Mail again" }).click();
      await pending.getByRole("status").getByText(`Invitation mailed to ${someoneElse} (as admin).`)
        .waitFor();
      const shown = await pending.getByLabel("Invitation link", { exact: true }).innerText();
      assert.notEqual(shown, before);
      assert.equal(await mailedLink(someoneElse, /invited you/), shown);
    });

    await t.step("when the mail cannot be sent, the link is there to copy", async () => {
      const unlucky = randomEmail("unlucky");
      await mailSandboxFails(unlucky, true);
      try {
        await page.getByLabel("Their email").fill(unlucky);
        await page.getByLabel("Their role").selectOption("member");
        await page.getByRole("button", { name: "Invite", exact: true }).click();
        await page.getByRole("status").getByText("the invitation mail could not be sent").waitFor();
        assert.match(
          await page.getByRole("region", { name: "Invite someone" }).getByLabel("Invitation link", {
            exact: true,
          })
            .innerText(),
          /#\/invitations\/[0-9a-f]+$/,
        );
      } finally {
        await mailSandboxFails(unlucky, false);
      }
    });

    await t.step("an invitation link opened while signed out leads through sign-up", async () => {
      const newcomer = {
        name: "Nina New",
        email: randomEmail("newcomer"),
        password: "pw-new-12345",
      };
      await invite(page, newcomer.email, "member");
      const newcomerPage = await newPhonePage(browser);
      // The invitee opens the link from the mail.
      await newcomerPage.goto(await mailedLink(newcomer.email, /invited you to/));
      await newcomerPage.getByText("You have been invited to join a clinic.").waitFor();
      await signUp(newcomerPage, newcomer);
      await newcomerPage.getByRole("heading", { name: clinic }).waitFor();
      assert.match(await newcomerPage.locator("main").innerText(), /Your role: Member/);
      assert.equal(await newcomerPage.getByRole("alert").filter({ hasText: /./ }).count(), 0);
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

    await t.step("an owner confirms a role change, and the row stays where it was", async () => {
      const desktop = await (await browser.newContext({ viewport: { width: 1280, height: 800 } }))
        .newPage();
      await desktop.goto(APP_URL);
      await signIn(desktop, owner);
      await openTeam(desktop);
      const rows = desktop.getByRole("region", { name: "Team" }).getByRole("listitem");
      await memberRow(desktop, admin.name).getByText(admin.email).waitFor();
      const order = async () => (await rows.allInnerTexts()).map((t) => t.split("\n")[0]);
      const before = await order();
      const row = memberRow(desktop, admin.name);

      // Picking a role only asks; Cancel puts the old one back and changes nothing.
      await row.getByLabel("Role").selectOption("owner");
      await row.getByText("Change Adam Admin's role from admin to owner?").waitFor();
      await row.getByRole("button", { name: "Cancel" }).click();
      assert.equal(await row.getByLabel("Role").inputValue(), "admin");
      await desktop.reload();
      await memberRow(desktop, admin.name).getByText(admin.email).waitFor();
      assert.equal(await memberRow(desktop, admin.name).getByLabel("Role").inputValue(), "admin");

      // Confirmed, it applies; the row does not jump to the owners at the top.
      await memberRow(desktop, admin.name).getByLabel("Role").selectOption("owner");
      await memberRow(desktop, admin.name).getByRole("button", { name: "Change role" }).click();
      await memberRow(desktop, admin.name).getByRole("status")
        .getByText("Adam Admin is now owner.").waitFor();
      assert.deepEqual(await order(), before);
      assert.equal(await memberRow(desktop, admin.name).getByLabel("Role").inputValue(), "owner");
    });
  } finally {
    await browser.close();
  }
});

async function openTeam(page: Page) {
  await goTo(page, "Team");
  await page.getByRole("heading", { name: "Team", exact: true }).waitFor();
}

function memberRow(page: Page, name: string) {
  return page.getByRole("region", { name: "Team" }).getByRole("listitem").filter({ hasText: name });
}

/**
 * Invites from the team page (which must be open), sees it mailed and returns the invitation link
 * shown once.
 */
async function invite(page: Page, email: string, role: "admin" | "member"): Promise<string> {
  await page.getByLabel("Their email").fill(email);
  await page.getByLabel("Their role").selectOption(role);
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  await page.getByRole("status").getByText(`Invitation mailed to ${email} (as ${role}).`).waitFor();
  assert.equal(await page.getByLabel("Their email").inputValue(), "");
  return await page.getByRole("region", { name: "Invite someone" }).getByLabel("Invitation link", {
    exact: true,
  })
    .innerText();
}

/** Makes the stack's mail sandbox refuse mails to one address (or accept them again). */
async function mailSandboxFails(to: string, fail: boolean) {
  const response = await fetch(new URL("/_local/mail/control/failures", appUrl()), {
    method: fail ? "POST" : "DELETE",
    body: JSON.stringify({ to, status: 503 }),
  });
  assert.equal(response.status, 200, await response.text());
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
