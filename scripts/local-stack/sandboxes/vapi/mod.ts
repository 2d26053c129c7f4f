// The local stand-in for Vapi, served by the gateway at /_local/vapi. Functions reach its REST
// API through VAPI_BASE_URL (= …/_local/vapi, Bearer VAPI_API_KEY); the Twilio sandbox hands it
// calls in process (answerInbound); test-call and tests drive it through /_local/vapi/control
// (control.ts); /_local/vapi is the console; /_local/vapi/recordings/<call id>.wav the recordings.
import { RequestLog } from "../faults.ts";
import { json } from "../google/http.ts";
import { Calls, type InboundCall, type InboundResult } from "./calls.ts";
import { consolePage } from "./console.ts";
import type { SandboxContext } from "./context.ts";
import { control } from "./control.ts";
import { Faults } from "./faults.ts";
import { recordingWav } from "./recording.ts";
import { restApi } from "./rest.ts";
import { ORG_ID, type PhoneNumber, Store } from "./store.ts";

export interface VapiSandboxOptions {
  /** Where the state is kept between starts; null = memory only. */
  dataFile: string | null;
  /** The sandbox's public URL, e.g. http://127.0.0.1:54321/_local/vapi. */
  baseUrl: string;
  apiKey: string;
  serverSecret: string;
  /** The functions' public base URL: the demo numbers' server URL is its /vapi. */
  functionsUrl: string;
  now?: () => number;
  /** Delivers server messages (tests pass their own). */
  fetch?: typeof fetch;
  /** How long a live call waits for the caller's next line before it ends (default 10 min). */
  silenceMs?: number;
}

export interface VapiSandbox {
  /** `path` is below /_local/vapi: "", "/phone-number…", "/call…", "/control/…", "/recordings/…". */
  handle(req: Request, path: string): Promise<Response>;
  /** A call reaching a number imported into Vapi; `handled: false` when Vapi is "down". */
  answerInbound(call: InboundCall): Promise<InboundResult>;
  context: SandboxContext;
  calls: Calls;
  /** Resolves once calls in progress have finished their turn and the state is saved. */
  settled(): Promise<void>;
}

/**
 * The seed's voice numbers (supabase/seed.sql, phone_numbers), imported at every start with the
 * id rule the seed uses: "vapi-demo-" + the number's digits.
 */
export const DEMO_NUMBERS = [
  {
    number: "+442079460123",
    twilioAccountSid: "ACdb526de9a50c358f82d03e0713174f62",
    name: "Northside reception",
  },
  {
    number: "+37167000123",
    twilioAccountSid: "AC7ce37dc3cbaed18c8f4d14f559ef2ead",
    name: "Riverside reception",
  },
];
export const demoNumberId = (e164: string) => `vapi-demo-${e164.replace(/\D/g, "")}`;

function ensureDemoNumbers(store: Store, functionsUrl: string): void {
  for (const demo of DEMO_NUMBERS) {
    const id = demoNumberId(demo.number);
    const now = store.iso();
    const phone: PhoneNumber = store.phoneNumbers.get(id) ?? {
      ...demo,
      id,
      orgId: ORG_ID,
      provider: "twilio",
      twilioAuthToken: "sandbox-demo-auth-token",
      smsEnabled: false,
      status: "active",
      createdAt: now,
      updatedAt: now,
    };
    // The stack's URL may differ from the last start's (another port base).
    phone.server = { url: `${functionsUrl.replace(/\/+$/, "")}/vapi` };
    store.phoneNumbers.set(id, phone);
  }
  store.changed();
}

export async function createVapiSandbox(opts: VapiSandboxOptions): Promise<VapiSandbox> {
  const store = await Store.open(opts.dataFile, opts.now);
  const context: SandboxContext = {
    store,
    faults: new Faults(),
    log: new RequestLog(store.now),
    apiKey: opts.apiKey,
    serverSecret: opts.serverSecret,
    baseUrl: opts.baseUrl,
    fetch: opts.fetch ?? fetch,
  };
  ensureDemoNumbers(store, opts.functionsUrl);
  const calls = new Calls(context, opts.silenceMs);

  async function handle(req: Request, path: string): Promise<Response> {
    if ((path === "" || path === "/") && req.method === "GET") return consolePage(context);
    if (path.startsWith("/control/")) {
      return await control(context, calls, req, path.slice("/control".length));
    }
    const recording = path.match(/^\/recordings\/([^/]+)\.wav$/);
    if (recording && req.method === "GET") {
      const call = store.calls.get(decodeURIComponent(recording[1]));
      if (!call?.recordingUrl) return json(404, { message: "Not Found", statusCode: 404 });
      return new Response(recordingWav(call.seconds), { headers: { "content-type": "audio/wav" } });
    }
    return await restApi(context, req, path);
  }

  return {
    handle,
    answerInbound: (call) => calls.answerInbound(call),
    context,
    calls,
    async settled() {
      await calls.settled();
      await store.flush();
    },
  };
}
