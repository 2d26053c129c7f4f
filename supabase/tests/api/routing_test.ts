// Routing inbound webhooks to their organisation, against the real database: each channel
// kind, inactive and unknown senders, and decryption of the routed channel's secret.
import assert from "node:assert/strict";
import postgres from "postgres";
import { decryptCredential } from "../../functions/_shared/io/credentials.ts";
import {
  routeMetaWhatsApp,
  routeTwilioMessage,
  routeVoiceCall,
} from "../../functions/_shared/io/routing.ts";

const sql = postgres(Deno.env.get("SUPABASE_DB_URL")!, {
  max: 2,
  prepare: false,
  onnotice: () => {},
});

// Unique per run so the test can run against a stack that already has data.
const run = crypto.getRandomValues(new Uint32Array(1))[0].toString().padStart(10, "0");
const sid = (n: number) => `AC${run}${String(n).padStart(22, "0")}`;
const number = (n: number) => `+4479${run.slice(0, 6)}${n}`;

interface Fixture {
  orgA: string;
  orgB: string;
  accountA: string;
  numberA: string;
  metaA: string;
  twilioWhatsAppB: string;
}

async function fixture(): Promise<Fixture> {
  const [a, b] = await sql<{ id: string }[]>`
    insert into public.organisations (name, slug, timezone)
    values ('Routing A', ${`routing-a-${run}`}, 'Europe/London'), ('Routing B', ${`routing-b-${run}`}, 'Europe/Riga')
    returning id`;
  const [accountA, accountB] = await sql<{ id: string }[]>`
    insert into public.twilio_accounts (organisation_id, account_sid)
    values (${a.id}, ${sid(1)}), (${b.id}, ${sid(2)}) returning id`;
  const [numberA] = await sql<{ id: string }[]>`
    insert into public.phone_numbers (organisation_id, twilio_account_id, e164, voice_enabled, messaging_enabled)
    values (${a.id}, ${accountA.id}, ${number(1)}, true, true) returning id`;
  await sql`
    insert into public.phone_numbers (organisation_id, twilio_account_id, e164, active)
    values (${b.id}, ${accountB.id}, ${number(2)}, false)`;
  const [metaA] = await sql<{ id: string }[]>`
    insert into public.whatsapp_channels (organisation_id, provider, meta_phone_number_id)
    values (${a.id}, 'meta', ${`1${run}1`}) returning id`;
  await sql`
    insert into public.whatsapp_channels (organisation_id, provider, meta_phone_number_id, active)
    values (${b.id}, 'meta', ${`1${run}2`}, false)`;
  const [twilioWhatsAppB] = await sql<{ id: string }[]>`
    insert into public.whatsapp_channels (organisation_id, provider, twilio_account_id, twilio_sender)
    values (${b.id}, 'twilio', ${accountB.id}, ${number(3)}) returning id`;
  return {
    orgA: a.id,
    orgB: b.id,
    accountA: accountA.id,
    numberA: numberA.id,
    metaA: metaA.id,
    twilioWhatsAppB: twilioWhatsAppB.id,
  };
}

Deno.test("routing finds the organisation for every channel kind", async (t) => {
  const f = await fixture();
  try {
    await t.step("voice: by the called number, in any written form", async () => {
      const route = await routeVoiceCall(sql, ` ${number(1).slice(0, 4)} ${number(1).slice(4)}`);
      assert.deepEqual(route, {
        routable: true,
        organisationId: f.orgA,
        phoneNumberId: f.numberA,
        twilioAccountId: f.accountA,
        accountSid: sid(1),
        timezone: "Europe/London",
      });
      assert.deepEqual(await routeVoiceCall(sql, number(2)), {
        routable: false,
        reason: "inactive",
      });
      assert.deepEqual(await routeVoiceCall(sql, number(9)), {
        routable: false,
        reason: "unknown",
      });
      assert.deepEqual(await routeVoiceCall(sql, "client:anonymous"), {
        routable: false,
        reason: "invalid",
      });
    });

    await t.step("WhatsApp Cloud API: by phone_number_id", async () => {
      assert.deepEqual(await routeMetaWhatsApp(sql, `1${run}1`), {
        routable: true,
        organisationId: f.orgA,
        channelId: f.metaA,
      });
      assert.deepEqual(await routeMetaWhatsApp(sql, `1${run}2`), {
        routable: false,
        reason: "inactive",
      });
      assert.deepEqual(await routeMetaWhatsApp(sql, `1${run}9`), {
        routable: false,
        reason: "unknown",
      });
      assert.deepEqual(await routeMetaWhatsApp(sql, "1' or '1'='1"), {
        routable: false,
        reason: "invalid",
      });
    });

    await t.step("Twilio messaging: by AccountSid and To", async () => {
      assert.deepEqual(await routeTwilioMessage(sql, sid(2), `whatsapp:${number(3)}`), {
        routable: true,
        organisationId: f.orgB,
        twilioAccountId:
          (await sql`select twilio_account_id from public.whatsapp_channels where id = ${f.twilioWhatsAppB}`)[
            0
          ].twilio_account_id,
        channel: { kind: "whatsapp", channelId: f.twilioWhatsAppB },
      });
      assert.deepEqual(await routeTwilioMessage(sql, sid(1), number(1)), {
        routable: true,
        organisationId: f.orgA,
        twilioAccountId: f.accountA,
        channel: { kind: "sms", phoneNumberId: f.numberA },
      });
      assert.deepEqual(
        await routeTwilioMessage(sql, sid(1), `whatsapp:${number(3)}`),
        { routable: false, reason: "unknown" },
        "another organisation's sender under our AccountSid is not ours",
      );
      assert.deepEqual(await routeTwilioMessage(sql, sid(2), number(2)), {
        routable: false,
        reason: "inactive",
      });
      assert.deepEqual(await routeTwilioMessage(sql, "AC123", number(1)), {
        routable: false,
        reason: "invalid",
      });
    });

    await t.step("the routed channel's secret decrypts only on demand, audited", async () => {
      await sql.begin(async (tx) => {
        await tx`select set_config('request.jwt.claims', '{"role":"service_role"}', true)`;
        const vaultId =
          (await tx`select vault.create_secret('demo-secret-route-a-1234') as id`)[0].id;
        await tx`
          insert into public.credentials (organisation_id, kind, subject_id, vault_secret_id, last4)
          values (${f.orgA}, 'meta_access_token', ${f.metaA}, ${vaultId}, '1234')`;
      });
      assert.equal(
        await decryptCredential(sql, f.metaA, "meta_access_token"),
        "demo-secret-route-a-1234",
      );
      assert.equal(await decryptCredential(sql, f.metaA, "meta_app_secret"), null);
      const [audit] = await sql`
        select actor_label, action from public.audit_log
        where target_id = ${f.metaA} and action = 'credential.decrypted'`;
      assert.deepEqual({ ...audit }, { actor_label: "system", action: "credential.decrypted" });
    });
  } finally {
    await sql`delete from public.organisations where id in (${f.orgA}, ${f.orgB})`;
    await sql.end();
  }
});
