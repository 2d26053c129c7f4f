// The twilio-messaging function on a running stack, with forms signed exactly as Twilio signs
// them (the sandbox's signer) over the public URLs we give Twilio: SMS and WhatsApp messages
// become messages in the right thread (empty TwiML answered at once); status callbacks move an
// outbound message forward only, in any order; forged signatures store nothing; unknown numbers
// and accounts are acknowledged and dropped; malformed and fuzzed forms never get a 5xx; the same
// inbound twice is one message.
import assert from "node:assert/strict";
import fc from "fast-check";
import postgres from "postgres";
import { twilioSignature } from "../../functions/_shared/twilio/signature.ts";
import { env, randomDigits, randomHex, SUPABASE_URL, waitFor } from "./_helpers.ts";

const sql = postgres(env("SUPABASE_DB_URL"), { max: 4, prepare: false, onnotice: () => {} });
// The stack's PUBLIC_FUNCTIONS_URL: what Twilio is given, and what it signs.
const PUBLIC = `${SUPABASE_URL}/functions/v1`;

const messageSid = () => `SM${randomHex(16)}`;

const organisations: string[] = [];

interface Clinic {
  organisationId: string;
  accountSid: string;
  authToken: string;
  smsNumber: string;
  whatsappSender: string;
}

async function clinic(): Promise<Clinic> {
  const organisationId = crypto.randomUUID();
  const accountSid = `AC${randomHex(16)}`;
  const authToken = randomHex(16);
  const smsNumber = `+44203${randomDigits(7)}`;
  const whatsappSender = `+44207${randomDigits(7)}`;
  await sql`insert into public.organisations (id, name, slug, timezone, languages, default_language)
    values (${organisationId}, 'Texting Clinic', ${"twilio-msg-" + organisationId.slice(0, 8)},
      'Europe/London', ${["en"]}, 'en')`;
  organisations.push(organisationId);
  const [account] = await sql<{ id: string }[]>`
    insert into public.twilio_accounts (organisation_id, account_sid)
    values (${organisationId}, ${accountSid}) returning id`;
  await sql`select private.store_credential(${account.id}, 'twilio_auth_token', ${authToken}, 'test')`;
  await sql`insert into public.phone_numbers (organisation_id, twilio_account_id, e164, messaging_enabled)
    values (${organisationId}, ${account.id}, ${smsNumber}, true)`;
  await sql`insert into public.whatsapp_channels (organisation_id, provider, twilio_account_id, twilio_sender)
    values (${organisationId}, 'twilio', ${account.id}, ${whatsappSender})`;
  return { organisationId, accountSid, authToken, smsNumber, whatsappSender };
}

async function post(
  route: string,
  params: Record<string, string>,
  token: string | null,
): Promise<{ status: number; body: string; type: string | null }> {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (token) {
    headers["x-twilio-signature"] = await twilioSignature(
      token,
      `${PUBLIC}/twilio-messaging/${route}`,
      params,
    );
  }
  const res = await fetch(`${SUPABASE_URL}/functions/v1/twilio-messaging/${route}`, {
    method: "POST",
    headers,
    body: new URLSearchParams(params),
  });
  return { status: res.status, body: await res.text(), type: res.headers.get("content-type") };
}

