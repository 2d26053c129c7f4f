// The control API tests, the test-call function and developers drive the sandbox with (JSON, under
// /_local/vapi/control; errors are 4xx `{error}`):
//   GET  /calls                               calls, newest first, with their conversations
//   GET  /calls/{id}                          one call
//   POST /calls {to, from?, callSid?, script?: string[], line?}
//        a call reaching `to` as Twilio would hand it over: with `script` the caller says each line
//        and hangs up; without, the call stays live (`line` = the caller's first words)
//   POST /calls/{id}/say {line}               the caller says a line in a live call
//   POST /calls/{id}/hangup                   the caller hangs up
//   GET  /phone-numbers                       imported numbers (no Twilio secret)
//   GET, POST {endpoint?, status?, delayMs?, down?, times?}, DELETE /faults[/{id}]
//   GET  /requests?since=<seq or ISO time>    the request log (no body, no secret)
import { z } from "zod";
import { json } from "../google/http.ts";
import { type CallRefused, type Calls, type InboundResult } from "./calls.ts";
import type { SandboxContext } from "./context.ts";
import { body, faultControl, refusal } from "../faults.ts";
import { faultRequest } from "./faults.ts";
import { callView, conversation, phoneNumberView } from "./messages.ts";
import { e164, messages } from "./schema.ts";
import type { Call } from "./store.ts";

const line = z.string().trim().min(1).max(500);

const startRequest = z.object({
  to: e164,
  from: e164.default("+15555550100"),
  callSid: z.string().regex(/^CA[0-9a-f]{32}$/).optional(),
  script: z.array(line).max(50).optional(),
  line: line.optional(),
}).strict();

const sayRequest = z.object({ line }).strict();

/** A call for tests and the console: Vapi's view plus the conversation and what went wrong. */
export function callReport(call: Call) {
  return {
    ...callView(call),
    transcript: conversation(call),
    problems: call.problems,
    ended: call.status === "ended",
  };
}

const newCallSid = () =>
  `CA${
    Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0"))
      .join("")
  }`;

/** `path` is below /control. */
export async function control(
  ctx: SandboxContext,
  calls: Calls,
  req: Request,
  path: string,
): Promise<Response> {
  const method = req.method;
  const onCall = async (act: () => Promise<Call>) => {
    try {
      return json(200, callReport(await act()));
    } catch (e) {
      if ((e as CallRefused).status) {
        return refusal((e as CallRefused).status, (e as Error).message);
      }
      throw e;
    }
  };

  if (path === "/calls" && method === "GET") {
    return json(200, [...ctx.store.calls.values()].reverse().map(callReport));
  }
  if (path === "/calls" && method === "POST") {
    const parsed = startRequest.safeParse(await body(req));
    if (!parsed.success) return refusal(400, messages(parsed.error).join("; "));
    const { to, from, script, line } = parsed.data;
    const result: InboundResult = await calls.answerInbound({
      number: to,
      from,
      callSid: parsed.data.callSid ?? newCallSid(),
      script,
    });
    if (!result.handled) return json(200, result);
    if (line !== undefined && ctx.store.calls.get(result.callId)?.status === "in-progress") {
      await calls.say(result.callId, line);
    }
    return json(200, { ...result, call: callReport(ctx.store.calls.get(result.callId)!) });
  }
  const one = path.match(/^\/calls\/([^/]+)(?:\/(say|hangup))?$/);
  if (one) {
    const id = decodeURIComponent(one[1]);
    if (!one[2] && method === "GET") {
      const call = ctx.store.calls.get(id);
      return call ? json(200, callReport(call)) : refusal(404, "no such call");
    }
    if (one[2] === "say" && method === "POST") {
      const parsed = sayRequest.safeParse(await body(req));
      if (!parsed.success) return refusal(400, messages(parsed.error).join("; "));
      return await onCall(() => calls.say(id, parsed.data.line));
    }
    if (one[2] === "hangup" && method === "POST") return await onCall(() => calls.hangUp(id));
  }

  if (path === "/phone-numbers" && method === "GET") {
    return json(200, [...ctx.store.phoneNumbers.values()].map(phoneNumberView));
  }
  return await faultControl(
    ctx,
    faultRequest,
    req,
    path,
    (error) => refusal(400, messages(error).join("; ")),
  ) ?? refusal(404, `no control endpoint ${method} ${path}`);
}
