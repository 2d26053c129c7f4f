// The local stand-in for Google OAuth 2.0 and Calendar v3, served by the gateway at
// /_local/google. Functions reach it only through base URLs from their environment:
//   GOOGLE_OAUTH_BASE_URL = …/_local/google/accounts   (consent page /o/oauth2/v2/auth)
//   GOOGLE_TOKEN_BASE_URL = …/_local/google/oauth2     (/token, /revoke)
//   GOOGLE_API_BASE_URL   = …/_local/google/www        (/calendar/v3/…)
// plus /_local/google/control (control API, control.ts) and /_local/google (console).
import { calendarApi, insertEvent } from "./calendar.ts";
import { consolePage } from "./console.ts";
import { control } from "./control.ts";
import type { SandboxContext } from "./context.ts";
import { RequestLog } from "../faults.ts";
import { Faults } from "./faults.ts";
import { json } from "./http.ts";
import { authorize, revoke, token } from "./oauth.ts";
import { Pusher } from "./push.ts";
import { DEMO_ACCOUNT, DEMO_REFRESH_TOKEN, SCOPE, SECOND_DEMO_ACCOUNT, Store } from "./store.ts";
import { formatInZone, instantOf, wallClock } from "./time.ts";

export interface GoogleSandboxOptions {
  /** Where the state is kept between starts; null = memory only. */
  dataFile: string | null;
  /** The sandbox's public URL, e.g. http://127.0.0.1:54321/_local/google. */
  baseUrl: string;
  client: { id: string; secret: string; redirectUris: string[] };
  now?: () => number;
  /** Delivers push notifications (tests pass their own). */
  fetch?: typeof fetch;
  warn?: (line: string) => void;
}

export interface GoogleSandbox {
  /** `path` is below /_local/google: "", "/accounts/…", "/oauth2/…", "/www/…", "/control/…". */
  handle(req: Request, path: string): Promise<Response>;
  context: SandboxContext;
  /** Resolves once the state is saved and push notifications sent so far are delivered. */
  settled(): Promise<void>;
}

const DAY = 24 * 3600 * 1000;

/** Staff-created events on the next four working days of the demo account, in working hours. */
function demoEvents(ctx: SandboxContext): void {
  const calendar = ctx.store.calendar(DEMO_ACCOUNT)!;
  const zone = calendar.timeZone;
  const plans: [string, number, number, number][] = [
    ["Staff meeting", 9, 0, 45],
    ["Dr Hale — conference call", 14, 0, 60],
    ["Team training: new X-ray unit", 11, 0, 90],
    ["Equipment service visit", 16, 30, 60],
  ];
  let day = ctx.store.now();
  for (const [summary, hour, minute, minutes] of plans) {
    let [y, mo, d] = wallClock(day, zone);
    while ([0, 6].includes(new Date(Date.UTC(y, mo - 1, d)).getUTCDay())) {
      day += DAY;
      [y, mo, d] = wallClock(day, zone);
    }
    const start = instantOf([y, mo, d, hour, minute], zone);
    insertEvent(ctx, calendar, {
      summary,
      start: { dateTime: formatInZone(start, zone), timeZone: zone },
      end: { dateTime: formatInZone(start + minutes * 60000, zone), timeZone: zone },
    }, DEMO_ACCOUNT);
    day += DAY;
  }
}

/** The demo accounts and the demo refresh token, created when absent. */
function ensureDemoData(ctx: SandboxContext): void {
  const { store } = ctx;
  if (!store.accounts.has(DEMO_ACCOUNT)) {
    store.upsertAccount(DEMO_ACCOUNT);
    demoEvents(ctx);
  }
  if (!store.accounts.has(SECOND_DEMO_ACCOUNT)) store.upsertAccount(SECOND_DEMO_ACCOUNT);
  const demo = store.grantOfRefreshToken(DEMO_REFRESH_TOKEN);
  if (!demo) {
    const grant = store.newGrant(
      ctx.client.id,
      DEMO_ACCOUNT,
      [SCOPE.events, SCOPE.readonly],
      false,
    );
    grant.refreshToken = DEMO_REFRESH_TOKEN;
  } else {
    // The client is the checkout's; the demo token belongs to whichever it is now.
    demo.clientId = ctx.client.id;
  }
  store.consents.add(`${ctx.client.id} ${DEMO_ACCOUNT}`);
  store.changed();
}

export async function createGoogleSandbox(opts: GoogleSandboxOptions): Promise<GoogleSandbox> {
  const store = await Store.open(opts.dataFile, opts.now);
  const context: SandboxContext = {
    store,
    faults: new Faults(),
    log: new RequestLog(store.now),
    push: new Pusher(store, opts.baseUrl, opts.fetch, opts.warn),
    client: opts.client,
    baseUrl: opts.baseUrl,
  };
  ensureDemoData(context);

  async function handle(req: Request, path: string): Promise<Response> {
    if ((path === "" || path === "/") && req.method === "GET") return consolePage(context);
    if (path === "/accounts/o/oauth2/v2/auth") return await authorize(context, req);
    if (path === "/oauth2/token") return await token(context, req);
    if (path === "/oauth2/revoke") return await revoke(context, req);
    if (path.startsWith("/www/")) return await calendarApi(context, req, path.slice("/www".length));
    if (path.startsWith("/control/")) {
      return await control(context, req, path.slice("/control".length));
    }
    return json(404, { error: { code: 404, message: "Not Found" } });
  }

  return {
    handle,
    context,
    async settled() {
      await context.push.settled();
      await store.flush();
    },
  };
}