const EMPTY = { status: 200, body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>' };

const inbound = (c: Clinic, sid: string, from: string, to: string, extra = {}) => ({
  AccountSid: c.accountSid,
  ApiVersion: "2010-04-01",
  MessageSid: sid,
  SmsSid: sid,
  SmsMessageSid: sid,
  SmsStatus: "received",
  From: from,
  To: to,
  Body: "",
  NumMedia: "0",
  NumSegments: "1",
  ...extra,
});

const eventCount = (externalId: string) =>
  sql<{ n: number }[]>`select count(*)::int as n from private.inbound_events
    where provider = 'twilio' and external_id = ${externalId}`.then(([r]) => r.n);

const messageOf = (sid: string) =>
  sql`select m.kind, m.body, m.details, m.conversation_id, c.channel::text,
        c.whatsapp_channel_id, c.phone_number_id, k.phone, k.name
      from public.messages m
      join public.conversations c on c.id = m.conversation_id
      join public.contacts k on k.id = c.contact_id
      where m.provider_message_id = ${sid}`.then((rows) => rows[0]);

Deno.test({
  name: "twilio-messaging webhook",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    try {
      const c = await clinic();
      const patient = `+447700${randomDigits(6)}`;

      await t.step("an SMS: empty TwiML at once, then a message in the SMS thread", async () => {
        const sid = messageSid();
        const res = await post(
          "inbound",
          inbound(c, sid, patient, c.smsNumber, { Body: "Can I book?" }),
          c.authToken,
        );
        assert.deepEqual({ status: res.status, body: res.body }, EMPTY);
        assert.match(res.type ?? "", /^text\/xml/);
        const m = await waitFor("the SMS is stored", () => messageOf(sid));
        assert.deepEqual([m.kind, m.body, m.channel, m.phone, m.whatsapp_channel_id], [
          "text",
          "Can I book?",
          "sms",
          patient,
          null,
        ]);
        // Twilio retrying the same message stores nothing more.
        assert.equal(
          (await post(
            "inbound",
            inbound(c, sid, patient, c.smsNumber, { Body: "Can I book?" }),
            c.authToken,
          )).status,
          200,
        );
        assert.equal(await eventCount(`m:${sid}`), 1);
      });

      await t.step(
        "a WhatsApp message with media and a profile name, in the WhatsApp thread",
        async () => {
          const sid = `MM${randomHex(16)}`;
          const res = await post(
            "inbound",
            inbound(c, sid, `whatsapp:${patient}`, `whatsapp:${c.whatsappSender}`, {
              Body: "Фото",
              ProfileName: "Анна",
              WaId: patient.slice(1),
              NumMedia: "1",
              MediaUrl0:
                `https://api.twilio.com/2010-04-01/Accounts/${c.accountSid}/Messages/${sid}/Media/ME${
                  randomHex(16)
                }`,
              MediaContentType0: "image/jpeg",
            }),
            c.authToken,
          );
          assert.deepEqual({ status: res.status, body: res.body }, EMPTY);
          const m = await waitFor("the WhatsApp message is stored", () => messageOf(sid));
          assert.deepEqual([m.kind, m.body, m.channel, m.phone, m.name, m.phone_number_id], [
            "image",
            "Фото",
            "whatsapp",
            patient,
            "Анна",
            null,
          ]);
          assert.equal(m.details.media.provider, "twilio");
          assert.equal(m.details.media.mime_type, "image/jpeg");
        },
      );

      await t.step(
        "status callbacks in any order end monotonic; a failure keeps its code",
        async () => {
          const sms = await messageOf(
            (await sql`select provider_message_id from public.messages
          where organisation_id = ${c.organisationId} and kind = 'text'`)[0].provider_message_id,
          );
          const out = messageSid();
          await sql`insert into public.messages (organisation_id, conversation_id, direction, author, body,
            provider_message_id, delivery)
          values (${c.organisationId}, ${sms.conversation_id}, 'outbound', 'bot', 'Yes', ${out}, 'queued')`;
          const status = (s: string, extra = {}) => ({
            AccountSid: c.accountSid,
            ApiVersion: "2010-04-01",
            MessageSid: out,
            SmsSid: out,
            MessageStatus: s,
            SmsStatus: s,
            From: c.smsNumber,
            To: patient,
            ...extra,
          });
          for (const s of ["delivered", "sent", "sending"]) {
            assert.deepEqual(
              (({ status, body }) => ({ status, body }))(
                await post("status", status(s), c.authToken),
              ),
              EMPTY,
            );
          }
          const row = await waitFor("the statuses are applied", async () => {
            const [m] = await sql`select delivery::text, sent_at, delivered_at from public.messages
            where provider_message_id = ${out}`;
            return m.sent_at && m.delivered_at ? m : null;
          });
          assert.equal(row.delivery, "delivered");

          const failing = messageSid();
          await sql`insert into public.messages (organisation_id, conversation_id, direction, author, body,
            provider_message_id, delivery)
          values (${c.organisationId}, ${sms.conversation_id}, 'outbound', 'bot', 'Hi', ${failing}, 'queued')`;
          await post("status", {
            ...status("undelivered", { ErrorCode: "30005" }),
            MessageSid: failing,
            SmsSid: failing,
          }, c.authToken);
          const failed = await waitFor("the failure is applied", async () => {
            const [m] =
              await sql`select delivery::text, error_code, error_message from public.messages
            where provider_message_id = ${failing}`;
            return m.delivery === "failed" ? m : null;
          });
          assert.equal(failed.error_code, "30005");
          assert.ok(failed.error_message);
        },
      );

      await t.step("forged or missing signatures: 403 and nothing stored", async () => {
        const sid = messageSid();
        const form = inbound(c, sid, patient, c.smsNumber, { Body: "forged" });
        assert.equal((await post("inbound", form, null)).status, 403);
        assert.equal((await post("inbound", form, randomHex(16))).status, 403);
        // Signed for another URL (the voice webhook's) is not signed for this one.
        const res = await fetch(`${SUPABASE_URL}/functions/v1/twilio-messaging/inbound`, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "x-twilio-signature": await twilioSignature(
              c.authToken,
              `${PUBLIC}/twilio-voice/fallback`,
              form,
            ),
          },
          body: new URLSearchParams(form),
        });
        await res.body?.cancel();
        assert.equal(res.status, 403);
        assert.equal(await eventCount(`m:${sid}`), 0);
      });

      await t.step("unknown numbers and accounts: empty TwiML, nothing stored", async () => {
        const sid = messageSid();
        const unknownNumber = await post(
          "inbound",
          inbound(c, sid, patient, `+44208${randomDigits(7)}`),
          c.authToken,
        );
        assert.deepEqual({ status: unknownNumber.status, body: unknownNumber.body }, EMPTY);
        const stranger = { ...c, accountSid: `AC${randomHex(16)}` };
        const unknownAccount = await post("status", {
          AccountSid: stranger.accountSid,
          MessageSid: sid,
          MessageStatus: "sent",
        }, c.authToken);
        assert.deepEqual({ status: unknownAccount.status, body: unknownAccount.body }, EMPTY);
        assert.equal(await eventCount(`m:${sid}`), 0);
        assert.equal(await eventCount(`s:${sid}:sent`), 0);
      });

      await t.step("malformed and fuzzed forms: 4xx with a message, never 5xx", async () => {
        const wrongType = await fetch(`${SUPABASE_URL}/functions/v1/twilio-messaging/inbound`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        });
        assert.equal(wrongType.status, 400);
        await wrongType.body?.cancel();
        assert.equal(
          (await post("inbound", { AccountSid: c.accountSid }, c.authToken)).status,
          400,
        );
        assert.equal((await post("nowhere", {}, null)).status, 404);
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom("inbound", "status"),
            fc.dictionary(
              fc.constantFrom(
                "AccountSid",
                "MessageSid",
                "From",
                "To",
                "Body",
                "MessageStatus",
                "NumMedia",
                "MediaUrl0",
                "x",
              ),
              fc.oneof(
                fc.string(),
                fc.constant(c.accountSid),
                fc.constant(messageSid()),
                fc.constant(c.smsNumber),
              ),
            ),
            fc.boolean(),
            async (route, form, signed) => {
              const res = await post(route, form, signed ? c.authToken : null);
              assert.ok(res.status < 500, `${res.status} for ${JSON.stringify(form)}`);
            },
          ),
          { numRuns: 120 },
        );
      });
    } finally {
      await sql`delete from public.organisations where id = any(${organisations})`;
      await sql.end();
    }
  },
});
