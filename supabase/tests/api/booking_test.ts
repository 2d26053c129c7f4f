// The booking operations on the real stack, through both ways they are reached: the `booking`
// function with a receptionist's JWT (the dashboard's path) and the operations themselves with
// the service role (what the voice and WhatsApp assistants call). Races run truly concurrently:
// exactly one booking wins a slot, every other attempt answers "taken" with alternatives, and
// nothing answers 5xx.
import assert from "node:assert/strict";
import { createClient } from "@supabase/supabase-js";
import type { Database } from "@frontdesk/database";
import {
  addDays,
  localDateOf,
  zonedDateTimeToInstant,
} from "../../functions/_shared/domain/opening_hours.ts";
import { book, type Db, reschedule } from "../../functions/_shared/io/booking.ts";
import {
  ANON_KEY,
  callBooking,
  clientOptions,
  must,
  runTag,
  SERVICE_ROLE_KEY,
  SUPABASE_URL,
  type TestUser,
  TestUsers,
} from "./_helpers.ts";

const ZONE = "Europe/London";
const ATTEMPTS = 100;
const tag = runTag();
const users = new TestUsers();
/** The service role: the assistants' way in to the operations, and arranging and checking. */
const serviceDb: Db = createClient<Database>(SUPABASE_URL, SERVICE_ROLE_KEY, clientOptions);
const admin = serviceDb;

type Answer = { status: number; body: Record<string, unknown> & { message?: string } };
type Slot = { slotId: string; start: string; label: string; practitioners: { id: string }[] };

interface Clinic {
  id: string;
  serviceId: string;
  practitionerId: string;
  member: TestUser;
  outsider: TestUser;
}

/** A clinic open 08:00–18:00 every day, its one practitioner, a 30-minute service (10 after). */
async function makeClinic(): Promise<Clinic> {
  const owner = await users.signUp(`booking-${tag}-owner@example.com`);
  const member = await users.signUp(`booking-${tag}-member@example.com`);
  const outsider = await users.signUp(`booking-${tag}-outsider@example.com`);
  const org = must<{ id: string }>(
    await owner.client.rpc("create_organisation", {
      name: `Booking ${tag}`,
      slug: `booking-${tag}`,
      timezone: ZONE,
      country: "GB",
    }),
    "create_organisation",
  );
  must(
    await outsider.client.rpc("create_organisation", {
      name: `Elsewhere ${tag}`,
      slug: `elsewhere-${tag}`,
      timezone: ZONE,
    }),
    "create_organisation (outsider)",
  );
  const [invitation] = must<{ token: string }[]>(
    await owner.client.rpc("invite_member", {
      organisation_id: org.id,
      email: member.email,
      role: "member",
    }),
    "invite_member",
  );
  must(await member.client.rpc("accept_invitation", { token: invitation.token }), "accept");
  must(
    await owner.client.from("working_hours").insert(
      [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
        organisation_id: org.id,
        weekday,
        opens: "08:00",
        closes: "18:00",
      })),
    ),
    "working_hours",
  );
  const service = rows(
    await admin.from("services").insert({
      organisation_id: org.id,
      name: "Check-up",
      duration_minutes: 30,
      buffer_after_minutes: 10,
    }).select("id").single(),
    "services",
  );
  const practitioner = rows(
    await admin.from("practitioners").select("id").eq("organisation_id", org.id).single(),
    "the clinic's own practitioner",
  );
  return { id: org.id, serviceId: service.id, practitionerId: practitioner.id, member, outsider };
}

/** A typed read's rows, or a throw saying what failed. */
function rows<R extends { data: unknown; error: { message: string } | null }>(
  result: R,
  what: string,
): NonNullable<R["data"]> {
  if (result.error || result.data === null) {
    throw new Error(`${what} failed: ${result.error?.message ?? "no rows"}`);
  }
  return result.data as NonNullable<R["data"]>;
}

/** An instant at a local time `days` after today in the clinic's zone. */
function at(days: number, time: string): number {
  const day = addDays(localDateOf(ZONE, new Date()), days);
  return zonedDateTimeToInstant(ZONE, day, time).getTime();
}

const phone = (i: number) => `07911 1${String(i).padStart(5, "0")}`;

async function bookedAt(clinic: Clinic, instant: number) {
  return must<{ id: string; contact_id: string }[]>(
    await admin.from("appointments").select("id, contact_id")
      .eq("organisation_id", clinic.id).eq("status", "booked")
      .eq("starts_at", new Date(instant).toISOString()),
    "booked appointments",
  );
}

