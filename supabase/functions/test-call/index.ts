// Test calls from the dashboard's Assistant page: an owner or admin types what a caller says and
// reads how the clinic's assistant answers, before going live. Drives the local Vapi sandbox's
// simulated calls (VAPI_SANDBOX_CONTROL_URL), which call our vapi function like Vapi does; there
// is no such thing in production (404: call the number instead).
//
// POST {organisation_id, line, call_id?}  → {call_id, transcript: [{role, text}], ended}
//   without call_id: a new call to the clinic's voice number, the line its first words;
//   with call_id: the line said in that call (409 once it has ended).
// verify_jwt = true; membership is read with the caller's JWT (RLS), so only their clinics count.
import { decodeJwt } from "jose";
import { z } from "zod";
import { callerClient } from "../_shared/http/caller.ts";
import { jsonResponse, preflight } from "../_shared/http/cors.ts";

const body = z.strictObject({
  organisation_id: z.uuid({
    error: "organisation_id must be the clinic's id (a UUID)",
  }),
  line: z.string({ error: "line must be what the caller says" }).trim()
    .min(1, "line must be what the caller says").max(
      500,
      "line must be at most 500 characters",
    ),
  call_id: z.uuid({ error: "call_id must be a test call's id" }).optional(),
});

/**
 * Who a test call comes from: a London number from Ofcom's range for drama (nobody's phone) that
 * phone-number validation accepts, so bookings by test calls work like real ones.
 */
const TEST_CALLER = "+442079460998";

interface SandboxCall {
  id: string;
  phoneNumberId: string | null;
  transcript: { role: "assistant" | "user"; text: string }[];
  ended: boolean;
  problems: string[];
}

const answer = (call: SandboxCall) =>
  jsonResponse({
    call_id: call.id,
    transcript: call.transcript,
    ended: call.ended,
  });

Deno.serve(async (req) => {
  const early = preflight(req);
  if (early) return early;
  if (req.method !== "POST") return jsonResponse({ message: "Use POST" }, 405);
  const control = Deno.env.get("VAPI_SANDBOX_CONTROL_URL")?.replace(/\/+$/, "");
  if (!control) {
    return jsonResponse(
      { message: "Test calls need the Vapi sandbox; call your number instead" },
      404,
    );
  }
  const authorization = req.headers.get("authorization") ?? "";
  let user: string | undefined;
  try {
    const claims = decodeJwt(authorization.replace(/^Bearer\s+/i, ""));
    if (claims.role === "authenticated") user = claims.sub;
  } catch { /* not a JWT: refused below */ }
  if (!user) {
    return jsonResponse({ message: "Sign in to make a test call" }, 401);
  }

  let parsed;
  try {
    parsed = body.safeParse(await req.json());
  } catch {
    return jsonResponse(
      {
        message: 'The body must be JSON: {"organisation_id": "…", "line": "…"}',
      },
      400,
    );
  }
  if (!parsed.success) {
    return jsonResponse({ message: parsed.error.issues[0].message }, 400);
  }
  const { organisation_id: organisationId, line, call_id: callId } = parsed.data;

  try {
    const db = callerClient(authorization);
    const member = await db.from("organisation_members").select("role")
      .eq("organisation_id", organisationId).eq("user_id", user).maybeSingle();
    if (member.error) throw new Error(`membership: ${member.error.code}`);
    if (!member.data) {
      return jsonResponse({
        message: "You are not a member of this organisation",
      }, 403);
    }
    if (member.data.role !== "owner" && member.data.role !== "admin") {
      return jsonResponse({
        message: "Only owners and admins can make test calls",
      }, 403);
    }
    const number = await db.from("phone_numbers").select(
      "e164, vapi_phone_number_id",
    )
      .eq("organisation_id", organisationId).eq("active", true).eq(
        "voice_enabled",
        true,
      )
      .order("created_at").limit(1).maybeSingle();
    if (number.error) throw new Error(`phone number: ${number.error.code}`);
    if (!number.data) {
      return jsonResponse({
        message: "Add a voice number on the Channels page first",
      }, 404);
    }

    const post = (path: string, payload: unknown) =>
      fetch(`${control}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
      });
    if (callId === undefined) {
      const res = await post("/calls", {
        to: number.data.e164.replace(/[^\d+]/g, ""),
        from: TEST_CALLER,
        line,
      });
      if (!res.ok) throw new Error(`sandbox answered ${res.status}`);
      const started = await res.json() as {
        handled: boolean;
        call?: SandboxCall;
      };
      if (!started.handled || !started.call) {
        return jsonResponse({
          message: "Your number is not connected to the assistant yet (see Channels)",
        }, 409);
      }
      return answer(started.call);
    }
    // Only a call to this clinic's number may be continued.
    const found = await fetch(`${control}/calls/${callId}`);
    if (!found.ok) await found.body?.cancel();
    const known = found.ok ? await found.json() as SandboxCall : null;
    if (!known || known.phoneNumberId !== number.data.vapi_phone_number_id) {
      return jsonResponse(
        { message: "No such test call for this clinic" },
        404,
      );
    }
    const said = await post(`/calls/${callId}/say`, { line });
    if (said.status === 409) {
      await said.body?.cancel();
      return jsonResponse({
        message: "This test call has ended; start a new one",
      }, 409);
    }
    if (!said.ok) throw new Error(`sandbox answered ${said.status}`);
    return answer(await said.json());
  } catch (error) {
    console.error(
      `test-call: ${(error as Error).name}: ${(error as Error).message}`,
    );
    return jsonResponse({
      message: "The test call could not go on just now. Please try again.",
    }, 503);
  }
});
