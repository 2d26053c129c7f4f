// Pull from Google on the real stack and the Google sandbox: each test connects a fresh clinic to
// a fresh sandbox account through the google-oauth flow; from then on the product's own path
// runs — the connection trigger enqueues a watch and a pull, pg_net wakes the worker, staff
// events added through the sandbox's control API notify the google-calendar-webhook function,
// which enqueues a pull. Availability and bookings go through the booking function with the
// owner's JWT, as the dashboard calls it. Nothing here runs jobs by hand: what is measured is
// what a clinic gets.
import assert from "node:assert/strict";
import postgres from "postgres";
import { eventIdFor } from "../../functions/_shared/google/event_id.ts";
import { addDays, localDateOf } from "../../functions/_shared/domain/opening_hours.ts";
import {
  callBooking,
  env,
  runTag,
  SUPABASE_URL,
  type TestUser,
  TestUsers,
  waitFor,
} from "./_helpers.ts";
import { clinicWithAccount, connectCalendar, sandboxControl } from "./_google_sandbox.ts";

const ZONE = "Europe/London";
const tag = runTag();
const users = new TestUsers();
const sql = postgres(env("SUPABASE_DB_URL"), { max: 2, prepare: false, onnotice: () => {} });
let owner: TestUser | undefined;
let clinics = 0;

const control = <T>(method: string, path: string, body?: unknown) =>
  sandboxControl<T>(SUPABASE_URL, method, path, body);

/** Three days ahead, in the clinic's zone: past the booking notice, inside the horizon. */
const DAY = addDays(localDateOf(ZONE, new Date()), 3);
/** That day's wall-clock time as RFC 3339 with London's offset that day. */
function at(time: string): string {
  const probe = new Date(`${DAY}T12:00:00Z`);
  const hour = Number(
    new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, hour: "2-digit", hourCycle: "h23" })
      .format(probe),
  );
  const offset = hour - 12; // 0 (GMT) or 1 (BST)
  return `${DAY}T${time}:00+0${offset}:00`;
}

interface Clinic {
  id: string;
  account: string;
  serviceId: string;
}

async function pullState(clinic: Clinic) {
  const [row] = await sql<
    {
      channel_id: string | null;
      resource_id: string | null;
      last_pulled_at: Date | null;
      last_error: string | null;
    }[]
  >`
    select channel_id::text, resource_id, last_pulled_at, last_error from private.calendar_pulls
    where organisation_id = ${clinic.id} and calendar_id = ${clinic.account}`;
  return row;
}

/**
 * A fresh clinic in London open 08:00–18:00 every day with a 30-minute service, connected to a
 * fresh sandbox account through the google-oauth flow; returns once its calendar is watched
 * and pulled (by the jobs connecting enqueued).
 */
async function makeClinic(): Promise<Clinic> {
  owner ??= await users.signUp(`pull-${tag}-owner@example.com`);
  const { id, account } = await clinicWithAccount(
    SUPABASE_URL,
    owner,
    `pull-${tag}-${++clinics}`,
    ZONE,
  );
  await sql`delete from public.working_hours where organisation_id = ${id}`;
  await sql`
    insert into public.working_hours (organisation_id, weekday, opens, closes)
    select ${id}, d, '08:00', '18:00' from generate_series(1, 7) d`;
  const [service] = await sql<{ id: string }[]>`
    insert into public.services (organisation_id, name, duration_minutes)
    values (${id}, 'Check-up', 30) returning id`;

  await connectCalendar(SUPABASE_URL, owner.accessToken, id, account);
  const clinic = { id, account, serviceId: service.id };
  await waitFor("the calendar is watched and pulled after connecting", async () => {
    const state = await pullState(clinic);
    return state?.channel_id && state.last_pulled_at;
  });
  return clinic;
}

/** The booking function as the clinic's owner. */
const booking = <T>(body: Record<string, unknown>) => callBooking<T>(owner!.accessToken, body);

