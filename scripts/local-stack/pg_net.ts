// pg_net on the local stack. Debian packages no pg_net, so compat/pg_net/ holds its SQL API as
// an extension of the same name: installed into PostgreSQL's extension folder (root only, like
// the Debian packages), it lets the compatibility layer `create extension pg_net` and the
// migrations' `create extension if not exists pg_net` pass unchanged. The sender below does
// what pg_net's background worker does on Supabase: takes queued requests, performs them, and
// writes each response to net._http_response.
import postgres from "postgres";
import { isRoot, SetupError } from "./prereqs.ts";

const sourceDir = new URL("./compat/pg_net/", import.meta.url).pathname;
const extensionDir = "/usr/share/postgresql/15/extension";

/** Copies the extension's control and script files where PostgreSQL looks for them. */
export async function ensureLocalPgNet(): Promise<void> {
  const files = [...Deno.readDirSync(sourceDir)].map((e) => e.name).sort();
  const stale: string[] = [];
  for (const name of files) {
    const wanted = await Deno.readTextFile(`${sourceDir}${name}`);
    const installed = await Deno.readTextFile(`${extensionDir}/${name}`).catch(() => null);
    if (installed !== wanted) stale.push(name);
  }
  if (stale.length === 0) return;
  if (!isRoot()) {
    const copy = stale.map((n) => `${sourceDir}${n}`).join(" ");
    throw new SetupError(
      `The local pg_net stand-in is not installed: run \`sudo cp ${copy} ${extensionDir}/\``,
    );
  }
  for (const name of stale) await Deno.copyFile(`${sourceDir}${name}`, `${extensionDir}/${name}`);
}

export interface PgNetSender {
  close(): Promise<void>;
}

/** pg_net's settings on Supabase: pg_net.batch_size and pg_net.ttl. */
const batchSize = 200;
const responseTtl = "6 hours";
/** A wake-up missed while reconnecting is caught by this poll. */
const pollMs = 1_000;

interface QueuedRequest {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string> | null;
  body: Uint8Array<ArrayBuffer> | null;
  timeout_milliseconds: number;
}

/** Sends what net.http_get/http_post/http_delete queued, woken by net.wake()'s notification. */
export function startPgNetSender(databaseUrl: string): PgNetSender {
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const inFlight = new Set<Promise<void>>();
  let closed = false;
  let draining: Promise<void> | null = null;
  let again = false;

  const perform = async (req: QueuedRequest) => {
    let res: Response | null = null;
    let content: string | null = null;
    let error: string | null = null;
    let timedOut = false;
    try {
      res = await fetch(req.url, {
        method: req.method.toUpperCase(),
        headers: req.headers ?? {},
        body: req.body,
        signal: AbortSignal.timeout(req.timeout_milliseconds),
      });
      content = await res.text();
    } catch (e) {
      timedOut = e instanceof DOMException && e.name === "TimeoutError";
      error = timedOut ? `Timeout of ${req.timeout_milliseconds} ms reached` : (e as Error).message;
    }
    if (closed) return;
    const headers = res ? sql.json(Object.fromEntries(res.headers)) : null;
    await sql`
      insert into net._http_response
        (id, status_code, content_type, headers, content, timed_out, error_msg)
      values (${req.id}, ${res?.status ?? null}, ${res?.headers.get("content-type") ?? null},
        ${headers}, ${content}, ${timedOut}, ${error})`;
  };

  const drain = async () => {
    do {
      again = false;
      await sql`delete from net._http_response where created < now() - ${responseTtl}::interval`;
      const taken = await sql<QueuedRequest[]>`
        delete from net.http_request_queue q
        where q.id in (select id from net.http_request_queue order by id limit ${batchSize})
        returning q.id, q.method, q.url, q.headers, q.body, q.timeout_milliseconds`;
      for (const req of taken) {
        const job = perform(req).catch((e) => console.error(`pg_net sender: ${e.message}`));
        inFlight.add(job);
        job.finally(() => inFlight.delete(job));
      }
      if (taken.length === batchSize) again = true;
    } while (again && !closed);
  };

  const wake = () => {
    if (closed) return;
    if (draining) {
      again = true;
      return;
    }
    draining = drain()
      .catch((e) => console.error(`pg_net sender: ${e.message}`))
      .finally(() => draining = null);
  };

  const listening = sql.listen("pg_net_wake", wake, wake);
  const timer = setInterval(wake, pollMs);
  return {
    async close() {
      closed = true;
      clearInterval(timer);
      await listening.then((l) => l.unlisten()).catch(() => {});
      await draining;
      await Promise.allSettled([...inFlight]);
      await sql.end({ timeout: 1 });
    },
  };
}
