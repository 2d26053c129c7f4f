// The control API tests and developers drive the sandbox with (JSON under /_local/twilio/control;
// errors are 4xx `{error}`):
//   GET  /accounts                           accounts (SIDs, never tokens) and their numbers
//   POST /accounts {sid?, authToken?, friendlyName?, numbers?: ["+…"]}   create or extend
//   POST /calls {to, from, script?, dial?}    place a call and run it to the end → the call
//   GET  /calls, GET /calls/{CA…}             calls with what the caller heard
//   GET, POST {endpoint, status?, delayMs?, times?, account?}, DELETE /faults[/{id}]
//   GET  /requests?since=<seq or ISO time>    the REST request log
//   POST /messages/inbound {to, from, body, account_sid?, whatsapp?, profile_name?, media?,
//        duplicate?}                          a patient's SMS/WhatsApp to our twilio-messaging
//        function → the message with our function's HTTP statuses (`answers`)
//   GET  /messages?to=&from=                  messages both ways (to/from without whatsapp:)
//   GET  /messages/thread?patient=&number=&whatsapp=   one patient's thread with a number
//   PUT  /messages/settings {statusDelayMs}   the pause before each status callback
import { z } from "zod";
import { placeCall } from "./calls.ts";
import type { SandboxContext } from "./context.ts";
import { body, faultControl, invalid, refusal } from "../faults.ts";
import { faultRequest } from "./faults.ts";
import { json } from "./http.ts";
import { postInboundSms, smsThread } from "./messaging.ts";
import { newSid } from "./store.ts";

const e164 = z.string().regex(/^\+[1-9][0-9]{6,14}$/, "must be E.164");

const accountRequest = z.object({
  sid: z.string().regex(/^AC[0-9a-f]{32}$/).optional(),
  authToken: z.string().min(8).max(100).optional(),
  friendlyName: z.string().min(1).max(64).optional(),
  numbers: z.array(e164).max(20).default([]),
}).strict();

const callRequest = z.object({
  to: e164,
  from: e164,
  script: z.array(z.string().max(1000)).max(50).optional(),
  dial: z.enum(["completed", "no-answer", "busy", "failed"]).optional(),
}).strict();

const inboundSms = z.object({
  account_sid: z.string().regex(/^AC[0-9a-f]{32}$/).optional(),
  to: e164,
  from: e164,
  body: z.string().max(1600),
  whatsapp: z.boolean().optional(),
  profile_name: z.string().max(200).optional(),
  media: z.array(z.object({ url: z.string().url(), content_type: z.string().min(3).max(100) }))
    .max(10).optional(),
  duplicate: z.number().int().min(1).max(2000).optional(),
}).strict();

/** A number from a query, where an unencoded "+" arrives as a space. */
const queryPhone = (q: URLSearchParams, name: string) => q.get(name)?.replace(/^ /, "+") ?? null;

function accountsView(ctx: SandboxContext) {
  return [...ctx.store.accounts.values()].map((a) => ({
    sid: a.sid,
    friendlyName: a.friendlyName,
    numbers: [...ctx.store.numbers.values()].filter((n) => n.accountSid === a.sid),
  }));
}

/** `path` is below /control. */
export async function control(ctx: SandboxContext, req: Request, path: string): Promise<Response> {
  const method = req.method;
  if (path === "/accounts" && method === "GET") return json(200, accountsView(ctx));
  if (path === "/accounts" && method === "POST") {
    const parsed = accountRequest.safeParse(await body(req));
    if (!parsed.success) return invalid(parsed.error);
    const { sid = newSid("AC"), friendlyName, numbers } = parsed.data;
    const existing = ctx.store.accounts.get(sid);
    for (const phone of numbers) {
      const owner = ctx.store.numberByPhone(phone)?.accountSid;
      if (owner && owner !== sid) return refusal(409, `${phone} belongs to another account`);
    }
    // The token is shown once, when the test made the account; it never appears again.
    const authToken = parsed.data.authToken ?? existing?.authToken ??
      Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0"))
        .join("");
    ctx.store.upsertAccount({
      sid,
      authToken,
      friendlyName: friendlyName ?? existing?.friendlyName ?? sid,
    });
    for (const phone of numbers) await ctx.store.addNumber(sid, phone);
    return json(200, {
      sid,
      authToken,
      numbers: accountsView(ctx).find((a) => a.sid === sid)!.numbers,
    });
  }
  if (path === "/calls" && method === "POST") {
    const parsed = callRequest.safeParse(await body(req));
    if (!parsed.success) return invalid(parsed.error);
    const call = await placeCall(ctx, parsed.data);
    return call ? json(200, call) : refusal(404, `no number ${parsed.data.to} in the sandbox`);
  }
  if (path === "/calls" && method === "GET") {
    return json(200, [...ctx.store.calls.values()].reverse());
  }
  const call = path.match(/^\/calls\/(CA[0-9a-f]{32})$/);
  if (call && method === "GET") {
    const found = ctx.store.calls.get(call[1]);
    return found ? json(200, found) : refusal(404, "no such call");
  }

  if (path === "/messages/inbound" && method === "POST") {
    const parsed = inboundSms.safeParse(await body(req));
    if (!parsed.success) return invalid(parsed.error);
    const posted = await postInboundSms(ctx, parsed.data);
    return typeof posted === "string" ? refusal(404, posted) : json(200, posted);
  }
  if (path === "/messages" && method === "GET") {
    const q = new URL(req.url).searchParams;
    const strip = (a: string) => a.replace(/^whatsapp:/, "");
    return json(
      200,
      [...ctx.messaging.messages.values()].filter((m) =>
        (!q.get("to") || strip(m.to) === queryPhone(q, "to")) &&
        (!q.get("from") || strip(m.from) === queryPhone(q, "from"))
      ),
    );
  }
  if (path === "/messages/thread" && method === "GET") {
    const q = new URL(req.url).searchParams;
    const patient = queryPhone(q, "patient"), number = queryPhone(q, "number");
    if (!patient || !number) return refusal(400, "give patient and number");
    return json(200, smsThread(ctx, patient, number, q.get("whatsapp") === "true"));
  }
  if (path === "/messages/settings" && method === "PUT") {
    const parsed = z.object({ statusDelayMs: z.number().int().min(0).max(60_000) }).strict()
      .safeParse(await body(req));
    if (!parsed.success) return invalid(parsed.error);
    ctx.messaging.settings.statusDelayMs = parsed.data.statusDelayMs;
    return json(200, ctx.messaging.settings);
  }

  return await faultControl(ctx, faultRequest, req, path) ??
    refusal(404, `no control endpoint ${method} ${path}`);
}
