// The control API tests and developers drive the Meta sandbox with (JSON under
// /_local/meta/control; errors are 4xx `{error}`):
//   POST /inbound {phone_number_id, from, name?, type?, text?, …, duplicate?, id?}
//        or {messages: [...], out_of_order?, duplicate?}  → {wamid, status, wamids, statuses}
//   POST /status {wamid, status | statuses: [...], error_code?}   status webhooks now, in order
//   GET  /apps, POST /apps {app_id, secret, callback_url, verify_token?, phone_number_ids?}
//   GET  /numbers, POST /numbers {phone_number_id, access_token?, app_id?, display_phone_number?,
//        waba_id?}
//   GET  /outbox?phone_number_id=&to=       what our side sent, oldest first, with statuses
//   GET  /reads?phone_number_id=             read marks (and typing indicators) our side sent
//   GET  /inbound?phone_number_id=&from=     what the sandbox posted as patients
//   GET  /thread?phone_number_id=&wa_id=     both, in time order (the console's view)
//   GET, PUT /settings {statuses?, statusDelayMs?}   what follows an accepted send
//   GET, POST {endpoint?, code?, async?, status?, delayMs?, times?, account?}, DELETE /faults[/{id}]
//   GET  /requests?since=<seq or ISO time>   the Graph request log
// Secrets and tokens are never answered.
import { z } from "zod";
import { body, faultControl, invalid, refusal } from "../faults.ts";
import { json } from "../google/http.ts";
import type { SandboxContext } from "./context.ts";
import { KNOWN_ERRORS } from "./errors.ts";
import { faultRequest } from "./faults.ts";
import { inboundRequest, postInbound } from "./inbound.ts";
import { postStatuses } from "./statuses.ts";

const digits = z.string().regex(/^\d{5,20}$/);
const statusName = z.enum(["sent", "delivered", "read", "failed"]);

const statusRequest = z.object({
  wamid: z.string().min(1),
  status: statusName.optional(),
  /** Several, posted in this order (e.g. read before delivered). */
  statuses: z.array(statusName).min(1).max(10).optional(),
  error_code: z.number().int().refine((c) => c in KNOWN_ERRORS, "not a code the sandbox knows")
    .optional(),
}).strict().refine((r) => (r.status === undefined) !== (r.statuses === undefined), {
  message: "give status or statuses",
});

const appRequest = z.object({
  app_id: z.string().min(1).max(100),
  secret: z.string().min(8).max(200),
  callback_url: z.string().url(),
  verify_token: z.string().min(1).max(200).optional(),
  phone_number_ids: z.array(digits).max(50).default([]),
}).strict();

const numberRequest = z.object({
  phone_number_id: digits,
  access_token: z.string().min(8).max(500).optional(),
  app_id: z.string().min(1).max(100).optional(),
  display_phone_number: digits.optional(),
  waba_id: digits.optional(),
}).strict();

const settingsRequest = z.object({
  statuses: z.array(z.enum(["sent", "delivered", "read"])).max(3).optional(),
  statusDelayMs: z.number().int().min(0).max(60_000).optional(),
}).strict();

const appsView = (ctx: SandboxContext) =>
  [...ctx.store.apps.values()].map((a) => ({
    app_id: a.id,
    callback_url: a.callbackUrl,
    phone_number_ids: [...ctx.store.numbers.values()].filter((n) => n.appId === a.id).map((n) =>
      n.id
    ),
  }));

const numbersView = (ctx: SandboxContext) =>
  [...ctx.store.numbers.values()].map((n) => ({
    phone_number_id: n.id,
    display_phone_number: n.displayPhoneNumber,
    waba_id: n.wabaId,
    app_id: n.appId,
    has_token: n.token !== null,
  }));

/** A patient's thread with one number: what they sent and what our side answered, by time. */
export function thread(ctx: SandboxContext, phoneNumberId: string, waId: string) {
  const entry = (
    direction: "inbound" | "outbound",
    m: { id: string; type: string; text: string; at: number },
    status: string,
  ) => ({ direction, id: m.id, type: m.type, text: m.text, at: m.at, status });
  return [
    ...ctx.store.inbound.filter((m) => m.phoneNumberId === phoneNumberId && m.from === waId)
      .map((m) => entry("inbound", m, m.httpStatuses.join(","))),
    ...ctx.store.outbox.filter((m) => m.phoneNumberId === phoneNumberId && m.to === waId)
      .map((m) => entry("outbound", m, m.statuses.at(-1)?.status ?? "accepted")),
  ].sort((a, b) => a.at - b.at);
}

