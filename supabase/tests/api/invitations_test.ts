// The invitations edge function: it invites with the caller's own rights and mails the
// link through the mail API (locally the stack's mail sandbox, which writes to the outbox); a
// mail that cannot be sent leaves the invitation standing and says so.
import assert from "node:assert/strict";
import {
  ANON_KEY,
  mailsTo,
  must,
  runTag,
  SUPABASE_URL,
  TestUsers,
  waitForMail,
} from "./_helpers.ts";

type Answer = {
  invitation?: {
    id: string;
    email: string;
    role: string;
    expires_at: string;
    token: string;
    replaced_role: string | null;
  };
  mailed?: boolean;
  message?: string;
  error?: string;
};

async function call(token: string, body: unknown): Promise<{ status: number; body: Answer }> {
  const response = await fetch(`${SUPABASE_URL}/functions/v1/invitations`, {
    method: "POST",
    headers: {
      apikey: ANON_KEY,
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** Makes the mail sandbox refuse (or accept again) mails to one address. */
async function failMailsTo(to: string, fail: boolean) {
  const response = await fetch(`${SUPABASE_URL}/_local/mail/control/failures`, {
    method: fail ? "POST" : "DELETE",
    body: JSON.stringify({ to, status: 503 }),
  });
  assert.equal(response.status, 200, await response.text());
}

Deno.test("invitations: mailed with the link, role, clinic and inviter; failures still invite", async (t) => {
  const users = new TestUsers();
  const tag = runTag();
  try {
    const owner = await users.signUp(`inv-owner-${tag}@example.com`, "Olga Owner");
    const admin = await users.signUp(`inv-admin-${tag}@example.com`, "Adam Admin");
    const member = await users.signUp(`inv-member-${tag}@example.com`, "Mia Member");
    const org = must<{ id: string }>(
      await owner.client.rpc("create_organisation", {
        name: `Invite Clinic ${tag}`,
        timezone: "Europe/London",
      }),
      "create_organisation",
    );
    for (const [user, role] of [[admin, "admin"], [member, "member"]] as const) {
      const rows = must<{ token: string }[]>(
        await owner.client.rpc("invite_member", {
          organisation_id: org.id,
          email: user.email,
          role,
        }),
        "invite_member",
      );
      must(await user.client.rpc("accept_invitation", { token: rows[0].token }), "accept");
    }

    const invitee = `inv-new-${tag}@example.com`;
    let first: Answer["invitation"];

    await t.step(
      "an admin's invitation is mailed with its link, clinic, inviter, role and expiry",
      async () => {
        const since = new Date(Date.now() - 1000);
        const { status, body } = await call(admin.accessToken, {
          organisation_id: org.id,
          email: `  ${invitee.toUpperCase()} `,
          role: "member",
        });
        assert.equal(status, 200, JSON.stringify(body));
        assert.equal(body.mailed, true);
        assert.equal(body.message, `Invitation mailed to ${invitee}.`);
        first = body.invitation!;
        assert.equal(first.email, invitee);
        assert.equal(first.role, "member");
        assert.equal(first.replaced_role, null);
        const mail = await waitForMail(invitee, /invited you/, since);
        assert.equal(mail.subject, `Adam Admin invited you to Invite Clinic ${tag} on Frontdesk`);
        assert.equal(mail.link, `${SUPABASE_URL}/#/invitations/${first.token}`);
        assert.match(mail.text, /join Invite Clinic .* as a member\./);
        assert.match(mail.text, /The link works until \d{1,2} \w+ \d{4} at \d\d:\d\d (GMT|BST)/);
      },
    );

    await t.step(
      "inviting the address again says what it replaced and mails a new link",
      async () => {
        const since = new Date(Date.now() - 1000);
        const { status, body } = await call(admin.accessToken, {
          organisation_id: org.id,
          email: invitee,
          role: "admin",
        });
        assert.equal(status, 200, JSON.stringify(body));
        assert.equal(body.invitation!.replaced_role, "member");
        const mail = await waitForMail(invitee, /invited you/, since);
        assert.match(mail.text, /as an admin\./);
        assert.notEqual(body.invitation!.token, first!.token);
        first = body.invitation;
      },
    );

    await t.step(
      "mailing a pending invitation again gives a fresh link with the same role",
      async () => {
        const since = new Date(Date.now() - 1000);
        const { status, body } = await call(owner.accessToken, { invitation_id: first!.id });
        assert.equal(status, 200, JSON.stringify(body));
        assert.equal(body.mailed, true);
        assert.equal(body.invitation!.role, "admin");
        assert.equal(body.invitation!.email, invitee);
        const mail = await waitForMail(invitee, /Olga Owner invited you/, since);
        assert.equal(mail.link, `${SUPABASE_URL}/#/invitations/${body.invitation!.token}`);
        // The replaced one is withdrawn: mailing it again is refused.
        const again = await call(owner.accessToken, { invitation_id: first!.id });
        assert.equal(again.status, 409);
        assert.match(again.body.error!, /withdrawn/);
      },
    );

    await t.step("when the mail cannot be sent the invitation stands and says so", async () => {
      const unlucky = `inv-unlucky-${tag}@example.com`;
      await failMailsTo(unlucky, true);
      try {
        const since = new Date();
        const { status, body } = await call(admin.accessToken, {
          organisation_id: org.id,
          email: unlucky,
          role: "member",
        });
        assert.equal(status, 200, JSON.stringify(body));
        assert.equal(body.mailed, false);
        assert.match(body.message!, /could not be sent: copy the link/);
        assert.match(body.invitation!.token, /^[0-9a-f]{48}$/);
        assert.deepEqual(await mailsTo(unlucky, since), []);
        const pending = must<{ email: string }[]>(
          await admin.client.from("organisation_invitations").select("email")
            .eq("id", body.invitation!.id).is("revoked_at", null),
          "read invitation",
        );
        assert.deepEqual(pending, [{ email: unlucky }]);
      } finally {
        await failMailsTo(unlucky, false);
      }
    });

    await t.step("the database's refusals come through with their words, never a 5xx", async () => {
      const cases: [string, unknown, number, RegExp][] = [
        [
          member.accessToken,
          { organisation_id: org.id, email: "x@example.com", role: "member" },
          403,
          /Only owners and admins/,
        ],
        [
          admin.accessToken,
          { organisation_id: org.id, email: "x@example.com", role: "owner" },
          403,
          /Only owners can invite owners/,
        ],
        [
          admin.accessToken,
          { organisation_id: org.id, email: "not an address", role: "member" },
          400,
          /not an email address/,
        ],
        [
          admin.accessToken,
          { organisation_id: org.id, email: owner.email, role: "member" },
          409,
          /already a member/,
        ],
        [
          admin.accessToken,
          { organisation_id: "nope", email: "x@example.com" },
          400,
          /organisation_id must be a UUID/,
        ],
        [
          admin.accessToken,
          { organisation_id: org.id, email: "x@example.com", role: "boss" },
          400,
          /role must be owner, admin or member/,
        ],
        [admin.accessToken, { invitation_id: crypto.randomUUID() }, 404, /no such invitation/i],
        [admin.accessToken, "{not json", 400, /must be JSON/],
        [admin.accessToken, [], 400, /organisation_id|invitation_id/],
        [ANON_KEY, { organisation_id: org.id, email: "x@example.com" }, 401, /Sign in/],
      ];
      for (const [token, body, status, message] of cases) {
        const answer = await call(token, body);
        assert.equal(
          answer.status,
          status,
          `${JSON.stringify(body)}: ${JSON.stringify(answer.body)}`,
        );
        assert.match(answer.body.error ?? "", message);
      }
      const unsigned = await fetch(`${SUPABASE_URL}/functions/v1/invitations`, {
        method: "POST",
        headers: { apikey: ANON_KEY, authorization: "Bearer not-a-jwt" },
        body: "{}",
      });
      assert.equal(unsigned.status, 401);
      await unsigned.body?.cancel();
    });

    await t.step("another clinic's owner cannot mail this clinic's invitations", async () => {
      const stranger = await users.signUp(`inv-stranger-${tag}@example.com`, "Sam Stranger");
      must(
        await stranger.client.rpc("create_organisation", {
          name: `Other ${tag}`,
          timezone: "Europe/Riga",
        }),
        "create_organisation",
      );
      const { status } = await call(stranger.accessToken, { invitation_id: first!.id });
      assert.equal(status, 404);
      const invite = await call(stranger.accessToken, {
        organisation_id: org.id,
        email: `inv-x-${tag}@example.com`,
      });
      assert.equal(invite.status, 403);
    });
  } finally {
    await users.deleteAll();
  }
});
