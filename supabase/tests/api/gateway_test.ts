// What clients send never lands in the local stack's log files, however malformed, and those
// files are readable by their owner only. Needs LOG_DIR, the stack's logs folder (set by
// `deno task test`).
import assert from "node:assert/strict";
import { ANON_KEY, anonClient, env, SUPABASE_URL } from "./_helpers.ts";

const logDir = env("LOG_DIR");

async function signedIn(): Promise<string> {
  const { data, error } = await anonClient().auth.signInWithPassword({
    email: "owner@northside.test",
    password: "frontdesk-demo",
  });
  assert.equal(error, null);
  return data.session!.access_token;
}

async function filesUnder(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) files.push(...await filesUnder(path));
    else files.push(path);
  }
  return files;
}

Deno.test("secrets sent in malformed requests reach no log file; logs are owner-only", async () => {
  const marker = `SECRET-MARKER-${crypto.randomUUID()}`;
  const token = await signedIn();
  const headers = { apikey: ANON_KEY, authorization: `Bearer ${token}` };
  const post = (path: string, body: string) =>
    fetch(`${SUPABASE_URL}${path}`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body,
    });
  const subject = crypto.randomUUID();
  const responses = await Promise.all([
    // The value in a field of another type: PostgreSQL's message quotes it.
    post(
      "/rest/v1/rpc/set_credential",
      JSON.stringify({ subject_id: marker, kind: "twilio_auth_token", secret: "x" }),
    ),
    post(
      "/rest/v1/rpc/set_credential",
      JSON.stringify({ subject_id: subject, kind: marker, secret: "x" }),
    ),
    post(
      "/rest/v1/rpc/set_credential",
      JSON.stringify({
        subject_id: subject,
        kind: "twilio_auth_token",
        secret: "x",
        expires_at: marker,
      }),
    ),
    // A NUL escape: the error's context quotes the JSON body around it.
    post(
      "/rest/v1/rpc/set_credential",
      `{"subject_id":"${subject}","kind":"twilio_auth_token","secret":"${marker}\\u0000"}`,
    ),
    // Not JSON at all.
    post("/rest/v1/rpc/set_credential", `{"secret": "${marker}`),
    // Arguments in the URL: refused, and URLs are not logged either.
    fetch(
      `${SUPABASE_URL}/rest/v1/rpc/set_credential?subject_id=${subject}&kind=twilio_auth_token&secret=${marker}`,
      { headers },
    ),
    fetch(`${SUPABASE_URL}/rest/v1/organisations?name=eq.${marker}%FF`, { headers }),
    fetch(`${SUPABASE_URL}/rest/v1/organisations?name=eq.${marker}`, { headers }),
    fetch(`${SUPABASE_URL}/functions/v1/health?secret=${marker}`, { headers }),
    post(
      "/auth/v1/token?grant_type=password",
      `{"email":"a@b.test","password":"${marker}\\u0000"}`,
    ),
  ]);
  const statuses = await Promise.all(responses.map(async (res) => {
    await res.body?.cancel();
    return res.status;
  }));
  assert.deepEqual(
    statuses.map((s) => s < 500),
    statuses.map(() => true),
    `no 5xx: ${statuses}`,
  );
  assert.equal(statuses[5], 405, "GET to set_credential is refused");
  await new Promise((r) => setTimeout(r, 500)); // the log writers are asynchronous

  assert.equal((await Deno.stat(logDir)).mode! & 0o777, 0o700);
  const files = await filesUnder(logDir);
  assert.ok(files.some((f) => f.endsWith("postgres.log")), "the folder holds the stack's logs");
  for (const file of files) {
    assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600, file);
    assert.ok(!(await Deno.readTextFile(file)).includes(marker), `${file} holds the secret`);
  }
});
