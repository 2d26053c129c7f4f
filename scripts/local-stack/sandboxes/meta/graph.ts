// Graph API as the functions use it (base META_GRAPH_BASE_URL = …/_local/meta/v25.0):
//   POST /v{N}/{phone_number_id}/messages   text, interactive (button, list), template; or a
//        read mark {status: "read", message_id, typing_indicator?}
//   GET  /v{N}/{media_id}                    a media object made for an inbound message
//   GET  /media/{media_id}?hash=…            its bytes (the download URL; Bearer needed)
// Bearer must be the number's access token (else 190). Bodies are checked as Graph checks them
// (100 bad parameter, 131009 bad value); accepted sends are answered at once and their status
// webhooks follow (statuses.ts).
import { delayFor } from "../faults.ts";
import { json } from "../google/http.ts";
import { later, type SandboxContext } from "./context.ts";
import { badParam, badValue, graphError } from "./errors.ts";
import type { Endpoint } from "./faults.ts";
import { postStatuses } from "./statuses.ts";
import type { BusinessNumber } from "./store.ts";

const hex = (n: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b.toString(16).padStart(2, "0"))
    .join("").toUpperCase();

/** A wamid shaped like Meta's: "wamid." + base64 of the recipient and a random id. */
export function newWamid(waId: string): string {
  return "wamid." + btoa(`\x15\x02\x00\x11\x18${waId}\x15\x02\x00\x12\x18\x14${hex(10)}\x00`)
    .replace(/=+$/, "") +
    "==";
}

const bearer = (req: Request) =>
  (req.headers.get("authorization") ?? "").match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;

const invalidToken = () =>
  graphError(190, {
    message: "Invalid OAuth access token - Cannot parse access token",
    details: "Invalid OAuth access token",
    subcode: null,
  });

const noObject = (id: string) =>
  graphError(100, {
    message: `Unsupported post request. Object with ID '${id}' does not exist, cannot be ` +
      "loaded due to missing permissions, or does not support this operation.",
    details: "Object does not exist",
    subcode: 33,
  });

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): v is string => typeof v === "string";

/** Limits of interactive messages (PROVIDERS §4.6). */
function checkInteractive(i: unknown): Response | string {
  if (!isObj(i) || !str(i.type)) return badParam("The parameter interactive['type'] is required.");
  const body = isObj(i.body) && str(i.body.text) ? i.body.text : null;
  if (body === null || !body.length) {
    return badParam("The parameter interactive['body'] is required.");
  }
  if (body.length > 1024) return badValue("Body text length invalid. Max length: 1024");
  const action = isObj(i.action) ? i.action : null;
  if (!action) return badParam("The parameter interactive['action'] is required.");
  if (i.type === "button") {
    const buttons = Array.isArray(action.buttons) ? action.buttons : null;
    if (!buttons || buttons.length < 1 || buttons.length > 3) {
      return badValue("Invalid buttons count. Min allowed buttons: 1, Max allowed buttons: 3");
    }
    const ids = new Set<string>(), titles = new Set<string>();
    for (const b of buttons) {
      const reply = isObj(b) && b.type === "reply" && isObj(b.reply) ? b.reply : null;
      if (!reply || !str(reply.id) || !str(reply.title)) {
        return badParam("The parameter interactive['action']['buttons'][0]['reply'] is required.");
      }
      if (!reply.title.length || reply.title.length > 20) {
        return badValue("Button title length invalid. Min length: 1, Max length: 20");
      }
      if (!reply.id.length || reply.id.length > 256) {
        return badValue("Button id length invalid. Min length: 1, Max length: 256");
      }
      if (ids.has(reply.id) || titles.has(reply.title)) return badValue("Duplicate buttons");
      ids.add(reply.id);
      titles.add(reply.title);
    }
    return body;
  }
  if (i.type === "list") {
    if (!str(action.button) || !action.button.length || action.button.length > 20) {
      return badValue("Button title length invalid. Min length: 1, Max length: 20");
    }
    const sections = Array.isArray(action.sections) ? action.sections : null;
    if (!sections || sections.length < 1 || sections.length > 10) {
      return badValue("Invalid sections count. Min: 1, Max: 10");
    }
    let rows = 0;
    for (const s of sections) {
      if (!isObj(s) || !Array.isArray(s.rows)) return badParam("The parameter rows is required.");
      if (sections.length > 1 && (!str(s.title) || !s.title.length)) {
        return badValue("Section title is required when there is more than one section");
      }
      if (str(s.title) && s.title.length > 24) {
        return badValue("Section title length invalid. Max length: 24");
      }
      for (const r of s.rows) {
        rows++;
        if (!isObj(r) || !str(r.id) || !str(r.title)) {
          return badParam("Row id and title are required.");
        }
        if (!r.title.length || r.title.length > 24) {
          return badValue("Row title length invalid. Min length: 1, Max length: 24");
        }
        if (!r.id.length || r.id.length > 200) {
          return badValue("Row id length invalid. Max length: 200");
        }
        if (r.description !== undefined && (!str(r.description) || r.description.length > 72)) {
          return badValue("Row description length invalid. Max length: 72");
        }
      }
    }
    if (rows < 1 || rows > 10) return badValue("Invalid rows count. Min rows: 1, Max rows: 10");
    return body;
  }
  return badValue(`Interactive message type ${String(i.type).slice(0, 40)} is not supported`);
}

