// Appointments: a receptionist (a member) books a new patient from the agenda, moves and cancels
// the appointment, on a desktop and on a 390 px phone; a time taken behind the page's back is
// refused in words. Headless Chromium against a running stack (see browser.ts).
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { addDays, localDateOf, zonedDateTimeToInstant } from "@frontdesk/domain/opening_hours.ts";
import {
  appointmentOf,
  appUrl,
  bookNewPatient,
  clinicOpenDaily,
  goTo,
  launchBrowser,
  newDesktopPage,
  newPhonePage,
  openAgendaTomorrow,
  overflow,
  pickTime,
  signIn,
} from "./browser.ts";

const TIME_ZONE = "Europe/London";

/** A clinic open every day 08:00–20:00 with Dr Hale and a 30-minute check-up. */
async function clinic() {
  const { team, organisationId, owner: client } = await clinicOpenDaily("appt", TIME_ZONE);
  const hale = await client.from("practitioners")
    .insert({ organisation_id: organisationId, display_name: "Dr Hale", position: 1 })
    .select("id").single();
  if (hale.error) throw new Error(hale.error.message);
  // Added after Dr Hale, so the service is linked to every active practitioner, Dr Hale too.
  const service = await client.from("services").insert({
    organisation_id: organisationId,
    name: "Check-up",
    duration_minutes: 30,
  }).select("id").single();
  if (service.error) throw new Error(service.error.message);
  return { team, client, organisationId, haleId: hale.data.id, serviceId: service.data.id };
}

Deno.test("appointments: book a new patient, reschedule, a taken time in words, cancel", async (t) => {
  const { team, client, organisationId, haleId, serviceId } = await clinic();
  const tomorrow = addDays(localDateOf(TIME_ZONE, new Date()), 1);
  const browser = await launchBrowser();
  try {
    for (
      const [viewport, open, phone, patient] of [
        ["desktop", newDesktopPage, "+44 7911 123456", "Ada Desk"],
        [
          "phone",
          (b: Browser) => newPhonePage(b, { locale: "en-GB" }),
          "07400 123456",
          "Ben Phone",
        ],
      ] as const
    ) {
      await t.step(`on a ${viewport}`, async () => {
        const page = await open(browser);
        await openAgendaTomorrow(page, team.member, tomorrow);

        // Book: service → Dr Hale → tomorrow's 10:00 → a new patient → confirm.
        const item = await bookNewPatient(page, {
          practitioner: "Dr Hale",
          time: viewport === "desktop" ? "10:00" : "12:00",
          name: patient,
          phone,
        });
        await item.getByText(viewport === "desktop" ? "10:00–10:30" : "12:00–12:30").waitFor();
        // In Dr Hale's column.
        await page.getByRole("list", { name: "Dr Hale" }).getByRole("link", { name: patient })
          .waitFor();

        // Reschedule to another free time of the same practitioner.
        await item.getByRole("button", { name: "Reschedule" }).click();
        await pickTime(item, viewport === "desktop" ? "11:00" : "13:00");
        await item.getByRole("button", { name: "Move here" }).click();
        await item.getByText(viewport === "desktop" ? "11:00–11:30" : "13:00–13:30").waitFor();

        // Another receptionist takes 15:00/16:00 while this page offers it: refused in words.
        const taken = viewport === "desktop" ? "15:00" : "16:00";
        await item.getByRole("button", { name: "Reschedule" }).click();
        await pickTime(item, taken);
        const behind = await client.functions.invoke("booking", {
          body: {
            action: "book",
            organisationId,
            serviceId,
            practitionerId: haleId,
            start: zonedDateTimeToInstant(TIME_ZONE, tomorrow, taken).toISOString(),
            phone: viewport === "desktop" ? "+447911000777" : "+447911000778",
            name: "Quick Caller",
          },
        });
        assert.equal(behind.error, null, String(behind.error));
        assert.equal(behind.data.status, "booked");
        await item.getByRole("button", { name: "Move here" }).click();
        const refusal = item.getByRole("alert");
        await refusal.waitFor();
        const words = await refusal.innerText();
        assert.match(words, /not free|taken/i);
        // …with the next free times to pick instead.
        await item.getByRole("group", { name: "Next free times" }).getByRole("button").first()
          .waitFor();
        assert.doesNotMatch(words, /23P01|exclusion|conflicting key|\bnull\b/i);
        // Nothing moved.
        await item.getByText(viewport === "desktop" ? "11:00–11:30" : "13:00–13:30").waitFor();
        await item.getByRole("button", { name: "Keep the time" }).click();

        // Cancel with a reason.
        await item.getByRole("button", { name: "Cancel…" }).click();
        await item.getByLabel("Reason for cancelling").fill("Feeling better");
        await item.getByRole("button", { name: "Cancel appointment" }).click();
        await item.getByText("Cancelled", { exact: true }).waitFor();
        await item.getByText("Reason: Feeling better").waitFor();

        const { data } = await client.from("appointments")
          .select("status, cancellation_reason, starts_at, contact:contacts(name, phone)")
          .eq("organisation_id", organisationId).eq("status", "cancelled");
        assert.ok(
          data?.some((row) =>
            (row.contact as unknown as { name: string }).name === patient &&
            row.cancellation_reason === "Feeling better"
          ),
        );

        // Only an appointment that has begun can be marked: yesterday's patient did not come.
        assert.equal(await item.getByRole("button", { name: "No-show" }).count(), 0);
        const yesterday = addDays(tomorrow, -2);
        const contact = await client.rpc("find_or_create_contact", {
          organisation_id: organisationId,
          phone: viewport === "desktop" ? "+447911000998" : "+447911000999",
          name: `Past ${viewport}`,
        });
        assert.equal(contact.error, null, contact.error?.message);
        const past = await client.from("appointments").insert({
          organisation_id: organisationId,
          practitioner_id: haleId,
          service_id: serviceId,
          contact_id: contact.data.id,
          starts_at: zonedDateTimeToInstant(TIME_ZONE, yesterday, "09:00").toISOString(),
          ends_at: zonedDateTimeToInstant(TIME_ZONE, yesterday, "09:30").toISOString(),
          source: "dashboard",
        });
        assert.equal(past.error, null, past.error?.message);
        await page.getByRole("link", { name: "Previous day" }).click();
        await page.getByRole("link", { name: "Previous day" }).click();
        await page.waitForURL(new RegExp(`date=${yesterday}`));
        const caller = appointmentOf(page, `Past ${viewport}`);
        await caller.getByRole("button", { name: "No-show" }).click();
        await caller.locator(".badge").getByText("No-show").waitFor();
        await caller.getByRole("button", { name: "Back to booked" }).click();
        await caller.getByRole("button", { name: "Completed" }).click();
        await caller.locator(".badge").getByText("Completed").waitFor();
        const { data: marked } = await client.from("appointments").select("status")
          .eq("contact_id", contact.data.id);
        assert.deepEqual(marked, [{ status: "completed" }]);
        await page.getByRole("link", { name: "Next day" }).click();
        await page.getByRole("link", { name: "Next day" }).click();

        // The week holds the day's appointments too.
        await page.getByRole("link", { name: "Week", exact: true }).click();
        await page.getByRole("region", { name: /^Wed|^Thu|^Fri|^Sat|^Sun|^Mon|^Tue/ })
          .filter({ has: page.getByRole("link", { name: patient }) }).waitFor();

        // The patient's page lists the appointment, found by a part of their number.
        await goTo(page, "Contacts");
        await page.getByLabel("Search by name or phone").fill(phone.slice(-6));
        await page.getByRole("link", { name: patient }).click();
        await page.getByRole("heading", { name: patient, level: 1 }).waitFor();
        await page.getByRole("region", { name: "Appointments" }).getByText("Cancelled", {
          exact: true,
        }).waitFor();

        // A member sees the practitioners but cannot change them.
        await goTo(page, "Practitioners");
        await page.getByText("Dr Hale", { exact: true }).waitFor();
        await page.getByText("Only owners and admins can change this.").waitFor();
        assert.equal(await page.getByRole("button", { name: "Add practitioner" }).count(), 0);
        assert.equal(await page.getByRole("button", { name: "Deactivate" }).count(), 0);

        // No page is wider than the screen.
        assert.equal(await overflow(page), 0, `${viewport}: wider than the screen`);
        await page.context().close();
      });
    }
  } finally {
    await browser.close();
  }
});

