// The operator scripts (scripts/onboard_clinic.sql, scripts/offboard_clinic.sql) run through
// psql as the `postgres` role against SUPABASE_DB_URL, exactly as an operator runs them, and
// the demo logins of supabase/seed.sql through supabase-js.
//
// Every run uses its own slugs and addresses and removes what it created.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createClient } from "@supabase/supabase-js";
import {
  ANON_KEY,
  clientOptions,
  env,
  must,
  runScript,
  runTag,
  serviceClient,
  SUPABASE_URL,
  TEST_PASSWORD,
  type TestUser,
} from "./_helpers.ts";

const DB_URL = env("SUPABASE_DB_URL");
const repoRoot = new URL("../../../", import.meta.url).pathname;
const ONBOARD = `${repoRoot}scripts/onboard_clinic.sql`;
const OFFBOARD = `${repoRoot}scripts/offboard_clinic.sql`;

const tag = runTag();
const slugPrefix = `optest-${tag}`;

/** One SQL query returning one json value, through psql. */
async function queryJson<T>(sql: string): Promise<T> {
  const out = await new Deno.Command("psql", {
    args: ["-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", DB_URL, "-c", sql],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  if (!out.success) throw new Error(`query failed: ${dec.decode(out.stderr)}\n${sql}`);
  return JSON.parse(dec.decode(out.stdout).trim()) as T;
}

const safeSlug = (slug: string) => {
  assert.match(slug, /^[a-z0-9-]+$/);
  return slug;
};

interface Snapshot {
  organisation: Record<string, unknown> | null;
  members: { user_id: string; role: string; created_at: string; updated_at: string }[];
  invitations: {
    id: string;
    email: string;
    role: string;
    token_hash: string;
    expires_at: string;
    accepted_at: string | null;
    revoked_at: string | null;
  }[];
}

/** Every row of the tenant's organisation, members and invitations, all columns. */
function snapshot(slug: string): Promise<Snapshot> {
  const s = safeSlug(slug);
  return queryJson<Snapshot>(`
    select json_build_object(
      'organisation', (select to_jsonb(o) from public.organisations o where o.slug = '${s}'),
      'members', (
        select coalesce(jsonb_agg(to_jsonb(m) order by m.user_id), '[]'::jsonb)
        from public.organisation_members m
        join public.organisations o on o.id = m.organisation_id
        where o.slug = '${s}'),
      'invitations', (
        select coalesce(jsonb_agg(
          to_jsonb(i) || jsonb_build_object('token_hash', encode(i.token_hash, 'hex'))
          order by i.created_at, i.id), '[]'::jsonb)
        from public.organisation_invitations i
        join public.organisations o on o.id = i.organisation_id
        where o.slug = '${s}')
    )`);
}

/** Rows of an organisation id in every table that references organisations (and itself). */
function tenantRowCount(organisationId: string): Promise<number> {
  assert.match(organisationId, /^[0-9a-f-]{36}$/);
  return queryJson<number>(`
    select (select count(*) from public.organisations where id = '${organisationId}')
      + coalesce(sum((xpath('/row/n/text()', query_to_xml(format(
        'select count(*) as n from %I.%I where %I = %L',
        n.nspname, c.relname, a.attname, '${organisationId}'), false, true, '')))[1]::text::int), 0)
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = k.conrelid and a.attnum = k.conkey[1]
    where k.contype = 'f' and k.confrelid = 'public.organisations'::regclass
      and cardinality(k.conkey) = 1`);
}

async function dropTestOrganisations() {
  await queryJson(
    `with gone as (delete from public.organisations where slug like '${
      safeSlug(slugPrefix)
    }-%' returning 1) select count(*) from gone`,
  );
}

/**
 * Accounts made through Auth's admin API, confirmed or not, whatever the sign-up settings:
 * whether the address is proven is what the scripts decide on.
 */
class Accounts {
  readonly ids: string[] = [];

  async create(email: string, displayName?: string, confirmed = true): Promise<TestUser> {
    const admin = serviceClient();
    const { data, error } = await admin.auth.admin.createUser({
      email,
      password: TEST_PASSWORD,
      email_confirm: confirmed,
      user_metadata: displayName ? { display_name: displayName } : {},
    });
    if (error || !data.user) throw new Error(`creating ${email} failed: ${error?.message}`);
    this.ids.push(data.user.id);
    const client = createClient(SUPABASE_URL, ANON_KEY, clientOptions);
    if (!confirmed) return { id: data.user.id, email, client, accessToken: "" };
    const signedIn = await client.auth.signInWithPassword({ email, password: TEST_PASSWORD });
    if (signedIn.error) throw new Error(`${email} signing in failed: ${signedIn.error.message}`);
    return { id: data.user.id, email, client, accessToken: signedIn.data.session!.access_token };
  }

  async confirm(user: TestUser): Promise<void> {
    const { error } = await serviceClient().auth.admin.updateUserById(user.id, {
      email_confirm: true,
    });
    if (error) throw new Error(`confirming ${user.email} failed: ${error.message}`);
  }

  async deleteAll(): Promise<void> {
    for (const id of this.ids.splice(0)) {
      const { error } = await serviceClient().auth.admin.deleteUser(id);
      if (error) throw new Error(`cleanup: deleting user ${id} failed: ${error.message}`);
    }
  }
}

const sha256Hex = (text: string) => createHash("sha256").update(text).digest("hex");
const INVITATION_LINK = /\/#\/invitations\/([0-9a-f]{48})\b/g;

Deno.test("operator scripts: onboarding with an existing user makes them owner; a re-run changes nothing", async () => {
  const users = new Accounts();
  const slug = `${slugPrefix}-existing`;
  try {
    const owner = await users.create(`${slugPrefix}-owner@example.com`, "Existing Owner");
    const vars = {
      name: `Operator Test ${tag} Physio`,
      slug,
      timezone: "Europe/Riga",
      languages: "en, ru",
      owner_email: owner.email.toUpperCase(),
    };

    const first = await runScript(ONBOARD, vars);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /created Operator Test/);
    assert.match(first.stdout, /added as owner \(existing user\)/);
    assert.doesNotMatch(first.stdout, INVITATION_LINK, "no invitation for an existing user");
    // The verification queries list the tenant's organisation and its owner.
    assert.match(first.stdout, new RegExp(`\\| ${slug} +\\| Europe/Riga +\\| en,ru +\\| en `));
    assert.match(first.stdout, new RegExp(`${owner.email} +\\| owner +\\| Existing Owner`));
    // … its one practitioner, named after it, and its booking rules (the defaults).
    assert.match(first.stdout, new RegExp(`Practitioners\\n.*\\n.*\\n ${vars.name} +\\| t `));
    assert.match(first.stdout, /Booking rules\n.*\n.*\n +15 \| +120 \| +60 \| +24\n/);

    const after = await snapshot(slug);
    assert.ok(after.organisation, "the organisation exists");
    assert.equal(after.organisation.name, vars.name);
    assert.equal(after.organisation.timezone, "Europe/Riga");
    assert.deepEqual(after.organisation.languages, ["en", "ru"]);
    assert.equal(after.organisation.default_language, "en");
    assert.deepEqual(after.members.map((m) => [m.user_id, m.role]), [[owner.id, "owner"]]);
    assert.deepEqual(after.invitations, []);

    // The owner sees it through the API with their role.
    const mine = must(
      await owner.client.from("organisation_members").select("role, organisations(slug)")
        .eq("user_id", owner.id),
      "reading own memberships",
    );
    assert.deepEqual(mine, [{ role: "owner", organisations: { slug } }]);

    const second = await runScript(ONBOARD, vars);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /already exists: .*left unchanged/);
    assert.match(second.stdout, /is already an owner/);
    assert.deepEqual(await snapshot(slug), after, "a second run changes no row");
  } finally {
    await dropTestOrganisations();
    await users.deleteAll();
  }
});