/** What the message says, or the error Graph answers for its body. */
function checkMessage(b: Obj): Response | string {
  const type = b.type ?? "text";
  if (type === "text") {
    if (!isObj(b.text) || !str(b.text.body)) {
      return badParam("The parameter text['body'] is required.");
    }
    if (!b.text.body.length) return badParam("Param text['body'] must be non-empty.");
    if (b.text.body.length > 4096) {
      return badParam("Param text['body'] must be at most 4096 characters long.");
    }
    return b.text.body;
  }
  if (type === "interactive") return checkInteractive(b.interactive);
  if (type === "template") {
    const t = b.template;
    if (!isObj(t) || !str(t.name)) return badParam("The parameter template['name'] is required.");
    if (!isObj(t.language) || !str(t.language.code)) {
      return badParam("The parameter template['language']['code'] is required.");
    }
    if (!/^[a-z0-9_]{1,512}$/.test(t.name)) {
      return graphError(132001, {
        status: 404,
        message: "(#132001) Template name does not exist in the translation",
        details: `template name (${t.name.slice(0, 60)}) does not exist in ${t.language.code}`,
      });
    }
    return `[template ${t.name} (${t.language.code})]`;
  }
  return badParam(`Param type must be one of {TEXT, INTERACTIVE, TEMPLATE} in this sandbox`);
}

/** The number whose token this is, or the error Graph answers. */
function authorise(
  ctx: SandboxContext,
  req: Request,
  number: BusinessNumber | undefined,
  id: string,
): Response | BusinessNumber {
  const token = bearer(req);
  const known = [...ctx.store.numbers.values()];
  if (!token || !known.some((n) => n.token === token)) return invalidToken();
  if (!number || number.token !== token) return noObject(id);
  return number;
}

/** Which fault a request met, for the request log. */
type Used = { fault: string | null };

async function send(
  ctx: SandboxContext,
  req: Request,
  phoneNumberId: string,
  used: Used,
): Promise<Response> {
  const number = authorise(ctx, req, ctx.store.numbers.get(phoneNumberId), phoneNumberId);
  if (number instanceof Response) return number;
  const fault = ctx.faults.take("messages", phoneNumberId);
  used.fault = fault?.id ?? null;
  const failed = await delayFor(fault);
  if (fault && !fault.async && (failed || fault.code !== undefined)) {
    return graphError(fault.code ?? (fault.status === 401 ? 190 : 131000), {
      status: fault.status,
    });
  }
  let b: unknown;
  try {
    b = await req.json();
  } catch {
    return badParam("The request body is not valid JSON.");
  }
  if (!isObj(b)) return badParam("The request body is not valid JSON.");
  if (b.messaging_product !== "whatsapp") {
    return badParam("The parameter messaging_product is required.");
  }
  if (b.status !== undefined) {
    if (b.status !== "read") return badValue("Only status read is supported");
    if (!str(b.message_id) || !b.message_id.startsWith("wamid.")) {
      return badParam("The parameter message_id is required.");
    }
    const typing = b.typing_indicator;
    if (typing !== undefined && !(isObj(typing) && typing.type === "text")) {
      return badValue("typing_indicator['type'] must be text");
    }
    ctx.store.read({
      phoneNumberId,
      messageId: b.message_id,
      typing: typing !== undefined,
      at: ctx.store.now(),
    });
    return json(200, { success: true });
  }
  if (!str(b.to) || !/^\+?[0-9]{5,15}$/.test(b.to)) {
    return str(b.to)
      ? badValue("Recipient phone number is not valid")
      : badParam("The parameter to is required.");
  }
  const text = checkMessage(b);
  if (text instanceof Response) return text;
  const waId = b.to.replace(/^\+/, "");
  const id = newWamid(waId);
  const type = String(b.type ?? "text");
  ctx.store.sent({
    id,
    phoneNumberId,
    to: waId,
    type,
    text,
    request: b,
    at: ctx.store.now(),
    statuses: [],
  });
  later(
    ctx,
    () =>
      postStatuses(
        ctx,
        id,
        fault?.async && fault.code
          ? [{ status: "failed", errorCode: fault.code }]
          : ctx.settings.statuses.map((status) => ({ status })),
      ),
  );
  return json(200, {
    messaging_product: "whatsapp",
    contacts: [{ input: b.to, wa_id: waId }],
    messages: [{ id, ...(type === "template" ? { message_status: "accepted" } : {}) }],
  });
}

