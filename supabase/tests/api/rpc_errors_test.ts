// Every RPC error a user can cause is a 4xx with a message, never a 5xx: each function
// PostgREST exposes, called through supabase-js by anon, a signed-in outsider, a member and
// an owner, with missing, malformed, unknown and hostile arguments. "Not found" used to be
// SQLSTATE P0002, which PostgREST answers with 500.
import assert from "node:assert/strict";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { discover, type Rpc, type RpcParam } from "./_exposed.ts";
import {
  ANON_KEY,
  anonClient,
  clientOptions,
  must,
  runTag,
  serviceClient,
  SUPABASE_URL,
  TEST_PASSWORD,
} from "./_helpers.ts";

const tag = runTag();

interface Account {
  id: string;
  email: string;
  client: SupabaseClient;
  token: string;
}

const created: string[] = [];

/** A confirmed account, signed in (made through the admin API, whatever the sign-up settings). */
async function account(label: string): Promise<Account> {
  const email = `rpc-errors-${tag}-${label}@example.com`;
  const { data, error } = await serviceClient().auth.admin.createUser({
    email,
    password: TEST_PASSWORD,
    email_confirm: true,
    user_metadata: { display_name: `RPC ${label}` },
  });
  if (error || !data.user) throw new Error(`creating ${email}: ${error?.message}`);
  created.push(data.user.id);
  const client = createClient(SUPABASE_URL, ANON_KEY, clientOptions);
  const signedIn = await client.auth.signInWithPassword({ email, password: TEST_PASSWORD });
  if (signedIn.error) throw new Error(`${email} signing in: ${signedIn.error.message}`);
  return { id: data.user.id, email, client, token: signedIn.data.session!.access_token };
}

async function cleanup() {
  const admin = serviceClient();
  const { data } = await admin.from("organisation_members").select("organisation_id")
    .in("user_id", created).eq("role", "owner");
  const orgs = [...new Set((data ?? []).map((m) => m.organisation_id as string))];
  if (orgs.length) await admin.from("organisations").delete().in("id", orgs);
  for (const id of created.splice(0)) await admin.auth.admin.deleteUser(id);
}

const hostile: unknown[] = [
  null,
  "",
  "not-a-uuid",
  "nul \u0000 byte",
  "x".repeat(5000),
  12345,
  ["a"],
  { nested: true },
];

/** A value the parameter's type accepts, pointing at the test clinic where that makes sense. */
function plausible(p: RpcParam, ids: { org: string; user: string }): unknown {
  const name = p.name.toLowerCase();
  if (p.format === "uuid") {
    if (/organi[sz]ation/.test(name)) return ids.org;
    if (/user/.test(name)) return ids.user;
    return crypto.randomUUID();
  }
  if (p.type === "array") return ["en"];
  if (/email/.test(name)) return `rpc-errors-${tag}-nobody@example.com`;
  if (/zone/.test(name)) return "Europe/London";
  if (/role/.test(name)) return "member";
  if (/kind/.test(name)) return "twilio_auth_token";
  return "rpc errors probe";
}

/** The arguments to try: none, the plausible set, and each parameter in turn made hostile. */
function argumentSets(rpc: Rpc, ids: { org: string; user: string }): Record<string, unknown>[] {
  const base = Object.fromEntries(rpc.params.map((p) => [p.name, plausible(p, ids)]));
  const sets: Record<string, unknown>[] = [{}, base, { ...base, no_such_argument: 1 }];
  for (const p of rpc.params) {
    for (const value of hostile) sets.push({ ...base, [p.name]: value });
  }
  return sets;
}