Deno.test("operator scripts: onboarding an unknown address creates one owner invitation, its token printed once", async () => {
  const users = new Accounts();
  const slug = `${slugPrefix}-invited`;
  const email = `${slugPrefix}-newowner@example.com`;
  try {
    const vars = {
      name: `Operator Test ${tag} Dental`,
      slug,
      timezone: "Europe/London",
      languages: "en",
      owner_email: email,
      app_url: "https://app.example.com/",
    };
    const first = await runScript(ONBOARD, vars);
    assert.equal(first.code, 0, first.stderr);
    const links = [...first.stdout.matchAll(INVITATION_LINK)];
    assert.equal(links.length, 1, `one invitation link printed:\n${first.stdout}`);
    assert.match(first.stdout, /https:\/\/app\.example\.com\/#\/invitations\//);
    const token = links[0][1];

    const after = await snapshot(slug);
    assert.ok(after.organisation);
    assert.deepEqual(after.members, []);
    assert.equal(after.invitations.length, 1);
    const [invitation] = after.invitations;
    assert.equal(invitation.email, email);
    assert.equal(invitation.role, "owner");
    assert.equal(invitation.token_hash, sha256Hex(token), "only the token's SHA-256 is stored");
    assert.equal(invitation.accepted_at, null);
    assert.equal(invitation.revoked_at, null);
    const days = (Date.parse(invitation.expires_at) - Date.now()) / 86_400_000;
    assert.ok(days > 6.9 && days < 7.01, `expires in 7 days (${days})`);

    const second = await runScript(ONBOARD, vars);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /already has a pending invitation as owner/);
    assert.doesNotMatch(second.stdout, INVITATION_LINK, "the token is never shown again");
    assert.deepEqual(await snapshot(slug), after, "a second run changes no row");

    // The invited owner signs up: nothing happens until they confirm the address.
    const owner = await users.create(email, "Invited Owner", false);
    assert.deepEqual(await snapshot(slug), after, "an unconfirmed sign-up joins nothing");
    await users.confirm(owner);
    const joined = await snapshot(slug);
    assert.deepEqual(joined.members.map((m) => [m.user_id, m.role]), [[owner.id, "owner"]]);
    assert.ok(joined.invitations[0].accepted_at, "the invitation is accepted");

    // From now on a re-run finds the owner's membership and keeps it.
    const third = await runScript(ONBOARD, vars);
    assert.equal(third.code, 0, third.stderr);
    assert.match(third.stdout, /is already an owner/);
    assert.deepEqual(await snapshot(slug), joined);
  } finally {
    await dropTestOrganisations();
    await users.deleteAll();
  }
});

