// The local stand-in for OpenAI's Chat Completions, served by the gateway at /_local/openai.
// Functions reach it through OPENAI_BASE_URL = …/_local/openai/v1 (chat.ts) with Bearer
// OPENAI_API_KEY; tests queue answers and faults and read what was sent through
// /_local/openai/control (control.ts); /_local/openai is the console. Nothing is kept between
// starts.
import { RequestLog } from "../faults.ts";
import { json } from "../google/http.ts";
import { openaiApi } from "./chat.ts";
import { consolePage } from "./console.ts";
import type { SandboxContext } from "./context.ts";
import { control } from "./control.ts";
import { Faults } from "./faults.ts";

export interface OpenAISandboxOptions {
  apiKey: string;
  now?: () => number;
}

export interface OpenAISandbox {
  /** `path` is below /_local/openai: "", "/v1/chat/completions", "/control/…". */
  handle(req: Request, path: string): Promise<Response>;
  context: SandboxContext;
}

export function createOpenAISandbox(opts: OpenAISandboxOptions): OpenAISandbox {
  const now = opts.now ?? Date.now;
  const context: SandboxContext = {
    apiKey: opts.apiKey,
    faults: new Faults(),
    log: new RequestLog(now),
    script: [],
    exchanges: [],
    now,
  };

  async function handle(req: Request, path: string): Promise<Response> {
    if ((path === "" || path === "/") && req.method === "GET") return consolePage(context);
    if (path.startsWith("/control/")) {
      return await control(context, req, path.slice("/control".length));
    }
    return await openaiApi(context, req, path) ?? json(404, { error: "Not Found" });
  }

  return { handle, context };
}
