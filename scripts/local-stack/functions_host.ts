// Serves every folder of supabase/functions at /functions/v1/<name>, each in its own Deno
// process whose imports resolve with only the configuration `supabase functions deploy` ships it
// with (function_deploy_config.ts), never the repository's deno.json. Editing any file under
// supabase/ replaces the processes, so code changes apply on the next request.
import { jwtVerify } from "jose";
import { deployConfigFlags } from "./function_deploy_config.ts";
import { functionNames } from "./functions_config.ts";
import { READY } from "./function_worker.ts";
import { loadSupabaseConfig } from "./supabase_config.ts";

interface RunningFunction {
  process: Deno.ChildProcess;
  port: Promise<number>;
  /** Resolves once the process has exited and its output is read. */
  done: Promise<unknown>;
}

const workerPath = new URL("./function_worker.ts", import.meta.url).pathname;

/** Calls `fn` with each line of a process's output, until it ends. */
async function eachLine(
  stream: ReadableStream<Uint8Array<ArrayBuffer>>,
  fn: (line: string) => void,
) {
  let rest = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop()!;
    lines.forEach(fn);
  }
  if (rest) fn(rest);
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
    const process = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        ...deployConfigFlags(opts.supabaseDir, name),
        workerPath,
        new URL(`file://${functionsDir}/${name}/index.ts`).href,
      ],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const { promise: port, resolve, reject } = Promise.withResolvers<number>();
    const log = (line: string) => opts.log(`${name}: ${line}`);
    const ready = new RegExp(`^${READY} (\\d+)$`);
    const done = Promise.all([
      eachLine(process.stdout, (line) => {
        const match = line.match(ready);
        if (match) resolve(Number(match[1]));
        else log(line);
      }),
      eachLine(process.stderr, log),
      process.status.then(({ code }) => {
        reject(new Error(`it exited with code ${code}`));
        if (running.get(name)?.process === process) running.delete(name);
      }),
    ]);
    port.catch((err) => opts.log(`function ${name} failed to boot: ${err.message}`));
    const fn = { process, port, done };
    running.set(name, fn);
    return fn;
  }

  /** Ends every function's process; resolves once they are gone. */
  async function stopAll() {
    const stopping = [...running.values()];
    running.clear();
    for (const fn of stopping) {
      try {
        fn.process.kill("SIGTERM");
      } catch { /* already exited */ }
    }
    await Promise.all(stopping.map((fn) => fn.done));
  }

  function reload() {
    stopAll();
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
        try {
          running.get(name)?.process.kill("SIGTERM");
        } catch { /* already exited */ }
        running.delete(name);
        return json(500, { code: "WORKER_ERROR", message: "Function exited due to an error" });
      }
    },
    async close() {
      watcher.close();
      await stopAll();
    },
  };
}
