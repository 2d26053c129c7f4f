// The Assistant page's "Test call": Northside's owner types a caller's line asking for a check-up
// on the next open weekday; the Vapi sandbox calls the clinic's `vapi` function, which books, and
// the appointment then shows in the agenda. Needs the stack's Vapi sandbox and the test-call and
// vapi functions. Headless Chromium against a running stack (see browser.ts).
import assert from "node:assert/strict";
import { addDays, isoWeekday, localDateOf } from "@frontdesk/domain/opening_hours.ts";
import {
  apiClientAs,
  appUrl,
  launchBrowser,
  newDesktopPage,
  newPhonePage,
  NORTHSIDE,
  NORTHSIDE_OWNER,
  openAs,
  overflow,
  serviceClient,
} from "./browser.ts";
import { waitFor } from "../../supabase/tests/api/_helpers.ts";

const TIME_ZONE = "Europe/London";

/** The first day from tomorrow that Northside opens and has no clinic-wide closure. */
async function nextOpenDay(): Promise<string> {
  const db = serviceClient();
  const hours = await db.from("working_hours").select("weekday").eq("organisation_id", NORTHSIDE);
  const closures = await db.from("closures").select("starts_on, ends_on")
    .eq("organisation_id", NORTHSIDE).is("practitioner_id", null);
  if (hours.error || closures.error) throw new Error("reading Northside's hours failed");
  const open = new Set(hours.data.map((h) => h.weekday));
  let day = addDays(localDateOf(TIME_ZONE, new Date()), 1);
  while (
    !open.has(isoWeekday(day)) ||
    closures.data.some((c) => c.starts_on <= day && day <= c.ends_on)
  ) day = addDays(day, 1);
  return day;
}

/** One of the check-up times the booking function offers on the day, in the clinic's clock. */
async function freeCheckUpTime(day: string): Promise<string> {
  const service = await serviceClient().from("services").select("id")
    .eq("organisation_id", NORTHSIDE).ilike("name", "check-up%").limit(1).single();
  if (service.error) {
    throw new Error(`reading Northside's check-up failed: ${service.error.message}`);
  }
  const owner = await apiClientAs(NORTHSIDE_OWNER);
  const { data, error } = await owner.functions.invoke<{ slots: { start: string }[] }>("booking", {
    body: {
      action: "availability",
      organisationId: NORTHSIDE,
      serviceId: service.data.id,
      from: day,
      to: day,
      limit: 40,
    },
  });
  if (error || !data?.slots.length) throw new Error(`no check-up time offered on ${day}`);
  const slot = data.slots[Math.floor(Math.random() * data.slots.length)];
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: TIME_ZONE,
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(slot.start));
}

Deno.test("test call: a typed caller line books an appointment that shows in the agenda", async () => {
  const day = await nextOpenDay();
  // A time the booking function offers for a check-up that day (other tests, Google's busy time
  // and earlier runs on the same stack take some): the sandbox books only the time asked for.
  const time = await freeCheckUpTime(day);
  const since = new Date().toISOString();
  const browser = await launchBrowser();
  try {
    const page = await newDesktopPage(browser);
    await openAs(page, NORTHSIDE_OWNER, "Assistant");
    const panel = page.getByRole("region", { name: "Test call" });
    await panel.getByLabel("The caller says").fill(
      `Hello, I'd like to book a check-up on ${day} at ${time} please`,
    );
    await panel.getByRole("button", { name: "Call" }).click();
    // The conversation grows: the caller's line, then the assistant's answers.
    const transcript = panel.getByRole("list", { name: "Transcript" });
    await transcript.locator("li.caller", { hasText: "check-up" }).waitFor();
    await transcript.locator("li.assistant").first().waitFor();

    // The booking the assistant made, as the agenda reads it.
    const db = serviceClient();
    const booked = await waitFor("the test call's booking", async () => {
      const { data } = await db.from("appointments").select("starts_at, ends_at")
        .eq("organisation_id", NORTHSIDE).eq("source", "voice").eq("status", "booked")
        .gte("created_at", since).limit(1);
      return data?.[0];
    });
    assert.equal(localDateOf(TIME_ZONE, new Date(booked.starts_at)), day);

    const clock = (iso: string) =>
      new Intl.DateTimeFormat("en-GB", { timeZone: TIME_ZONE, hour: "2-digit", minute: "2-digit" })
        .format(new Date(iso));
    await page.goto(`${appUrl()}#/appointments?date=${day}`);
    await page.getByText(`${clock(booked.starts_at)}–${clock(booked.ends_at)}`).first().waitFor();

    // The panel fits a phone too.
    const phone = await newPhonePage(browser, { locale: "en-GB" });
    await openAs(phone, NORTHSIDE_OWNER, "Assistant");
    await phone.getByRole("region", { name: "Test call" }).waitFor();
    assert.equal(await overflow(phone), 0, "the Assistant page is no wider than a phone");
  } finally {
    await browser.close();
  }
});
