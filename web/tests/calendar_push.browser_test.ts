// Calendar sync state on the agenda: a receptionist of a clinic connected to Google (a fresh
// sandbox account, connected through the google-oauth flow) books an appointment and sees it
// pending, then synced without a reload once the worker has pushed it — on a desktop and a phone.
// Headless Chromium against a running stack (see browser.ts).
import assert from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import type { Browser } from "playwright-core";
import { addDays, localDateOf, zonedDateTimeToInstant } from "@frontdesk/domain/opening_hours.ts";
import { eventIdFor } from "../../supabase/functions/_shared/google/event_id.ts";
import { connectCalendar, sandboxControl } from "../../supabase/tests/api/_google_sandbox.ts";
import { runWorker } from "../../supabase/tests/api/_worker.ts";
import {
  appointmentOf,
  appUrl,
  bookNewPatient,
  clinicOpenDaily,
  launchBrowser,
  newDesktopPage,
  newPhonePage,
  openAgendaTomorrow,
  overflow,
} from "./browser.ts";

const TIME_ZONE = "Europe/London";
const API_URL = new URL(appUrl()).origin;
const SERVICE_ROLE_KEY = Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!;

/** A clinic open every day with a 30-minute check-up, connected to a fresh Google account. */
async function connectedClinic() {
  const { team, organisationId, owner } = await clinicOpenDaily("push", TIME_ZONE);
  const service = await owner.from("services")
    .insert({ organisation_id: organisationId, name: "Check-up", duration_minutes: 30 });
  assert.equal(service.error, null, service.error?.message);

  const account = `push-browser-${crypto.randomUUID().slice(0, 8)}@sandbox.test`;
  await sandboxControl(API_URL, "POST", "/accounts", { email: account, timeZone: TIME_ZONE });
  const { data: { session } } = await owner.auth.getSession();
  await connectCalendar(API_URL, session!.access_token, organisationId, account);
  await sandboxControl(API_URL, "POST", "/faults", {
    endpoint: "events.insert",
    delayMs: 1500,
    account,
  });
  return { team, account, owner };
}

/** Runs the worker until the appointment's calendar_sync is `state` (within 20 s). */
async function workUntil(owner: SupabaseClient, appointmentId: string, state: string) {
  const deadline = Date.now() + 20_000;
  while (true) {
    const { data } = await owner.from("appointments").select("calendar_sync")
      .eq("id", appointmentId).single();
    if (data?.calendar_sync === state) return;
    assert.ok(Date.now() < deadline, `${state} within 20 s`);
    await runWorker(API_URL, SERVICE_ROLE_KEY);
  }
}

Deno.test("calendar push: a booking shows its sync state: synced once pushed, failed with the reason", async (t) => {
  const { team, account, owner } = await connectedClinic();
  const tomorrow = addDays(localDateOf(TIME_ZONE, new Date()), 1);
  const browser = await launchBrowser();
  try {
    for (
      const [viewport, open, time, patient] of [
        ["desktop", newDesktopPage, "10:00", "Ada Desk"],
        ["phone", (b: Browser) => newPhonePage(b, { locale: "en-GB" }), "12:00", "Ben Phone"],
      ] as const
    ) {
      await t.step(`on a ${viewport}`, async () => {
        const page = await open(browser);
        await openAgendaTomorrow(page, team.member, tomorrow);

        const item = await bookNewPatient(page, {
          time,
          name: patient,
          phone: viewport === "desktop" ? "+447911123456" : "07400 123456",
        });
        // Google answers slowly here, so the agenda read after booking finds the push under way.
        await item.getByText("Calendar: pending").waitFor();

        // The worker pushes it (the wake usually has already); the agenda reads again by itself.
        const { data: booked } = await owner.from("appointments")
          .select("id, contact:contacts!inner(name)").eq("contact.name", patient).single();
        await workUntil(owner, booked!.id, "synced");
        await item.getByText("Calendar ✓").waitFor();
        assert.equal(
          await item.getByText(/Calendar: (pending|failed)/).count(),
          0,
          "no longer pending",
        );
        // No wider than the screen.
        assert.equal(await overflow(page), 0, "no wider than the screen");

        const events = await sandboxControl<{ items: { id: string }[] }>(
          API_URL,
          "GET",
          `/calendars/${encodeURIComponent(account)}/events`,
        );
        assert.equal(events.items.filter((e) => e.id === eventIdFor(booked!.id)).length, 1);
        await page.context().close();
      });
    }

    await t.step("a change Google refuses shows failed, with the reason", async () => {
      const { data: booked } = await owner.from("appointments")
        .select("id, contact:contacts!inner(name)").eq("contact.name", "Ada Desk").single();
      const { id: fault } = await sandboxControl<{ id: string }>(API_URL, "POST", "/faults", {
        endpoint: "events.patch",
        status: 400,
        account,
      });
      const moved = await owner.rpc("reschedule_appointment", {
        appointment_id: booked!.id,
        starts_at: zonedDateTimeToInstant(TIME_ZONE, tomorrow, "15:00").toISOString(),
      });
      assert.equal(moved.error, null, moved.error?.message);
      await workUntil(owner, booked!.id, "failed");
      await sandboxControl(API_URL, "DELETE", `/faults/${fault}`);
      const page = await newPhonePage(browser, { locale: "en-GB" });
      await openAgendaTomorrow(page, team.member, tomorrow);
      const item = appointmentOf(page, "Ada Desk");
      await item.getByText("Calendar: failed").waitFor();
      await item.getByText(/Google Calendar refused the event: .*400/).waitFor();
    });
  } finally {
    await browser.close();
  }
});
