// Connecting a clinic's number to its assistant, on the real stack and both sandboxes: an owner
// turns calls on as the dashboard does (Data API, their JWT), the worker runs the job, and the
// Vapi sandbox holds the number with our server URL, our server credential and the escalation
// phone as fallback, while the Twilio sandbox's number has our fallback and status URLs. Turning
// calls off or removing the number undoes both. Vapi down → failed with a reason; Retry →
// connected. No Twilio or Vapi secret in any answer, job, audit row or log line.
import assert from "node:assert/strict";
import postgres from "postgres";
import type { SupabaseClient } from "@supabase/supabase-js";
import {
  env,
  randomHex,
  runTag,
  SERVICE_ROLE_KEY,
  SUPABASE_URL,
  TestUsers,
  waitFor,
} from "./_helpers.ts";
import { runWorker } from "./_worker.ts";
import { sandboxControlAt } from "../../../scripts/local-stack/sandboxes/control_client.ts";

const LOG_DIR = env("LOG_DIR");
const PUBLIC = `${SUPABASE_URL}/functions/v1`;
const sql = postgres(env("SUPABASE_DB_URL"), { max: 2, prepare: false, onnotice: () => {} });
const users = new TestUsers();
const tag = runTag();

/** The functions' Vapi settings, which the stack writes to functions.env next to its logs. */
async function functionsEnv(): Promise<Record<string, string>> {
  const text = await Deno.readTextFile(`${LOG_DIR}/../functions.env`);
  return Object.fromEntries(
    text.split("\n").flatMap((line) => {
      const m = line.match(/^([A-Z_]+)=(.*)$/);
      return m ? [[m[1], m[2]]] : [];
    }),
  );
}

interface VapiNumber {
  id: string;
  number: string;
  provider: string;
  twilioAccountSid: string;
  assistantId?: string;
  smsEnabled?: boolean;
  server?: { url: string; headers?: Record<string, string> };
  fallbackDestination?: { type: string; number: string };
}

interface TwilioAccount {
  sid: string;
  numbers: { sid: string; phoneNumber: string; voiceFallbackUrl: string; statusCallback: string }[];
}

const vapiNumbers = async (e164: string) =>
  (await sandboxControlAt<VapiNumber[]>(SUPABASE_URL, "vapi", "GET", "/phone-numbers"))
    .filter((n) => n.number === e164);

const twilioNumber = async (accountSid: string, e164: string) =>
  (await sandboxControlAt<TwilioAccount[]>(SUPABASE_URL, "twilio", "GET", "/accounts"))
    .find((a) => a.sid === accountSid)!.numbers.find((n) => n.phoneNumber === e164)!;

interface NumberRow {
  id: string;
  voice_connection: string;
  voice_connection_error: string | null;
  vapi_phone_number_id: string | null;
}

/** Runs the worker until the number's connection is `state` (the job may back off once). */
async function settle(client: SupabaseClient, numberId: string, state: string): Promise<NumberRow> {
  return await waitFor(`the number to be ${state}`, async () => {
    await runWorker(SUPABASE_URL, SERVICE_ROLE_KEY);
    const { data, error } = await client.from("phone_numbers")
      .select("id, voice_connection, voice_connection_error, vapi_phone_number_id").eq(
        "id",
        numberId,
      ).single();
    if (error) throw new Error(error.message);
    return data.voice_connection === state ? data as NumberRow : undefined;
  }, 20_000);
}

