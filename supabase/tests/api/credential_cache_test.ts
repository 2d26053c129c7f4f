// _shared/io/credentials.ts on the real schema: a webhook's repeated decrypts of one token are
// served from the instance's cache for a few minutes (one audited decrypt), a rotated or cleared
// credential is never served stale, and `{ cache: false }` always asks the database.
import assert from "node:assert/strict";
import postgres from "postgres";
import { CREDENTIAL_CACHE_MS, decryptCredential } from "../../functions/_shared/io/credentials.ts";
import { env } from "./_helpers.ts";

const sql = postgres(env("SUPABASE_DB_URL"), { max: 2, prepare: false, onnotice: () => {} });

Deno.test({
  name: "credential cache",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const org = crypto.randomUUID();
    const account = crypto.randomUUID();
    const accountSid = "AC" + crypto.randomUUID().replaceAll("-", "");
    await sql`insert into public.organisations (id, name, slug, timezone)
      values (${org}, 'Cache', ${"cache-" + org.slice(0, 8)}, 'Europe/London')`;
    const save = (secret: string) =>
      sql`select from private.save_credential(${org}, ${account}, 'twilio_auth_token', ${secret}, null)`;
    const decrypts = async () => {
      const [row] = await sql<{ count: number }[]>`
        select coalesce(sum((details ->> 'count')::int), 0)::int as count from public.audit_log
        where organisation_id = ${org} and action = 'credential.decrypted'`;
      return row.count;
    };
    try {
      await sql`insert into public.twilio_accounts (id, organisation_id, account_sid)
        values (${account}, ${org}, ${accountSid})`;
      await save("cache-test-token-one");
      const now = Date.now();

      await t.step("repeated decrypts within minutes: one audited decrypt", async () => {
        for (let i = 0; i < 5; i++) {
          assert.equal(
            await decryptCredential(sql, account, "twilio_auth_token", { now: now + i * 1000 }),
            "cache-test-token-one",
          );
        }
        assert.equal(await decrypts(), 1);
      });

      await t.step("after the cache time the database is asked again", async () => {
        await decryptCredential(sql, account, "twilio_auth_token", {
          now: now + CREDENTIAL_CACHE_MS + 1,
        });
        assert.equal(await decrypts(), 2);
      });

      await t.step("a rotated credential is read afresh at once", async () => {
        await save("cache-test-token-two");
        assert.equal(
          await decryptCredential(sql, account, "twilio_auth_token", { now: now + 2000 }),
          "cache-test-token-two",
        );
      });

      await t.step("{ cache: false } always decrypts", async () => {
        const before = await decrypts();
        await decryptCredential(sql, account, "twilio_auth_token", { cache: false });
        await decryptCredential(sql, account, "twilio_auth_token", { cache: false });
        assert.equal(await decrypts(), before + 2);
      });

      await t.step("a cleared credential is gone at once", async () => {
        await sql`delete from public.credentials where subject_id = ${account}`;
        assert.equal(
          await decryptCredential(sql, account, "twilio_auth_token", { now: now + 3000 }),
          null,
        );
      });
    } finally {
      await sql`delete from public.organisations where id = ${org}`;
      await sql.end();
    }
  },
});