Deno.test("practitioners: an owner adds one with services, hours and time off, and deactivates them", async () => {
  const { team, client, organisationId } = await clinic();
  const tomorrow = addDays(localDateOf(TIME_ZONE, new Date()), 1);
  const browser = await launchBrowser();
  try {
    const page = await newDesktopPage(browser);
    await page.goto(appUrl());
    await signIn(page, team.owner);
    await goTo(page, "Practitioners");
    const add = page.getByRole("region", { name: "Add a practitioner" });
    await add.getByLabel("Name").fill("Dr Ng");
    await add.getByRole("button", { name: "Add practitioner" }).click();
    const ng = page.getByRole("listitem", { name: "Dr Ng" });
    await ng.getByRole("checkbox", { name: "Check-up" }).check();
    await ng.getByLabel("Day", { exact: true }).selectOption({ label: "Tuesday" });
    await ng.getByLabel("From", { exact: true }).fill("09:00");
    await ng.getByLabel("Until", { exact: true }).fill("13:00");
    await ng.getByRole("button", { name: "Add hours" }).click();
    await ng.getByRole("list", { name: "Dr Ng's hours" }).getByText("Tuesday 09:00–13:00")
      .waitFor();
    await ng.getByLabel("Off from").fill(tomorrow);
    await ng.getByLabel("Reason").fill("Training");
    await ng.getByRole("button", { name: "Add time off" }).click();
    await ng.getByRole("list", { name: "Dr Ng's time off" }).getByText(/Training/).waitFor();
    await ng.getByRole("button", { name: "Deactivate" }).click();
    await ng.getByText("Inactive", { exact: true }).waitFor();

    // Booking rules, on the Services page.
    await goTo(page, "Services");
    const rules = page.getByRole("region", { name: "Booking rules" });
    await rules.getByLabel("Times offered every (minutes)").fill("20");
    await rules.getByRole("button", { name: "Save booking rules" }).click();
    await page.getByText("Booking rules saved.").waitFor();
    const { data: savedRules } = await client.from("booking_rules").select("slot_interval_minutes")
      .eq("organisation_id", organisationId).single();
    assert.equal(savedRules?.slot_interval_minutes, 20);

    const saved = await client.from("practitioners")
      .select(
        "active, practitioner_services(service:services(name)), " +
          "practitioner_hours(weekday, opens, closes), closures(starts_on, ends_on, reason)",
      )
      .eq("organisation_id", organisationId).eq("display_name", "Dr Ng").single();
    assert.equal(saved.error, null, saved.error?.message);
    assert.deepEqual(saved.data, {
      active: false,
      practitioner_services: [{ service: { name: "Check-up" } }],
      practitioner_hours: [{ weekday: 2, opens: "09:00:00", closes: "13:00:00" }],
      closures: [{ starts_on: tomorrow, ends_on: tomorrow, reason: "Training" }],
    });
  } finally {
    await browser.close();
  }
});