/** The day's free start times ("HH:MM", local) from the booking function. */
async function freeTimes(clinic: Clinic): Promise<string[]> {
  const { status, body } = await booking<{ slots: { start: string }[] }>({
    action: "availability",
    organisationId: clinic.id,
    serviceId: clinic.serviceId,
    from: DAY,
    to: DAY,
    limit: 200,
  });
  assert.equal(status, 200, JSON.stringify(body));
  return body.slots.map((s) => s.start.slice(11, 16));
}

type Booked = { status: "booked"; appointment: { appointmentId: string } };
type Taken = { status: "taken"; message: string; alternatives: { start: string }[] };

function book(clinic: Clinic, time: string) {
  return booking<Booked | Taken>({
    action: "book",
    organisationId: clinic.id,
    serviceId: clinic.serviceId,
    start: at(time),
    phone: "+447911123456",
    name: "Ada Lovelace",
  });
}

async function staffEvent(clinic: Clinic, from: string, until: string): Promise<string> {
  const event = await control<{ id: string }>(
    "POST",
    `/calendars/${encodeURIComponent(clinic.account)}/events`,
    { summary: "Staff meeting", start: { dateTime: at(from) }, end: { dateTime: at(until) } },
  );
  return event.id;
}

async function pullJobsSince(clinic: Clinic, since: Date): Promise<number> {
  const [{ count }] = await sql<{ count: number }[]>`
    select count(*)::int as count from private.jobs
    where organisation_id = ${clinic.id} and kind = 'google.pull_calendar'
      and created_at >= ${since}`;
  return count;
}

/** Enqueues a job for the clinic's calendar, as the trigger, webhook or backstop would. */
async function enqueue(clinic: Clinic, kind: "google.pull_calendar" | "google.watch_calendar") {
  await sql`
    select private.enqueue_job(${kind}, jsonb_build_object('calendar_id', ${clinic.account}::text),
      ${clinic.id}::uuid, ${`${clinic.id}:${clinic.account}`})`;
}

