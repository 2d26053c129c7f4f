// Push to Google on the real stack and the Google sandbox: each test connects a fresh clinic to a
// fresh sandbox account through the google-oauth flow (start → consent page → callback), books
// with the booking RPCs as the product does, runs the worker (POST /functions/v1/worker with the
// service role, as the wake and pg_cron do) and reads what Google holds through the sandbox's
// control API. Every appointment must show in Google exactly once, whatever fails on the way.
import assert from "node:assert/strict";
import postgres from "postgres";
import { createClient } from "@supabase/supabase-js";
import type { Database } from "@frontdesk/database";
import { localDateTimeOf } from "../../functions/_shared/domain/opening_hours.ts";
import { eventIdFor } from "../../functions/_shared/google/event_id.ts";
import { REAUTH_SENTENCE } from "../../functions/_shared/google/tokens.ts";
import {
  clientOptions,
  env,
  must,
  runTag,
  SERVICE_ROLE_KEY,
  SUPABASE_URL,
  type TestUser,
  TestUsers,
} from "./_helpers.ts";
import { clinicWithAccount, connectCalendar, sandboxControl } from "./_google_sandbox.ts";
import { runWorker } from "./_worker.ts";

const ZONE = "Europe/London";
const tag = runTag();
const users = new TestUsers();
const admin = createClient<Database>(SUPABASE_URL, SERVICE_ROLE_KEY, clientOptions);
const sql = postgres(env("SUPABASE_DB_URL"), { max: 2, prepare: false, onnotice: () => {} });
let owner: TestUser | undefined;
let clinics = 0;

interface SandboxEvent {
  id: string;
  status: string;
  summary?: string;
  description?: string;
  start: { dateTime: string; timeZone?: string };
  end: { dateTime: string; timeZone?: string };
  extendedProperties?: { private?: Record<string, string> };
}

const control = <T>(method: string, path: string, body?: unknown) =>
  sandboxControl<T>(SUPABASE_URL, method, path, body);

/** The events Google shows in a calendar (deleted ones are not shown). */
async function eventsIn(calendarId: string): Promise<SandboxEvent[]> {
  const page = await control<{ items: SandboxEvent[] }>(
    "GET",
    `/calendars/${encodeURIComponent(calendarId)}/events`,
  );
  return page.items;
}

/** An event's start and end as instants and as the clinic's wall clock, and their zones. */
function timesOf(event: SandboxEvent) {
  const times = [event.start, event.end];
  return {
    instants: times.map((t) => new Date(t.dateTime).toISOString()),
    local: times.map((t) => {
      const { date, time } = localDateTimeOf(ZONE, new Date(t.dateTime));
      return `${date} ${time}`;
    }),
    zones: times.map((t) => t.timeZone),
  };
}

