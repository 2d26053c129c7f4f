// Shared by the browser tests: headless Debian Chromium through playwright-core, pointed at a
// running stack. APP_URL is where the stack serves the app, with Supabase Auth at the same origin.
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import {
  type Browser,
  type BrowserContextOptions,
  chromium,
  type Locator,
  type Page,
} from "playwright-core";

export function appUrl(): string {
  const url = Deno.env.get("APP_URL");
  if (!url) throw new Error("APP_URL is not set: start the local stack and point APP_URL at it");
  return url;
}

export async function launchBrowser(): Promise<Browser> {
  return await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-quic",
      "--disable-sync",
    ],
  });
}

/**
 * A phone-sized page of its own (own storage, so its own signed-in user): the dashboard has to work
 * there. `options` sets more of the browser's context, e.g. its time zone.
 */
export async function newPhonePage(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await browser.newContext({ ...options, viewport: { width: 390, height: 844 } });
  return await context.newPage();
}

/** A desktop-sized page of its own (1280 × 800, en-GB), as newPhonePage. */
export async function newDesktopPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: "en-GB",
  });
  return await context.newPage();
}

/** How far the page reaches past the viewport's right edge, in CSS pixels (0: nothing does). */
export async function overflow(page: Page): Promise<number> {
  return await page.evaluate(() =>
    Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth)
  );
}

export function randomEmail(prefix: string): string {
  return `${prefix}-${crypto.randomUUID()}@example.com`;
}

/** An owner, an admin and a member to be, with fresh addresses (for createClinicWithTeam). */
export function newTeam(prefix: string) {
  const user = (role: string) => ({
    name: `${role} Person`,
    email: randomEmail(`${prefix}-${role}`),
    password: `pw-${role}-1234`,
  });
  return { owner: user("owner"), admin: user("admin"), member: user("member") };
}

/**
 * The link in the newest mail to `to` whose subject matches, waiting for it: from the stack's
 * outbox (OUTBOX_DIR when the test runner sets it, else /_local/outbox).
 */
