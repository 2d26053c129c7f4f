// The Vapi and Twilio clients against a local server that answers like each provider: what they
// send (auth, body), how every failure is classified, and that no key or token reaches an error.
import assert from "node:assert/strict";
import { classifyProviderStatus, ProviderApiError } from "./provider.ts";
import { createPhoneNumber, findPhoneNumber, type VapiSettings } from "../vapi/client.ts";
import { findIncomingNumber, updateIncomingNumber } from "../twilio/rest.ts";

const VAPI_KEY = "vapi-private-key-1234567890";
const TWILIO_SID = "AC" + "1".repeat(32);
const TWILIO_TOKEN = "twilio-auth-token-0987654321";

type Handler = (req: Request) => Response | Promise<Response>;

async function withServer(handler: Handler, fn: (base: string) => Promise<void>) {
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, handler);
  try {
    await fn(`http://127.0.0.1:${server.addr.port}`);
  } finally {
    await server.shutdown();
  }
}

async function failure(promise: Promise<unknown>): Promise<ProviderApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ProviderApiError, String(error));
    for (const secret of [VAPI_KEY, TWILIO_TOKEN, btoa(`${TWILIO_SID}:${TWILIO_TOKEN}`)]) {
      assert.ok(
        !error.message.includes(secret) && !error.detail.includes(secret),
        "no secret in errors",
      );
    }
    return error;
  }
  throw new Error("expected a failure");
}

Deno.test("status classes: retry, auth, not found, permanent", () => {
  assert.deepEqual(
    [0, 408, 429, 500, 503, 401, 403, 404, 400, 409, 422].map(classifyProviderStatus),
    [
      "retry",
      "retry",
      "retry",
      "retry",
      "retry",
      "auth",
      "auth",
      "not_found",
      "permanent",
      "permanent",
      "permanent",
    ],
  );
});

Deno.test("Vapi: Bearer key and JSON body; NestJS errors in Vapi's words", async () => {
  const seen: { auth: string | null; body: unknown }[] = [];
  let answer = () => Response.json({ id: "pn-1", number: "+442079460001" }, { status: 201 });
  await withServer(async (req) => {
    seen.push({
      auth: req.headers.get("authorization"),
      body: req.method === "POST" ? await req.json() : null,
    });
    return answer();
  }, async (base) => {
    const settings: VapiSettings = { apiKey: VAPI_KEY, baseUrl: base };
    const fields = {
      provider: "twilio" as const,
      number: "+442079460001",
      twilioAccountSid: TWILIO_SID,
      twilioAuthToken: TWILIO_TOKEN,
    };
    assert.equal((await createPhoneNumber(settings, fields)).id, "pn-1");
    assert.deepEqual(seen[0], { auth: `Bearer ${VAPI_KEY}`, body: fields });

    answer = () =>
      Response.json({
        message: ["number must be a valid phone number", "twilioAuthToken must be a string"],
        error: "Bad Request",
        statusCode: 400,
      }, { status: 400 });
    const invalid = await failure(createPhoneNumber(settings, fields));
    assert.equal(invalid.kind, "permanent");
    assert.equal(
      invalid.detail,
      "number must be a valid phone number; twilioAuthToken must be a string",
    );

    answer = () => Response.json({ message: "Invalid Key.", statusCode: 401 }, { status: 401 });
    assert.equal((await failure(findPhoneNumber(settings, "+1"))).kind, "auth");
    answer = () => new Response("<html>Bad gateway</html>", { status: 502 });
    const down = await failure(findPhoneNumber(settings, "+1"));
    assert.equal(down.kind, "retry");
    assert.match(down.message, /^Vapi list phone numbers: 502 HTTP 502$/);
  });
});

Deno.test("Vapi: no answer in time is a retry", async () => {
  await withServer(
    () => new Promise<Response>((resolve) => setTimeout(() => resolve(new Response("[]")), 500)),
    async (base) => {
      const error = await failure(
        findPhoneNumber({ apiKey: VAPI_KEY, baseUrl: base, timeoutMs: 50 }, "+1"),
      );
      assert.equal(error.kind, "retry");
      assert.equal(error.detail, "no answer within 50 ms");
    },
  );
  const unreachable = await failure(
    findPhoneNumber({ apiKey: VAPI_KEY, baseUrl: "http://127.0.0.1:9" }, "+1"),
  );
  assert.equal(unreachable.kind, "retry");
});

Deno.test("Twilio: Basic auth, form-encoded update; errors with Twilio's code", async () => {
  const seen: { path: string; auth: string | null; type: string | null; form: string }[] = [];
  let answer = (_path: string) =>
    Response.json({
      incoming_phone_numbers: [{
        sid: "PN1",
        account_sid: TWILIO_SID,
        phone_number: "+442079460001",
      }],
    });
  await withServer(async (req) => {
    const url = new URL(req.url);
    seen.push({
      path: url.pathname + url.search,
      auth: req.headers.get("authorization"),
      type: req.headers.get("content-type"),
      form: req.method === "POST" ? await req.text() : "",
    });
    return answer(url.pathname);
  }, async (base) => {
    const options = { baseUrl: base };
    assert.equal(
      (await findIncomingNumber(TWILIO_SID, TWILIO_TOKEN, "+442079460001", options))?.sid,
      "PN1",
    );
    assert.equal(
      await findIncomingNumber(TWILIO_SID, TWILIO_TOKEN, "+442079460002", options),
      null,
    );
    assert.equal(
      seen[0].path,
      `/2010-04-01/Accounts/${TWILIO_SID}/IncomingPhoneNumbers.json?PhoneNumber=%2B442079460001`,
    );
    assert.equal(seen[0].auth, `Basic ${btoa(`${TWILIO_SID}:${TWILIO_TOKEN}`)}`);

    answer = () => Response.json({ sid: "PN1" });
    await updateIncomingNumber(TWILIO_SID, TWILIO_TOKEN, "PN1", {
      VoiceFallbackUrl: "https://x.test/functions/v1/twilio-voice/fallback",
      VoiceFallbackMethod: "POST",
      StatusCallback: "",
    }, options);
    const update = seen.at(-1)!;
    assert.equal(update.type, "application/x-www-form-urlencoded");
    assert.deepEqual(Object.fromEntries(new URLSearchParams(update.form)), {
      VoiceFallbackUrl: "https://x.test/functions/v1/twilio-voice/fallback",
      VoiceFallbackMethod: "POST",
      StatusCallback: "",
    });

    answer = () =>
      Response.json({
        code: 20003,
        message: "Authentication Error - invalid username",
        more_info: "https://www.twilio.com/docs/errors/20003",
        status: 401,
      }, { status: 401 });
    const refused = await failure(findIncomingNumber(TWILIO_SID, TWILIO_TOKEN, "+1", options));
    assert.equal(refused.kind, "auth");
    assert.equal(refused.code, 20003);
    assert.equal(refused.detail, "Authentication Error - invalid username (20003)");

    answer = () =>
      Response.json({ code: 20404, message: "The requested resource was not found", status: 404 }, {
        status: 404,
      });
    assert.equal(
      (await failure(updateIncomingNumber(TWILIO_SID, TWILIO_TOKEN, "PN9", {}, options))).kind,
      "not_found",
    );
    answer = () =>
      Response.json({ code: 20429, message: "Too Many Requests", status: 429 }, { status: 429 });
    assert.equal(
      (await failure(findIncomingNumber(TWILIO_SID, TWILIO_TOKEN, "+1", options))).kind,
      "retry",
    );
  });
});