function assertTaken(body: Record<string, unknown>, after: number, what: string) {
  assert.equal(body.status, "taken", `${what}: ${JSON.stringify(body)}`);
  assert.match(String(body.message), /taken|not free/i, what);
  const alternatives = body.alternatives as Slot[];
  assert.equal(alternatives.length, 3, `${what}: three alternatives`);
  for (const alternative of alternatives) {
    assert.ok(Date.parse(alternative.start) > after, `${what}: ${alternative.start} is later`);
    assert.ok(String(body.message).includes(alternative.label), `${what}: named in the message`);
  }
}

let clinic: Clinic;

Deno.test({
  name: "booking",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    try {
      clinic = await makeClinic();
      const token = clinic.member.accessToken;

      await t.step("availability names times in the clinic's zone, with slot ids", async () => {
        const day = addDays(localDateOf(ZONE, new Date()), 3);
        const answer = await callBooking(token, {
          action: "availability",
          organisationId: clinic.id,
          serviceId: clinic.serviceId,
          from: day,
          to: day,
          preference: "afternoon",
          limit: 4,
        });
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        const slots = answer.body.slots as Slot[];
        assert.equal(slots.length, 4);
        assert.equal(Date.parse(slots[0].start), at(3, "12:00"));
        assert.match(slots[0].label, /^(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day \d+ \w+, 12:00$/);
        assert.deepEqual(slots[0].practitioners.map((p) => p.id), [clinic.practitionerId]);
      });

      const target = at(3, "10:00");
      let winnerId = "";
      let targetSlotId = "";

      await t.step(
        `${ATTEMPTS} concurrent bookings of one slot: one booked, the rest taken`,
        async () => {
          const day = addDays(localDateOf(ZONE, new Date()), 3);
          const listed = await callBooking(token, {
            action: "availability",
            organisationId: clinic.id,
            serviceId: clinic.serviceId,
            from: day,
            to: day,
            limit: 200,
          });
          const slot = (listed.body.slots as Slot[]).find((s) => Date.parse(s.start) === target);
          assert.ok(slot, "10:00 is offered");
          targetSlotId = slot.slotId;
          const attempts = Array.from({ length: ATTEMPTS }, async (_, i): Promise<Answer> => {
            const request = {
              organisationId: clinic.id,
              slotId: slot.slotId,
              phone: phone(i),
              name: `Patient ${i}`,
            };
            if (i % 2 === 0) return await callBooking(token, { action: "book", ...request });
            try {
              const body = await book(serviceDb, { ...request, source: "voice" });
              return { status: 200, body };
            } catch (error) {
              return { status: 500, body: { message: String(error) } };
            }
          });
          const answers = await Promise.all(attempts);
          const failed = answers.filter((a) => a.status !== 200);
          assert.deepEqual(failed, [], "every attempt answered 200");
          const booked = answers.filter((a) => a.body.status === "booked");
          assert.equal(booked.length, 1, "exactly one booked");
          for (const answer of answers.filter((a) => a.body.status !== "booked")) {
            assertTaken(answer.body, target, "a losing attempt");
          }
          const rows = await bookedAt(clinic, target);
          assert.equal(rows.length, 1, "one booked row");
          const appointment = booked[0].body.appointment as {
            appointmentId: string;
            label: string;
          };
          assert.equal(appointment.appointmentId, rows[0].id);
          assert.match(appointment.label, /, 10:00$/);
          winnerId = rows[0].id;
        },
      );

      await t.step(
        "a contact's upcoming appointments, found by the number as dialled",
        async () => {
          const { contact_id } = (await bookedAt(clinic, target))[0];
          const winner = rows(
            await admin.from("contacts").select("phone").eq("id", contact_id).single(),
            "the winner's contact",
          );
          const national = `0${winner.phone.slice(3)}`;
          const answer = await callBooking(token, {
            action: "upcoming",
            organisationId: clinic.id,
            phone: national,
          });
          assert.equal(answer.status, 200, JSON.stringify(answer.body));
          const appointments = answer.body.appointments as { appointmentId: string }[];
          assert.deepEqual(appointments.map((a) => a.appointmentId), [winnerId]);
          const nobody = await callBooking(token, {
            action: "upcoming",
            organisationId: clinic.id,
            phone: "+44 7911 299999",
          });
          assert.deepEqual(nobody.body, { contact: null, appointments: [] });
        },
      );

      await t.step("a cancelled slot can be booked again", async () => {
        const cancelled = await callBooking(token, {
          action: "cancel",
          appointmentId: winnerId,
          reason: "Patient called to cancel",
        });
        assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
        assert.equal(cancelled.body.status, "cancelled");
        const again = await callBooking(token, {
          action: "book",
          organisationId: clinic.id,
          slotId: targetSlotId,
          phone: "+447911200500",
          name: "Second Patient",
        });
        assert.equal(again.body.status, "booked", JSON.stringify(again.body));
        assert.equal((await bookedAt(clinic, target)).length, 1);
        const twice = await callBooking(token, { action: "cancel", appointmentId: winnerId });
        assert.ok(twice.status >= 400 && twice.status < 500, `cancelling twice: ${twice.status}`);
        assert.ok(twice.body.message, "says why");
      });

      await t.step(
        "concurrent moves to one time: one moves, the others keep their time",
        async () => {
          // Ten appointments an hour apart tomorrow, all moved at once to 10:00 the day after.
          const starts = Array.from(
            { length: 10 },
            (_, i) => at(1, `${String(8 + i).padStart(2, "0")}:00`),
          );
          const ids: string[] = [];
          for (const [i, start] of starts.entries()) {
            const result = await book(serviceDb, {
              organisationId: clinic.id,
              serviceId: clinic.serviceId,
              start: new Date(start).toISOString(),
              phone: phone(600 + i),
              name: `Mover ${i}`,
              source: "whatsapp",
            });
            assert.equal(result.status, "booked", JSON.stringify(result));
            if (result.status === "booked") {
              ids.push(result.appointment.appointmentId);
            }
          }
          const newTime = at(2, "10:00");
          const answers = await Promise.all(ids.map(async (appointmentId, i): Promise<Answer> => {
            const request = { appointmentId, start: new Date(newTime).toISOString() };
            if (i % 2 === 0) return await callBooking(token, { action: "reschedule", ...request });
            try {
              return { status: 200, body: await reschedule(serviceDb, request) };
            } catch (error) {
              return { status: 500, body: { message: String(error) } };
            }
          }));
          assert.deepEqual(answers.filter((a) => a.status !== 200), [], "every move answered 200");
          const moved = answers.filter((a) => a.body.status === "rescheduled");
          assert.equal(moved.length, 1, "exactly one moved");
          for (const answer of answers.filter((a) => a.body.status !== "rescheduled")) {
            assertTaken(answer.body, newTime, "a losing move");
          }
          const rows = must<{ id: string; starts_at: string; status: string }[]>(
            await admin.from("appointments").select("id, starts_at, status").in("id", ids),
            "the moved appointments",
          );
          const winner = (moved[0].body.appointment as { appointmentId: string }).appointmentId;
          for (const row of rows) {
            assert.equal(row.status, "booked");
            const expected = row.id === winner ? newTime : starts[ids.indexOf(row.id)];
            assert.equal(Date.parse(row.starts_at), expected, `${row.id} is where it should be`);
          }
          // Its own blocked time does not stand in its way: 15 minutes later overlaps it.
          const nudged = await callBooking(token, {
            action: "reschedule",
            appointmentId: winner,
            start: new Date(newTime + 15 * 60_000).toISOString(),
          });
          assert.equal(nudged.body.status, "rescheduled", JSON.stringify(nudged.body));
        },
      );

      await t.step("bad input and refusals answer 4xx with words, never 5xx", async () => {
        const day = addDays(localDateOf(ZONE, new Date()), 3);
        const cases: [string, string, unknown, RegExp][] = [
          ["no action", token, { organisationId: clinic.id }, /action/],
          ["not an object", token, "nope", /JSON object/],
          ["a bad slot id", token, {
            action: "book",
            organisationId: clinic.id,
            slotId: "bm90IGEgc2xvdA",
            phone: phone(1),
            name: "X",
          }, /slotId/],
          ["a bad phone", token, {
            action: "book",
            organisationId: clinic.id,
            slotId: targetSlotId,
            phone: "12",
            name: "X",
          }, /not a phone number/],
          ["dates backwards", token, {
            action: "availability",
            organisationId: clinic.id,
            serviceId: clinic.serviceId,
            from: day,
            to: addDays(day, -1),
          }, /to must not be before from/],
          ["an unknown field", token, {
            action: "cancel",
            appointmentId: winnerId,
            when: "now",
          }, /when/],
          ["another clinic's availability", clinic.outsider.accessToken, {
            action: "availability",
            organisationId: clinic.id,
            serviceId: clinic.serviceId,
            from: day,
            to: day,
          }, /./],
          ["another clinic's appointment", clinic.outsider.accessToken, {
            action: "cancel",
            appointmentId: winnerId,
          }, /./],
          [
            "anon",
            ANON_KEY,
            { action: "upcoming", organisationId: clinic.id, phone: phone(1) },
            /Sign in/,
          ],
        ];
        for (const [what, who, body, message] of cases) {
          const answer = await callBooking(who, body);
          assert.ok(answer.status >= 400 && answer.status < 500, `${what}: ${answer.status}`);
          assert.match(String(answer.body.message), message, `${what}: ${answer.body.message}`);
        }
        const row = rows(
          await admin.from("appointments").select("status").eq("id", winnerId).single(),
          "the cancelled appointment",
        );
        assert.equal(row.status, "cancelled", "the outsider changed nothing");
      });
    } finally {
      await users.deleteAll();
    }
  },
});
