// The control API tests and developers drive the sandbox with (JSON under /_local/twilio/control;
// errors are 4xx `{error}`):
//   GET  /accounts                           accounts (SIDs, never tokens) and their numbers
//   POST /accounts {sid?, authToken?, friendlyName?, numbers?: ["+…"]}   create or extend
//   POST /calls {to, from, script?, dial?}    place a call and run it to the end → the call
//   GET  /calls, GET /calls/{CA…}             calls with what the caller heard
//   GET, POST {endpoint, status?, delayMs?, times?, account?}, DELETE /faults[/{id}]
//   GET  /requests?since=<seq or ISO time>    the REST request log
import { z } from "zod";
import { placeCall } from "./calls.ts";
import type { SandboxContext } from "./context.ts";
import { body, faultControl, invalid, refusal } from "../faults.ts";
import { faultRequest } from "./faults.ts";
import { json } from "./http.ts";
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

  return await faultControl(ctx, faultRequest, req, path) ??
    refusal(404, `no control endpoint ${method} ${path}`);
}