export async function mailedLink(to: string, subject: RegExp, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const mails = (await readOutbox()).filter((m) =>
      m.to === to.toLowerCase() && subject.test(m.subject)
    );
    if (mails.length) return mails.sort((a, b) => a.sent_at.localeCompare(b.sent_at)).at(-1)!.link;
    if (Date.now() > deadline) throw new Error(`no mail "${subject.source}" to ${to}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

type Mail = { to: string; subject: string; link: string; sent_at: string };

async function readOutbox(): Promise<Mail[]> {
  const dir = Deno.env.get("OUTBOX_DIR");
  if (!dir) return await (await fetch(new URL("/_local/outbox", appUrl()))).json();
  const mails: Mail[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".json") && !entry.name.startsWith(".")) {
      mails.push(JSON.parse(await Deno.readTextFile(`${dir}/${entry.name}`)));
    }
  }
  return mails;
}

/**
 * From the sign-in page: switches to "create an account", creates it, and confirms the address
 * by opening the mailed link, which lands signed in.
 */
export async function signUp(page: Page, user: { name: string; email: string; password: string }) {
  await page.getByRole("button", { name: "Create an account" }).click();
  await page.getByLabel("Your name").fill(user.name);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Create account", exact: true }).click();
  await page.getByRole("heading", { name: "Check your mail" }).waitFor();
  await page.goto(await mailedLink(user.email, /confirm your signup/i));
  await signedIn(page, user.email);
}

/** Waits until the shell shows who is signed in (on a phone that is inside the folded menu). */
export async function signedIn(page: Page, email: string) {
  await page.getByRole("banner").getByText(email).waitFor({ state: "attached" });
}

/** Opens the dashboard's menu where it is folded away (a phone); a desktop's sidebar is always open. */
export async function openMenu(page: Page) {
  const menu = page.getByRole("banner").getByRole("button", { name: "Menu", exact: true });
  await page.getByRole("banner").waitFor();
  if (await menu.isVisible() && (await menu.getAttribute("aria-expanded")) !== "true") {
    await menu.click();
  }
}

/** Follows one of the shell's links ("Team", "Profile"), through the menu on a phone. */
export async function goTo(page: Page, name: string) {
  await openMenu(page);
  await page.getByRole("banner").getByRole("link", { name, exact: true }).click();
}

export async function signOut(page: Page) {
  await openMenu(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in to Frontdesk" }).waitFor();
}

/** From the sign-in page: signs in an existing account. */
export async function signIn(page: Page, user: { email: string; password: string }) {
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await signedIn(page, user.email);
}

/** Opens the app on `page`, signs in an existing account and goes to the menu's page `name`. */
export async function openAs(page: Page, user: { email: string; password: string }, name: string) {
  await page.goto(appUrl());
  await signIn(page, user);
  await goTo(page, name);
}

/** The seed's demo clinic Northside (supabase/seed.sql) and its owner's sign-in. */
export const NORTHSIDE = "10000000-0000-4000-8000-000000000001";
export const NORTHSIDE_OWNER = { email: "owner@northside.test", password: "frontdesk-demo" };

/** A supabase-js client signed in as an existing account, for checking rows behind the page. */
export async function apiClientAs(
  user: { email: string; password: string },
): Promise<SupabaseClient> {
  const { anonKey } = await (await fetch(new URL("/config.json", appUrl()))).json();
  const client = createClient(new URL(appUrl()).origin, anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
  const { error } = await client.auth.signInWithPassword(user);
  if (error) throw new Error(`signing in ${user.email} failed: ${error.message}`);
  return client;
}

/** A supabase-js client with the service role, to write rows as service code does (calls, tasks). */
export function serviceClient(): SupabaseClient {
  const key = Deno.env.get("SUPABASE_SERVICE_ROLE_KEY");
  if (!key) throw new Error("SUPABASE_SERVICE_ROLE_KEY is not set");
  return createClient(new URL(appUrl()).origin, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
}

/**
 * Creates an account through Auth's API, as the sign-up form would (quicker where the form is not
 * what a test is about), and returns a supabase-js client signed in as it. The app's /config.json
 * gives the anon key, so only APP_URL is needed.
 */
export async function createUser(
  user: { name: string; email: string; password: string },
): Promise<SupabaseClient> {
  const response = await fetch(new URL("/config.json", appUrl()));
  const { anonKey } = await response.json();
  const client = createClient(new URL(appUrl()).origin, anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
  const { data, error } = await client.auth.signUp({
    email: user.email,
    password: user.password,
    options: { data: { display_name: user.name } },
  });
  if (error) throw new Error(`sign-up of ${user.email} failed: ${error.message}`);
  if (data.session) return client;
  // Confirmations on: the mailed link is what signs in (a browser follows its redirect).
  const link = await mailedLink(user.email, /confirm your signup/i);
  const opened = await fetch(link, { redirect: "manual" });
  await opened.body?.cancel();
  const fragment = new URLSearchParams(opened.headers.get("location")?.split("#")[1] ?? "");
  const signedIn = await client.auth.setSession({
    access_token: fragment.get("access_token") ?? "",
    refresh_token: fragment.get("refresh_token") ?? "",
  });
  if (signedIn.error) throw new Error(`confirming ${user.email} failed: ${signedIn.error.message}`);
  return client;
}

type User = { name: string; email: string; password: string };

/**
 * A clinic and its team, made through the API (the team pages have their own browser test): the
 * owner creates it and invites the others, who accept by signing up with the invited address.
 * Returns the organisation's id.
 */
export async function createClinicWithTeam(
  clinic: { name: string; timezone: string; languages?: string[]; default_language?: string },
  team: { owner: User; admin: User; member: User },
): Promise<string> {
  const ownerClient = await createUser(team.owner);
  const created = await ownerClient.rpc("create_organisation", clinic);
  if (created.error) throw new Error(`creating ${clinic.name} failed: ${created.error.message}`);
  const organisationId: string = created.data.id;
  for (const [user, role] of [[team.admin, "admin"], [team.member, "member"]] as const) {
    const invited = await ownerClient.rpc("invite_member", {
      organisation_id: organisationId,
      email: user.email,
      role,
    });
    if (invited.error) throw new Error(`inviting ${user.email} failed: ${invited.error.message}`);
    await createUser(user);
  }
  return organisationId;
}

/**
 * A clinic open every day 08:00–20:00 with a fresh team (createClinicWithTeam; its name and the
 * team's addresses start with `prefix`), and its owner signed in through the API for arranging
 * more.
 */
export async function clinicOpenDaily(prefix: string, timezone: string) {
  const team = newTeam(prefix);
  const organisationId = await createClinicWithTeam(
    { name: `${prefix} ${crypto.randomUUID().slice(0, 8)}`, timezone },
    team,
  );
  const owner = await apiClientAs(team.owner);
  const hours = await owner.from("working_hours").insert(
    [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
      organisation_id: organisationId,
      weekday,
      opens: "08:00",
      closes: "20:00",
    })),
  );
  if (hours.error) throw new Error(`opening ${prefix} every day failed: ${hours.error.message}`);
  return { team, organisationId, owner };
}

/** Signs `user` in on a fresh page and opens the agenda at the next day, `tomorrow`. */
export async function openAgendaTomorrow(
  page: Page,
  user: { email: string; password: string },
  tomorrow: string,
) {
  await page.goto(appUrl());
  await signIn(page, user);
  await goTo(page, "Appointments");
  await page.getByRole("heading", { name: "Appointments", level: 1 }).waitFor();
  await page.getByRole("link", { name: "Next day" }).click();
  await page.waitForURL(new RegExp(`date=${tomorrow}`));
}

/** A patient's appointment in the agenda. */
export const appointmentOf = (page: Page, name: string): Locator =>
  page.getByRole("listitem").filter({ has: page.getByRole("link", { name, exact: true }) });

/** Picks a free time in a slot picker. */
export async function pickTime(scope: Locator, time: string) {
  await scope.getByRole("group", { name: "Free times" }).getByRole("button", {
    name: time,
    exact: true,
  }).click();
}

/**
 * From the agenda: books `time` for a new patient through the New appointment form, with
 * `practitioner` chosen first if given. Answers the patient's appointment in the agenda.
 */
export async function bookNewPatient(
  page: Page,
  booking: { time: string; name: string; phone: string; practitioner?: string },
): Promise<Locator> {
  await page.getByRole("button", { name: "New appointment" }).click();
  const form = page.getByRole("region", { name: "New appointment" });
  if (booking.practitioner) {
    await form.getByLabel("Practitioner").selectOption({ label: booking.practitioner });
  }
  await pickTime(form, booking.time);
  await form.getByRole("button", { name: "New patient" }).click();
  await form.getByLabel("Patient's name").fill(booking.name);
  await form.getByLabel("Patient's phone").fill(booking.phone);
  await form.getByRole("button", { name: "Use this patient" }).click();
  await form.getByRole("button", { name: "Book appointment" }).click();
  return appointmentOf(page, booking.name);
}
