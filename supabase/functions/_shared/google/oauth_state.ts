// The OAuth `state`: a JWT (HS256, GOOGLE_STATE_SECRET) binding the consent to an organisation,
// the user who started it and a one-time nonce (private.oauth_states), valid for 10 minutes.
// The signature stops forgery and tampering; the nonce, used once in the database, stops replay.
import { errors, jwtVerify, SignJWT } from "jose";
import { z } from "zod";

export const STATE_LIFETIME_SECONDS = 600;
const AUDIENCE = "google-oauth-callback";

export interface OAuthState {
  organisationId: string;
  userId: string;
  nonce: string;
}

export type StateCheck =
  | { ok: true; state: OAuthState }
  | { ok: false; problem: "expired" | "invalid" };

const claims = z.object({
  org: z.guid(),
  sub: z.guid(),
  nonce: z.guid(),
});

export function signState(
  state: OAuthState,
  secret: Uint8Array,
  now: Date = new Date(),
): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ org: state.organisationId, nonce: state.nonce })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(state.userId)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + STATE_LIFETIME_SECONDS)
    .sign(secret);
}

/** The state's bindings if we signed it and it has not expired. */
export async function verifyState(
  token: string,
  secret: Uint8Array,
  now: Date = new Date(),
): Promise<StateCheck> {
  try {
    const { payload } = await jwtVerify(token, secret, {
      algorithms: ["HS256"],
      audience: AUDIENCE,
      currentDate: now,
      requiredClaims: ["exp", "sub", "org", "nonce"],
    });
    const parsed = claims.safeParse(payload);
    if (!parsed.success) return { ok: false, problem: "invalid" };
    const { org, sub, nonce } = parsed.data;
    return { ok: true, state: { organisationId: org, userId: sub, nonce } };
  } catch (error) {
    return { ok: false, problem: error instanceof errors.JWTExpired ? "expired" : "invalid" };
  }
}
