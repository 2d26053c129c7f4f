// The dashboard hosted apart from the API, as in production: static files on one origin, a
// config.json there naming the project's API URL. Signing in, reading data and the webhook URLs
// it shows all go to that API, never to the origin the app came from.
import assert from "node:assert/strict";
import { appUrl, launchBrowser, signIn } from "./browser.ts";

Deno.test("dashboard: hosted on its own origin, it talks to the API config.json names", async () => {
  const api = new URL(appUrl()).origin;
  const { anonKey } = await (await fetch(new URL("/config.json", api))).json();
  const apiPaths = /^\/(rest|auth|functions)\/v1(\/|$)/;
  const askedHere: string[] = [];
  // A static host: the app's files (fetched from the stack's build) and its own config.json;
  // it has no API, so a request the app sends here instead of to the API fails.
  const host = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const { pathname } = new URL(req.url);
    if (apiPaths.test(pathname)) {
      askedHere.push(pathname);
      return new Response("no API here", { status: 404 });
    }
    if (pathname === "/config.json") return Response.json({ supabaseUrl: api, anonKey });
    const file = await fetch(new URL(pathname, api));
    return new Response(file.body, { status: file.status, headers: file.headers });
  });
  const hosted = `http://127.0.0.1:${host.addr.port}`;
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(`${hosted}/`);
    await signIn(page, { email: "owner@northside.test", password: "frontdesk-demo" });
    await page.getByRole("heading", { name: "Northside Dental" }).first().waitFor();
    await page.goto(`${hosted}/#/channels`);
    await page.getByText(`${api}/functions/v1/whatsapp/apps/`).first().waitFor();
    assert.equal(
      await page.getByText(`${hosted}/functions/v1/`).count(),
      0,
      "no webhook URL names the dashboard's own origin",
    );
    assert.deepEqual(askedHere, [], "the app sent no API request to the origin it came from");
  } finally {
    await browser.close();
    await host.shutdown();
  }
});
