// The last-owner rule under concurrency: two owners of one clinic demote or
// remove each other, or themselves, at the same moment, each on its own database connection
// acting as that owner exactly as PostgREST does (role authenticated plus the JWT claims).
// Each transaction waits a moment after its change before committing, so without a lock
// both changes see the other owner still there and the clinic ends with none.
import assert from "node:assert/strict";
import postgres from "postgres";
import { env, runTag } from "./_helpers.ts";

const DB_URL = env("SUPABASE_DB_URL");
const TRIALS = 10;
const tag = runTag();

type Sql = ReturnType<typeof postgres>;

/** One RPC call as `userId`, in its own transaction that stays open a little after it. */
async function asOwner(sql: Sql, userId: string, call: string, args: unknown[]) {
  try {
    await sql.begin(async (tx) => {
      await tx`select set_config('role', 'authenticated', true),
        set_config('request.jwt.claims', ${
        JSON.stringify({ sub: userId, role: "authenticated" })
      }, true)`;
      await tx.unsafe(call, args as never[]);
      await tx`select pg_sleep(0.15)`;
    });
    return "ok";
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

Deno.test("last owner: two owners demoting or removing each other at once always leave an owner", async () => {
  const admin = postgres(DB_URL, { max: 1, onnotice: () => {} });
  const first = postgres(DB_URL, { max: 1, onnotice: () => {} });
  const second = postgres(DB_URL, { max: 1, onnotice: () => {} });
  const orgIds: string[] = [];
  const userIds: string[] = [];
  try {
    const cases = [
      ["demote each other", "update_member_role", "other"],
      ["demote themselves", "update_member_role", "self"],
      ["remove each other", "remove_member", "other"],
      ["leave", "remove_member", "self"],
    ] as const;
    for (let trial = 0; trial < TRIALS; trial++) {
      const [label, rpc, whom] = cases[trial % cases.length];
      const [org] = await admin<{ id: string }[]>`
        insert into public.organisations (name, slug, timezone)
        values (${`Race ${tag} ${trial}`}, ${`race-${tag}-${trial}`}, 'Europe/London')
        returning id`;
      orgIds.push(org.id);
      const owners: string[] = [];
      for (const n of [1, 2]) {
        const [user] = await admin<{ id: string }[]>`
          insert into auth.users (instance_id, id, aud, role, email, email_confirmed_at,
            raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
          values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated',
            'authenticated', ${`race-${tag}-${trial}-${n}@example.com`}, now(),
            '{"provider":"email","providers":["email"]}', ${
          admin.json({ display_name: `Owner ${n}` })
        }, now(), now())
          returning id`;
        owners.push(user.id);
        userIds.push(user.id);
        await admin`insert into public.organisation_members (organisation_id, user_id, role)
          values (${org.id}, ${user.id}, 'owner')`;
      }
      const target = (me: number) => owners[whom === "self" ? me : 1 - me];
      const call = rpc === "update_member_role"
        ? "select public.update_member_role($1, $2, 'admin')"
        : "select public.remove_member($1, $2)";
      const outcomes = await Promise.all([
        asOwner(first, owners[0], call, [org.id, target(0)]),
        asOwner(second, owners[1], call, [org.id, target(1)]),
      ]);
      const [{ owners: left }] = await admin<{ owners: number }[]>`
        select count(*)::int as owners from public.organisation_members
        where organisation_id = ${org.id} and role = 'owner'`;
      assert.equal(left, 1, `trial ${trial} (${label}): ${outcomes.join(", ")}`);
      assert.deepEqual(
        [...outcomes].sort(),
        ["23514", "ok"],
        `trial ${trial} (${label}): one change wins, the other is refused`,
      );
    }
  } finally {
    if (orgIds.length) await admin`delete from public.organisations where id in ${admin(orgIds)}`;
    if (userIds.length) await admin`delete from auth.users where id in ${admin(userIds)}`;
    await Promise.all([admin.end(), first.end(), second.end()]);
  }
});
