// Shared helpers for the integration tests in this folder: the real supabase-js against a
// running stack (the local one from `deno task test`, or any Supabase project), configured
// only through SUPABASE_URL, SUPABASE_ANON_KEY and SUPABASE_SERVICE_ROLE_KEY.
import { createClient, type SupabaseClient } from "@supabase/supabase-js";

export function env(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

export const SUPABASE_URL = env("SUPABASE_URL").replace(/\/+$/, "");
export const ANON_KEY = env("SUPABASE_ANON_KEY");
export const SERVICE_ROLE_KEY = env("SUPABASE_SERVICE_ROLE_KEY");

export const clientOptions = {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
};

/** A client without a session: every request goes as `anon`. */
export const anonClient = (): SupabaseClient => createClient(SUPABASE_URL, ANON_KEY, clientOptions);

/** The service role: bypasses RLS. Only for arranging and checking, never as the subject. */
export const serviceClient = (): SupabaseClient =>
  createClient(SUPABASE_URL, SERVICE_ROLE_KEY, clientOptions);

/** A short random tag for the names and addresses one run creates. */
export const runTag = (): string => crypto.randomUUID().replaceAll("-", "").slice(0, 10);

/** `n` random decimal digits, for phone numbers and provider ids. */
export const randomDigits = (n: number): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => String(b % 10)).join("");

/** `bytes` random bytes as lowercase hex (two characters a byte), for SIDs and tokens. */
export const randomHex = (bytes: number): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0"))
    .join("");

export const TEST_PASSWORD = "correct-horse-battery-1";

export interface TestUser {
  id: string;
  email: string;
  client: SupabaseClient;
  accessToken: string;
}

/** A mail the local Auth "sent": one file in the stack's outbox. */
export interface OutboxMail {
  to: string;
  subject: string;
  text: string;
  link: string;
  sent_at: string;
}

/** Every mail in the outbox: from OUTBOX_DIR when set (the test runner), else the stack's URL. */
export async function readOutbox(): Promise<OutboxMail[]> {
  const dir = Deno.env.get("OUTBOX_DIR");
  if (!dir) {
    const response = await fetch(`${SUPABASE_URL}/_local/outbox`);
    if (!response.ok) throw new Error(`/_local/outbox answered ${response.status}`);
    return await response.json();
  }
  const mails: OutboxMail[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile || !entry.name.endsWith(".json") || entry.name.startsWith(".")) continue;
    mails.push(JSON.parse(await Deno.readTextFile(`${dir}/${entry.name}`)));
  }
  return mails.sort((a, b) => a.sent_at.localeCompare(b.sent_at));
}

/**
 * The newest mail to `to` whose subject matches, waiting for it (Auth may send after it
 * answers). `since`: only mails sent at or after this time.
 */
