import assert from "node:assert/strict";
import { SignJWT } from "jose";
import { type OAuthState, signState, STATE_LIFETIME_SECONDS, verifyState } from "./oauth_state.ts";

const secret = new TextEncoder().encode("a-test-state-secret-of-at-least-32-bytes!");
const state: OAuthState = {
  organisationId: "10000000-0000-4000-8000-000000000001",
  userId: "20000000-0000-4000-8000-000000000001",
  nonce: "30000000-0000-4000-8000-000000000001",
};
const issued = new Date("2026-12-04T10:00:00Z");
const later = (seconds: number) => new Date(issued.getTime() + seconds * 1000);

/** The state with its payload segment rewritten, signature kept. */
function withPayload(token: string, change: (payload: Record<string, unknown>) => void): string {
  const [header, payload, signature] = token.split(".");
  const decoded = JSON.parse(new TextDecoder().decode(
    Uint8Array.from(atob(payload.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)),
  ));
  change(decoded);
  const encoded = btoa(JSON.stringify(decoded)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
  return [header, encoded, signature].join(".");
}

Deno.test("a state we signed gives back its organisation, user and nonce within 10 minutes", async () => {
  const token = await signState(state, secret, issued);
  assert.deepEqual(await verifyState(token, secret, later(STATE_LIFETIME_SECONDS - 5)), {
    ok: true,
    state,
  });
});

Deno.test("an expired state is refused as expired", async () => {
  const token = await signState(state, secret, issued);
  assert.deepEqual(await verifyState(token, secret, later(STATE_LIFETIME_SECONDS + 1)), {
    ok: false,
    problem: "expired",
  });
});

Deno.test("a tampered state is refused: another organisation, user or nonce breaks the signature", async () => {
  const token = await signState(state, secret, issued);
  for (
    const change of [
      (p: Record<string, unknown>) => (p.org = "10000000-0000-4000-8000-000000000002"),
      (p: Record<string, unknown>) => (p.sub = "20000000-0000-4000-8000-000000000002"),
      (p: Record<string, unknown>) => (p.nonce = "30000000-0000-4000-8000-000000000002"),
      (p: Record<string, unknown>) => (p.exp = Number(p.exp) + 86_400),
    ]
  ) {
    assert.deepEqual(await verifyState(withPayload(token, change), secret, later(1)), {
      ok: false,
      problem: "invalid",
    });
  }
  assert.deepEqual(await verifyState(token.slice(0, -2), secret, later(1)), {
    ok: false,
    problem: "invalid",
  });
});

Deno.test("a state signed with another key, without a signature, or not a JWT is refused", async () => {
  const otherKey = new TextEncoder().encode("another-secret-another-secret-another!!");
  assert.equal(
    (await verifyState(await signState(state, otherKey, issued), secret, later(1))).ok,
    false,
  );
  const [header, payload] = (await signState(state, secret, issued)).split(".");
  const unsigned = `${btoa(JSON.stringify({ alg: "none" })).replace(/=+$/, "")}.${payload}.`;
  assert.equal((await verifyState(unsigned, secret, later(1))).ok, false);
  assert.equal((await verifyState(`${header}.${payload}`, secret, later(1))).ok, false);
  assert.equal((await verifyState("not-a-state", secret, later(1))).ok, false);
});

Deno.test("a correctly signed token that is not a state (no nonce, or not our audience) is refused", async () => {
  const seconds = Math.floor(issued.getTime() / 1000);
  const noNonce = await new SignJWT({ org: state.organisationId })
    .setProtectedHeader({ alg: "HS256" }).setSubject(state.userId)
    .setAudience("google-oauth-callback").setExpirationTime(seconds + 600).sign(secret);
  assert.deepEqual(await verifyState(noNonce, secret, later(1)), { ok: false, problem: "invalid" });
  const otherAudience = await new SignJWT({ org: state.organisationId, nonce: state.nonce })
    .setProtectedHeader({ alg: "HS256" }).setSubject(state.userId)
    .setAudience("authenticated").setExpirationTime(seconds + 600).sign(secret);
  assert.deepEqual(await verifyState(otherAudience, secret, later(1)), {
    ok: false,
    problem: "invalid",
  });
});

// Replay (the same valid state twice) and a state for an organisation the user no longer
// administers pass this check by design: the one-time nonce in private.oauth_states catches
// them (private.consume_oauth_state; pgTAP 17 and supabase/tests/api/google_oauth_test.ts).