/** Runs the worker until `check` holds (or fails after `timeoutMs`). */
async function workUntil(what: string, check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await runWorker(SUPABASE_URL, SERVICE_ROLE_KEY);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Sync {
  calendar_sync: string | null;
  calendar_sync_error: string | null;
  calendar_event_calendar_id: string | null;
}

async function syncOf(appointmentId: string): Promise<Sync> {
  const [row] = await sql<Sync[]>`
    select calendar_sync, calendar_sync_error, calendar_event_calendar_id
    from public.appointments where id = ${appointmentId}`;
  return row;
}

const synced = (appointmentId: string) => async () =>
  (await syncOf(appointmentId)).calendar_sync === "synced";

interface Clinic {
  id: string;
  account: string;
  /** A second calendar of the account, for a practitioner of its own. */
  chairTwo: string;
  serviceId: string;
  practitionerId: string;
  contactId: string;
}

/** Connects (or reconnects) the clinic's calendar through the google-oauth flow as its owner. */
const connect = (organisationId: string, account: string) =>
  connectCalendar(SUPABASE_URL, owner!.accessToken, organisationId, account);

/** A fresh clinic in London with a 60-minute service, a patient, and a fresh Google account. */
async function makeClinic(): Promise<Clinic> {
  owner ??= await users.signUp(`push-${tag}-owner@example.com`);
  const n = ++clinics;
  const chairTwo = `chair2-${tag}-${n}@group.calendar.google.com`;
  const { id, account } = await clinicWithAccount(SUPABASE_URL, owner, `push-${tag}-${n}`, ZONE, [
    { id: chairTwo, summary: "Chair 2" },
  ]);
  const [service] = await sql<{ id: string }[]>`
    insert into public.services (organisation_id, name, duration_minutes)
    values (${id}, 'Check-up', 60) returning id`;
  const [practitioner] = await sql<{ id: string }[]>`
    select id from public.practitioners where organisation_id = ${id}`;
  const contact = must<{ id: string }>(
    await admin.rpc("find_or_create_contact", {
      organisation_id: id,
      phone: "+447700900123",
      name: "Ada Lovelace",
    }),
    "find_or_create_contact",
  );
  await connect(id, account);
  return {
    id,
    account,
    chairTwo,
    serviceId: service.id,
    practitionerId: practitioner.id,
    contactId: contact.id,
  };
}

async function bookAt(clinic: Clinic, startsAt: string): Promise<string> {
  const appointment = must<{ id: string }>(
    await admin.rpc("book_appointment", {
      organisation_id: clinic.id,
      service_id: clinic.serviceId,
      practitioner_id: clinic.practitionerId,
      starts_at: startsAt,
      contact_id: clinic.contactId,
    }),
    "book_appointment",
  );
  return appointment.id;
}

/** The non-deleted events of the appointment in a calendar (exactly once means length 1). */
async function eventsOf(calendarId: string, appointmentId: string) {
  return (await eventsIn(calendarId)).filter((e) => e.id === eventIdFor(appointmentId));
}

async function pushJob(appointmentId: string) {
  const [job] = await sql<
    { id: number; status: string; attempts: number; last_error: string | null; run_after: Date }[]
  >`
    select id, status, attempts, last_error, run_after from private.jobs
    where kind = 'google.push_appointment' and dedupe_key = ${appointmentId}
    order by id desc limit 1`;
  return job;
}

Deno.test({
  name: "calendar push",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    try {
      await t.step(
        "booking → exactly one event with local times across both DST changes; reschedule, another calendar and cancel follow",
        async () => {
          const clinic = await makeClinic();
          // London: 01:00 GMT → 02:00 BST on 28 March 2027; 02:00 BST → 01:00 GMT on 31 October.
          const spring = await bookAt(clinic, "2027-03-28T00:30:00Z");
          const autumn = await bookAt(clinic, "2027-10-31T00:30:00Z");
          await workUntil(
            "both are synced",
            async () => (await synced(spring)()) && (await synced(autumn)()),
          );

          const all = await eventsIn(clinic.account);
          assert.equal(all.length, 2, "one event per appointment");
          const [springEvent] = await eventsOf(clinic.account, spring);
          assert.equal(springEvent.summary, "Check-up — Ada Lovelace");
          assert.doesNotMatch(springEvent.description ?? "", /7700900123/);
          assert.equal(springEvent.extendedProperties?.private?.appointmentId, spring);
          // An hour long, 00:30 GMT to 02:30 BST on the clinic's clock, in the clinic's zone.
          assert.deepEqual(timesOf(springEvent), {
            instants: ["2027-03-28T00:30:00.000Z", "2027-03-28T01:30:00.000Z"],
            local: ["2027-03-28 00:30", "2027-03-28 02:30"],
            zones: [ZONE, ZONE],
          });
          const [autumnEvent] = await eventsOf(clinic.account, autumn);
          // 01:30 BST to 01:30 GMT: the same wall clock reading twice, an hour apart.
          assert.deepEqual(timesOf(autumnEvent), {
            instants: ["2027-10-31T00:30:00.000Z", "2027-10-31T01:30:00.000Z"],
            local: ["2027-10-31 01:30", "2027-10-31 01:30"],
            zones: [ZONE, ZONE],
          });
          assert.deepEqual(await syncOf(spring), {
            calendar_sync: "synced",
            calendar_sync_error: null,
            calendar_event_calendar_id: clinic.account,
          });

          must(
            await admin.rpc("reschedule_appointment", {
              appointment_id: spring,
              starts_at: "2027-03-29T09:00:00Z",
            }),
            "reschedule",
          );
          assert.equal(
            (await syncOf(spring)).calendar_sync,
            "pending",
            "a change is pending at once",
          );
          await workUntil("the reschedule is synced", synced(spring));
          const moved = await eventsOf(clinic.account, spring);
          assert.equal(moved.length, 1);
          assert.deepEqual(timesOf(moved[0]).local, ["2027-03-29 10:00", "2027-03-29 11:00"]);

          // The practitioner gets a calendar of their own: both appointments move there.
          must(
            await admin.from("practitioners").update({ google_calendar_id: clinic.chairTwo })
              .eq("id", clinic.practitionerId),
            "practitioner's calendar",
          );
          await workUntil("both moved", async () => {
            const both = [await syncOf(spring), await syncOf(autumn)];
            return both.every((s) =>
              s.calendar_sync === "synced" && s.calendar_event_calendar_id === clinic.chairTwo
            );
          });
          assert.equal(
            (await eventsIn(clinic.account)).length,
            0,
            "gone from the clinic's calendar",
          );
          assert.equal((await eventsOf(clinic.chairTwo, spring)).length, 1, "in theirs once");
          assert.equal((await eventsOf(clinic.chairTwo, autumn)).length, 1);

          // Booked with another practitioner, who has none: back to the clinic's calendar.
          const [{ id: other }] = await sql<{ id: string }[]>`
            insert into public.practitioners (organisation_id, display_name)
            values (${clinic.id}, 'Dr Two') returning id`;
          await sql`insert into public.practitioner_services (organisation_id, practitioner_id, service_id)
            values (${clinic.id}, ${other}, ${clinic.serviceId})`;
          must(
            await admin.rpc("reschedule_appointment", {
              appointment_id: spring,
              starts_at: "2027-03-29T09:00:00Z",
              practitioner_id: other,
            }),
            "change of practitioner",
          );
          await workUntil("the move is synced", synced(spring));
          assert.equal((await eventsOf(clinic.chairTwo, spring)).length, 0, "gone from theirs");
          assert.equal((await eventsOf(clinic.account, spring)).length, 1, "in the clinic's once");
          assert.equal((await syncOf(spring)).calendar_event_calendar_id, clinic.account);

          must(
            await admin.rpc("cancel_appointment", { appointment_id: spring, reason: "Away" }),
            "cancel",
          );
          await workUntil("the cancellation is synced", synced(spring));
          assert.equal((await eventsIn(clinic.account)).length, 0, "cancelled: deleted");
          assert.equal((await syncOf(spring)).calendar_event_calendar_id, null);
          assert.equal((await eventsIn(clinic.chairTwo)).length, 1, "the other appointment stays");
        },
      );

      await t.step(
        "Google down → the booking stands, pending with the reason; after recovery exactly one event",
        async () => {
          const clinic = await makeClinic();
          const { id: fault } = await control<{ id: string }>("POST", "/faults", {
            endpoint: "events.insert",
            status: 503,
            account: clinic.account,
          });
          const appointment = await bookAt(clinic, "2027-02-01T10:00:00Z");
          await workUntil(
            "the push failed once",
            async () =>
              (await pushJob(appointment)).attempts > 0 &&
              (await syncOf(appointment)).calendar_sync_error !== null,
          );
          const waiting = await syncOf(appointment);
          assert.equal(waiting.calendar_sync, "pending");
          assert.match(waiting.calendar_sync_error!, /503/);
          assert.match(waiting.calendar_sync_error!, /Trying again/);
          const job = await pushJob(appointment);
          assert.equal(job.status, "pending");
          assert.ok(job.run_after.getTime() > Date.now(), "retried later, with backoff");
          assert.equal((await eventsOf(clinic.account, appointment)).length, 0);

          await control("DELETE", `/faults/${fault}`);
          await sql`select private.resume_jobs(${clinic.id}, 'google.')`;
          await workUntil("synced after recovery", synced(appointment));
          assert.equal((await eventsOf(clinic.account, appointment)).length, 1);
          assert.equal((await syncOf(appointment)).calendar_sync_error, null);
        },
      );

      await t.step(
        "a push out of attempts is dead, and the appointment failed with the reason",
        async () => {
          const clinic = await makeClinic();
          await control("POST", "/faults", {
            endpoint: "events.insert",
            status: 500,
            account: clinic.account,
          });
          // One attempt allowed, set before any worker can take it.
          const appointment = await sql.begin(async (tx) => {
            const [{ id }] = await tx<{ id: string }[]>`
            select (public.book_appointment(${clinic.id}, ${clinic.serviceId},
              ${clinic.practitionerId}, '2027-02-04T10:00:00Z', ${clinic.contactId})).id`;
            await tx`update private.jobs set max_attempts = 1
            where kind = 'google.push_appointment' and dedupe_key = ${id}`;
            return id;
          });
          await workUntil(
            "the push is dead",
            async () => (await pushJob(appointment)).status === "dead",
          );
          const failed = await syncOf(appointment);
          assert.equal(failed.calendar_sync, "failed");
          assert.match(failed.calendar_sync_error!, /500.*Gave up after 1 attempt\.$/);
        },
      );

      await t.step(
        "a worker killed after its insert → the job is claimed again when its lock expires, still one event",
        async () => {
          const clinic = await makeClinic();
          // Booked and the job taken by a worker that then dies, in one transaction (so no
          // other worker takes it first): claimed as claim_jobs does, locked for three seconds.
          const appointment = await sql.begin(async (tx) => {
            const [{ id }] = await tx<{ id: string }[]>`
            select (public.book_appointment(${clinic.id}, ${clinic.serviceId},
              ${clinic.practitionerId}, '2027-02-02T10:00:00Z', ${clinic.contactId})).id`;
            await tx`
            update private.jobs set status = 'running', attempts = attempts + 1,
              locked_until = now() + interval '3 seconds', locked_by = 'a worker that dies'
            where kind = 'google.push_appointment' and dedupe_key = ${id}`;
            return id;
          });
          // Its insert reached Google before it died: the event is there, its state unrecorded.
          await control("POST", `/calendars/${encodeURIComponent(clinic.account)}/events`, {
            id: eventIdFor(appointment),
            summary: "Check-up — Ada Lovelace",
            start: { dateTime: "2027-02-02T10:00:00+00:00", timeZone: ZONE },
            end: { dateTime: "2027-02-02T11:00:00+00:00", timeZone: ZONE },
            extendedProperties: { private: { appointmentId: appointment } },
          });
          assert.equal((await syncOf(appointment)).calendar_sync, "pending");

          await new Promise((resolve) => setTimeout(resolve, 3_100));
          await workUntil("synced by the next worker", synced(appointment));
          const job = await pushJob(appointment);
          assert.equal(job.status, "done");
          assert.equal(job.attempts, 2, "claimed again after the lock expired");
          const events = await eventsOf(clinic.account, appointment);
          assert.equal(events.length, 1, "still one event");
          // Confirmed as ours (its private property) and brought up to date by a patch.
          assert.match(events[0].description ?? "", /Booked by Frontdesk/);
        },
      );

      await t.step(
        "invalid_grant → needs_reauth, the push waits without spending attempts; reconnecting flushes it",
        async () => {
          const clinic = await makeClinic();
          await control("POST", `/accounts/${encodeURIComponent(clinic.account)}/revoke`);
          const appointment = await bookAt(clinic, "2027-02-03T10:00:00Z");
          await workUntil("the connection needs re-authorisation", async () => {
            const [connection] = await sql<{ status: string }[]>`
            select status from public.calendar_connections where organisation_id = ${clinic.id}`;
            return connection.status === "needs_reauth" &&
              (await syncOf(appointment)).calendar_sync_error === REAUTH_SENTENCE;
          });
          await runWorker(SUPABASE_URL, SERVICE_ROLE_KEY);
          const waiting = await pushJob(appointment);
          assert.equal(waiting.status, "pending", "not dead");
          assert.equal(waiting.attempts, 0, "no attempt spent");
          assert.ok(waiting.run_after.getTime() > Date.now() + 60 * 60_000, "waits for the owner");
          assert.equal((await syncOf(appointment)).calendar_sync, "pending");

          await connect(clinic.id, clinic.account);
          await workUntil("synced after reconnecting", synced(appointment), 15_000);
          assert.equal((await eventsOf(clinic.account, appointment)).length, 1);
        },
      );
    } finally {
      await users.deleteAll();
      await sql.end();
    }
  },
});