export async function waitForMail(
  to: string,
  subject: RegExp,
  since = new Date(0),
  timeoutMs = 5000,
): Promise<OutboxMail> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const mail = (await readOutbox()).filter((m) =>
      m.to === to.toLowerCase() && subject.test(m.subject) && new Date(m.sent_at) >= since
    ).at(-1);
    if (mail) return mail;
    if (Date.now() > deadline) {
      throw new Error(`no mail "${subject.source}" to ${to} in the outbox`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Asks `check` every 50 ms until it answers a value, which it returns; throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | false | null | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Mails to `to` (none expected is a result too): after a short wait for stragglers. */
export async function mailsTo(to: string, since: Date, settleMs = 500): Promise<OutboxMail[]> {
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  return (await readOutbox()).filter((m) =>
    m.to === to.toLowerCase() && new Date(m.sent_at) >= since
  );
}

/**
 * Follows a mailed link as a browser would (no API key, no redirects followed) and returns the
 * fragment of the page it lands on: a session (access_token, refresh_token…) or an error.
 */
export async function followLink(link: string): Promise<URLSearchParams> {
  const response = await fetch(link, { redirect: "manual" });
  await response.body?.cancel();
  if (response.status !== 303) throw new Error(`${link} answered ${response.status}, not 303`);
  return new URLSearchParams(response.headers.get("location")!.split("#")[1] ?? "");
}

/** Signs `client` in with the session a followed link carried. */
export async function adoptSession(client: SupabaseClient, fragment: URLSearchParams) {
  const { data, error } = await client.auth.setSession({
    access_token: fragment.get("access_token") ?? "",
    refresh_token: fragment.get("refresh_token") ?? "",
  });
  if (error || !data.session) {
    throw new Error(
      `the link gave no session: ${error?.message ?? fragment.get("error_description")}`,
    );
  }
  return data.session;
}

/**
 * Users signed up through Auth by a test file; `deleteTestUsers` removes them and the
 * organisations they belong to (organisations first: an organisation keeps its last owner).
 */
export class TestUsers {
  readonly created: TestUser[] = [];

  /**
   * Signs up as the dashboard does, then confirms the address the way its owner would: by
   * following the link Auth mailed (confirmations are on). Returns the signed-in user.
   */
  async signUp(email: string, displayName?: string): Promise<TestUser> {
    const client = anonClient();
    const since = new Date(Date.now() - 1000);
    const { data, error } = await client.auth.signUp({
      email,
      password: TEST_PASSWORD,
      options: { data: displayName ? { display_name: displayName } : {} },
    });
    if (error) throw new Error(`sign-up of ${email} failed: ${error.message}`);
    if (!data.user) throw new Error(`sign-up of ${email} returned no user`);
    this.created.push({ id: data.user.id, email, client, accessToken: "" });
    const mail = await waitForMail(email, /confirm your signup/i, since);
    const session = await adoptSession(client, await followLink(mail.link));
    const user = this.created.at(-1)!;
    user.accessToken = session.access_token;
    return user;
  }

  async deleteAll(): Promise<void> {
    if (!this.created.length) return;
    const admin = serviceClient();
    const ids = this.created.map((u) => u.id);
    const { data: memberships, error } = await admin
      .from("organisation_members")
      .select("organisation_id")
      .eq("role", "owner")
      .in("user_id", ids);
    if (error) throw new Error(`cleanup: reading memberships failed: ${error.message}`);
    const orgIds = [...new Set((memberships ?? []).map((m) => m.organisation_id as string))];
    if (orgIds.length) {
      const { error: orgError } = await admin.from("organisations").delete().in("id", orgIds);
      if (orgError) throw new Error(`cleanup: deleting organisations failed: ${orgError.message}`);
    }
    for (const id of ids) {
      const { error: userError } = await admin.auth.admin.deleteUser(id);
      if (userError) throw new Error(`cleanup: deleting user ${id} failed: ${userError.message}`);
    }
    this.created.length = 0;
  }
}

/** The dashboard's way in to the booking operations: POST the booking function with a user's JWT. */
export async function callBooking<T = Record<string, unknown> & { message?: string }>(
  accessToken: string,
  body: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${SUPABASE_URL}/functions/v1/booking`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${accessToken}`,
      apikey: ANON_KEY,
      "content-type": "application/json",
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** Unwraps a supabase-js result or throws with what was being attempted. */
export function must<T>(
  // The second shape is supabase-js's failure variant, whose data is not T (e.g. generateLink).
  result:
    | { data: T | null; error: { message: string; code?: string } | null }
    | { data: unknown; error: { message: string; code?: string } },
  what: string,
): T {
  if (result.error) {
    throw new Error(`${what} failed: ${result.error.message} (${result.error.code ?? "?"})`);
  }
  return result.data as T;
}

/** `psql "$SUPABASE_DB_URL" -v k=v ... -f script`: an operator script in scripts/, as the README runs it. */
export async function runScript(
  script: string,
  vars: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = ["-X", env("SUPABASE_DB_URL")];
  for (const [k, v] of Object.entries(vars)) args.push("-v", `${k}=${v}`);
  args.push("-f", script);
  const out = await new Deno.Command("psql", { args, stdout: "piped", stderr: "piped" }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
