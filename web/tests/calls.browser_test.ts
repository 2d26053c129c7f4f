// Calls: a receptionist (a member) filters the clinic's calls, opens one with its transcript,
// recording, the appointment it booked and the caller's page, and works a callback task, on a
// desktop and on a 390 px phone, no page wider than the screen. The calls are written as the
// voice functions write them (service role). Headless Chromium against a running stack.
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { addDays, localDateOf, zonedDateTimeToInstant } from "@frontdesk/domain/opening_hours.ts";
import {
  apiClientAs,
  appUrl,
  clinicOpenDaily,
  goTo,
  launchBrowser,
  newDesktopPage,
  newPhonePage,
  overflow,
  serviceClient,
  signIn,
} from "./browser.ts";
import { waitFor } from "../../supabase/tests/api/_helpers.ts";

const TIME_ZONE = "Europe/London";

function must<T>(
  answer: { data: T; error: { message: string } | null },
  what: string,
): NonNullable<T> {
  if (answer.error) throw new Error(`${what}: ${answer.error.message}`);
  return answer.data!;
}

/** A clinic with three calls: Cara booked tomorrow's 10:00, a stranger hung up, Tom left a message. */
async function clinicWithCalls() {
  const { team, organisationId, owner } = await clinicOpenDaily("calls", TIME_ZONE);
  const db = serviceClient();
  const org = { organisation_id: organisationId };
  const hale = must(
    await owner.from("practitioners").insert({ ...org, display_name: "Dr Hale", position: 1 })
      .select("id").single(),
    "practitioner",
  );
  const checkUp = must(
    await owner.from("services").insert({ ...org, name: "Check-up", duration_minutes: 30 })
      .select("id").single(),
    "service",
  );
  const cara = must(
    await db.from("contacts").insert({ ...org, name: "Cara Caller", phone: "+447911123321" })
      .select("id").single(),
    "contact",
  );
  const tomorrow = addDays(localDateOf(TIME_ZONE, new Date()), 1);
  const startsAt = zonedDateTimeToInstant(TIME_ZONE, tomorrow, "10:00");
  const appointment = must(
    await db.from("appointments").insert({
      ...org,
      practitioner_id: hale.id,
      service_id: checkUp.id,
      contact_id: cara.id,
      starts_at: startsAt.toISOString(),
      ends_at: new Date(startsAt.getTime() + 30 * 60_000).toISOString(),
      source: "voice",
    }).select("id").single(),
    "appointment",
  );
  const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
  const call = (id: string, minutesAgo: number, seconds: number, row: Record<string, unknown>) => ({
    ...org,
    vapi_call_id: `browser-${crypto.randomUUID()}-${id}`,
    to_e164: "+442079460999",
    status: "ended",
    answered_by: "assistant",
    started_at: ago(minutesAgo),
    ended_at: new Date(Date.parse(ago(minutesAgo)) + seconds * 1000).toISOString(),
    created_at: ago(minutesAgo),
    // One insert of several rows sends every column named by any of them.
    transcript: [],
    summary: null,
    recording_url: null,
    contact_id: null,
    ...row,
  });
  const [booked, abandoned, message] = must(
    await db.from("calls").insert([
      call("booked", 60, 125, {
        contact_id: cara.id,
        from_e164: "+447911123321",
        outcome: "booked",
        summary: "Cara booked a check-up for tomorrow at 10:00.",
        recording_url: "https://storage.vapi.ai/browser-test.wav",
        transcript: [
          { role: "assistant", text: "Good morning, this is Emma. How can I help?" },
          { role: "user", text: "I'd like a check-up tomorrow at ten." },
          { role: "tool", text: "book_appointment" },
          { role: "assistant", text: "Booked: tomorrow at 10:00 with Dr Hale." },
        ],
      }),
      call("abandoned", 3 * 24 * 60, 5, { from_e164: "+447911123654", outcome: "abandoned" }),
      call("message", 120, 70, {
        from_e164: "+447911123987",
        outcome: "message_taken",
        summary: "Tom wants a call back about his bill.",
      }),
    ]).select("id"),
    "calls",
  );
  must(
    await db.from("call_appointments").insert({
      ...org,
      call_id: booked.id,
      appointment_id: appointment.id,
      action: "booked",
    }),
    "call's appointment",
  );
  const task = must(
    await db.from("callback_tasks").insert({
      ...org,
      call_id: message.id,
      kind: "message",
      caller_name: "Tom Message",
      callback_e164: "+447911123987",
      reason: "Questions about his bill.",
    }).select("id").single(),
    "callback task",
  );
  return { team, organisationId, tomorrow, bookedId: booked.id, abandonedId: abandoned.id, task };
}

