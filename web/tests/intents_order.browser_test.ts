// Reordering intents: a move shows at once and is saved as the whole order in one call; a move
// the database refuses (the list changed meanwhile) is put back, said in words, and the page
// shows the list as it now is. Headless Chromium against a running stack (see browser.ts).
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { appUrl, createUser, launchBrowser, newPhonePage, randomEmail, signIn } from "./browser.ts";

Deno.test("intents: moved in one call, a refused move put back with the reason", async (t) => {
  const owner = {
    name: "Olga Owner",
    email: randomEmail("order-owner"),
    password: "pw-owner-1234",
  };
  const client = await createUser(owner);
  const created = await client.rpc("create_organisation", {
    name: `Order ${crypto.randomUUID().slice(0, 8)}`,
    timezone: "Europe/London",
  });
  if (created.error) throw new Error(created.error.message);
  const organisationId: string = created.data.id;
  const add = async (name: string, position: number) => {
    const { error } = await client.from("intents").insert({
      organisation_id: organisationId,
      name,
      position,
      example_phrases: [`About ${name}`],
      responses: { en: `${name}: yes.` },
    });
    if (error) throw new Error(error.message);
  };
  await add("Booking", 1);
  await add("Parking", 2);
  await add("Prices", 3);

  const browser = await launchBrowser();
  try {
    const page = await newPhonePage(browser);
    await page.goto(appUrl());
    await signIn(page, owner);
    await page.goto(`${appUrl()}#/assistant/intents`);
    await page.getByRole("listitem").filter({ hasText: "Prices" }).waitFor();
    assert.deepEqual(await names(page), ["Booking", "Parking", "Prices"]);

    await t.step("moving an intent up saves the new order", async () => {
      // The request is held until the page has been looked at: the move shows before the answer.
      let release!: () => void;
      const looked = new Promise<void>((resolve) => release = resolve);
      await page.route("**/rest/v1/rpc/reorder_intents", async (route) => {
        await looked;
        await route.continue();
      });
      const saved = page.waitForResponse(/\/rpc\/reorder_intents/);
      await item(page, "Prices").getByRole("button", { name: "Move up" }).click();
      assert.deepEqual(await names(page), ["Booking", "Prices", "Parking"]);
      release();
      assert.equal((await saved).status(), 204);
      await page.unroute("**/rest/v1/rpc/reorder_intents");
      await page.reload();
      await page.getByRole("listitem").filter({ hasText: "Prices" }).waitFor();
      assert.deepEqual(await names(page), ["Booking", "Prices", "Parking"]);
      const { data } = await client.from("intents").select("name, position").order("position");
      assert.deepEqual(data, [
        { name: "Booking", position: 1 },
        { name: "Prices", position: 2 },
        { name: "Parking", position: 3 },
      ]);
    });

    await t.step("a move over a list that changed meanwhile is refused and put back", async () => {
      await add("Opening hours", 0); // another tab adds one; this page does not know it yet
      await item(page, "Booking").getByRole("button", { name: "Move down" }).click();
      await item(page, "Booking").getByRole("alert")
        .getByText("The new order must list each of the clinic's intents exactly once.")
        .waitFor();
      // Nothing was half applied, and the page now shows the list as the database has it.
      await item(page, "Opening hours").waitFor();
      assert.deepEqual(await names(page), ["Opening hours", "Booking", "Prices", "Parking"]);
      const { data } = await client.from("intents").select("name").eq("position", 1);
      assert.deepEqual(data, [{ name: "Booking" }]);
    });
  } finally {
    await browser.close();
  }
});

function item(page: Page, name: string) {
  return page.getByRole("listitem").filter({
    has: page.getByText(name, { exact: true }),
  });
}

/** The intents' names as the page lists them. */
async function names(page: Page): Promise<string[]> {
  return await page.locator("ol.list > li strong").allTextContents();
}
