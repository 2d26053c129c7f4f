// The local stand-in for the HTTP mail API production uses (Resend's wire format): edge functions
// send with `POST {MAIL_API_URL}/emails`, `Authorization: Bearer {MAIL_API_KEY}`. It checks the
// key and the body as Resend does (401/403/422/409 with `{statusCode, name, message}`), honours
// `Idempotency-Key`, and delivers each accepted mail into the outbox Auth's mails go to, so
// /_local/outbox shows both.
//
// Tests make it fail on purpose, per recipient (parallel tests do not disturb each other):
// `POST /control/failures {"to": "x@example.com", "status": 503}`; `DELETE` the same to stop.
import { z } from "zod";
import { deliver } from "../auth/mailer.ts";

export interface MailSandboxOptions {
  outboxDir: string;
  /** The only key accepted; the stack generates one per start and gives it to the functions. */
  apiKey: string;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });

/** Resend's error shape. */
const failure = (status: number, name: string, message: string) =>
  json(status, { statusCode: status, name, message });

// "ada@example.com" or "Ada Lovelace <ada@example.com>", as Resend accepts them.
const ADDRESS = /^(?:[^<>]*<\s*[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+\s*>|[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+)$/;
const address = z.string().trim().regex(ADDRESS, "must be an email address or `Name <email>`");

const sendEmail = z.object({
  from: address,
  to: z.union([address, z.array(address).min(1).max(50)]),
  subject: z.string().min(1).max(998),
  html: z.string().optional(),
  text: z.string().optional(),
  cc: z.union([address, z.array(address)]).optional(),
  bcc: z.union([address, z.array(address)]).optional(),
  reply_to: z.union([address, z.array(address)]).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  tags: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
}).refine((mail) => mail.html !== undefined || mail.text !== undefined, {
  message: "one of `html` or `text` is required",
  path: ["html"],
});

const failureRule = z.object({
  to: z.string().trim().toLowerCase(),
  status: z.number().int().min(400).max(599).default(500),
});

const bare = (a: string) => (a.match(/<\s*([^>]+?)\s*>/)?.[1] ?? a).trim().toLowerCase();

export function createMailSandbox(opts: MailSandboxOptions) {
  /** Idempotency-Key → the payload it was first used with and the id answered then. */
  const sent = new Map<string, { payload: string; id: string }>();
  /** Recipient → status to fail with. */
  const failures = new Map<string, number>();

  async function send(req: Request): Promise<Response> {
    const authorization = req.headers.get("authorization");
    if (!authorization) {
      return failure(401, "missing_api_key", "Missing API key in the authorization header.");
    }
    if (authorization !== `Bearer ${opts.apiKey}`) {
      return failure(403, "invalid_api_key", "API key is invalid.");
    }
    const key = req.headers.get("idempotency-key");
    if (key !== null && (key.length < 1 || key.length > 256)) {
      return failure(400, "invalid_idempotency_key", "The key must be between 1-256 chars.");
    }
    let body: unknown;
    try {
      body = await req.json();
    } catch {
      return failure(422, "validation_error", "The request body is not valid JSON.");
    }
    const parsed = sendEmail.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.join(".");
      return failure(
        422,
        field ? "validation_error" : "missing_required_field",
        field ? `Invalid \`${field}\`: ${issue.message}` : issue.message,
      );
    }
    const mail = parsed.data;
    const recipients = (Array.isArray(mail.to) ? mail.to : [mail.to]).map(bare);
    for (const to of recipients) {
      const status = failures.get(to);
      if (status) return failure(status, "application_error", "Injected failure (mail sandbox).");
    }
    const payload = JSON.stringify(mail);
    if (key !== null) {
      const earlier = sent.get(key);
      if (earlier && earlier.payload !== payload) {
        return failure(
          409,
          "invalid_idempotent_request",
          "Same idempotency key used with a different request payload.",
        );
      }
      if (earlier) return json(200, { id: earlier.id });
    }
    const id = crypto.randomUUID();
    const text = mail.text ?? "";
    const html = mail.html ?? "";
    // The outbox shows a mail's first link as its link (Auth's mails carry one each).
    const link = (text.match(/https?:\/\/\S+/) ?? html.match(/href="([^"]+)"/)?.slice(1))?.[0] ??
      "";
    for (const to of recipients) {
      await deliver(opts.outboxDir, { to, subject: mail.subject, text, html, link });
    }
    if (key !== null) sent.set(key, { payload, id });
    return json(200, { id });
  }

  async function control(req: Request): Promise<Response> {
    let rule;
    try {
      rule = failureRule.parse(await req.json());
    } catch {
      return failure(422, "validation_error", 'Send {"to": "<address>", "status": <4xx|5xx>}.');
    }
    if (req.method === "DELETE") failures.delete(rule.to);
    else failures.set(rule.to, rule.status);
    return json(200, { failing: Object.fromEntries(failures) });
  }

  return {
    /** `path` is below the sandbox's base URL: "/emails" or "/control/failures". */
    async handle(req: Request, path: string): Promise<Response> {
      if (path === "/emails" && req.method === "POST") return await send(req);
      if (path === "/control/failures" && (req.method === "POST" || req.method === "DELETE")) {
        return await control(req);
      }
      return failure(404, "not_found", "The requested endpoint does not exist.");
    },
  };
}
