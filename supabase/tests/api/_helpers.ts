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

export const TEST_PASSWORD = "correct-horse-battery-1";

export interface TestUser {
  id: string;
  email: string;
  client: SupabaseClient;
  accessToken: string;
}

/**
 * Users signed up through Auth by a test file; `deleteTestUsers` removes them and the
 * organisations they belong to (organisations first: an organisation keeps its last owner).
 */
export class TestUsers {
  readonly created: TestUser[] = [];

  async signUp(email: string, displayName?: string): Promise<TestUser> {
    const client = anonClient();
    const { data, error } = await client.auth.signUp({
      email,
      password: TEST_PASSWORD,
      options: { data: displayName ? { display_name: displayName } : {} },
    });
    if (error) throw new Error(`sign-up of ${email} failed: ${error.message}`);
    if (!data.user || !data.session) {
      throw new Error(`sign-up of ${email} returned no session (is mailer autoconfirm on?)`);
    }
    const user = { id: data.user.id, email, client, accessToken: data.session.access_token };
    this.created.push(user);
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

/** Unwraps a supabase-js result or throws with what was being attempted. */
export function must<T>(
  result: { data: T | null; error: { message: string; code?: string } | null },
  what: string,
): T {
  if (result.error) {
    throw new Error(`${what} failed: ${result.error.message} (${result.error.code ?? "?"})`);
  }
  return result.data as T;
}
