// The one local port, shaped like Supabase's API gateway: /rest/v1 → PostgREST,
// /auth/v1 → the Auth stand-in, /functions/v1/<name> → edge functions, / → the web client.
// It refuses what no upstream can answer well (URLs and headers that are not UTF-8, NUL,
// oversized bodies, arguments of data-changing RPCs in the URL) with a 4xx before any
// upstream sees or logs the request, and never logs query strings itself.
import type { Secrets, StackConfig } from "./config.ts";

export interface GatewayBackends {
  auth: { handle(req: Request, path: string, remoteAddr: string): Promise<Response> };
  functions: { handle(req: Request, name: string, rest: string): Promise<Response> };
  /** The mail API sandbox (sandboxes/mail.ts), at /_local/mail. */
  mail: { handle(req: Request, path: string): Promise<Response> };
  /** The Google sandbox (sandboxes/google), at /_local/google; "" is its console page. */
  google: { handle(req: Request, path: string): Promise<Response> };
  /** The Vapi sandbox (sandboxes/vapi), at /_local/vapi; "" is its console page. */
  vapi: { handle(req: Request, path: string): Promise<Response> };
  /** The Twilio voice sandbox (sandboxes/twilio), at /_local/twilio; "" is its console page. */
  twilio: { handle(req: Request, path: string): Promise<Response> };
  /** The Meta WhatsApp sandbox (sandboxes/meta), at /_local/meta; "" is its console page. */
  meta: { handle(req: Request, path: string): Promise<Response> };
  /** The OpenAI sandbox (sandboxes/openai), at /_local/openai; "" is its console page. */
  openai: { handle(req: Request, path: string): Promise<Response> };
  /** The Realtime stand-in (realtime/): the websocket at /realtime/v1/websocket. */
  realtime: { handle(req: Request): Promise<Response> };
  /** Whether a function of that name in that schema is VOLATILE (it may change data). */
  rpcIsVolatile(schema: string, name: string): Promise<boolean>;
}

/** Larger request bodies are refused with 413 (Supabase Auth's own limit is lower). */
export const maxBodyBytes = 10 * 1024 * 1024;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });

/** A refusal in PostgREST's error shape, which supabase-js turns into `error`. */
const refusal = (status: number, code: string, message: string, hint: string | null = null) =>
  json(status, { code, message, details: null, hint });

// Auth endpoints reached from links in mails and OAuth redirects carry no API key.
const openAuthPaths = new Set(["/verify", "/callback", "/authorize"]);

const contentTypes: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  map: "application/json",
  webmanifest: "application/manifest+json",
};

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Why a request cannot be passed on, or null: its URL or a header value is not UTF-8 once
 * percent-decoded, or carries NUL (PostgreSQL text cannot hold it; PostgREST answers 500).
 */
function malformedRequest(url: URL, headers: Headers): Response | null {
  const parts: [string, string][] = [["path", url.pathname], ["query string", url.search]];
  for (const [what, raw] of parts) {
    const problem = malformedPercentEncoding(raw, `The URL's ${what}`);
    if (problem) return problem;
  }
  for (const [name, value] of headers) {
    // Header values arrive as one character per byte.
    const bytes = Uint8Array.from(value, (c) => c.charCodeAt(0));
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      return refusal(400, "invalid_header", `The ${name} header is not valid UTF-8`);
    }
    if (text.includes("\0")) {
      return refusal(400, "invalid_header", `The ${name} header contains a NUL character`);
    }
  }
  return null;
}

function malformedPercentEncoding(raw: string, what: string): Response | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw.replaceAll("+", " "));
  } catch {
    return refusal(
      400,
      "invalid_url",
      `${what} is not valid percent-encoded UTF-8`,
      "Percent-encode each byte of UTF-8 text (encodeURIComponent does), and a literal % as %25.",
    );
  }
  if (decoded.includes("\0")) {
    return refusal(400, "invalid_url", `${what} contains a NUL character (%00)`);
  }
  return null;
}

