// _shared/io/calls.ts against the real schema: webhooks in any order, replays and races make one
// call row with the latest facts, a status that only moves forward, and one task per call and kind.
import assert from "node:assert/strict";
import postgres from "postgres";
import {
  createCallbackTask,
  linkAppointment,
  recordCall,
} from "../../functions/_shared/io/calls.ts";
import { env } from "./_helpers.ts";

const sql = postgres(env("SUPABASE_DB_URL"), { max: 8, prepare: false, onnotice: () => {} });
const organisations: string[] = [];

async function clinic(): Promise<string> {
  const id = crypto.randomUUID();
  await sql`insert into public.organisations (id, name, slug, timezone)
    values (${id}, 'Calls IO', ${"calls-io-" + id.slice(0, 8)}, 'Europe/London')`;
  organisations.push(id);
  return id;
}

const sid = () => "CA" + crypto.randomUUID().replaceAll("-", "");
const vapiId = () => crypto.randomUUID();

async function callsWith(twilioCallSid: string) {
  return await sql<
    {
      id: string;
      vapi_call_id: string | null;
      status: string;
      summary: string | null;
      duration_seconds: number | null;
      updated_at: Date;
    }[]
  >`select id, vapi_call_id, status, summary, duration_seconds, updated_at
    from public.calls where twilio_call_sid = ${twilioCallSid}`;
}