async function mediaGet(
  ctx: SandboxContext,
  req: Request,
  mediaId: string,
  used: Used,
): Promise<Response> {
  const media = ctx.store.media.get(mediaId);
  const number = authorise(
    ctx,
    req,
    media ? ctx.store.numbers.get(media.phoneNumberId) : undefined,
    mediaId,
  );
  if (number instanceof Response) return number;
  const fault = ctx.faults.take("media", number.id);
  used.fault = fault?.id ?? null;
  if (await delayFor(fault) || fault?.code) {
    return graphError(fault!.code ?? 131000, { status: fault!.status });
  }
  const m = media!;
  return json(200, {
    url: `${ctx.baseUrl}/media/${m.id}?hash=${m.sha256.slice(0, 12).replace(/[+/=]/g, "")}`,
    mime_type: m.mimeType,
    sha256: m.sha256,
    file_size: Math.floor(m.bytes.length * 3 / 4) - (m.bytes.match(/=+$/)?.[0].length ?? 0),
    id: m.id,
    messaging_product: "whatsapp",
  });
}

async function download(
  ctx: SandboxContext,
  req: Request,
  mediaId: string,
  used: Used,
): Promise<Response> {
  const media = ctx.store.media.get(mediaId);
  const number = media && ctx.store.numbers.get(media.phoneNumberId);
  if (!media || !number?.token || bearer(req) !== number.token) {
    return new Response("Not Found", { status: 404 });
  }
  const fault = ctx.faults.take("download", number.id);
  used.fault = fault?.id ?? null;
  if (await delayFor(fault)) return new Response("Error", { status: fault!.status ?? 500 });
  const bytes = Uint8Array.from(atob(media.bytes), (c) => c.charCodeAt(0));
  return new Response(bytes, { headers: { "content-type": media.mimeType } });
}

/** `path` is below /_local/meta; null when it is not a Graph path. */
export async function graphApi(
  ctx: SandboxContext,
  req: Request,
  path: string,
): Promise<Response | null> {
  let endpoint: Endpoint, account: string | null = null, run: (used: Used) => Promise<Response>;
  const messages = path.match(/^\/v\d+\.\d+\/(\d+)\/messages$/);
  const media = path.match(/^\/v\d+\.\d+\/(\d+)$/);
  const file = path.match(/^\/media\/(\d+)$/);
  if (messages && req.method === "POST") {
    endpoint = "messages";
    account = messages[1];
    run = (used) => send(ctx, req, messages[1], used);
  } else if (media && req.method === "GET") {
    endpoint = "media";
    account = ctx.store.media.get(media[1])?.phoneNumberId ?? null;
    run = (used) => mediaGet(ctx, req, media[1], used);
  } else if (file && req.method === "GET") {
    endpoint = "download";
    account = ctx.store.media.get(file[1])?.phoneNumberId ?? null;
    run = (used) => download(ctx, req, file[1], used);
  } else if (/^\/v\d+\.\d+\//.test(path)) {
    return badParam(`Unknown path components: ${path.replace(/^\/v\d+\.\d+/, "").slice(0, 80)}`);
  } else return null;
  const used: Used = { fault: null };
  const res = await run(used);
  ctx.log.add({ method: req.method, endpoint, status: res.status, account, fault: used.fault });
  return res;
}