/** A form body is percent-encoded like a query string, and PostgREST decodes it the same way. */
function malformedForm(headers: Headers, body: Uint8Array | null): Response | null {
  const type = headers.get("content-type") ?? "";
  if (!body || !/^application\/x-www-form-urlencoded\b/i.test(type)) return null;
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return refusal(400, "invalid_body", "The form body is not valid UTF-8");
  }
  return malformedPercentEncoding(text, "The form body");
}

// fetch() cannot send these, so no upstream could be asked.
const unforwardableMethods = new Set(["CONNECT", "TRACE", "TRACK"]);

const loopbackHostnames = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Local consoles answer only to this machine's names, so no other site can reach them. */
export function isLoopbackHost(host: string | null, port: number): boolean {
  if (!host) return false;
  const match = host.toLowerCase().match(/^(\[[^\]]*\]|[^:]+):(\d+)$/);
  return !!match && loopbackHostnames.has(match[1]) && Number(match[2]) === port;
}

/**
 * The body, read whole up to maxBodyBytes (every upstream reads it whole anyway), or a
 * 413 refusal.
 */
async function readBody(req: Request): Promise<Uint8Array<ArrayBuffer> | null | Response> {
  if (!req.body) return null;
  const tooLarge = () =>
    refusal(
      413,
      "payload_too_large",
      `The request body is larger than ${maxBodyBytes / 1024 / 1024} MB`,
      "Send less at once: split the request into several.",
    );
  if (Number(req.headers.get("content-length") ?? 0) > maxBodyBytes) {
    await req.body.cancel();
    return tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req.body) {
    size += chunk.length;
    if (size > maxBodyBytes) return tooLarge();
    chunks.push(chunk);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}

function withCors(res: Response, req: Request): Response {
  const headers = new Headers(res.headers);
  if (!headers.has("access-control-allow-origin")) {
    headers.set("access-control-allow-origin", req.headers.get("origin") ?? "*");
    headers.set("vary", "Origin");
    headers.set(
      "access-control-expose-headers",
      "Content-Range, Content-Location, Content-Profile, Location, Range-Unit, X-Total-Count, Link, X-Supabase-Api-Version",
    );
  }
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

function preflight(req: Request): Response {
  return new Response(null, {
    status: 200,
    headers: {
      "access-control-allow-origin": req.headers.get("origin") ?? "*",
      "access-control-allow-methods": "GET,HEAD,PUT,PATCH,POST,DELETE,OPTIONS",
      "access-control-allow-headers": req.headers.get("access-control-request-headers") ?? "*",
      "access-control-max-age": "3600",
      vary: "Origin",
    },
  });
}

/** A request the gateway answers itself; a path ending in "/" matches everything under it. */
interface LocalRoute {
  path: string;
  handle(req: Request, path: string): Promise<Response> | Response;
}

export function createGateway(
  cfg: StackConfig,
  secrets: Secrets,
  backends: GatewayBackends,
  webDir: string,
  /** PostgREST's exposed schemas; the first is the default profile. */
  schemas: string[],
) {
  const apiKeys = new Set([secrets.anonKey, secrets.serviceRoleKey]);

  /** Kong's key-auth: an API key is required; without Authorization it becomes the bearer. */
  function checkApiKey(req: Request, url: URL): Response | null {
    const key = req.headers.get("apikey") ?? url.searchParams.get("apikey");
    if (!key) return json(401, { message: "No API key found in request" });
    if (!apiKeys.has(key)) {
      return json(401, {
        message: "Invalid API key",
        hint: "Double check your Supabase `anon` or `service_role` API key.",
      });
    }
    if (!req.headers.has("authorization")) req.headers.set("authorization", `Bearer ${key}`);
    return null;
  }

  /**
   * GET and HEAD put a function's arguments in the URL, which proxies and access logs keep;
   * for a function that may change data (and may take a secret) they must come in a POST body.
   */
  async function volatileRpcByGet(req: Request, path: string): Promise<Response | null> {
    const rpc = path.match(/^\/rpc\/([^/]+)$/);
    if (!rpc || (req.method !== "GET" && req.method !== "HEAD")) return null;
    const schema = req.headers.get("accept-profile") ?? schemas[0];
    if (!(await backends.rpcIsVolatile(schema, decodeURIComponent(rpc[1])))) return null;
    return refusal(
      405,
      "volatile_rpc_get",
      "This function may change data: call it with POST and its arguments in the body",
      "supabase-js does so unless you pass { get: true } to rpc().",
    );
  }

  async function proxyRest(req: Request, url: URL, path: string): Promise<Response> {
    const refused = checkApiKey(req, url) ?? await volatileRpcByGet(req, path);
    if (refused) return refused;
    try {
      return await fetch(`http://127.0.0.1:${cfg.postgrestPort}${path}${url.search}`, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        redirect: "manual",
      });
    } catch {
      // The error names the upstream URL, query string included: it is not logged.
      console.error(`gateway: ${req.method} /rest/v1${path}: PostgREST is not answering`);
      return refusal(
        503,
        "upstream_unavailable",
        "The REST API (PostgREST) is not answering",
        "See postgrest.log in the local stack's logs folder, or restart `deno task dev`.",
      );
    }
  }

  async function auth(req: Request, url: URL, path: string, remoteAddr: string) {
    if (!openAuthPaths.has(path)) {
      const refused = checkApiKey(req, url);
      if (refused) return refused;
    }
    return await backends.auth.handle(req, path, remoteAddr);
  }

  async function outbox(): Promise<Response> {
    const mails = [];
    for await (const entry of Deno.readDir(cfg.outboxDir)) {
      if (entry.name.endsWith(".json")) {
        mails.push(JSON.parse(await Deno.readTextFile(`${cfg.outboxDir}/${entry.name}`)));
      }
    }
    mails.sort((a, b) => String(b.sent_at).localeCompare(String(a.sent_at)));
    return json(200, mails);
  }

  /** A sandbox at /_local/<name>: its console page there, and the rest of the path its own. */
  function sandboxRoutes(name: "google" | "vapi" | "twilio" | "meta" | "openai"): LocalRoute[] {
    const prefix = `/_local/${name}`;
    return [
      { path: prefix, handle: (req) => backends[name].handle(req, "") },
      {
        path: `${prefix}/`,
        handle: (req, path) => backends[name].handle(req, path.slice(prefix.length)),
      },
    ];
  }

  // Everything under /_local/ answers loopback hosts only (see route()).
  const localRoutes: LocalRoute[] = [
    { path: "/_local/outbox", handle: outbox },
    // Functions reach it as MAIL_API_URL; it checks its own API key, like the real one.
    {
      path: "/_local/mail/",
      handle: (req, path) => backends.mail.handle(req, path.slice("/_local/mail".length)),
    },
    // Functions reach it through GOOGLE_*_BASE_URL; tests through its control API.
    ...sandboxRoutes("google"),
    // Functions reach it through VAPI_BASE_URL, test-call and tests through its control API.
    ...sandboxRoutes("vapi"),
    // Functions reach it through TWILIO_API_BASE_URL; tests place calls through its control API.
    ...sandboxRoutes("twilio"),
    // Functions reach Graph through META_GRAPH_BASE_URL; tests post patients' messages through
    // its control API.
    ...sandboxRoutes("meta"),
    // Functions reach it through OPENAI_BASE_URL; tests queue answers through its control API.
    ...sandboxRoutes("openai"),
  ];

  async function staticFile(path: string): Promise<Response> {
    const safe = path.split("/").filter((p) => p && p !== "." && p !== "..").join("/");
    const ext = safe.split(".").pop() ?? "";
    const candidates = safe && contentTypes[ext] ? [safe] : ["index.html"]; // SPA routes
    for (const file of candidates) {
      try {
        const body = await Deno.readFile(`${webDir}/${file}`);
        const type = contentTypes[file.split(".").pop() ?? ""] ?? "application/octet-stream";
        // Only content-hashed names may be cached for good; index.html and config.json change.
        const cache = /-[0-9a-f]{12}\.\w+$/.test(file)
          ? "public, max-age=31536000, immutable"
          : "no-cache";
        return new Response(body, { headers: { "content-type": type, "cache-control": cache } });
      } catch { /* fall through to 404 */ }
    }
    return new Response("Not found", { status: 404 });
  }

  async function route(incoming: Request, url: URL, remoteAddr: string): Promise<Response> {
    const malformed = malformedRequest(url, incoming.headers);
    if (malformed) return malformed;
    const path = url.pathname;
    if (path.startsWith("/_local/") && !isLoopbackHost(incoming.headers.get("host"), cfg.apiPort)) {
      return refusal(
        403,
        "loopback_only",
        `Local consoles answer only at ${cfg.apiUrl} (or localhost, [::1] on port ${cfg.apiPort})`,
      );
    }
    if (unforwardableMethods.has(incoming.method.toUpperCase())) {
      return refusal(405, "method_not_allowed", `The ${incoming.method} method is not supported`);
    }
    // A websocket upgrade needs the request as it came; Realtime checks its own API key.
    if (path === "/realtime/v1/websocket") return await backends.realtime.handle(incoming);
    const body = await readBody(incoming);
    if (body instanceof Response) return body;
    const malformedBody = malformedForm(incoming.headers, body);
    if (malformedBody) return malformedBody;
    // A fresh request with the body read and hop-by-hop headers dropped; building it from
    // `incoming` would follow its abort signal, which Deno.serve warns about.
    const headers = new Headers(incoming.headers);
    for (const name of ["host", "content-length", "transfer-encoding", "connection"]) {
      headers.delete(name);
    }
    const req = new Request(url, { method: incoming.method, headers, body });

    const api = path.match(/^\/(rest|auth|functions)\/v1(\/.*)?$/);
    if (api) {
      const [, service, rest = "/"] = api;
      if (service === "functions") {
        const fn = rest.match(/^\/([^/]+)(\/.*)?$/);
        if (!fn) {
          return json(404, { code: "NOT_FOUND", message: "Requested function was not found" });
        }
        return await backends.functions.handle(req, fn[1], fn[2] ?? "");
      }
      if (req.method === "OPTIONS") return preflight(req);
      return service === "rest"
        ? await proxyRest(req, url, rest)
        : await auth(req, url, rest, remoteAddr);
    }
    const local = localRoutes.find((r) =>
      r.path.endsWith("/") ? path.startsWith(r.path) : path === r.path
    );
    if (local) return await local.handle(req, path);
    return await staticFile(path);
  }

  return Deno.serve({
    hostname: "127.0.0.1",
    port: cfg.apiPort,
    onListen: () => {},
  }, async (req, info) => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return refusal(400, "invalid_host", "The Host header is not a valid host name");
    }
    let res: Response;
    try {
      res = await route(req, url, (info.remoteAddr as Deno.NetAddr).hostname);
    } catch (err) {
      // The stack only: an error's cause can name an upstream URL with its query string.
      console.error(
        `gateway: ${req.method} ${url.pathname}:`,
        err instanceof Error ? err.stack : String(err),
      );
      res = json(502, { message: "The local stack could not answer this request" });
    }
    // Query strings can carry secrets: only the method, path and status are logged.
    if (res.status >= 500) console.error(`gateway: ${req.method} ${url.pathname} → ${res.status}`);
    // Browsers read REST and Auth answers, the gateway's own refusals included, cross-origin.
    return /^\/(rest|auth)\/v1(\/|$)/.test(url.pathname) ? withCors(res, req) : res;
  });
}