Deno.test("rpc errors: every function answers bad calls with a 4xx and a message, never a 5xx", async () => {
  try {
    const owner = await account("owner");
    const member = await account("member");
    const outsider = await account("outsider");
    const org = must(
      await owner.client.rpc("create_organisation", {
        name: `RPC errors ${tag}`,
        timezone: "Europe/London",
      }),
      "creating the clinic",
    ) as { id: string };
    const [invitation] = must(
      await owner.client.rpc("invite_member", {
        organisation_id: org.id,
        email: member.email,
        role: "member",
      }),
      "inviting the member",
    ) as { token: string }[];
    must(await member.client.rpc("accept_invitation", { token: invitation.token }), "accepting");

    const { rpcs } = await discover(owner.token);
    assert.ok(rpcs.some((r) => r.name === "remove_member"), "the RPCs are discovered");
    const callers: [string, SupabaseClient][] = [
      ["anon", anonClient()],
      ["outsider", outsider.client],
      ["member", member.client],
      ["owner", owner.client],
    ];
    const failures: string[] = [];
    let calls = 0;
    // The clinic's deletion last, so the other calls find it there.
    const ordered = [...rpcs].sort((a, b) =>
      Number(a.name === "delete_organisation") - Number(b.name === "delete_organisation")
    );
    for (const rpc of ordered) {
      for (const [who, client] of callers) {
        for (const args of argumentSets(rpc, { org: org.id, user: owner.id })) {
          const { error, status } = await client.schema(rpc.schema).rpc(rpc.name, args);
          calls++;
          if (status >= 500 || (error && !error.message)) {
            failures.push(
              `${rpc.key} as ${who} ${JSON.stringify(args).slice(0, 160)} → ${status} ${
                JSON.stringify(error)
              }`,
            );
          }
        }
      }
    }
    assert.ok(calls > 500, `${calls} calls`);
    assert.deepEqual(failures, [], `${failures.length} of ${calls} calls answered 5xx`);
  } finally {
    await cleanup();
  }
});

Deno.test("rpc errors: what a person gets wrong is answered with the status that says why", async () => {
  try {
    const owner = await account("sole-owner");
    const org = must(
      await owner.client.rpc("create_organisation", {
        name: `RPC statuses ${tag}`,
        timezone: "Europe/Riga",
      }),
      "creating the clinic",
    ) as { id: string; country: string };
    assert.equal(org.country, "LV", "the country comes from the time zone");

    const sole = await owner.client.rpc("remove_member", {
      organisation_id: org.id,
      user_id: owner.id,
    });
    assert.equal(sole.status, 400, JSON.stringify(sole.error));
    assert.equal(sole.error?.message, "An organisation must keep at least one owner");
    assert.match(sole.error?.hint ?? "", /Make another member an owner first/);

    const unknownMember = await owner.client.rpc("update_member_role", {
      organisation_id: org.id,
      user_id: crypto.randomUUID(),
      role: "admin",
    });
    assert.equal(unknownMember.status, 404);
    assert.equal(unknownMember.error?.code, "PT404");

    const unknownToken = await owner.client.rpc("accept_invitation", { token: "no-such-token" });
    assert.equal(unknownToken.status, 404);
    assert.equal(
      unknownToken.error?.message,
      "This invitation is not valid (it may have been withdrawn)",
    );

    const nul = await owner.client.rpc("set_credential", {
      subject_id: crypto.randomUUID(),
      kind: "twilio_auth_token",
      secret: "rpc-errors-secret-\u0000-tail",
    });
    assert.equal(nul.status, 400);
    assert.doesNotMatch(JSON.stringify(nul.error), /rpc-errors-secret/, "the value is not echoed");

    // Re-inviting a pending address says which invitation it replaced.
    const email = `rpc-errors-${tag}-twice@example.com`;
    const first = must(
      await owner.client.rpc("invite_member", { organisation_id: org.id, email, role: "owner" }),
      "inviting",
    ) as { replaced_role: string | null }[];
    assert.equal(first[0].replaced_role, null);
    const second = must(
      await owner.client.rpc("invite_member", { organisation_id: org.id, email, role: "admin" }),
      "inviting again",
    ) as { replaced_role: string | null; invited_role: string }[];
    assert.deepEqual([second[0].replaced_role, second[0].invited_role], ["owner", "admin"]);
  } finally {
    await cleanup();
  }
});