Deno.test({
  name: "voice numbers connect to the assistant",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const settings = await functionsEnv();
    const accountSid = `AC${randomHex(16)}`;
    const authToken = `tok${randomHex(16)}`;
    const e164 = `+4420${
      String(crypto.getRandomValues(new Uint32Array(1))[0]).padStart(10, "0").slice(0, 8)
    }`;
    const escalation = "+442079460999";
    const answers: string[] = [];
    let organisationId = "";
    try {
      const owner = await users.signUp(`voice-owner-${tag}@example.test`);
      const client = owner.client;
      const { data: org, error: orgError } = await client.rpc("create_organisation", {
        name: `Voice ${tag}`,
        timezone: "Europe/London",
      });
      if (orgError) throw new Error(orgError.message);
      organisationId = (org as { id: string }).id;
      await sandboxControlAt(SUPABASE_URL, "twilio", "POST", "/accounts", {
        sid: accountSid,
        authToken,
        numbers: [e164],
      });
      const { data: account, error: accountError } = await client.from("twilio_accounts")
        .insert({ organisation_id: organisationId, account_sid: accountSid }).select("id").single();
      if (accountError) throw new Error(accountError.message);
      const set = await client.rpc("set_credential", {
        subject_id: account.id,
        kind: "twilio_auth_token",
        secret: authToken,
      });
      if (set.error) throw new Error(set.error.message);
      answers.push(JSON.stringify(set.data));
      const escalated = await client.from("assistant_settings").update({
        escalation_phone: escalation,
      })
        .eq("organisation_id", organisationId);
      if (escalated.error) throw new Error(escalated.error.message);

      let numberId = "";
      await t.step(
        "turning calls on imports the number into Vapi and sets Twilio's fallback",
        async () => {
          const { data, error } = await client.from("phone_numbers")
            .insert({
              organisation_id: organisationId,
              twilio_account_id: account.id,
              e164,
              voice_enabled: true,
            })
            .select("*").single();
          if (error) throw new Error(error.message);
          answers.push(JSON.stringify(data));
          assert.equal(data.voice_connection, "pending");
          numberId = data.id;
          const row = await settle(client, numberId, "connected");
          answers.push(JSON.stringify(row));
          const [vapi] = await vapiNumbers(e164);
          assert.equal(row.vapi_phone_number_id, vapi.id);
          assert.equal(vapi.provider, "twilio");
          assert.equal(vapi.twilioAccountSid, accountSid);
          assert.equal(vapi.assistantId, undefined, "no assistant: every call asks our server");
          assert.equal(vapi.smsEnabled, false, "Twilio's messaging URL stays ours");
          assert.equal(vapi.server?.url, `${PUBLIC}/vapi`);
          assert.deepEqual(vapi.server?.headers, { "X-Vapi-Secret": settings.VAPI_SERVER_SECRET });
          assert.deepEqual(vapi.fallbackDestination, { type: "number", number: escalation });
          const twilio = await twilioNumber(accountSid, e164);
          assert.equal(twilio.voiceFallbackUrl, `${PUBLIC}/twilio-voice/fallback`);
          assert.equal(twilio.statusCallback, `${PUBLIC}/twilio-voice/status`);
        },
      );

      await t.step(
        "a new escalation phone reaches the number Vapi has, never a second one",
        async () => {
          // As if the id had been lost: the number is found in Vapi by its E.164.
          await sql`update public.phone_numbers set vapi_phone_number_id = null where id = ${numberId}`;
          const { error } = await client.from("assistant_settings").update({
            escalation_phone: "+442079460998",
          })
            .eq("organisation_id", organisationId);
          if (error) throw new Error(error.message);
          await settle(client, numberId, "connected");
          const numbers = await vapiNumbers(e164);
          assert.equal(numbers.length, 1);
          assert.equal(
            numbers[0].fallbackDestination?.number,
            "+442079460998",
            "the new escalation phone",
          );
        },
      );

      await t.step("turning calls off removes it from Vapi and clears Twilio's URLs", async () => {
        const { error } = await client.from("phone_numbers")
          .update({ voice_enabled: false, messaging_enabled: true }).eq("id", numberId);
        if (error) throw new Error(error.message);
        const row = await settle(client, numberId, "disconnected");
        await waitFor("the disconnect job", async () => {
          await runWorker(SUPABASE_URL, SERVICE_ROLE_KEY);
          return (await vapiNumbers(e164)).length === 0 ? true : undefined;
        }, 20_000);
        const [after] =
          await sql`select vapi_phone_number_id from public.phone_numbers where id = ${numberId}`;
        assert.equal(after.vapi_phone_number_id, null);
        assert.equal(row.voice_connection_error, null);
        const twilio = await twilioNumber(accountSid, e164);
        assert.deepEqual([twilio.voiceFallbackUrl, twilio.statusCallback], ["", ""]);
      });

      await t.step(
        "Vapi down: failed with the reason; Retry once it is back: connected",
        async () => {
          await sandboxControlAt(SUPABASE_URL, "vapi", "POST", "/faults", { down: true });
          try {
            const { error } = await client.from("phone_numbers").update({ voice_enabled: true }).eq(
              "id",
              numberId,
            );
            if (error) throw new Error(error.message);
            const failed = await settle(client, numberId, "failed");
            assert.match(
              failed.voice_connection_error ?? "",
              /^Vapi did not answer \(.+\); it is tried again$/,
            );
            answers.push(JSON.stringify(failed));
          } finally {
            await sandboxControlAt(SUPABASE_URL, "vapi", "DELETE", "/faults");
          }
          const retried = await client.rpc("retry_voice_connection", { phone_number_id: numberId });
          if (retried.error) throw new Error(retried.error.message);
          answers.push(JSON.stringify(retried.data));
          assert.equal((retried.data as NumberRow).voice_connection, "pending");
          const row = await settle(client, numberId, "connected");
          assert.equal(row.voice_connection_error, null);
          assert.equal((await vapiNumbers(e164)).length, 1);
        },
      );

      await t.step(
        "a member cannot Retry; a wrong Twilio token fails with what to do",
        async () => {
          const member = await users.signUp(`voice-member-${tag}@example.test`);
          await sql`insert into public.organisation_members (organisation_id, user_id, role)
          values (${organisationId}, ${member.id}, 'member')`;
          const refused = await member.client.rpc("retry_voice_connection", {
            phone_number_id: numberId,
          });
          assert.equal(refused.error?.code, "42501");
          await client.rpc("set_credential", {
            subject_id: account.id,
            kind: "twilio_auth_token",
            secret: "wrong-token-123456",
          });
          await client.rpc("retry_voice_connection", { phone_number_id: numberId });
          const failed = await settle(client, numberId, "failed");
          assert.equal(
            failed.voice_connection_error,
            `Twilio refused the auth token of account ${accountSid}; set it again under Channels, then Retry`,
          );
          await client.rpc("set_credential", {
            subject_id: account.id,
            kind: "twilio_auth_token",
            secret: authToken,
          });
        },
      );

      await t.step("removing the number removes it from Vapi", async () => {
        await client.rpc("retry_voice_connection", { phone_number_id: numberId });
        await settle(client, numberId, "connected");
        const { error } = await client.from("phone_numbers").delete().eq("id", numberId);
        if (error) throw new Error(error.message);
        // The job leaves Vapi first, then clears Twilio's URLs: wait for the whole job.
        const twilio = await waitFor("the number to leave Vapi and Twilio's URLs", async () => {
          await runWorker(SUPABASE_URL, SERVICE_ROLE_KEY);
          if ((await vapiNumbers(e164)).length > 0) return undefined;
          const number = await twilioNumber(accountSid, e164);
          return number.voiceFallbackUrl === "" ? number : undefined;
        }, 20_000);
        assert.deepEqual([twilio.voiceFallbackUrl, twilio.statusCallback], ["", ""]);
      });

      await t.step(
        "no Twilio or Vapi secret in answers, jobs, the audit log or the logs",
        async () => {
          const jobs =
            await sql`select payload::text || coalesce(last_error, '') as text from private.jobs
          where organisation_id = ${organisationId} or payload ->> 'e164' = ${e164}`;
          assert.ok(jobs.length >= 4);
          const audit = await sql`select to_jsonb(a)::text as text from public.audit_log a
          where organisation_id = ${organisationId}`;
          const logs: string[] = [];
          for await (const entry of Deno.readDir(LOG_DIR)) {
            if (entry.isFile) logs.push(await Deno.readTextFile(`${LOG_DIR}/${entry.name}`));
          }
          const places: [string, string][] = [
            ["an answer", answers.join("\n")],
            ["a job", jobs.map((j) => j.text).join("\n")],
            ["the audit log", audit.map((a) => a.text).join("\n")],
            ["the log files", logs.join("\n")],
          ];
          const secrets = [
            authToken,
            "wrong-token-123456",
            settings.VAPI_API_KEY,
            settings.VAPI_SERVER_SECRET,
          ];
          for (const secret of secrets) {
            assert.ok(secret && secret.length >= 8);
            for (const [where, text] of places) {
              assert.ok(!text.includes(secret), `a secret in ${where}`);
            }
          }
        },
      );
    } finally {
      await sandboxControlAt(SUPABASE_URL, "vapi", "DELETE", "/faults").catch(() => {});
      if (organisationId) await sql`delete from public.organisations where id = ${organisationId}`;
      await users.deleteAll();
      await sql.end();
    }
  },
});