Deno.test({
  name: "calls io",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const org = await clinic();
    try {
      await t.step("Twilio's CallSid first, then Vapi's event fills the same row", async () => {
        const callSid = sid();
        const first = await recordCall(sql, {
          organisationId: org,
          twilioCallSid: callSid,
          status: "ringing",
        });
        const vapi = vapiId();
        const second = await recordCall(sql, {
          organisationId: org,
          twilioCallSid: callSid,
          vapiCallId: vapi,
          status: "in_progress",
          answeredBy: "assistant",
        });
        assert.equal(second.id, first.id);
        const rows = await callsWith(callSid);
        assert.deepEqual(rows.map((r) => [r.vapi_call_id, r.status]), [[vapi, "in_progress"]]);
      });

      await t.step("Vapi's call id first, then Twilio's status callback by CallSid", async () => {
        const callSid = sid();
        const vapi = vapiId();
        const first = await recordCall(sql, {
          organisationId: org,
          vapiCallId: vapi,
          twilioCallSid: callSid,
        });
        const second = await recordCall(sql, {
          organisationId: org,
          twilioCallSid: callSid,
          status: "ended",
        });
        assert.equal(second.id, first.id);
        assert.equal((await callsWith(callSid))[0].status, "ended");
      });

      await t.step("an ended call stays ended; later non-null facts still win", async () => {
        const callSid = sid();
        await recordCall(sql, {
          organisationId: org,
          twilioCallSid: callSid,
          status: "ended",
          startedAt: "2030-01-01T10:00:00Z",
          endedAt: "2030-01-01T10:02:05Z",
          summary: "first",
        });
        await recordCall(sql, {
          organisationId: org,
          twilioCallSid: callSid,
          status: "in_progress",
          summary: null,
        });
        await recordCall(sql, {
          organisationId: org,
          twilioCallSid: callSid,
          status: "ringing",
          summary: "second",
        });
        const [row] = await callsWith(callSid);
        assert.equal(row.status, "ended");
        assert.equal(row.summary, "second");
        assert.equal(row.duration_seconds, 125);
      });

      await t.step(
        "an end-of-call report replayed 100 times, concurrently: one row, unchanged",
        async () => {
          const callSid = sid();
          const report = {
            organisationId: org,
            twilioCallSid: callSid,
            vapiCallId: vapiId(),
            status: "ended" as const,
            transcript: [{ role: "user" as const, text: "Hello", seconds_from_start: 1.2 }],
            summary: "A caller said hello.",
            cost: 0.1234,
            outcome: "answered" as const,
          };
          const ids = await Promise.all(Array.from({ length: 100 }, () => recordCall(sql, report)));
          assert.equal(new Set(ids.map((i) => i.id)).size, 1);
          const [before] = await callsWith(callSid);
          await recordCall(sql, report);
          const after = await callsWith(callSid);
          assert.equal(after.length, 1);
          assert.equal(
            after[0].updated_at.getTime(),
            before.updated_at.getTime(),
            "a replay changes nothing",
          );
        },
      );

      await t.step("Twilio's and Vapi's first events racing: one row with both ids", async () => {
        for (let i = 0; i < 10; i++) {
          const callSid = sid();
          const vapi = vapiId();
          const [a, b] = await Promise.all([
            recordCall(sql, { organisationId: org, twilioCallSid: callSid, status: "ringing" }),
            recordCall(sql, {
              organisationId: org,
              twilioCallSid: callSid,
              vapiCallId: vapi,
              status: "in_progress",
            }),
          ]);
          assert.equal(a.id, b.id);
          assert.deepEqual((await callsWith(callSid)).map((r) => r.vapi_call_id), [vapi]);
        }
      });

      await t.step("another clinic's call ids are refused and left alone", async () => {
        const callSid = sid();
        await recordCall(sql, { organisationId: org, twilioCallSid: callSid, summary: "mine" });
        const other = await clinic();
        await assert.rejects(
          recordCall(sql, { organisationId: other, twilioCallSid: callSid, summary: "theirs" }),
          /another organisation/,
        );
        assert.equal((await callsWith(callSid))[0].summary, "mine");
      });

      await t.step("one task per call and kind; a recording arriving later is added", async () => {
        const call = await recordCall(sql, { organisationId: org, twilioCallSid: sid() });
        const task = {
          organisationId: org,
          callId: call.id,
          kind: "voicemail" as const,
          callbackE164: "+447700900123",
        };
        const ids = await Promise.all(
          Array.from({ length: 10 }, () => createCallbackTask(sql, task)),
        );
        assert.equal(new Set(ids.map((i) => i.id)).size, 1);
        const again = await createCallbackTask(sql, {
          ...task,
          recordingUrl: "https://example.test/r.mp3",
        });
        assert.equal(again.id, ids[0].id);
        const [row] =
          await sql`select recording_url, status from public.callback_tasks where id = ${again.id}`;
        assert.deepEqual({ ...row }, {
          recording_url: "https://example.test/r.mp3",
          status: "open",
        });
        const message = await createCallbackTask(sql, {
          ...task,
          kind: "message",
          reason: "Call me",
        });
        assert.notEqual(message.id, again.id);
      });

      await t.step("a call's appointment is linked once per action", async () => {
        const call = await recordCall(sql, { organisationId: org, vapiCallId: vapiId() });
        const [{ id: service }] =
          await sql`insert into public.services (organisation_id, name, duration_minutes)
          values (${org}, 'Check-up', 30) returning id`;
        const [{ id: practitioner }] = await sql`
          select id from public.practitioners where organisation_id = ${org} limit 1`;
        const [contact] = await sql`insert into public.contacts (organisation_id, name, phone)
          values (${org}, 'Ann', '+447700900555') returning id`;
        const [appointment] = await sql`
          insert into public.appointments (organisation_id, practitioner_id, service_id, contact_id, starts_at, ends_at)
          values (${org}, ${practitioner}, ${service}, ${contact.id}, '2030-01-07 10:00Z', '2030-01-07 10:30Z')
          returning id`;
        await linkAppointment(sql, call.id, appointment.id, "booked");
        await linkAppointment(sql, call.id, appointment.id, "booked");
        await linkAppointment(sql, call.id, appointment.id, "cancelled");
        const links =
          await sql`select action from public.call_appointments where call_id = ${call.id} order by action`;
        assert.deepEqual(links.map((l) => l.action), ["booked", "cancelled"]);
      });
    } finally {
      await sql`delete from public.organisations where id = any(${organisations}::uuid[])`;
      await sql.end();
    }
  },
});