Deno.test("operator scripts: onboarding refuses another clinic's slug and missing variables, changing nothing", async () => {
  const slug = `${slugPrefix}-taken`;
  try {
    const base = {
      name: `Operator Test ${tag} Salon`,
      slug,
      timezone: "Europe/Dublin",
      languages: "en",
      owner_email: `${slugPrefix}-salon@example.com`,
    };
    assert.equal((await runScript(ONBOARD, base)).code, 0);
    const before = await snapshot(slug);

    const clash = await runScript(ONBOARD, {
      ...base,
      name: "Somebody Else's Clinic",
      owner_email: `${slugPrefix}-intruder@example.com`,
    });
    assert.equal(clash.code, 3, "psql stops with an error");
    assert.match(clash.stderr, /already belongs to the organisation/);
    assert.match(clash.stderr, /choose another slug/);

    const missing = await runScript(ONBOARD, { name: base.name, slug });
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /name, timezone, languages and owner_email are required/);

    const badZone = await runScript(ONBOARD, {
      ...base,
      slug: `${slugPrefix}-badzone`,
      timezone: "Mars/Olympus",
    });
    assert.equal(badZone.code, 3);
    assert.match(badZone.stderr, /Unknown time zone "Mars\/Olympus"/);

    assert.deepEqual(await snapshot(slug), before);
    assert.equal((await snapshot(`${slugPrefix}-badzone`)).organisation, null);
  } finally {
    await dropTestOrganisations();
  }
});

