// Serves every folder of supabase/functions at /functions/v1/<name>, each in its own Web
// Worker. Editing any file under supabase/ replaces the workers, so code changes apply on
// the next request without restarting anything else.
import { jwtVerify } from "jose";
import { functionNames } from "./functions_config.ts";
import { loadSupabaseConfig } from "./supabase_config.ts";

interface RunningFunction {
  worker: Worker;
  port: Promise<number>;
}

export interface FunctionsHostOptions {
  supabaseDir: string;
  jwtSecret: string;
  log: (line: string) => void;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });

export function createFunctionsHost(opts: FunctionsHostOptions) {
  const functionsDir = `${opts.supabaseDir}/functions`;
  const secret = new TextEncoder().encode(opts.jwtSecret);
  const running = new Map<string, RunningFunction>();
  let verifyJwt = loadSupabaseConfig(`${opts.supabaseDir}/config.toml`).verifyJwt;
  let names = functionNames(functionsDir);

  function boot(name: string): RunningFunction {
    const worker = new Worker(new URL("./function_worker.ts", import.meta.url), { type: "module" });
    const port = new Promise<number>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<{ ready?: number; error?: string }>) => {
        if (e.data.ready) resolve(e.data.ready);
        else reject(new Error(e.data.error));
      };
      worker.onerror = (e) => {
        e.preventDefault();
        reject(new Error(e.message));
      };
    });
    port.catch((err) => {
      opts.log(`function ${name} failed to boot: ${err.message}`);
      running.delete(name);
      worker.terminate();
    });
    worker.postMessage({ entry: new URL(`file://${functionsDir}/${name}/index.ts`).href });
    const fn = { worker, port };
    running.set(name, fn);
    return fn;
  }

  function reload() {
    for (const fn of running.values()) fn.worker.terminate();
    running.clear();
    verifyJwt = loadSupabaseConfig(`${opts.supabaseDir}/config.toml`).verifyJwt;
    names = functionNames(functionsDir);
  }

  const watcher = Deno.watchFs(opts.supabaseDir, { recursive: true });
  (async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    for await (const event of watcher) {
      if (event.paths.every((p) => p.includes("/migrations/") || p.includes("/tests/"))) continue;
      clearTimeout(timer);
      timer = setTimeout(() => {
        reload();
        opts.log("functions reloaded after a change under supabase/");
      }, 100);
    }
  })();

  async function authorised(req: Request): Promise<Response | null> {
    const header = req.headers.get("authorization");
    if (!header) return json(401, { code: 401, message: "Missing authorization header" });
    const token = header.match(/^Bearer\s+(.+)$/i)?.[1];
    try {
      if (!token) throw new Error("not a bearer token");
      await jwtVerify(token, secret, { algorithms: ["HS256"] });
      return null;
    } catch {
      return json(401, { code: 401, message: "Invalid JWT" });
    }
  }

  return {
    async handle(req: Request, name: string, rest: string): Promise<Response> {
      if (!names.includes(name)) {
        return json(404, { code: "NOT_FOUND", message: "Requested function was not found" });
      }
      // Like the hosted relay, preflight requests reach the function without a JWT.
      if (verifyJwt(name) && req.method !== "OPTIONS") {
        const refusal = await authorised(req);
        if (refusal) return refusal;
      }
      let port: number;
      try {
        port = await (running.get(name) ?? boot(name)).port;
      } catch {
        return json(503, {
          code: "BOOT_ERROR",
          message: "Function failed to start (please check logs)",
        });
      }
      const url = new URL(req.url);
      const target = `http://127.0.0.1:${port}/${name}${rest}${url.search}`;
      try {
        return await fetch(target, {
          method: req.method,
          headers: req.headers,
          body: req.body,
          redirect: "manual",
        });
      } catch (err) {
        opts.log(`function ${name} crashed: ${(err as Error).message}`);
        running.get(name)?.worker.terminate();
        running.delete(name);
        return json(500, { code: "WORKER_ERROR", message: "Function exited due to an error" });
      }
    },
    close() {
      watcher.close();
      for (const fn of running.values()) fn.worker.terminate();
      running.clear();
    },
  };
}
