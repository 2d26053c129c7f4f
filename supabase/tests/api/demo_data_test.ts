// The demo data of supabase/seed.sql: the receptionist configuration is exactly the test data
// the prompt snapshots are built from, the seeded channels route to their clinic, the demo
// practitioners have an agenda, the rotation report has content, and the demo logins see
// credential metadata but never a secret.
// Reads only (a decryption is rolled back), so it runs against any seeded stack.
import assert from "node:assert/strict";
import { createClient } from "@supabase/supabase-js";
import postgres from "postgres";
import { decryptCredential } from "../../functions/_shared/io/credentials.ts";
import type { ReceptionistConfig } from "../../functions/_shared/domain/receptionist_config.ts";
import { loadReceptionistConfig } from "../../functions/_shared/io/receptionist_config_store.ts";
import {
  routeMetaWhatsApp,
  routeTwilioMessage,
  routeVoiceCall,
} from "../../functions/_shared/io/routing.ts";
import {
  northsideDental,
  riversidePhysio,
} from "../../functions/_shared/domain/testdata/demo_clinics.ts";

function env(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

/** A connection for one test, closed after it (the test sanitizers want nothing left open). */
async function withSql<T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(env("SUPABASE_DB_URL"), { max: 1, prepare: false, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end();
  }
}

const SUPABASE_URL = env("SUPABASE_URL").replace(/\/+$/, "");
const ANON_KEY = env("SUPABASE_ANON_KEY");

// The seed's fixed ids (listed at the top of supabase/seed.sql).
const NORTHSIDE = "10000000-0000-4000-8000-000000000001";
const RIVERSIDE = "10000000-0000-4000-8000-000000000002";

const CLINICS = [
  { orgId: NORTHSIDE, config: northsideDental },
  { orgId: RIVERSIDE, config: riversidePhysio },
];

// ---------------------------------------------------------------------------------------------
// Configuration: seed and test data cannot drift
// ---------------------------------------------------------------------------------------------

const byKey = <T>(key: (item: T) => string) => (a: T, b: T) =>
  key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** Row order from the database is unspecified, and the seed has its own organisation id. */
function normalise(config: ReceptionistConfig, organisationId: string, today: string) {
  return {
    ...config,
    organisation: { ...config.organisation, id: organisationId },
    intents: [...config.intents].sort(byKey((i) => i.id)),
    faq: [...config.faq].sort(byKey((f) => f.id)),
    workingHours: [...config.workingHours].sort(
      byKey((w) => `${w.weekday} ${w.opens.slice(0, 5)}`),
    ),
    // The loader leaves out closures that are over by `today`.
    closures: config.closures.filter((c) => c.endsOn >= today).sort(byKey((c) => c.startsOn)),
    services: [...config.services].sort(byKey((s) => s.id)),
  };
}

const localToday = new Date().toISOString().slice(0, 10);

for (const { orgId, config } of CLINICS) {
  Deno.test(`demo data: ${config.organisation.name}'s configuration is the test data's`, async () => {
    // A date before every closure compares all of them; today's date, what the webhooks see.
    for (const today of ["2000-01-01", localToday]) {
      const loaded = await withSql((sql) => loadReceptionistConfig(sql, orgId, today));
      assert.ok(loaded, `${config.organisation.name} has a configuration`);
      assert.deepEqual(
        normalise(loaded, orgId, today),
        normalise(config, orgId, today),
        `seed.sql and testdata/demo_clinics.ts differ for ${config.organisation.name} (${today})`,
      );
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Routing by the seeded channels
// ---------------------------------------------------------------------------------------------

Deno.test("demo data: the seeded channels route to their clinic", (t) =>
  withSql(async (sql) => {
    await t.step("voice, by the called number", async () => {
      assert.deepEqual(await routeVoiceCall(sql, "+44 20 7946 0123"), {
        routable: true,
        organisationId: NORTHSIDE,
        phoneNumberId: "60000000-0000-4000-8000-000000000001",
        twilioAccountId: "50000000-0000-4000-8000-000000000001",
        accountSid: "ACdb526de9a50c358f82d03e0713174f62",
        timezone: "Europe/London",
      });
      assert.deepEqual(await routeVoiceCall(sql, "+37167000123"), {
        routable: true,
        organisationId: RIVERSIDE,
        phoneNumberId: "60000000-0000-4000-8000-000000000002",
        twilioAccountId: "50000000-0000-4000-8000-000000000002",
        accountSid: "AC7ce37dc3cbaed18c8f4d14f559ef2ead",
        timezone: "Europe/Riga",
      });
    });

    await t.step("WhatsApp Cloud API, by phone_number_id", async () => {
      assert.deepEqual(await routeMetaWhatsApp(sql, "106540352242922"), {
        routable: true,
        organisationId: NORTHSIDE,
        channelId: "70000000-0000-4000-8000-000000000001",
      });
      assert.deepEqual(await routeMetaWhatsApp(sql, "113907584401237"), {
        routable: true,
        organisationId: RIVERSIDE,
        channelId: "70000000-0000-4000-8000-000000000002",
      });
    });

    await t.step("Twilio messaging, by AccountSid and To", async () => {
      const riversideSid = "AC7ce37dc3cbaed18c8f4d14f559ef2ead";
      assert.deepEqual(await routeTwilioMessage(sql, riversideSid, "whatsapp:+37167000123"), {
        routable: true,
        organisationId: RIVERSIDE,
        twilioAccountId: "50000000-0000-4000-8000-000000000002",
        channel: { kind: "whatsapp", channelId: "70000000-0000-4000-8000-000000000003" },
      });
      assert.deepEqual(await routeTwilioMessage(sql, riversideSid, "+37167000123"), {
        routable: true,
        organisationId: RIVERSIDE,
        twilioAccountId: "50000000-0000-4000-8000-000000000002",
        channel: { kind: "sms", phoneNumberId: "60000000-0000-4000-8000-000000000002" },
      });
      assert.deepEqual(
        await routeTwilioMessage(sql, "ACdb526de9a50c358f82d03e0713174f62", "+37167000123"),
        { routable: false, reason: "unknown" },
        "Riverside's number is not Northside's",
      );
    });

    await t.step("the routed channel's secret is in Vault (decryption rolled back)", async () => {
      // Decrypting appends to the audit log, which nothing may change afterwards: inside a
      // transaction that is rolled back, a dev stack keeps its audit log as seeded.
      const conn = await sql.reserve();
      try {
        await conn`begin`;
        assert.equal(
          await decryptCredential(
            conn,
            "70000000-0000-4000-8000-000000000001",
            "meta_access_token",
          ),
          "demo-secret-meta-northside-e4f2",
        );
        assert.equal(
          await decryptCredential(
            conn,
            "50000000-0000-4000-8000-000000000002",
            "twilio_auth_token",
          ),
          "demo-secret-twilio-riverside-3d8b",
        );
        const audit = await conn<{ actor_label: string; organisation_id: string }[]>`
          select actor_label, organisation_id from public.audit_log
          where action = 'credential.decrypted' and target_id in (
            '70000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000002')
          order by id desc limit 2`;
        assert.deepEqual(audit.map((a) => ({ ...a })), [
          { actor_label: "system", organisation_id: RIVERSIDE },
          { actor_label: "system", organisation_id: NORTHSIDE },
        ]);
      } finally {
        await conn`rollback`;
        conn.release();
      }
    });
  }));

// ---------------------------------------------------------------------------------------------
// Booking: practitioners and a live agenda around the time the seed ran
// ---------------------------------------------------------------------------------------------

Deno.test("demo data: each clinic's practitioners perform its services", async () => {
  const rows = await withSql((sql) =>
    sql<{ organisation_id: string; display_name: string; services: string }[]>`
    select p.organisation_id, p.display_name,
      string_agg(s.name, ', ' order by s.name) filter (where s.active) as services
    from public.practitioners p
    join public.practitioner_services ps on ps.practitioner_id = p.id
    join public.services s on s.id = ps.service_id
    where p.id in (
      '90000000-0000-4000-8000-000000000001', '90000000-0000-4000-8000-000000000002',
      '90000000-0000-4000-8000-000000000003', '90000000-0000-4000-8000-000000000004',
      '90000000-0000-4000-8000-000000000005')
    group by p.organisation_id, p.display_name, p.position
    order by p.organisation_id, p.position`
  );
  assert.deepEqual(rows.map((r) => ({ ...r })), [
    {
      organisation_id: NORTHSIDE,
      display_name: "Dr Sarah Hale",
      services: "Check-up, Emergency appointment",
    },
    {
      organisation_id: NORTHSIDE,
      display_name: "Dr James Okafor",
      services: "Check-up, Emergency appointment",
    },
    {
      organisation_id: NORTHSIDE,
      display_name: "Emily Clarke (hygienist)",
      services: "Hygiene appointment",
    },
    ...["Jānis Bērziņš", "Anna Kalniņa"].map((display_name) => ({
      organisation_id: RIVERSIDE,
      display_name,
      services: "Follow-up session, Initial assessment, Sports massage",
    })),
  ]);
});

Deno.test("demo data: about 40 appointments over the week before and after the seed, each in its practitioner's hours", async () => {
  // The seed's rows: created with the seeded patients (later tests may book more).
  const [facts] = await withSql((sql) =>
    sql<
      {
        seeded: number;
        before: number;
        after: number;
        statuses: string;
        outside_week: number;
        outside_hours: number;
      }[]
    >`
    with seed as (
      select c.created_at as at from public.contacts c
      where c.id = '91000000-0000-4000-8000-000000000001'
    ),
    seeded as (
      select a.*, o.timezone from public.appointments a
      join public.organisations o on o.id = a.organisation_id, seed
      where a.organisation_id in (${NORTHSIDE}, ${RIVERSIDE})
        and a.created_at < seed.at + interval '1 minute'
    )
    select count(*)::int as seeded,
      count(*) filter (where a.starts_at < seed.at)::int as before,
      count(*) filter (where a.starts_at > seed.at)::int as after,
      string_agg(distinct a.status::text, ', ' order by a.status::text)
        filter (where a.starts_at < seed.at) as statuses,
      count(*) filter (where a.starts_at not between seed.at - interval '8 days'
        and seed.at + interval '8 days')::int as outside_week,
      count(*) filter (where not exists (
        select from (
          select h.weekday, h.opens, h.closes from public.practitioner_hours h
          where h.practitioner_id = a.practitioner_id
          union all
          select w.weekday, w.opens, w.closes from public.working_hours w
          where w.organisation_id = a.organisation_id and not exists (
            select from public.practitioner_hours h where h.practitioner_id = a.practitioner_id)
        ) hours
        where hours.weekday = extract(isodow from a.starts_at at time zone a.timezone)
          and (a.starts_at at time zone a.timezone)::time >= hours.opens
          and (a.ends_at at time zone a.timezone)::time <= hours.closes
      ))::int as outside_hours
    from seeded a, seed`
  );
  assert.ok(facts.seeded >= 30 && facts.seeded <= 60, `${facts.seeded} seeded appointments`);
  assert.ok(
    facts.before >= 10 && facts.after >= 10,
    `${facts.before} before, ${facts.after} after`,
  );
  assert.equal(facts.statuses, "booked, cancelled, completed, no_show", "statuses in the past");
  assert.equal(facts.outside_week, 0, "all within a week of the seed");
  assert.equal(facts.outside_hours, 0, "all within their practitioner's working hours");
});

// ---------------------------------------------------------------------------------------------
// Voice: numbers connected to the assistant, a few days of calls, callbacks to make
// ---------------------------------------------------------------------------------------------

Deno.test("demo data: both voice numbers are connected to the Vapi sandbox's demo numbers", async () => {
  const rows = await withSql((sql) =>
    sql<{ organisation_id: string; vapi_phone_number_id: string; voice_connection: string }[]>`
    select organisation_id, vapi_phone_number_id, voice_connection::text
    from public.phone_numbers
    where organisation_id in (${NORTHSIDE}, ${RIVERSIDE}) and voice_enabled
    order by organisation_id`
  );
  assert.deepEqual(rows.map((r) => ({ ...r })), [
    {
      organisation_id: NORTHSIDE,
      vapi_phone_number_id: "vapi-demo-442079460123",
      voice_connection: "connected",
    },
    {
      organisation_id: RIVERSIDE,
      vapi_phone_number_id: "vapi-demo-37167000123",
      voice_connection: "connected",
    },
  ]);
});

Deno.test("demo data: each clinic's calls of the last days, booked ones linked to their appointment", async () => {
  const rows = await withSql((sql) =>
    sql<
      {
        organisation_id: string;
        outcomes: string;
        calls: number;
        not_recorded: number;
        outside_days: number;
        booked_unlinked: number;
        linked_elsewhere: number;
        open_tasks: number;
      }[]
    >`
    with seeded as (
      select c.* from public.calls c where c.id::text like '92000000-%'
    )
    select c.organisation_id,
      string_agg(distinct c.outcome::text, ', ' order by c.outcome::text) as outcomes,
      count(*)::int as calls,
      count(*) filter (where c.status <> 'ended' or c.summary is null
        or jsonb_array_length(c.transcript) = 0 or c.duration_seconds is null
        or c.to_e164 is distinct from n.e164)::int as not_recorded,
      count(*) filter (where c.started_at not between now() - interval '4 days' and now())::int
        as outside_days,
      count(*) filter (where c.outcome = 'booked' and not exists (
        select from public.call_appointments ca where ca.call_id = c.id and ca.action = 'booked'
      ))::int as booked_unlinked,
      (select count(*) from public.call_appointments ca
        join public.appointments a on a.id = ca.appointment_id
        join seeded s on s.id = ca.call_id
        where s.organisation_id = c.organisation_id
          and (a.contact_id is distinct from s.contact_id or a.starts_at < s.ended_at))::int
        as linked_elsewhere,
      (select count(*) from public.callback_tasks t
        where t.organisation_id = c.organisation_id and t.status = 'open')::int as open_tasks
    from seeded c
    join public.phone_numbers n on n.id = c.phone_number_id
    group by c.organisation_id
    order by c.organisation_id`
  );
  assert.deepEqual(rows.map((r) => r.organisation_id), [NORTHSIDE, RIVERSIDE]);
  for (const clinic of rows) {
    assert.ok(clinic.calls >= 5, `${clinic.calls} calls`);
    for (const outcome of ["abandoned", "booked", "message_taken", "transferred"]) {
      assert.ok(clinic.outcomes.includes(outcome), `${clinic.organisation_id}: ${outcome}`);
    }
    assert.equal(clinic.not_recorded, 0, "every call ended, with transcript, summary, length");
    assert.equal(clinic.outside_days, 0, "every call within the last days");
    assert.equal(clinic.booked_unlinked, 0, "every booking call is linked to its appointment");
    assert.equal(clinic.linked_elsewhere, 0, "the caller's own appointment, booked after the call");
    assert.ok(clinic.open_tasks >= 1 && clinic.open_tasks <= 3, `${clinic.open_tasks} open`);
  }
});

// ---------------------------------------------------------------------------------------------
// Rotation report
// ---------------------------------------------------------------------------------------------

Deno.test("demo data: the rotation report lists the expiring and the stale credential", async () => {
  const rows = await withSql((sql) =>
    sql<{ organisation_id: string; kind: string; last4: string; reason: string }[]>`
    select organisation_id, kind::text, last4, reason
    from public.credential_rotation_report
    where organisation_id in (${NORTHSIDE}, ${RIVERSIDE})
    order by reason desc`
  );
  assert.deepEqual(rows.map((r) => ({ ...r })), [
    { organisation_id: NORTHSIDE, kind: "twilio_auth_token", last4: "7a1c", reason: "stale" },
    {
      organisation_id: NORTHSIDE,
      kind: "meta_access_token",
      last4: "e4f2",
      reason: "expires_soon",
    },
  ]);

  const out = await new Deno.Command("psql", {
    args: [
      "-X",
      "-q",
      "-v",
      "slug=northside-dental",
      "-f",
      new URL("../../../scripts/credential_rotation_report.sql", import.meta.url).pathname,
      env("SUPABASE_DB_URL"),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  assert.match(text, /northside-dental \| meta_access_token .*…e4f2 .*\| expires_soon/);
  assert.match(
    text,
    /northside-dental \| twilio_auth_token .*ACdb526de9a50c358f82d03e0713174f62.*…7a1c .*\| stale/,
  );
  assert.doesNotMatch(text, /demo-secret-/);
});

// ---------------------------------------------------------------------------------------------
// Conversations: the inbox has something in every state
// ---------------------------------------------------------------------------------------------

Deno.test("demo data: each clinic's conversations cover every status and delivery outcome", () =>
  withSql(async (sql) => {
    const conversations = await sql<
      {
        organisation_id: string;
        status: string;
        assigned_is_member: boolean | null;
        attention_reason: string | null;
        preview_is_latest: boolean;
        inbound_is_latest_patient: boolean;
        bodies: string;
      }[]
    >`
      select c.organisation_id, c.status, c.attention_reason,
        (select m.role is not null from public.organisation_members m
         where m.organisation_id = c.organisation_id and m.user_id = c.assigned_to) as assigned_is_member,
        c.last_message_at = (select max(m.created_at) from public.messages m where m.conversation_id = c.id)
          and c.last_message_preview is not null as preview_is_latest,
        c.last_inbound_at = (select max(m.created_at) from public.messages m
          where m.conversation_id = c.id and m.direction = 'inbound') as inbound_is_latest_patient,
        (select string_agg(m.body, ' ') from public.messages m where m.conversation_id = c.id) as bodies
      from public.conversations c
      where c.organisation_id in (${NORTHSIDE}, ${RIVERSIDE}) and c.channel <> 'test'`;
    for (const orgId of [NORTHSIDE, RIVERSIDE]) {
      const mine = conversations.filter((c) => c.organisation_id === orgId);
      assert.deepEqual(
        mine.map((c) => c.status).sort(),
        ["bot", "resolved", "staff", "waiting_for_staff"],
      );
      for (const c of mine) {
        assert.ok(c.preview_is_latest && c.inbound_is_latest_patient, "summary fields agree");
        assert.equal(c.attention_reason !== null, c.status === "waiting_for_staff");
        if (c.status === "staff") assert.equal(c.assigned_is_member, true, "owned by a member");
        // Northside writes English; Riverside's patients write Russian.
        assert.equal(/[а-яё]/i.test(c.bodies), orgId === RIVERSIDE, c.bodies);
      }
      const deliveries = await sql<{ delivery: string; complete: boolean }[]>`
        select m.delivery,
          bool_and(case m.delivery
            when 'read' then m.sent_at is not null and m.delivered_at is not null and m.read_at is not null
            when 'delivered' then m.delivered_at is not null and m.read_at is null
            when 'failed' then m.failed_at is not null and m.error_code is not null and m.error_message is not null
          end) as complete
        from public.messages m
        where m.organisation_id = ${orgId} and m.direction = 'outbound'
        group by m.delivery order by m.delivery`;
      assert.deepEqual(deliveries.map((d) => ({ ...d })), [
        { delivery: "delivered", complete: true },
        { delivery: "read", complete: true },
        { delivery: "failed", complete: true },
      ]);
    }
    const apps = await sql<{ meta_app_id: string | null }[]>`
      select w.meta_app_id from public.whatsapp_channels w
      where w.id in ('70000000-0000-4000-8000-000000000001', '70000000-0000-4000-8000-000000000002')
      order by w.id`;
    assert.deepEqual(
      apps.map((a) => a.meta_app_id),
      ["a0000000-0000-4000-8000-000000000001", null],
      "Northside receives through its own Meta app, Riverside through the platform's",
    );
  }));

// ---------------------------------------------------------------------------------------------
// What the demo logins see
// ---------------------------------------------------------------------------------------------

/** kind → last 4 characters, per clinic, as set by the seed. */
const CREDENTIALS: Record<string, Record<string, string>> = {
  [NORTHSIDE]: {
    twilio_auth_token: "7a1c",
    meta_access_token: "e4f2",
    meta_app_secret: "55d0",
    meta_verify_token: "2b7e",
    // The Google sandbox's demo grant (1//demo-northside-refresh-token).
    google_refresh_token: "oken",
  },
  [RIVERSIDE]: {
    twilio_auth_token: "3d8b",
    meta_access_token: "91c4",
  },
};

const DEMO_LOGINS = [
  { email: "owner@northside.test", orgId: NORTHSIDE, readsAudit: true },
  { email: "admin@northside.test", orgId: NORTHSIDE, readsAudit: true },
  { email: "staff@northside.test", orgId: NORTHSIDE, readsAudit: false },
  { email: "owner@riverside.test", orgId: RIVERSIDE, readsAudit: true },
];

/** What the dashboard reads: every column the API roles may select. */
const EXPOSED: Record<string, string> = {
  credentials: "id, organisation_id, kind, subject_id, last4, set_at, rotated_at, expires_at",
  twilio_accounts: "*",
  phone_numbers: "*",
  whatsapp_channels: "id, organisation_id, provider, label, meta_phone_number_id, meta_waba_id, " +
    "display_phone_number, twilio_account_id, twilio_sender, active, created_at, updated_at, " +
    "meta_app_id, send_problem, send_problem_at",
  meta_apps: "*",
  calendar_connections: "*",
  google_calendars: "*",
  credential_rotation_report: "*",
  audit_log: "*",
  calls: "*",
  call_appointments: "*",
  callback_tasks: "*",
  conversations: "*",
  messages: "*",
  conversation_appointments: "*",
};

for (const login of DEMO_LOGINS) {
  Deno.test(`demo data: ${login.email} sees credential metadata, never a secret`, async () => {
    const client = createClient(SUPABASE_URL, ANON_KEY, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    });
    const { error } = await client.auth.signInWithPassword({
      email: login.email,
      password: "frontdesk-demo",
    });
    assert.equal(error, null, `${login.email} signs in: ${error?.message}`);
    try {
      const seen: Record<string, Record<string, unknown>[]> = {};
      for (const [table, columns] of Object.entries(EXPOSED)) {
        const { data, error } = await client.from(table).select(columns);
        assert.equal(error, null, `${login.email} reads ${table}: ${error?.message}`);
        seen[table] = (data ?? []) as unknown as Record<string, unknown>[];
        assert.ok(
          seen[table].every((row) => row.organisation_id === login.orgId),
          `${login.email} sees only their clinic's ${table}`,
        );
      }

      // Northside's Google access token appears once the worker first uses the calendar.
      assert.deepEqual(
        Object.fromEntries(
          seen.credentials.filter((c) => c.kind !== "google_access_token")
            .map((c) => [c.kind, c.last4]),
        ),
        CREDENTIALS[login.orgId],
        "every seeded credential, ending in its last 4 characters",
      );
      assert.deepEqual(
        seen.credential_rotation_report.map((r) => `${r.kind}:${r.last4}:${r.reason}`).sort(),
        login.orgId === NORTHSIDE
          ? ["meta_access_token:e4f2:expires_soon", "twilio_auth_token:7a1c:stale"]
          : [],
        "the dashboard's rotation warnings",
      );
      assert.equal(seen.twilio_accounts.length, 1);
      // Northside is connected to the Google sandbox's demo account; Riverside is not.
      assert.deepEqual(
        seen.calendar_connections.map((c) => `${c.status} ${c.account_email} ${c.calendar_id}`),
        login.orgId === NORTHSIDE ? ["active calendar@northside.test calendar@northside.test"] : [],
      );
      assert.deepEqual(
        seen.google_calendars.map((c) => `${c.calendar_id} ${c.is_primary} ${c.time_zone}`),
        login.orgId === NORTHSIDE ? ["calendar@northside.test true Europe/London"] : [],
      );
      assert.equal(seen.whatsapp_channels.length, login.orgId === NORTHSIDE ? 1 : 2);
      if (login.readsAudit) {
        assert.ok(
          seen.audit_log.some((a) => a.action === "credential.set"),
          "owners and admins read the audit of the seeded credentials",
        );
      } else {
        assert.deepEqual(seen.audit_log, [], "members do not read the audit log");
      }

      const json = JSON.stringify(seen);
      assert.ok(!json.includes("demo-secret-"), `a secret reached ${login.email}`);
      assert.ok(!json.includes("demo-verify-"), `a verify token reached ${login.email}`);
      assert.equal(seen.conversations.length, 4, "each clinic's demo conversations");
      assert.ok(
        !json.includes("demo-northside-refresh"),
        `the Google token reached ${login.email}`,
      );
    } finally {
      await client.auth.signOut();
    }
  });
}
