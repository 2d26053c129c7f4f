// The Graph and Twilio message clients against a local server answering like each provider: the
// request they send (path, auth, body), the id they return, and how a refusal is parsed (the
// provider's code for classifySendError, words without the token).
import assert from "node:assert/strict";
import { ProviderApiError } from "../http/provider.ts";
import { classifySendError } from "../messaging/errors.ts";
import { sendTwilioMessage, twilioAddress } from "../twilio/messages.ts";
import {
  getMedia,
  graphBaseUrl,
  markRead,
  sendInteractive,
  sendTemplate,
  sendText,
} from "./graph.ts";

const TOKEN = "meta-access-token-123456";
const TWILIO_SID = "AC" + "2".repeat(32);
const TWILIO_TOKEN = "twilio-auth-token-abcdef";

interface Seen {
  method: string;
  path: string;
  auth: string | null;
  type: string | null;
  body: string;
}

async function withServer(
  answer: (seen: Seen) => Response,
  fn: (base: string, seen: Seen[]) => Promise<void>,
) {
  const seen: Seen[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
    const url = new URL(req.url);
    const one = {
      method: req.method,
      path: url.pathname,
      auth: req.headers.get("authorization"),
      type: req.headers.get("content-type"),
      body: await req.text(),
    };
    seen.push(one);
    return answer(one);
  });
  try {
    await fn(`http://127.0.0.1:${server.addr.port}/v25.0`, seen);
  } finally {
    await server.shutdown();
  }
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const accepted = () =>
  json(200, {
    messaging_product: "whatsapp",
    contacts: [{ input: "447700900456", wa_id: "447700900456" }],
    messages: [{ id: "wamid.HBgLNDQ3NzAwOTAwNDU2FQIAERgSQUJD" }],
  });

async function refusal(promise: Promise<unknown>): Promise<ProviderApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ProviderApiError, String(error));
    for (const secret of [TOKEN, TWILIO_TOKEN]) {
      assert.ok(!error.message.includes(secret) && !error.detail.includes(secret));
    }
    return error;
  }
  throw new Error("expected a refusal");
}

Deno.test("sendText posts Graph's text message with the Bearer token and returns the wamid", async () => {
  await withServer(accepted, async (base, seen) => {
    const sent = await sendText("106540352242922", TOKEN, "+447700900456", "Hello 👋 Привет", {
      baseUrl: base,
      replyTo: "wamid.IN",
    });
    assert.equal(sent.wamid, "wamid.HBgLNDQ3NzAwOTAwNDU2FQIAERgSQUJD");
    assert.equal(seen[0].method, "POST");
    assert.equal(seen[0].path, "/v25.0/106540352242922/messages");
    assert.equal(seen[0].auth, `Bearer ${TOKEN}`);
    assert.equal(seen[0].type, "application/json");
    assert.deepEqual(JSON.parse(seen[0].body), {
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "447700900456",
      type: "text",
      text: { preview_url: false, body: "Hello 👋 Привет" },
      context: { message_id: "wamid.IN" },
    });
  });
});

Deno.test("interactive and template bodies go as Graph names them", async () => {
  await withServer(accepted, async (base, seen) => {
    await sendInteractive("1234567", TOKEN, "447700900456", {
      type: "button",
      body: { text: "Which time?" },
      action: { buttons: [{ type: "reply", reply: { id: "slot_1", title: "Mon 10:00" } }] },
    }, { baseUrl: base });
    await sendTemplate("1234567", TOKEN, "447700900456", {
      name: "appt_reminder",
      language: { code: "en" },
    }, { baseUrl: base });
    const [interactive, template] = seen.map((s) => JSON.parse(s.body));
    assert.equal(interactive.type, "interactive");
    assert.equal(interactive.interactive.action.buttons[0].reply.id, "slot_1");
    assert.equal("context" in interactive, false);
    assert.equal(template.type, "template");
    assert.deepEqual(template.template, { name: "appt_reminder", language: { code: "en" } });
  });
});

Deno.test("markRead sends status read, with the typing indicator on request", async () => {
  await withServer(() => json(200, { success: true }), async (base, seen) => {
    await markRead("1234567", TOKEN, "wamid.IN", { baseUrl: base });
    await markRead("1234567", TOKEN, "wamid.IN", { baseUrl: base, typing: true });
    assert.deepEqual(JSON.parse(seen[0].body), {
      messaging_product: "whatsapp",
      status: "read",
      message_id: "wamid.IN",
    });
    assert.deepEqual(JSON.parse(seen[1].body).typing_indicator, { type: "text" });
  });
});

Deno.test("getMedia reads the media item's URL with the token", async () => {
  await withServer(
    () =>
      json(200, {
        messaging_product: "whatsapp",
        url: "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1",
        mime_type: "image/jpeg",
        sha256: "abc",
        file_size: 1234,
        id: "987",
      }),
    async (base, seen) => {
      const media = await getMedia("987", TOKEN, { baseUrl: base });
      assert.equal(media.mime_type, "image/jpeg");
      assert.match(media.url, /^https:\/\/lookaside/);
      assert.equal(seen[0].method, "GET");
      assert.equal(seen[0].path, "/v25.0/987");
      assert.equal(seen[0].auth, `Bearer ${TOKEN}`);
    },
  );
});

