// The one local port, shaped like Supabase's API gateway: /rest/v1 → PostgREST,
// /auth/v1 → the Auth stand-in, /functions/v1/<name> → edge functions, / → the web client.
import type { Secrets, StackConfig } from "./config.ts";

export interface GatewayBackends {
  auth: { handle(req: Request, path: string, remoteAddr: string): Promise<Response> };
  functions: { handle(req: Request, name: string, rest: string): Promise<Response> };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });

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

export function createGateway(
  cfg: StackConfig,
  secrets: Secrets,
  backends: GatewayBackends,
  webDir: string,
) {
  const apiKeys = new Set([secrets.anonKey, secrets.serviceRoleKey]);

  /** Kong's key-auth: an API key is required; without Authorization it becomes the bearer. */
  function checkApiKey(req: Request): Response | Headers {
    const url = new URL(req.url);
    const key = req.headers.get("apikey") ?? url.searchParams.get("apikey");
    if (!key) return json(401, { message: "No API key found in request" });
    if (!apiKeys.has(key)) {
      return json(401, {
        message: "Invalid API key",
        hint: "Double check your Supabase `anon` or `service_role` API key.",
      });
    }
    const headers = new Headers(req.headers);
    if (!headers.has("authorization")) headers.set("authorization", `Bearer ${key}`);
    return headers;
  }

  async function proxyRest(req: Request, path: string): Promise<Response> {
    const checked = checkApiKey(req);
    if (checked instanceof Response) return checked;
    checked.delete("host");
    const url = new URL(req.url);
    const upstream = await fetch(`http://127.0.0.1:${cfg.postgrestPort}${path}${url.search}`, {
      method: req.method,
      headers: checked,
      body: req.body,
      redirect: "manual",
    });
    return upstream;
  }

  async function auth(req: Request, path: string, remoteAddr: string): Promise<Response> {
    if (!openAuthPaths.has(path)) {
      const checked = checkApiKey(req);
      if (checked instanceof Response) return checked;
      req = new Request(req, { headers: checked });
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

  async function staticFile(path: string): Promise<Response> {
    const safe = path.split("/").filter((p) => p && p !== "." && p !== "..").join("/");
    const ext = safe.split(".").pop() ?? "";
    const candidates = safe && contentTypes[ext] ? [safe] : ["index.html"]; // SPA routes
    for (const file of candidates) {
      try {
        const body = await Deno.readFile(`${webDir}/${file}`);
        const type = contentTypes[file.split(".").pop() ?? ""] ?? "application/octet-stream";
        const cache = file === "index.html" ? "no-cache" : "public, max-age=31536000, immutable";
        return new Response(body, { headers: { "content-type": type, "cache-control": cache } });
      } catch { /* fall through to 404 */ }
    }
    return new Response("Not found", { status: 404 });
  }

  async function route(req: Request, info: Deno.ServeHandlerInfo): Promise<Response> {
    const url = new URL(req.url);
    const path = url.pathname;
    const remoteAddr = (info.remoteAddr as Deno.NetAddr).hostname;
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
      const res = service === "rest"
        ? await proxyRest(req, rest)
        : await auth(req, rest, remoteAddr);
      return withCors(res, req);
    }
    if (path === "/config.json") {
      return json(200, { supabaseUrl: cfg.apiUrl, anonKey: secrets.anonKey });
    }
    if (path === "/_local/outbox") return await outbox();
    return await staticFile(path);
  }

  return Deno.serve({
    hostname: "127.0.0.1",
    port: cfg.apiPort,
    onListen: () => {},
  }, async (req, info) => {
    try {
      return await route(req, info);
    } catch (err) {
      console.error(`gateway: ${req.method} ${new URL(req.url).pathname}:`, err);
      return json(502, { message: "The local stack could not answer this request" });
    }
  });
}