Deno.test("operator scripts: an existing account that has not confirmed its address gets an invitation, not ownership", async () => {
  const users = new Accounts();
  const slug = `${slugPrefix}-unproven`;
  try {
    // Whoever signed up first with the owner's address, without proving they own it.
    const squatter = await users.create(`${slugPrefix}-unproven@example.com`, "Squatter", false);
    const run = await runScript(ONBOARD, {
      name: `Operator Test ${tag} Unproven`,
      slug,
      timezone: "Europe/London",
      languages: "en",
      owner_email: squatter.email,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /exists but has not confirmed the address/);
    assert.equal([...run.stdout.matchAll(INVITATION_LINK)].length, 1, "an invitation link");
    const after = await snapshot(slug);
    assert.deepEqual(after.members, [], "the unconfirmed account is not made owner");
    assert.deepEqual(after.invitations.map((i) => [i.email, i.role]), [[squatter.email, "owner"]]);

    // Confirming the address (the mailed link) is the proof: then it joins as owner.
    await users.confirm(squatter);
    assert.deepEqual((await snapshot(slug)).members.map((m) => [m.user_id, m.role]), [[
      squatter.id,
      "owner",
    ]]);
  } finally {
    await dropTestOrganisations();
    await users.deleteAll();
  }
});

Deno.test("operator scripts: languages must be supported and the country known, or nothing is created", async () => {
  const base = {
    name: `Operator Test ${tag} Lingua`,
    timezone: "Europe/Riga",
    languages: "en",
    owner_email: `${slugPrefix}-lingua@example.com`,
  };
  try {
    const unknownLanguage = await runScript(ONBOARD, {
      ...base,
      slug: `${slugPrefix}-lingua-xx`,
      languages: "en,xx",
    });
    assert.equal(unknownLanguage.code, 3, "psql stops with an error");
    assert.match(unknownLanguage.stderr, /Unknown language code "xx"/);
    assert.match(unknownLanguage.stderr, /Supported: .*\ben\b.*\bru\b/);
    assert.equal((await snapshot(`${slugPrefix}-lingua-xx`)).organisation, null);

    const noCountry = await runScript(ONBOARD, {
      ...base,
      slug: `${slugPrefix}-lingua-utc`,
      timezone: "UTC",
    });
    assert.equal(noCountry.code, 3);
    assert.match(
      noCountry.stderr,
      /The time zone UTC belongs to no country: give the clinic's country/,
    );

    const unknownCountry = await runScript(ONBOARD, {
      ...base,
      slug: `${slugPrefix}-lingua-zz`,
      country: "ZZ",
    });
    assert.equal(unknownCountry.code, 3);
    assert.match(unknownCountry.stderr, /Unknown country code "ZZ"/);

    const derived = await runScript(ONBOARD, { ...base, slug: `${slugPrefix}-lingua-lv` });
    assert.equal(derived.code, 0, derived.stderr);
    assert.equal((await snapshot(`${slugPrefix}-lingua-lv`)).organisation?.country, "LV");

    const given = await runScript(ONBOARD, {
      ...base,
      slug: `${slugPrefix}-lingua-gb`,
      timezone: "UTC",
      country: "gb",
    });
    assert.equal(given.code, 0, given.stderr);
    assert.equal((await snapshot(`${slugPrefix}-lingua-gb`)).organisation?.country, "GB");
  } finally {
    await dropTestOrganisations();
  }
});

Deno.test("operator scripts: offboarding needs the slug repeated as confirmation, then removes every row", async () => {
  const users = new Accounts();
  const slug = `${slugPrefix}-leaving`;
  try {
    const owner = await users.create(`${slugPrefix}-leaving-owner@example.com`);
    const onboard = await runScript(ONBOARD, {
      name: `Operator Test ${tag} Leaving`,
      slug,
      timezone: "Europe/Berlin",
      languages: "en",
      owner_email: owner.email,
    });
    assert.equal(onboard.code, 0, onboard.stderr);
    const organisationId = (await snapshot(slug)).organisation?.id as string;
    // A teammate and a pending invitation, as the clinic itself would add them.
    const teammate = await users.create(`${slugPrefix}-leaving-staff@example.com`);
    const [teammateInvitation] = must(
      await owner.client.rpc("invite_member", {
        organisation_id: organisationId,
        email: teammate.email,
        role: "member",
      }),
      "inviting the teammate",
    ) as { token: string }[];
    must(
      await teammate.client.rpc("accept_invitation", { token: teammateInvitation.token }),
      "the teammate accepting",
    );
    const invited = must(
      await owner.client.rpc("invite_member", {
        organisation_id: organisationId,
        email: `${slugPrefix}-leaving-later@example.com`,
        role: "admin",
      }),
      "inviting someone not signed up yet",
    );
    assert.ok(invited);
    // A Twilio account whose auth token is in Vault (audited): the secret must go too.
    const [twilio] = must(
      await owner.client.from("twilio_accounts").insert({
        organisation_id: organisationId,
        account_sid: `AC${crypto.randomUUID().replaceAll("-", "")}`,
        label: "main",
      }).select("id"),
      "adding a Twilio account",
    ) as { id: string }[];
    must(
      await owner.client.rpc("set_credential", {
        subject_id: twilio.id,
        kind: "twilio_auth_token",
        secret: `token-${crypto.randomUUID()}`,
      }),
      "setting its auth token",
    );
    const vaultSecrets = () =>
      queryJson<number>(
        `select count(*) from vault.secrets where name = 'twilio_auth_token:${twilio.id}'`,
      );
    assert.equal(await vaultSecrets(), 1);

    const before = await snapshot(slug);
    assert.equal(before.invitations.length, 2);
    const rowsBefore = await tenantRowCount(organisationId);
    assert.equal(before.members.length, 2);
    assert.ok(rowsBefore >= 8, `organisation, members, invitations, channel... (${rowsBefore})`);

    const refusals = [
      await runScript(OFFBOARD, { slug }),
      await runScript(OFFBOARD, { slug, confirm: "yes" }),
      await runScript(OFFBOARD, { slug, confirm: `${slug}-other` }),
      await runScript(OFFBOARD, { slug, confirm: slug.toUpperCase() }),
    ];
    for (const refused of refusals) {
      assert.equal(refused.code, 3, "psql stops with an error");
      assert.match(refused.stderr, new RegExp(`Not deleted: confirm with -v confirm=${slug}`));
      // It still shows what would go.
      assert.match(refused.stdout, new RegExp(`${owner.email} +\\| owner`));
      assert.match(refused.stdout, /public\.organisation_invitations +\| +2/);
      assert.match(refused.stdout, /public\.credentials +\| +1/);
    }
    assert.deepEqual(await snapshot(slug), before, "nothing was deleted");
    assert.equal(await tenantRowCount(organisationId), rowsBefore);
    assert.equal(await vaultSecrets(), 1);

    const unknown = await runScript(OFFBOARD, { slug: `${slugPrefix}-nobody`, confirm: "x" });
    assert.equal(unknown.code, 3);
    assert.match(unknown.stderr, /No organisation has the slug/);

    const done = await runScript(OFFBOARD, { slug, confirm: slug });
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, new RegExp(`Deleted Operator Test ${tag} Leaving \\(${slug}\\)`));
    assert.match(done.stdout, new RegExp(`no organisation.*${owner.email}`));
    assert.match(done.stdout, new RegExp(`no organisation.*${teammate.email}`));

    const after = await snapshot(slug);
    assert.deepEqual(after, { organisation: null, members: [], invitations: [] });
    assert.equal(await tenantRowCount(organisationId), 0, "no table keeps a row of it");
    assert.equal(await vaultSecrets(), 0, "its Vault secrets are deleted with it");
    // Auth accounts stay: they may belong to other clinics.
    const { data, error } = await serviceClient().auth.admin.getUserById(owner.id);
    assert.equal(error, null);
    assert.equal(data.user?.email, owner.email);
  } finally {
    await dropTestOrganisations();
    await users.deleteAll();
  }
});

