// Vapi's REST API as our code uses it (Bearer VAPI_API_KEY): phone-number CRUD and calls.
// Errors in Vapi's NestJS shape {message, error, statusCode} (PROVIDERS §1.9: UNCONFIRMED beyond
// public clients reading `body.message` as a string or an array of strings).
import { json } from "../google/http.ts";
import type { SandboxContext } from "./context.ts";
import { delayFor } from "../faults.ts";
import type { Endpoint, Fault } from "./faults.ts";
import { callView, phoneNumberView } from "./messages.ts";
import { createCall, createPhoneNumber, messages, updatePhoneNumber } from "./schema.ts";
import { ORG_ID, type PhoneNumber } from "./store.ts";

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

export const vapiError = (status: number, message: string | string[]) =>
  json(status, { message, error: REASONS[status] ?? "Error", statusCode: status });

async function body(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    return undefined;
  }
}

function route(method: string, path: string): { endpoint: Endpoint; id?: string } | null {
  const one = path.match(/^\/(phone-number|call)\/([^/]+)$/);
  if (one) {
    const id = decodeURIComponent(one[2]);
    if (one[1] === "call") return method === "GET" ? { endpoint: "call.get", id } : null;
    const endpoint = ({
      GET: "phone-number.get",
      PATCH: "phone-number.update",
      DELETE: "phone-number.delete",
    } as const)[
      method as "GET"
    ];
    return endpoint ? { endpoint, id } : null;
  }
  if (path === "/phone-number") {
    return method === "POST"
      ? { endpoint: "phone-number.create" }
      : method === "GET"
      ? { endpoint: "phone-number.list" }
      : null;
  }
  if (path === "/call") {
    return method === "POST"
      ? { endpoint: "call.create" }
      : method === "GET"
      ? { endpoint: "call.list" }
      : null;
  }
  return null;
}

/** `path` is below /_local/vapi (the API's root). */
export async function restApi(ctx: SandboxContext, req: Request, path: string): Promise<Response> {
  const found = route(req.method, path);
  if (!found) return vapiError(404, `Cannot ${req.method} ${path}`);
  const { endpoint, id } = found;
  const done = (res: Response, fault: Fault | null = null) => {
    ctx.log.add({
      method: req.method,
      endpoint,
      status: res.status,
      account: id ?? null,
      fault: fault?.id ?? null,
    });
    return res;
  };
  const auth = req.headers.get("authorization") ?? "";
  if (auth !== `Bearer ${ctx.apiKey}`) {
    return done(
      vapiError(
        401,
        "Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.",
      ),
    );
  }
  const fault = ctx.faults.take(endpoint);
  if (await delayFor(fault)) {
    const status = fault!.status ?? 503;
    return done(vapiError(status, REASONS[status] ?? "Injected failure (Vapi sandbox)."), fault);
  }
  return done(await answer(ctx, req, endpoint, id), fault);
}

async function answer(
  ctx: SandboxContext,
  req: Request,
  endpoint: Endpoint,
  id: string | undefined,
): Promise<Response> {
  const { store } = ctx;
  const phoneNotFound = () => vapiError(404, "Phone Number Not Found");
  switch (endpoint) {
    case "phone-number.list":
      return json(200, [...store.phoneNumbers.values()].map(phoneNumberView));
    case "phone-number.get": {
      const phone = store.phoneNumbers.get(id!);
      return phone ? json(200, phoneNumberView(phone)) : phoneNotFound();
    }
    case "phone-number.create": {
      const parsed = createPhoneNumber.safeParse(await body(req));
      if (!parsed.success) return vapiError(400, messages(parsed.error));
      if (store.numberByE164(parsed.data.number)) {
        return vapiError(400, `Phone number ${parsed.data.number} already exists.`);
      }
      const now = store.iso();
      const phone: PhoneNumber = {
        ...parsed.data,
        id: crypto.randomUUID(),
        orgId: ORG_ID,
        smsEnabled: parsed.data.smsEnabled ?? true,
        status: "active",
        createdAt: now,
        updatedAt: now,
      };
      store.phoneNumbers.set(phone.id, phone);
      store.changed();
      return json(201, phoneNumberView(phone));
    }
    case "phone-number.update": {
      const phone = store.phoneNumbers.get(id!);
      if (!phone) return phoneNotFound();
      const parsed = updatePhoneNumber.safeParse(await body(req));
      if (!parsed.success) return vapiError(400, messages(parsed.error));
      const other = parsed.data.number ? store.numberByE164(parsed.data.number) : undefined;
      if (other && other.id !== phone.id) {
        return vapiError(400, `Phone number ${parsed.data.number} already exists.`);
      }
      Object.assign(phone, parsed.data, { updatedAt: store.iso() });
      store.changed();
      return json(200, phoneNumberView(phone));
    }
    case "phone-number.delete": {
      const phone = store.phoneNumbers.get(id!);
      if (!phone) return phoneNotFound();
      store.phoneNumbers.delete(phone.id);
      store.changed();
      return json(200, phoneNumberView(phone));
    }
    case "call.list":
      return json(200, [...store.calls.values()].reverse().map(callView));
    case "call.get": {
      const call = store.calls.get(id!);
      return call ? json(200, callView(call)) : vapiError(404, "Call Not Found");
    }
    case "call.create": {
      const parsed = createCall.safeParse(await body(req));
      if (!parsed.success) return vapiError(400, messages(parsed.error));
      if (!parsed.data.assistantId && !parsed.data.assistant) {
        return vapiError(400, "Couldn't Get Assistant. Need Either `assistant` Or `assistantId`.");
      }
      const phone = store.phoneNumbers.get(parsed.data.phoneNumberId);
      if (!phone) {
        return vapiError(
          400,
          "Couldn't Get Phone Number. Need Either phoneNumberId Or phoneNumber",
        );
      }
      // Outbound calls are queued and stay so: the sandbox simulates inbound conversations only.
      const call = store.newCall(phone, {
        type: "outboundPhoneCall",
        status: "queued",
        phoneCallProviderId: null,
        customer: { number: parsed.data.customer.number },
      });
      return json(201, callView(call));
    }
    case "inbound":
      return vapiError(404, "Not Found");
  }
}
