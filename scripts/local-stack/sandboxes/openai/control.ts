// The control API tests drive the OpenAI sandbox with (JSON under /_local/openai/control; errors
// are 4xx `{error}`):
//   POST /script {responses: [item…]} or one item   queue exact answers, used in order; item =
//        {content?, tool_calls?: [{name, arguments, id?}], finish_reason?, error?, delayMs?}
//        error = "insufficient_quota" | "rate_limit_exceeded" | "server_error" | "overloaded"
//        or {status, message, type?, code?}
//   GET  /script, DELETE /script                  what is still queued; clear it
//   GET  /completions?since=<seq>                 requests as received with the answers
//   GET, POST {endpoint?, error?, status?, delayMs?, times?}, DELETE /faults[/{id}]
//   GET  /requests?since=<seq or ISO time>        the request log
import { body, faultControl, invalid, refusal } from "../faults.ts";
import { json } from "../google/http.ts";
import type { SandboxContext } from "./context.ts";
import { faultRequest } from "./faults.ts";
import { scriptRequest } from "./script.ts";

/** `path` is below /control. */
export async function control(ctx: SandboxContext, req: Request, path: string): Promise<Response> {
  const method = req.method;
  if (path === "/script" && method === "POST") {
    const parsed = scriptRequest.safeParse(await body(req));
    if (!parsed.success) return invalid(parsed.error);
    ctx.script.push(...("responses" in parsed.data ? parsed.data.responses : [parsed.data]));
    return json(200, { queued: ctx.script.length });
  }
  if (path === "/script" && method === "GET") return json(200, ctx.script);
  if (path === "/script" && method === "DELETE") {
    const removed = ctx.script.length;
    ctx.script.length = 0;
    return json(200, { removed });
  }
  if (path === "/completions" && method === "GET") {
    const since = Number(new URL(req.url).searchParams.get("since") ?? 0) || 0;
    return json(200, ctx.exchanges.filter((e) => e.seq > since));
  }
  return await faultControl(ctx, faultRequest, req, path) ??
    refusal(404, `no control endpoint ${method} ${path}`);
}