async function noOverflow(page: Page, where: string) {
  assert.equal(await overflow(page), 0, `${where} is no wider than the screen`);
}

Deno.test("calls: filters, a call with its transcript and recording, a callback marked done", async (t) => {
  const { team, tomorrow, bookedId, task } = await clinicWithCalls();
  const member = await apiClientAs(team.member);
  const memberId = (await member.auth.getUser()).data.user!.id;
  const browser = await launchBrowser();
  try {
    for (
      const [viewport, open] of [
        ["desktop", newDesktopPage],
        ["phone", (b: Browser) => newPhonePage(b, { locale: "en-GB" })],
      ] as const
    ) {
      await t.step(`on a ${viewport}`, async () => {
        const page = await open(browser);
        await page.goto(appUrl());
        await signIn(page, team.member);
        // The overview counts the callers waiting and shows the latest (the phone comes after
        // the desktop has marked Tom's done).
        if (viewport === "desktop") {
          await page.getByText("1 caller waiting for a call back.").waitFor();
          await page.getByRole("list", { name: "Latest callback" }).getByText("Tom Message")
            .waitFor();
        } else await page.getByText("Nobody is waiting for a call back.").waitFor();
        await goTo(page, "Calls");
        const calls = page.getByRole("list", { name: "Calls" });
        await calls.getByRole("listitem").nth(2).waitFor();
        assert.equal(await calls.getByRole("listitem").count(), 3);
        // The caller's name when known, else the number; the outcome as a chip; the length.
        await calls.getByRole("link", { name: "Cara Caller" }).waitFor();
        await calls.getByRole("link", { name: "+44 7911 123654" }).waitFor();
        await calls.getByText("Abandoned").waitFor();
        await calls.getByText("2:05").waitFor();
        await noOverflow(page, "the calls list");

        // Outcome filter: in the address, only the booking call left.
        await page.getByLabel("Outcome").selectOption("message_taken");
        await page.waitForURL(/#\/calls\?.*outcome=message_taken/);
        const cara = calls.getByRole("link", { name: "Cara Caller" });
        await cara.waitFor({ state: "detached" });
        await calls.getByRole("link", { name: "+44 7911 123987" }).waitFor();
        assert.equal(await calls.getByRole("listitem").count(), 1);
        await page.getByLabel("Outcome").selectOption("");
        await cara.waitFor();
        // The caller typed as dialled nationally.
        await page.getByLabel("Caller's number").fill("07911 123654");
        await page.getByRole("button", { name: "Filter" }).click();
        await page.waitForURL(/caller=447911123654/);
        await cara.waitFor({ state: "detached" });
        await calls.getByRole("link", { name: "+44 7911 123654" }).waitFor();
        assert.equal(await calls.getByRole("listitem").count(), 1);
        // A day without calls (tomorrow) is empty, in words.
        await page.goto(`${appUrl()}#/calls?date=${tomorrow}`);
        await page.getByText("No call matches these filters.").waitFor();

        // The call's page: the conversation, the recording, the appointment, a way to call back.
        await page.goto(`${appUrl()}#/calls`);
        await cara.click();
        await page.waitForURL(new RegExp(`#/calls/${bookedId}$`));
        await page.getByRole("heading", { name: "Call from Cara Caller" }).waitFor();
        const transcript = page.getByRole("list", { name: "Transcript" });
        await transcript.getByText("I'd like a check-up tomorrow at ten.").waitFor();
        assert.equal(await transcript.getByRole("listitem").count(), 3, "tool lines are not said");
        assert.equal(
          await transcript.locator("li.caller").textContent(),
          "Caller: I'd like a check-up tomorrow at ten.",
        );
        await page.getByText("Cara booked a check-up for tomorrow at 10:00.").waitFor();
        assert.equal(
          await page.locator("audio").getAttribute("src"),
          "https://storage.vapi.ai/browser-test.wav",
        );
        assert.ok(await page.locator("audio").getAttribute("controls") !== null);
        assert.equal(
          await page.getByRole("link", { name: "Call back" }).getAttribute("href"),
          "tel:+447911123321",
        );
        const made = page.getByRole("list", { name: "Appointments from this call" });
        await made.getByText("Check-up · Dr Hale").waitFor();
        assert.match(
          (await made.getByRole("link").getAttribute("href"))!,
          new RegExp(`^#/appointments\\?date=${tomorrow}$`),
        );
        await noOverflow(page, "the call's page");

        // The caller's contact page lists their calls.
        await page.getByRole("link", { name: "contact", exact: true }).click();
        await page.getByRole("heading", { name: "Cara Caller" }).waitFor();
        await page.getByRole("region", { name: "Calls" }).getByRole("link", { name: "Cara Caller" })
          .waitFor();
        await noOverflow(page, "the contact's page");

        // The callbacks on the Calls page: the desktop takes Tom's and marks it done; the phone
        // finds it under Done and reopens it.
        await goTo(page, "Calls");
        const tasks = page.getByRole("list", { name: "Callback tasks" });
        const tom = page.getByRole("listitem", { name: "Callback for Tom Message" });
        if (viewport === "desktop") {
          await tom.getByRole("button", { name: "Assign to me" }).click();
          await tom.getByText("assigned to you").waitFor();
          await page.getByLabel("Assigned to me").check();
          await tom.waitFor();
          await tom.getByRole("button", { name: "Mark done" }).click();
          await page.getByText("Marked done.").waitFor();
          const saved = must(
            await member.from("callback_tasks").select("status, assigned_to, done_by")
              .eq("id", task.id).single(),
            "task",
          );
          assert.deepEqual(saved, { status: "done", assigned_to: memberId, done_by: memberId });
        } else {
          await page.getByText("Nobody is waiting for a call back.").waitFor();
          await page.getByLabel("Show").selectOption("done");
          await tom.getByRole("button", { name: "Reopen" }).click();
          await page.getByText("Reopened.").waitFor();
          const saved = must(
            await member.from("callback_tasks").select("status, done_by").eq("id", task.id)
              .single(),
            "task",
          );
          assert.deepEqual(saved, { status: "open", done_by: null });
        }
        assert.ok(await tasks.count() <= 1);
        await noOverflow(page, "the callbacks");
        await page.context().close();
      });
    }
  } finally {
    await browser.close();
  }
});

Deno.test("calls: a number that failed to connect to the assistant says why; owners retry", async () => {
  const { team, organisationId, owner } = await clinicOpenDaily("voice", TIME_ZONE);
  const db = serviceClient();
  const account = must(
    await owner.from("twilio_accounts").insert({
      organisation_id: organisationId,
      account_sid: `AC${crypto.randomUUID().replaceAll("-", "")}`,
      label: "Main",
    }).select("id").single(),
    "Twilio account",
  );
  const e164 = `+4420794${String(Math.floor(Math.random() * 1e5)).padStart(5, "0")}`;
  const number = must(
    await owner.from("phone_numbers").insert({
      organisation_id: organisationId,
      twilio_account_id: account.id,
      e164,
      voice_enabled: true,
    }).select("id").single(),
    "phone number",
  );
  // The connect job fails at once (the account has no auth token); then the test fails the
  // number for a reason of its own.
  await waitFor("the connect job's failure", async () => {
    const { data } = await db.from("phone_numbers").select("voice_connection")
      .eq("id", number.id).single();
    return data?.voice_connection === "failed";
  });
  must(
    await db.from("phone_numbers").update({
      voice_connection: "failed",
      voice_connection_error: "Vapi refused the Twilio credentials",
    }).eq("id", number.id),
    "failing the connection",
  );
  const browser = await launchBrowser();
  try {
    const page = await newPhonePage(browser, { locale: "en-GB" });
    await page.goto(appUrl());
    await signIn(page, team.owner);
    await page.goto(`${appUrl()}#/channels/phone-numbers`);
    await page.getByText(
      "Calls could not be connected to the assistant: Vapi refused the Twilio credentials.",
    ).waitFor();
    await page.getByRole("button", { name: "Retry" }).click();
    // Pending again, and failed anew by the job for its own reason.
    await page.getByText("Vapi refused the Twilio credentials").waitFor({ state: "detached" });
    // The page reads again while connecting, so the job's answer shows without a reload.
    await page.getByText(/has no auth token; add it under Channels, then Retry/).waitFor();
    const saved = must(
      await owner.from("phone_numbers").select("voice_connection, voice_connection_error")
        .eq("id", number.id).single(),
      "number",
    );
    assert.equal(saved.voice_connection, "failed");
    assert.match(saved.voice_connection_error!, /has no auth token/);
    assert.equal(await overflow(page), 0, "the numbers are no wider than a phone");
    await page.context().close();
  } finally {
    await browser.close();
  }
});
