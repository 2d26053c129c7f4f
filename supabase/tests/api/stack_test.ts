// The local stack behaves like hosted Supabase where the app depends on it: one origin for
// REST, Auth and Functions, API keys enforced, JWT-protected functions refuse anonymous calls.
import assert from "node:assert/strict";
import { createClient } from "@supabase/supabase-js";
import { adoptSession, followLink, waitForMail } from "./_helpers.ts";

const url = Deno.env.get("SUPABASE_URL")!;
const anonKey = Deno.env.get("SUPABASE_ANON_KEY")!;

Deno.test("PostgREST's OpenAPI description answers at /rest/v1/", async () => {
  const res = await fetch(`${url}/rest/v1/`, { headers: { apikey: anonKey } });
  assert.equal(res.status, 200);
  const spec = await res.json();
  assert.equal(spec.swagger, "2.0");
  assert.ok(spec.paths["/"], "the spec lists the API root");
});

Deno.test("REST refuses requests without a valid API key", async () => {
  const missing = await fetch(`${url}/rest/v1/profiles`);
  assert.equal(missing.status, 401);
  assert.match((await missing.json()).message, /No API key/);
  const wrong = await fetch(`${url}/rest/v1/profiles`, { headers: { apikey: "nope" } });
  assert.equal(wrong.status, 401);
  assert.match((await wrong.json()).message, /Invalid API key/);
});

Deno.test("the health function answers callers with the anon key", async () => {
  const supabase = createClient(url, anonKey, { auth: { persistSession: false } });
  const { data, error } = await supabase.functions.invoke("health", { method: "GET" });
  assert.equal(error, null);
  assert.deepEqual(data, { status: "ok", checks: { dataApi: "ok" } });
});

Deno.test("a verify_jwt function refuses a request without a valid JWT", async () => {
  const none = await fetch(`${url}/functions/v1/health`);
  assert.equal(none.status, 401);
  assert.equal((await none.json()).message, "Missing authorization header");
  const forged = await fetch(`${url}/functions/v1/health`, {
    headers: { authorization: `Bearer ${anonKey.slice(0, -4)}AAAA` },
  });
  assert.equal(forged.status, 401);
  assert.equal((await forged.json()).message, "Invalid JWT");
});

Deno.test("an unknown function is a 404", async () => {
  const res = await fetch(`${url}/functions/v1/no-such-function`, {
    headers: { authorization: `Bearer ${anonKey}` },
  });
  assert.equal(res.status, 404);
  await res.body?.cancel();
});

Deno.test("a signed-up user reads their own profile row through PostgREST", async () => {
  const supabase = createClient(url, anonKey, { auth: { persistSession: false } });
  const email = `profile-${crypto.randomUUID()}@example.test`;
  const { data: signUp, error } = await supabase.auth.signUp({
    email,
    password: "correct horse battery",
    options: { data: { display_name: "Dr Ana" } },
  });
  assert.equal(error, null);
  // Confirmations are on: the mailed link signs the new user in.
  const mail = await waitForMail(email, /confirm your signup/i);
  await adoptSession(supabase, await followLink(mail.link));
  const { data: rows, error: readError } = await supabase.from("profiles").select(
    "id, display_name",
  );
  assert.equal(readError, null);
  assert.deepEqual(rows, [{ id: signUp.user!.id, display_name: "Dr Ana" }]);
  await supabase.auth.signOut();
  const { error: afterSignOut } = await supabase.from("profiles").select("id");
  assert.equal(afterSignOut?.code, "42501", "signed out, the same client is refused");
});

Deno.test("browser preflight to REST and Auth gets CORS headers", async () => {
  for (const path of ["/rest/v1/profiles", "/auth/v1/token"]) {
    const res = await fetch(`${url}${path}`, {
      method: "OPTIONS",
      headers: {
        origin: "http://app.example.test",
        "access-control-request-method": "POST",
        "access-control-request-headers": "apikey, authorization, content-type",
      },
    });
    await res.body?.cancel();
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("access-control-allow-origin"), "http://app.example.test");
    assert.match(res.headers.get("access-control-allow-headers") ?? "", /apikey/);
  }
});
