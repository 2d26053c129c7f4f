// The local stand-in for Meta's WhatsApp Cloud API, served by the gateway at /_local/meta.
// Functions reach Graph through META_GRAPH_BASE_URL = …/_local/meta/v25.0 (graph.ts); tests and
// developers post patients' messages and statuses through /_local/meta/control (control.ts);
// /_local/meta is the console (pick a clinic's number, write as a patient, watch the replies).
import { RequestLog } from "../faults.ts";
import { json } from "../google/http.ts";
import { consolePage } from "./console.ts";
import type { SandboxContext, Settings } from "./context.ts";
import { control } from "./control.ts";
import { Faults } from "./faults.ts";
import { graphApi } from "./graph.ts";
import { DEMO_NORTHSIDE_APP, DEMO_NUMBERS, NORTHSIDE_APP_ID, Store } from "./store.ts";

export interface MetaSandboxOptions {
  /** Where the state is kept between starts; null = memory only. */
  dataFile: string | null;
  /** The sandbox's public URL, e.g. http://127.0.0.1:54321/_local/meta. */
  baseUrl: string;
  /** The functions' public base URL: apps' callbacks are its /whatsapp[/apps/<id>]. */
  functionsUrl: string;
  /** The platform app (META_APP_SECRET, META_VERIFY_TOKEN). */
  platformApp: { secret: string; verifyToken: string };
  /** Sends webhooks (tests pass their own). */
  fetch?: typeof fetch;
  now?: () => number;
  settings?: Partial<Settings>;
}

export interface MetaSandbox {
  /** `path` is below /_local/meta: "", "/v25.0/…", "/media/…", "/control/…". */
  handle(req: Request, path: string): Promise<Response>;
  context: SandboxContext;
  /** Resolves once webhooks in flight are answered and the state is saved. */
  settled(): Promise<void>;
}

/** The platform app and the seed's numbers and Northside's own app, at this stack's URLs. */
function ensureDemoData(store: Store, opts: MetaSandboxOptions): void {
  const functions = opts.functionsUrl.replace(/\/+$/, "");
  store.apps.set("platform", {
    id: "platform",
    secret: opts.platformApp.secret,
    verifyToken: opts.platformApp.verifyToken,
    callbackUrl: `${functions}/whatsapp`,
  });
  store.apps.set(NORTHSIDE_APP_ID, {
    ...DEMO_NORTHSIDE_APP,
    callbackUrl: `${functions}/whatsapp/apps/${NORTHSIDE_APP_ID}`,
  });
  const [northside, riverside] = DEMO_NUMBERS;
  store.numbers.set(northside.id, { ...northside, appId: NORTHSIDE_APP_ID });
  store.numbers.set(riverside.id, { ...riverside, appId: "platform" });
  store.changed();
}

export async function createMetaSandbox(opts: MetaSandboxOptions): Promise<MetaSandbox> {
  const store = await Store.open(opts.dataFile, opts.now);
  ensureDemoData(store, opts);
  const context: SandboxContext = {
    store,
    faults: new Faults(),
    log: new RequestLog(store.now),
    settings: { statuses: ["sent", "delivered", "read"], statusDelayMs: 100, ...opts.settings },
    baseUrl: opts.baseUrl,
    fetch: opts.fetch ?? fetch,
    pending: new Set(),
  };

  async function handle(req: Request, path: string): Promise<Response> {
    if ((path === "" || path === "/") && req.method === "GET") return consolePage(context, req);
    if (path.startsWith("/control/")) {
      return await control(context, req, path.slice("/control".length));
    }
    return await graphApi(context, req, path) ?? json(404, { error: "Not Found" });
  }

  return {
    handle,
    context,
    async settled() {
      while (context.pending.size) await Promise.allSettled([...context.pending]);
      await store.flush();
    },
  };
}
