// The local stand-in for Twilio Voice, served by the gateway at /_local/twilio. Functions reach
// its REST API through TWILIO_API_BASE_URL = …/_local/twilio (/2010-04-01/…); tests and
// developers place calls through /_local/twilio/control (control.ts); /_local/twilio is the
// console. Calls to numbers imported into Vapi go to the Vapi sandbox's answerInbound; when Vapi
// cannot take them, to the number's voice fallback URL (our twilio-voice function). Messaging
// (SMS and WhatsApp: Messages.json, status callbacks, patients' messages to our
// twilio-messaging function) is in messaging.ts; its console is /_local/twilio/messages.
import { consolePage } from "./console.ts";
import type { SandboxContext, VapiInbound } from "./context.ts";
import { control } from "./control.ts";
import { RequestLog } from "../faults.ts";
import { Faults } from "./faults.ts";
import { json } from "./http.ts";
import { messagesApi, Messaging } from "./messaging.ts";
import { messagesPage } from "./messages_console.ts";
import { restApi } from "./rest.ts";
import { DEMO_ACCOUNTS, Store } from "./store.ts";

export interface TwilioSandboxOptions {
  /** Where accounts and numbers are kept between starts; null = memory only. */
  dataFile: string | null;
  /** The sandbox's public URL, e.g. http://127.0.0.1:54321/_local/twilio. */
  baseUrl: string;
  /** What a connected demo number is set to: Vapi's voice URL, our fallback and status URLs. */
  demoUrls: { voiceUrl: string; voiceFallbackUrl: string; statusCallback: string };
  vapi?: VapiInbound | null;
  /** The functions' public base URL: patients' messages go to its /twilio-messaging/inbound. */
  functionsUrl: string;
  /** Sends webhook requests (tests pass their own). */
  fetch?: typeof fetch;
  now?: () => number;
}

export interface TwilioSandbox {
  /** `path` is below /_local/twilio: "", "/2010-04-01/…", "/control/…". */
  handle(req: Request, path: string): Promise<Response>;
  context: SandboxContext;
  settled(): Promise<void>;
}

/** The seed's Twilio accounts with the tokens it stores, and their numbers connected to Vapi
 * (as the seed's `voice_connection = 'connected'` says) unless a job changed them since. */
async function ensureDemoData(store: Store, urls: TwilioSandboxOptions["demoUrls"]) {
  for (const { account, numbers } of DEMO_ACCOUNTS) {
    if (!store.accounts.has(account.sid)) store.upsertAccount(account);
    for (const { phoneNumber, name } of numbers) {
      if (!store.numberByPhone(phoneNumber)) {
        await store.addNumber(account.sid, phoneNumber, { friendlyName: name, ...urls });
      }
    }
  }
}

export async function createTwilioSandbox(opts: TwilioSandboxOptions): Promise<TwilioSandbox> {
  const store = await Store.open(opts.dataFile, opts.now);
  await ensureDemoData(store, opts.demoUrls);
  const context: SandboxContext = {
    store,
    faults: new Faults(),
    log: new RequestLog(store.now),
    baseUrl: opts.baseUrl,
    fetch: opts.fetch ?? fetch,
    vapi: opts.vapi ?? null,
    messaging: new Messaging(`${opts.functionsUrl.replace(/\/+$/, "")}/twilio-messaging/inbound`),
  };

  async function handle(req: Request, path: string): Promise<Response> {
    if ((path === "" || path === "/") && req.method === "GET") return consolePage(context);
    if ((path === "/messages" || path === "/messages/") && req.method === "GET") {
      return messagesPage(context, req);
    }
    if (path.startsWith("/2010-04-01/")) {
      return await messagesApi(context, req, path) ?? await restApi(context, req, path);
    }
    if (path.startsWith("/control/")) {
      return await control(context, req, path.slice("/control".length));
    }
    return json(404, { error: "Not Found" });
  }

  return {
    handle,
    context,
    async settled() {
      await context.messaging.settled();
      await store.flush();
    },
  };
}