const DEMO = [
  {
    email: "owner@northside.test",
    name: "Olivia Bennett",
    slug: "northside-dental",
    role: "owner",
  },
  { email: "admin@northside.test", name: "Marcus Reid", slug: "northside-dental", role: "admin" },
  { email: "staff@northside.test", name: "Priya Shah", slug: "northside-dental", role: "member" },
  { email: "owner@riverside.test", name: "Līga Ozola", slug: "riverside-physio", role: "owner" },
];

Deno.test("seed: the demo logins sign in and see their clinic with their role", async () => {
  for (const demo of DEMO) {
    const client = createClient(SUPABASE_URL, ANON_KEY, clientOptions);
    const { data, error } = await client.auth.signInWithPassword({
      email: demo.email,
      password: "frontdesk-demo",
    });
    assert.equal(error, null, `${demo.email} signs in: ${error?.message}`);
    const userId = data.user!.id;

    const orgs = must(
      await client.from("organisations").select(
        "slug, name, timezone, languages, default_language",
      ),
      `${demo.email} reading organisations`,
    );
    assert.deepEqual(
      orgs.map((o) => o.slug),
      [demo.slug],
      `${demo.email} sees exactly their clinic`,
    );
    const memberships = must(
      await client.from("organisation_members").select("role").eq("user_id", userId),
      `${demo.email} reading memberships`,
    );
    assert.deepEqual(memberships, [{ role: demo.role }]);
    const profile = must(
      await client.from("profiles").select("display_name").eq("id", userId),
      `${demo.email} reading profile`,
    );
    assert.deepEqual(profile, [{ display_name: demo.name }]);

    const invitations = must(
      await client.from("organisation_invitations").select("email, role"),
      `${demo.email} reading invitations`,
    );
    const expected = demo.slug === "northside-dental"
      ? "reception@northside.test"
      : "therapist@riverside.test";
    if (demo.role === "member") assert.deepEqual(invitations, [], "members see no invitations");
    else assert.ok(invitations.some((i) => i.email === expected), `${demo.email}: ${expected}`);

    await client.auth.signOut();
  }
});