Deno.test({
  name: "calendar pull",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    try {
      await t.step(
        "a staff event blocks availability within seconds of its push notification; deleting it frees the time",
        async () => {
          const clinic = await makeClinic();
          assert.ok((await freeTimes(clinic)).includes("10:00"), "10:00 is free at first");
          const started = performance.now();
          const eventId = await staffEvent(clinic, "10:00", "10:30");
          const free = await waitFor("10:00 is blocked", async () => {
            const times = await freeTimes(clinic);
            return !times.includes("10:00") && times;
          }, 10_000);
          const blockedMs = performance.now() - started;
          console.log(`staff event → slot blocked in ${blockedMs.toFixed(0)} ms`);
          assert.ok(blockedMs < 10_000);
          // A 30-minute appointment may not overlap 10:00–10:30; the times around it stay.
          assert.ok(!free.includes("09:45") && !free.includes("10:15"));
          assert.ok(free.includes("09:30") && free.includes("10:30"));

          // Staff delete it in Google (answered 204, no body).
          const deleted = await fetch(
            `${SUPABASE_URL}/_local/google/control/calendars/${
              encodeURIComponent(clinic.account)
            }/events/${eventId}`,
            { method: "DELETE" },
          );
          await deleted.body?.cancel();
          assert.ok(deleted.ok, `deleting the staff event: ${deleted.status}`);
          await waitFor(
            "10:00 is free again",
            async () => (await freeTimes(clinic)).includes("10:00"),
            10_000,
          );
        },
      );

      await t.step("events frontdesk created for its bookings are not counted twice", async () => {
        const clinic = await makeClinic();
        const booked = await book(clinic, "11:00");
        assert.equal(booked.status, 200, JSON.stringify(booked.body));
        assert.equal(booked.body.status, "booked");
        const appointmentId = (booked.body as Booked).appointment.appointmentId;
        const ownEvent = eventIdFor(appointmentId);
        // Pushed to Google by its job; then a pull, as a notification or the backstop would.
        await waitFor("the booking is in Google", async () => {
          const page = await control<{ items: { id: string }[] }>(
            "GET",
            `/calendars/${encodeURIComponent(clinic.account)}/events`,
          );
          return page.items.some((e) => e.id === ownEvent);
        });
        const since = new Date();
        await enqueue(clinic, "google.pull_calendar");
        await waitFor(
          "the calendar was pulled after that",
          async () => ((await pullState(clinic)).last_pulled_at?.getTime() ?? 0) > since.getTime(),
        );
        const mirrored = await sql`
          select event_id from public.calendar_busy_blocks where organisation_id = ${clinic.id}`;
        assert.deepEqual(mirrored.map((r) => r.event_id), [], "our own event is not mirrored");

        const cancelled = await booking({ action: "cancel", appointmentId, reason: "test" });
        assert.equal(cancelled.status, 200);
        // Free at once, whether or not Google has deleted our event yet.
        assert.ok((await freeTimes(clinic)).includes("11:00"));
      });

      await t.step(
        "forged notifications (wrong token, unknown channel) enqueue nothing",
        async () => {
          const clinic = await makeClinic();
          const { channel_id, resource_id } = await pullState(clinic);
          const webhook = `${SUPABASE_URL}/functions/v1/google-calendar-webhook`;
          const since = new Date();
          const notify = (headers: Record<string, string>) =>
            fetch(webhook, { method: "POST", headers }).then(async (r) => {
              await r.body?.cancel();
              return r.status;
            });
          // Everything right but the token: only the token tells Google from a forger.
          const base = {
            "x-goog-resource-state": "exists",
            "x-goog-resource-id": resource_id!,
            "x-goog-message-number": "2",
          };
          assert.equal(
            await notify({
              ...base,
              "x-goog-channel-id": channel_id!,
              "x-goog-channel-token": "forged",
            }),
            401,
          );
          assert.equal(await notify({ ...base, "x-goog-channel-id": channel_id! }), 401);
          assert.equal(
            await notify({
              ...base,
              "x-goog-channel-id": crypto.randomUUID(),
              "x-goog-channel-token": "forged",
            }),
            404,
          );
          assert.equal(await notify({ ...base, "x-goog-channel-id": "not-a-uuid" }), 404);
          const get = await fetch(webhook);
          await get.body?.cancel();
          assert.equal(get.status, 405);
          assert.equal(await pullJobsSince(clinic, since), 0);
        },
      );

      await t.step(
        "booking re-checks Google: a staff event the mirror has not seen yet is refused in words",
        async () => {
          const clinic = await makeClinic();
          // Forget the channel, so the sandbox's notification finds no one (404) and the mirror
          // stays behind Google.
          await sql`
            update private.calendar_pulls set channel_id = null, channel_token_sha256 = null
            where organisation_id = ${clinic.id}`;
          await staffEvent(clinic, "12:00", "12:30");
          assert.ok((await freeTimes(clinic)).includes("12:00"), "the mirror has not seen it");

          const answer = await book(clinic, "12:00");
          assert.equal(answer.status, 200, JSON.stringify(answer.body));
          assert.equal(answer.body.status, "taken");
          const taken = answer.body as Taken;
          assert.match(
            taken.message,
            /has another commitment in Google Calendar at 12:00–12:30/,
          );
          assert.equal(taken.alternatives.length, 3);
          assert.ok(taken.alternatives.every((a) => !a.start.includes("T12:00")));
          assert.ok(!(await freeTimes(clinic)).includes("12:00"), "and now mirrored");
        },
      );

      await t.step(
        "a renewed channel replaces the old one, which is stopped at Google and refused here",
        async () => {
          const clinic = await makeClinic();
          const old = await pullState(clinic);
          await enqueue(clinic, "google.watch_calendar");
          const renewed = await waitFor("a new channel", async () => {
            const now = await pullState(clinic);
            return now.channel_id !== old.channel_id && now;
          });
          const open = await control<{ id: string }[]>("GET", "/channels");
          assert.ok(open.some((c) => c.id === renewed.channel_id), "the new channel is open");
          await waitFor(
            "the old channel is stopped",
            () =>
              control<{ id: string }[]>("GET", "/channels").then((channels) =>
                !channels.some((c) => c.id === old.channel_id)
              ),
          );
          const late = await fetch(`${SUPABASE_URL}/functions/v1/google-calendar-webhook`, {
            method: "POST",
            headers: {
              "x-goog-channel-id": old.channel_id!,
              "x-goog-resource-id": old.resource_id!,
              "x-goog-resource-state": "exists",
            },
          });
          await late.body?.cancel();
          assert.equal(late.status, 404);
        },
      );

      await t.step(
        "Google failing a pull → retried later with the reason; the mirror is kept meanwhile",
        async () => {
          const clinic = await makeClinic();
          await staffEvent(clinic, "15:00", "15:30");
          await waitFor(
            "15:00 is blocked",
            async () => !(await freeTimes(clinic)).includes("15:00"),
          );
          await control("POST", "/faults", {
            endpoint: "events.list",
            status: 503,
            times: 1,
            account: clinic.account,
          });
          await enqueue(clinic, "google.pull_calendar");
          const job = await waitFor("the pull failed once", async () => {
            const [row] = await sql<
              { status: string; attempts: number; last_error: string | null; run_after: Date }[]
            >`
              select status, attempts, last_error, run_after from private.jobs
              where organisation_id = ${clinic.id} and kind = 'google.pull_calendar'
                and last_error is not null
              order by id desc limit 1`;
            return row;
          });
          assert.equal(job.status, "pending");
          assert.match(job.last_error!, /503/);
          assert.ok(job.run_after.getTime() > Date.now() + 10_000, "retried with backoff");
          assert.match((await pullState(clinic)).last_error ?? "", /503/);
          assert.ok(!(await freeTimes(clinic)).includes("15:00"), "the mirror still blocks it");
        },
      );

      await t.step(
        "a revoked grant → the pull waits for reconnecting without spending an attempt; the mirror still counts and bookings go on",
        async () => {
          const clinic = await makeClinic();
          await staffEvent(clinic, "16:00", "16:30");
          await waitFor(
            "16:00 is blocked",
            async () => !(await freeTimes(clinic)).includes("16:00"),
          );
          await control("POST", `/accounts/${encodeURIComponent(clinic.account)}/revoke`);
          await enqueue(clinic, "google.pull_calendar");
          const job = await waitFor("the pull is postponed", async () => {
            const [row] = await sql<{ status: string; attempts: number; run_after: Date }[]>`
              select status, attempts, run_after from private.jobs
              where organisation_id = ${clinic.id} and kind = 'google.pull_calendar'
                and last_error is not null
              order by id desc limit 1`;
            return row;
          });
          assert.equal(job.status, "pending");
          assert.equal(job.attempts, 0, "no attempt spent");
          assert.ok(job.run_after.getTime() > Date.now() + 3_600_000, "waits for reconnecting");
          const [connection] = await sql<{ status: string }[]>`
            select status from public.calendar_connections where organisation_id = ${clinic.id}`;
          assert.equal(connection.status, "needs_reauth");
          assert.ok(!(await freeTimes(clinic)).includes("16:00"), "the mirror still blocks it");
          const answer = await book(clinic, "09:00");
          assert.equal(answer.status, 200, JSON.stringify(answer.body));
          assert.equal(answer.body.status, "booked");
        },
      );

      await t.step("Google too slow at booking → the booking stands", async () => {
        const clinic = await makeClinic();
        // The re-check's events.list (the first for this account from now on) waits 5 s.
        const { id: fault } = await control<{ id: string }>("POST", "/faults", {
          endpoint: "events.list",
          delayMs: 5000,
          times: 1,
          account: clinic.account,
        });
        const started = performance.now();
        const answer = await book(clinic, "13:00");
        const tookMs = performance.now() - started;
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        assert.equal(answer.body.status, "booked");
        assert.ok(tookMs < 3000, `booked in ${tookMs.toFixed(0)} ms despite Google's delay`);
        const faults = await control<{ id: string }[]>("GET", "/faults");
        assert.ok(!faults.some((f) => f.id === fault), "the booking did ask Google (and waited)");
      });
    } finally {
      await users.deleteAll();
      await sql.end();
    }
  },
});
