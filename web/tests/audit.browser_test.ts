// The audit log in words: team and configuration changes made through the API by an
// owner and an admin read as sentences naming who did what, on desktop and on a phone, and the
// filters narrow them by area.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  apiClientAs,
  appUrl,
  createClinicWithTeam,
  goTo,
  launchBrowser,
  newPhonePage,
  overflow,
  randomEmail,
  signIn,
} from "./browser.ts";

function must<T = unknown>(
  result: { data: unknown; error: { message: string } | null },
  what: string,
): T {
  if (result.error) throw new Error(`${what} failed: ${result.error.message}`);
  return result.data as T;
}

Deno.test("audit log: team and configuration changes in words, filtered by area", async (t) => {
  const tag = crypto.randomUUID().slice(0, 8);
  const owner = {
    name: "Olga Owner",
    email: randomEmail("audit-owner"),
    password: "pw-owner-1234",
  };
  const admin = {
    name: "Adam Admin",
    email: randomEmail("audit-admin"),
    password: "pw-admin-1234",
  };
  const member = {
    name: "Mia Member",
    email: randomEmail("audit-member"),
    password: "pw-member-123",
  };
  const organisationId = await createClinicWithTeam(
    { name: `Audit Clinic ${tag}`, timezone: "Europe/London" },
    { owner, admin, member },
  );
  const invitee = randomEmail("audit-invitee");

  const asOwner = await apiClientAs(owner);
  const asAdmin = await apiClientAs(admin);
  const memberId = must<{ id: string }>(
    await asOwner.from("profiles").select("id").eq("display_name", member.name).single(),
    "reading the member",
  ).id;
  must(
    await asOwner.rpc("update_member_role", {
      organisation_id: organisationId,
      user_id: memberId,
      role: "admin",
    }),
    "changing a role",
  );
  const hours = must<{ id: string }>(
    await asAdmin.from("working_hours").insert({
      organisation_id: organisationId,
      weekday: 2,
      opens: "09:00",
      closes: "17:00",
    }).select("id").single(),
    "adding hours",
  );
  must(
    await asAdmin.from("working_hours").update({ closes: "18:00" }).eq("id", hours.id),
    "changing hours",
  );
  must(
    await asAdmin.from("faq_entries").insert({
      organisation_id: organisationId,
      question: "Is there parking?",
      answer: "Yes, behind the building.",
      language: "en",
    }),
    "adding an FAQ entry",
  );
  must(
    await asOwner.from("assistant_settings").update({ tone: "warm" }).eq(
      "organisation_id",
      organisationId,
    ),
    "changing the tone",
  );
  must(
    await asAdmin.rpc("invite_member", {
      organisation_id: organisationId,
      email: invitee,
      role: "member",
    }),
    "inviting",
  );

  const sentences = [
    "Olga Owner changed the role of Mia Member from member to admin",
    "Adam Admin added opening hours (Tuesday 09:00–17:00)",
    "Adam Admin changed opening hours (Tuesday)",
    "Adam Admin added the FAQ entry “Is there parking?”",
    "Olga Owner changed the assistant's tone",
    `Adam Admin invited ${invitee} as member`,
    "Mia Member joined as member",
  ];

  const browser = await launchBrowser();
  try {
    const desktop = await (await browser.newContext({ viewport: { width: 1280, height: 800 } }))
      .newPage();
    const phone = await newPhonePage(browser);

    for (
      const [label, page, user] of [["desktop", desktop, owner], ["phone", phone, admin]] as const
    ) {
      await t.step(`${label}: every change reads as a sentence, with what changed`, async () => {
        await page.goto(appUrl());
        await signIn(page, user);
        await openAudit(page);
        const log = page.getByRole("region", { name: "Audit log" });
        for (const sentence of sentences) await log.getByText(sentence, { exact: true }).waitFor();
        await log.getByRole("listitem").filter({ hasText: "changed opening hours (Tuesday)" })
          .getByText("Closes: 17:00 → 18:00").waitFor();
        await log.getByRole("listitem").filter({ hasText: "changed the assistant's tone" })
          .getByText("Tone: friendly → warm").waitFor();
        const shown = await log.innerText();
        assert.doesNotMatch(shown, /\b[a-z_]+\.(created|updated|deleted|role_changed|added|set)\b/);
        // Nothing is wider than the phone's screen.
        assert.equal(await overflow(page), 0, "wider than the screen");
      });
    }

    await t.step("the filters narrow the log by area", async () => {
      const log = desktop.getByRole("region", { name: "Audit log" });
      await desktop.getByLabel("Show").selectOption({ label: "Team" });
      await log.getByText("Adam Admin changed opening hours (Tuesday)").waitFor({
        state: "detached",
      });
      await log.getByText(sentences[0], { exact: true }).waitFor();
      await log.getByText(`Adam Admin invited ${invitee} as member`).waitFor();
      assert.equal(await log.getByRole("listitem").filter({ hasText: "opening hours" }).count(), 0);

      // The filter is in the address: a reload keeps it.
      assert.match(desktop.url(), /#\/audit\?show=team$/);
      await desktop.reload();
      await log.getByText(`Adam Admin invited ${invitee} as member`).waitFor();
      assert.equal(await desktop.getByLabel("Show").inputValue(), "team");
      assert.equal(await log.getByRole("listitem").filter({ hasText: "opening hours" }).count(), 0);

      await desktop.getByLabel("Show").selectOption({ label: "Opening hours and closures" });
      await log.getByText(sentences[0]).waitFor({ state: "detached" });
      await log.getByText("Adam Admin changed opening hours (Tuesday)").waitFor();
      assert.equal(
        await log.getByRole("listitem").filter({ hasText: "changed the role" }).count(),
        0,
      );

      await desktop.getByLabel("Show").selectOption({ label: "Credentials" });
      await log.getByText("Nothing recorded yet.").waitFor();
    });

    await t.step("older entries come a page at a time, none twice, none left out", async () => {
      // 55 more changes: more than a page (50), written in the same second or so.
      for (let i = 1; i <= 55; i++) {
        must(
          await asAdmin.from("assistant_settings").update({ assistant_name: `Reception ${i}` })
            .eq("organisation_id", organisationId),
          "renaming the assistant",
        );
      }
      const log = desktop.getByRole("region", { name: "Audit log" });
      await desktop.getByLabel("Show").selectOption({ label: "All changes" });
      await log.getByText(/Reception 55/).first().waitFor();
      const entries = log.getByRole("listitem");
      assert.equal(await entries.count(), 50);
      const total = must<unknown[]>(
        await asOwner.from("audit_log").select("id").eq("organisation_id", organisationId),
        "counting the log",
      ).length;
      await log.getByRole("button", { name: "Older" }).click();
      await log.getByRole("button", { name: "Older" }).waitFor({ state: "detached" });
      const shown = await entries.allInnerTexts();
      assert.equal(shown.length, total);
      // Newest first, so the first renaming is the last of them on the page.
      const renamings = shown.filter((text) => /Reception \d+/.test(text));
      assert.equal(renamings.length, 55);
      assert.match(renamings[0], /Reception 55\b/);
      assert.match(renamings.at(-1)!, /Reception 1\b/);
    });
  } finally {
    await browser.close();
  }
});

async function openAudit(page: Page) {
  await goTo(page, "Audit log");
  await page.getByRole("heading", { name: "Audit log", exact: true }).waitFor();
}