Deno.test("seed: the demo organisations have their settings and fixed ids", async () => {
  const orgs = await queryJson<Record<string, unknown>[]>(`
    select json_agg(json_build_object('id', id, 'slug', slug, 'name', name, 'timezone', timezone,
      'languages', languages, 'default_language', default_language) order by slug)
    from public.organisations where slug in ('northside-dental', 'riverside-physio')`);
  assert.deepEqual(orgs, [
    {
      id: "10000000-0000-4000-8000-000000000001",
      slug: "northside-dental",
      name: "Northside Dental",
      timezone: "Europe/London",
      languages: ["en"],
      default_language: "en",
    },
    {
      id: "10000000-0000-4000-8000-000000000002",
      slug: "riverside-physio",
      name: "Riverside Physio",
      timezone: "Europe/Riga",
      languages: ["en", "ru"],
      default_language: "en",
    },
  ]);
  // The documented demo tokens match the stored hashes.
  const hashes = await queryJson<Record<string, string>>(`
    select json_object_agg(email, encode(token_hash, 'hex'))
    from public.organisation_invitations
    where id in ('30000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000002')`);
  assert.deepEqual(hashes, {
    "reception@northside.test": sha256Hex("demo-invite-northside"),
    "therapist@riverside.test": sha256Hex("demo-invite-riverside"),
  });
});

Deno.test("operator scripts: onboarding with a voice number answers calls and connects it; a re-run changes nothing", async () => {
  const slug = `${slugPrefix}-voice`;
  const hex = Array.from(
    crypto.getRandomValues(new Uint8Array(16)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
  const accountSid = `AC${hex}`;
  const voiceNumber = `+44 20 ${
    String(crypto.getRandomValues(new Uint32Array(1))[0]).padStart(8, "0").slice(0, 8)
  }`;
  const e164 = voiceNumber.replaceAll(" ", "");
  const vars = {
    name: `Operator Test ${tag} Voice`,
    slug,
    timezone: "Europe/London",
    languages: "en",
    owner_email: `${slugPrefix}-voice@example.com`,
    twilio_account_sid: accountSid,
    voice_number: voiceNumber,
  };
  const state = () =>
    queryJson<{ number: Record<string, unknown>; jobs: number }>(`select json_build_object(
      'number', (select json_build_object('e164', p.e164, 'voice_enabled', p.voice_enabled,
        'voice_connection', p.voice_connection, 'account', t.account_sid)
        from public.phone_numbers p join public.twilio_accounts t on t.id = p.twilio_account_id
        join public.organisations o on o.id = p.organisation_id where o.slug = '${safeSlug(slug)}'),
      'jobs', (select count(*) from private.jobs j where j.kind = 'vapi.connect_number'
        and j.payload ->> 'phone_number_id' = (select p.id::text from public.phone_numbers p where p.e164 = '${e164}')))`);
  try {
    const first = await runScript(ONBOARD, vars);
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stdout,
      new RegExp(`\\+${e164.slice(1)} added; connecting to the assistant`),
    );
    assert.match(first.stdout, /sets the auth token of AC[0-9a-f]{32} on the Channels page/);
    assert.match(
      first.stdout,
      new RegExp(
        `Voice numbers\\n.*\\n.*\\n \\+${e164.slice(1)} +\\| t +\\| t +\\| (pending|failed) `,
      ),
    );
    const after = await state();
    assert.deepEqual(after.number, {
      e164,
      voice_enabled: true,
      voice_connection: after.number.voice_connection,
      account: accountSid,
    });
    assert.ok(["pending", "failed"].includes(after.number.voice_connection as string));
    assert.equal(after.jobs, 1, "the trigger enqueued its connect job");

    const second = await runScript(ONBOARD, vars);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /already answers calls/);
    assert.equal((await state()).jobs, 1, "a re-run enqueues nothing more");

    const half = await runScript(ONBOARD, { ...vars, slug: `${slug}-half`, voice_number: "" });
    assert.notEqual(half.code, 0);
    assert.match(half.stderr, /twilio_account_sid and voice_number go together/);
  } finally {
    await dropTestOrganisations();
  }
});
