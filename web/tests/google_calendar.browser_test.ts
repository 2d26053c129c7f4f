// Google Calendar in the dashboard, through the local Google sandbox's consent page: an owner
// connects on a desktop and is told which account, picks a practitioner's calendar; after Google
// refuses the grant (invalid_grant), owners see a banner on every page and Reconnect (on a phone)
// clears it; a member sees neither Connect nor the banner. Driven in headless Chromium.
import assert from "node:assert/strict";
import postgres from "postgres";
import type { Page } from "playwright-core";
import { GoogleNeedsReauth } from "../../supabase/functions/_shared/google/errors.ts";
import { accessToken } from "../../supabase/functions/_shared/google/tokens.ts";
import { sandboxControl } from "../../supabase/tests/api/_google_sandbox.ts";
import { adoptGoogleSettings } from "../../supabase/tests/api/_google_settings.ts";
import { env } from "../../supabase/tests/api/_helpers.ts";
import {
  apiClientAs,
  appUrl,
  createClinicWithTeam,
  goTo,
  launchBrowser,
  newDesktopPage,
  newPhonePage,
  newTeam,
  overflow,
  signIn,
} from "./browser.ts";

// This process refreshes the clinic's token as service code would, to meet Google's refusal.
await adoptGoogleSettings(env("LOG_DIR"));

const apiUrl = new URL(appUrl()).origin;
const control = <T>(method: string, path: string, body?: unknown) =>
  sandboxControl<T>(apiUrl, method, path, body);

/** On Google's (sandbox) consent page: the account, then Allow; back on the dashboard. */
async function consent(page: Page, account: string) {
  await page.getByRole("heading", { name: "Sign in with Google" }).waitFor();
  await page.getByLabel(account).check();
  await page.getByRole("button", { name: "Allow" }).click();
  await page.getByText(`Connected as ${account}.`).waitFor();
}

Deno.test("google calendar: connect, calendar per practitioner, reauth banner", async (t) => {
  const tag = crypto.randomUUID().slice(0, 8);
  const clinic = `Calendar ${tag}`;
  const team = newTeam("gc");
  const { owner, member } = team;
  const account = `gc-${tag}@sandbox.test`;
  const room = `room-${tag}@group.calendar.google.com`;
  await control("POST", "/accounts", {
    email: account,
    timeZone: "Europe/London",
    calendars: [{ id: room, summary: "Treatment room" }],
  });
  const organisationId = await createClinicWithTeam(
    { name: clinic, timezone: "Europe/London" },
    team,
  );
  const sql = postgres(env("SUPABASE_DB_URL"), { max: 2, prepare: false, onnotice: () => {} });

  const browser = await launchBrowser();
  try {
    const desktop = await newDesktopPage(browser);
    await desktop.goto(appUrl());
    await signIn(desktop, owner);
    const card = desktop.getByRole("region", { name: "Google Calendar" });

    await t.step("an owner connects through Google's consent page (desktop)", async () => {
      await goTo(desktop, "Channels");
      await desktop.getByRole("link", { name: "Calendar" }).click();
      await card.getByText("Not connected").waitFor();
      await card.getByRole("button", { name: "Connect Google Calendar" }).click();
      await consent(desktop, account);
      await card.getByText("Connected", { exact: true }).waitFor();
      assert.match(await card.innerText(), new RegExp(account.replace(/[.]/g, "\\.")));
    });

    await t.step("the owner puts the practitioner on the treatment room's calendar", async () => {
      const calendars = desktop.getByRole("region", { name: "Calendar per practitioner" });
      const picker = calendars.getByLabel(clinic);
      assert.equal(await picker.inputValue(), "", "the primary calendar by default");
      await picker.selectOption({ label: "Treatment room" });
      const client = await apiClientAs(owner);
      let chosen: string | null = null;
      for (let i = 0; i < 50 && chosen !== room; i++) {
        const { data } = await client.from("practitioners").select("google_calendar_id")
          .eq("organisation_id", organisationId).single();
        chosen = data?.google_calendar_id ?? null;
        if (chosen !== room) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(chosen, room);
    });

    await t.step("Google refuses the grant: owners see the banner on other pages", async () => {
      await control("POST", `/accounts/${encodeURIComponent(account)}/revoke`);
      await assert.rejects(
        accessToken(sql, organisationId, { forceRefresh: true }),
        GoogleNeedsReauth,
      );
      await goTo(desktop, "Contacts");
      const banner = desktop.getByRole("region", { name: "Google Calendar needs reconnecting" });
      await banner.getByText(/Reconnect Google Calendar to resume syncing/).waitFor();
      await goTo(desktop, "Team");
      await banner.waitFor();
    });

    await t.step("a member sees neither the banner nor Connect (phone)", async () => {
      const phone = await newPhonePage(browser);
      await phone.goto(appUrl());
      await signIn(phone, member);
      await goTo(phone, "Channels");
      await phone.getByRole("link", { name: "Calendar" }).click();
      const memberCard = phone.getByRole("region", { name: "Google Calendar" });
      await memberCard.getByText("Needs re-authorisation").waitFor();
      assert.equal(await phone.getByRole("button", { name: /Connect Google Calendar/ }).count(), 0);
      await phone.getByRole("region", { name: "Calendar per practitioner" }).getByText(
        "Treatment room",
      ).waitFor();
      await goTo(phone, "Contacts");
      await phone.getByRole("heading", { name: "Contacts" }).first().waitFor();
      assert.equal(
        await phone.getByRole("region", { name: "Google Calendar needs reconnecting" }).count(),
        0,
      );
      assert.equal(await overflow(phone), 0, "wider than the screen");
      await phone.context().close();
    });

    await t.step("the owner reconnects from the banner on a phone; the banner goes", async () => {
      const phone = await newPhonePage(browser);
      await phone.goto(appUrl());
      await signIn(phone, owner);
      await goTo(phone, "Contacts");
      const banner = phone.getByRole("region", { name: "Google Calendar needs reconnecting" });
      await banner.waitFor();
      assert.equal(await overflow(phone), 0, "wider than the screen");
      await banner.getByRole("button", { name: "Reconnect Google Calendar" }).click();
      await consent(phone, account);
      assert.equal(await overflow(phone), 0, "wider than the screen");
      await goTo(phone, "Contacts");
      await phone.getByRole("heading", { name: "Contacts" }).first().waitFor();
      assert.equal(await banner.count(), 0);
      const [connection] = await sql<{ status: string; last_error: string | null }[]>`
        select status, last_error from public.calendar_connections
        where organisation_id = ${organisationId}`;
      assert.deepEqual({ ...connection }, { status: "active", last_error: null });
    });
  } finally {
    await browser.close();
    await sql.end();
  }
});
