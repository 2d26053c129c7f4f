// A channel's JWT checked as Realtime checks it (RealtimeWeb.ChannelsAuthorization): signed with
// the project's JWT secret, `role` and `exp` present, not expired. Failures carry Realtime's
// error code and message.
import { errors, jwtVerify } from "jose";

export type TokenCheck =
  | { ok: true; claims: Record<string, unknown> & { role: string; exp: number } }
  | { ok: false; code: string; message: string };

export async function checkToken(token: string, secret: Uint8Array): Promise<TokenCheck> {
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(token, secret, {
      algorithms: ["HS256"],
      // Expiry is judged below, so the message can say how long ago, as Realtime's does.
      currentDate: new Date(0),
    }));
  } catch (err) {
    if (err instanceof errors.JWSSignatureVerificationFailed) {
      return { ok: false, code: "JwtSignatureError", message: "Failed to validate JWT signature" };
    }
    return { ok: false, code: "MalformedJWT", message: "The token provided is not a valid JWT" };
  }
  if (typeof claims.role !== "string" || !Number.isInteger(claims.exp)) {
    return {
      ok: false,
      code: "InvalidJWTToken",
      message: "Fields `role` and `exp` are required in JWT",
    };
  }
  const left = (claims.exp as number) - Math.floor(Date.now() / 1000);
  if (left <= 0) {
    return {
      ok: false,
      code: "InvalidJWTToken",
      message: `Token has expired ${-left} seconds ago`,
    };
  }
  return { ok: true, claims: claims as Record<string, unknown> & { role: string; exp: number } };
}