/** `path` is below /control. */
export async function control(ctx: SandboxContext, req: Request, path: string): Promise<Response> {
  const method = req.method;
  const q = new URL(req.url).searchParams;
  if (path === "/inbound" && method === "POST") {
    const parsed = inboundRequest.safeParse(await body(req));
    if (!parsed.success) return invalid(parsed.error);
    const r = parsed.data;
    const posted = "messages" in r
      ? await postInbound(ctx, r.messages, { duplicate: r.duplicate, outOfOrder: r.out_of_order })
      : await postInbound(ctx, [r], { duplicate: r.duplicate });
    const last = posted[posted.length - 1];
    return json(200, {
      wamid: posted[0].wamid,
      status: last.statuses[last.statuses.length - 1],
      wamids: posted.map((p) => p.wamid),
      statuses: posted.map((p) => p.statuses),
    });
  }
  if (path === "/inbound" && method === "GET") {
    return json(
      200,
      ctx.store.inbound.filter((m) =>
        (!q.get("phone_number_id") || m.phoneNumberId === q.get("phone_number_id")) &&
        (!q.get("from") || m.from === q.get("from")!.replace(/^\+/, ""))
      ),
    );
  }
  if (path === "/status" && method === "POST") {
    const parsed = statusRequest.safeParse(await body(req));
    if (!parsed.success) return invalid(parsed.error);
    const { wamid, status, statuses, error_code } = parsed.data;
    if (!ctx.store.outbox.some((m) => m.id === wamid)) return refusal(404, "no such sent message");
    const list = (statuses ?? [status!]).map((s) => ({ status: s, errorCode: error_code }));
    return json(200, { wamid, statuses: await postStatuses(ctx, wamid, list, 0) });
  }
  if (path === "/apps" && method === "GET") return json(200, appsView(ctx));
  if (path === "/apps" && method === "POST") {
    const parsed = appRequest.safeParse(await body(req));
    if (!parsed.success) return invalid(parsed.error);
    const a = parsed.data;
    ctx.store.apps.set(a.app_id, {
      id: a.app_id,
      secret: a.secret,
      verifyToken: a.verify_token ?? null,
      callbackUrl: a.callback_url,
    });
    for (const id of a.phone_number_ids) {
      const number = ctx.store.numbers.get(id);
      if (number) number.appId = a.app_id;
      else {
        ctx.store.numbers.set(id, {
          id,
          wabaId: "100000000000000",
          displayPhoneNumber: "15550000000",
          token: null,
          appId: a.app_id,
        });
      }
    }
    ctx.store.changed();
    return json(200, appsView(ctx).find((v) => v.app_id === a.app_id));
  }
  if (path === "/numbers" && method === "GET") return json(200, numbersView(ctx));
  if (path === "/numbers" && method === "POST") {
    const parsed = numberRequest.safeParse(await body(req));
    if (!parsed.success) return invalid(parsed.error);
    const n = parsed.data;
    if (n.app_id && !ctx.store.apps.has(n.app_id)) return refusal(404, "no such app");
    const existing = ctx.store.numbers.get(n.phone_number_id);
    ctx.store.numbers.set(n.phone_number_id, {
      id: n.phone_number_id,
      wabaId: n.waba_id ?? existing?.wabaId ?? "100000000000000",
      displayPhoneNumber: n.display_phone_number ?? existing?.displayPhoneNumber ?? "15550000000",
      token: n.access_token ?? existing?.token ?? null,
      appId: n.app_id ?? existing?.appId ?? "platform",
    });
    ctx.store.changed();
    return json(200, numbersView(ctx).find((v) => v.phone_number_id === n.phone_number_id));
  }
  if (path === "/outbox" && method === "GET") {
    const to = q.get("to")?.replace(/^\+/, "");
    return json(
      200,
      ctx.store.outbox.filter((m) =>
        (!q.get("phone_number_id") || m.phoneNumberId === q.get("phone_number_id")) &&
        (!to || m.to === to)
      ),
    );
  }
  if (path === "/reads" && method === "GET") {
    return json(
      200,
      ctx.store.reads.filter((m) =>
        !q.get("phone_number_id") || m.phoneNumberId === q.get("phone_number_id")
      ),
    );
  }
  if (path === "/thread" && method === "GET") {
    const id = q.get("phone_number_id"), waId = q.get("wa_id")?.replace(/^\+/, "");
    if (!id || !waId) return refusal(400, "give phone_number_id and wa_id");
    return json(200, thread(ctx, id, waId));
  }
  if (path === "/settings" && method === "GET") return json(200, ctx.settings);
  if (path === "/settings" && method === "PUT") {
    const parsed = settingsRequest.safeParse(await body(req));
    if (!parsed.success) return invalid(parsed.error);
    Object.assign(ctx.settings, parsed.data);
    return json(200, ctx.settings);
  }
  return await faultControl(ctx, faultRequest, req, path) ??
    refusal(404, `no control endpoint ${method} ${path}`);
}