Deno.test("Graph refusals carry error.code and Meta's words; the classification follows the code", async () => {
  const cases: [number, number, string][] = [
    [400, 190, "channel_credentials"],
    [401, 190, "channel_credentials"],
    [400, 131047, "window_closed"],
    [400, 131026, "undeliverable"],
    [400, 130429, "rate_limited"],
    [400, 131056, "rate_limited"],
  ];
  for (const [status, code, kind] of cases) {
    await withServer(
      () =>
        json(status, {
          error: {
            message: "Error validating access token: Session has expired",
            type: "OAuthException",
            code,
            error_subcode: 463,
            error_data: { messaging_product: "whatsapp", details: "More detail" },
            fbtrace_id: "Axyz",
          },
        }),
      async (base) => {
        const error = await refusal(sendText("1234567", TOKEN, "447700900456", "Hi", {
          baseUrl: base,
        }));
        assert.equal(error.code, code);
        assert.equal(error.status, status);
        assert.match(error.detail, /Session has expired: More detail/);
        assert.equal(classifySendError("meta", error.code ?? null, error.status).kind, kind);
      },
    );
  }
});

Deno.test("a 5xx without Graph's body, and no answer in time, are transient", async () => {
  await withServer(() => new Response("upstream", { status: 502 }), async (base) => {
    const error = await refusal(
      sendText("1234567", TOKEN, "447700900456", "Hi", { baseUrl: base }),
    );
    assert.equal(error.code, undefined);
    assert.equal(classifySendError("meta", null, error.status).kind, "transient");
  });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return accepted();
  });
  try {
    const base = `http://127.0.0.1:${server.addr.port}/v25.0`;
    const error = await refusal(
      sendText("1234567", TOKEN, "447700900456", "Hi", { baseUrl: base, timeoutMs: 50 }),
    );
    assert.equal(error.status, 0);
    assert.equal(classifySendError("meta", null, error.status).kind, "transient");
  } finally {
    await server.shutdown();
  }
});

Deno.test("a 200 without a message id is an error, not a silent success", async () => {
  await withServer(() => json(200, { messages: [] }), async (base) => {
    await assert.rejects(
      sendText("1234567", TOKEN, "447700900456", "Hi", { baseUrl: base }),
      /without a message id/,
    );
  });
});

Deno.test("META_GRAPH_BASE_URL (version included) or Meta's v25.0", () => {
  assert.equal(
    graphBaseUrl({ baseUrl: "http://x/_local/meta/v25.0/" }),
    "http://x/_local/meta/v25.0",
  );
  const saved = Deno.env.get("META_GRAPH_BASE_URL");
  try {
    Deno.env.delete("META_GRAPH_BASE_URL");
    assert.equal(graphBaseUrl(), "https://graph.facebook.com/v25.0");
    Deno.env.set("META_GRAPH_BASE_URL", "http://127.0.0.1:1/_local/meta/v25.0");
    assert.equal(graphBaseUrl(), "http://127.0.0.1:1/_local/meta/v25.0");
  } finally {
    if (saved === undefined) Deno.env.delete("META_GRAPH_BASE_URL");
    else Deno.env.set("META_GRAPH_BASE_URL", saved);
  }
});

Deno.test("Twilio: Messages.json with Basic auth, whatsapp: addresses and the status callback", async () => {
  const root = (base: string) => base.replace(/\/v25\.0$/, "");
  await withServer(
    () => json(201, { sid: "SM" + "a".repeat(32), status: "queued", error_code: null }),
    async (base, seen) => {
      const sent = await sendTwilioMessage(TWILIO_SID, TWILIO_TOKEN, {
        from: "+37167000123",
        to: "+37120000456",
        body: "Labdien 👋",
        whatsapp: true,
        statusCallback: "https://fd.example/functions/v1/twilio-messaging/status",
      }, { baseUrl: root(base) });
      assert.equal(sent.sid, "SM" + "a".repeat(32));
      assert.equal(sent.status, "queued");
      assert.equal(seen[0].path, `/2010-04-01/Accounts/${TWILIO_SID}/Messages.json`);
      assert.equal(seen[0].auth, `Basic ${btoa(`${TWILIO_SID}:${TWILIO_TOKEN}`)}`);
      assert.equal(seen[0].type, "application/x-www-form-urlencoded");
      const form = new URLSearchParams(seen[0].body);
      assert.equal(form.get("From"), "whatsapp:+37167000123");
      assert.equal(form.get("To"), "whatsapp:+37120000456");
      assert.equal(form.get("Body"), "Labdien 👋");
      assert.equal(
        form.get("StatusCallback"),
        "https://fd.example/functions/v1/twilio-messaging/status",
      );
    },
  );
  assert.equal(twilioAddress("+37167000123", false), "+37167000123");
  assert.equal(twilioAddress("whatsapp:+37167000123", false), "+37167000123");
  assert.equal(twilioAddress("whatsapp:+37167000123", true), "whatsapp:+37167000123");
});

Deno.test("Twilio refusals carry Twilio's code: 21610 opted out, 20003 credentials", async () => {
  for (
    const [status, code, kind] of [[400, 21610, "opted_out"], [401, 20003, "channel_credentials"]]
  ) {
    await withServer(
      () =>
        json(status as number, {
          code,
          message: "Attempt to send to unsubscribed recipient",
          more_info: `https://www.twilio.com/docs/errors/${code}`,
          status,
        }),
      async (base) => {
        const error = await refusal(sendTwilioMessage(TWILIO_SID, TWILIO_TOKEN, {
          from: "+37167000123",
          to: "+37120000456",
          body: "Hi",
          whatsapp: false,
          statusCallback: "https://fd.example/functions/v1/twilio-messaging/status",
        }, { baseUrl: base.replace(/\/v25\.0$/, "") }));
        assert.equal(error.code, code);
        assert.equal(classifySendError("twilio", error.code ?? null, error.status).kind, kind);
      },
    );
  }
});
